"""The live dot-vote at check-in: rules, results, the hand-over to gathering, and its URLs."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import live
from meetings.models import LiveMeeting
from members.accounts import create_member
from tests.conftest import PASSWORD
from tests.factories import make_meeting, make_topic
from topics import backlog, dotvote
from topics.models import Dot, DotVote

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def carol(db):
    return create_member("carol@example.org", password=PASSWORD, display_name="Carol")


@pytest.fixture
def dan(db):
    return create_member("dan@example.org", password=PASSWORD, display_name="Dan")


@pytest.fixture
def meeting(db):
    """Starts in ten minutes: its live page is open."""
    return make_meeting(timezone.now() + timedelta(minutes=10), title="Chit chat")


@pytest.fixture
def topics(carol):
    """Four open topics; the backlog orders them by support: first, second, third, fourth."""
    made = [make_topic(carol, title) for title in ("First", "Second", "Third", "Fourth")]
    supporters = [create_member(f"s{i}@example.org") for i in range(3)]
    for topic, count in zip(made, (3, 2, 1, 0), strict=True):
        for supporter in supporters[:count]:
            backlog.add_support(topic, supporter)
    return made


@pytest.fixture
def vote(meeting, organizer, topics):
    return dotvote.open_vote(meeting, organizer)


def version(meeting):
    return LiveMeeting.objects.get(pk=meeting.pk).version


# --- The rules ------------------------------------------------------------------------


def test_each_member_has_three_dots_at_most_two_on_a_topic(vote, member, topics):
    first, second, third, _ = topics
    assert dotvote.move_dot(vote, member, first.pk, +1) == 1
    assert dotvote.move_dot(vote, member, first.pk, +1) == 2
    with pytest.raises(dotvote.DotVoteError, match="At most 2 dots on one topic"):
        dotvote.move_dot(vote, member, first.pk, +1)
    dotvote.move_dot(vote, member, second.pk, +1)
    with pytest.raises(dotvote.DotVoteError, match="placed all your 3 dots"):
        dotvote.move_dot(vote, member, third.pk, +1)
    # Moving a dot: take one back, put it elsewhere.
    dotvote.move_dot(vote, member, first.pk, -1)
    dotvote.move_dot(vote, member, third.pk, +1)
    assert dict(Dot.objects.filter(user=member).values_list("topic__title", "count")) == {
        "First": 1,
        "Second": 1,
        "Third": 1,
    }
    with pytest.raises(dotvote.DotVoteError, match="no dot on this topic"):
        dotvote.move_dot(vote, member, topics[3].pk, -1)


def test_a_vote_may_give_other_budgets(meeting, organizer, member, topics):
    vote = dotvote.open_vote(meeting, organizer, dots_per_member=5, max_per_topic=5, minutes_per_topic=10)
    for _ in range(5):
        dotvote.move_dot(vote, member, topics[0].pk, +1)
    assert Dot.objects.get(user=member).count == 5


@pytest.mark.parametrize(
    "choice",
    [
        {"dots_per_member": 0},
        {"dots_per_member": 11},
        {"max_per_topic": 4},  # more than the 3 dots each member has
        {"minutes_per_topic": 0},
        {"minutes_per_topic": 601},
    ],
)
def test_out_of_bounds_settings_are_refused(meeting, organizer, topics, choice):
    with pytest.raises(ValidationError):
        dotvote.open_vote(meeting, organizer, **choice)
    assert not DotVote.objects.exists()


def test_dots_move_only_until_the_vote_closes(vote, member, topics):
    dotvote.move_dot(vote, member, topics[0].pk, +1)
    dotvote.close_vote(vote)
    with pytest.raises(dotvote.DotVoteError, match="closed"):
        dotvote.move_dot(vote, member, topics[0].pk, +1)
    with pytest.raises(dotvote.DotVoteError, match="closed"):
        dotvote.move_dot(vote, member, topics[0].pk, -1)
    with pytest.raises(dotvote.DotVoteError, match="already closed"):
        dotvote.close_vote(vote)


def test_only_topics_on_the_ballot_take_dots(vote, member, carol):
    later = make_topic(carol, "Proposed during the vote")
    with pytest.raises(dotvote.DotVoteError, match="not on this dot-vote"):
        dotvote.move_dot(vote, member, later.pk, +1)
    with pytest.raises(dotvote.DotVoteError, match="not on this dot-vote"):
        dotvote.move_dot(vote, member, 2147483647, +1)


def test_the_ballot_is_the_most_supported_open_topics(meeting, organizer, carol, topics):
    for i in range(dotvote.BALLOT_SIZE):
        make_topic(carol, f"Extra {i}")
    vote = dotvote.open_vote(meeting, organizer)
    titles = [row.topic.title for row in dotvote.results(vote)]
    assert len(titles) == dotvote.BALLOT_SIZE
    assert titles[:3] == ["First", "Second", "Third"]


def test_one_vote_per_meeting_and_only_before_the_main_block(meeting, organizer, topics):
    live.start(meeting)
    live.next_item(meeting)  # the main block
    with pytest.raises(dotvote.DotVoteError, match="before the main block"):
        dotvote.open_vote(meeting, organizer)
    live.previous_item(meeting)
    dotvote.open_vote(meeting, organizer)
    with pytest.raises(dotvote.DotVoteError, match="already has"):
        dotvote.open_vote(meeting, organizer)


def test_an_empty_backlog_has_nothing_to_vote_on(meeting, organizer):
    with pytest.raises(dotvote.DotVoteError, match="empty"):
        dotvote.open_vote(meeting, organizer)


def test_results_rank_by_dots_then_backlog_order(vote, member, carol, dan, topics):
    first, second, third, fourth = topics
    dotvote.move_dot(vote, member, fourth.pk, +1)
    dotvote.move_dot(vote, member, fourth.pk, +1)
    dotvote.move_dot(vote, carol, third.pk, +1)
    dotvote.move_dot(vote, carol, third.pk, +1)
    dotvote.move_dot(vote, dan, second.pk, +1)
    rows = dotvote.results(vote, member)
    # Fourth and Third tie on 2 dots: Third has more support in the backlog.
    assert [(row.topic.title, row.dots, row.voters) for row in rows] == [
        ("Third", 2, 1),
        ("Fourth", 2, 1),
        ("Second", 1, 1),
        ("First", 0, 0),
    ]
    assert [row.mine for row in rows] == [0, 2, 0, 0]


def test_a_double_submit_places_one_dot(member_client, member, vote, meeting, topics):
    for _ in range(2):
        assert member_client.post(dot_url(meeting, topics[0]), {"dots": "1"}).status_code == 302
    assert Dot.objects.get(user=member).count == 1
    for _ in range(2):
        member_client.post(dot_url(meeting, topics[0]), {"dots": "0"})
    assert not Dot.objects.exists()


def test_every_dot_tells_the_live_page(vote, member, topics, meeting):
    before = version(meeting)
    dotvote.move_dot(vote, member, topics[0].pk, +1)
    assert version(meeting) == before + 1
    with pytest.raises(dotvote.DotVoteError):
        dotvote.move_dot(vote, member, topics[1].pk, -1)
    assert version(meeting) == before + 1  # a refused dot changes nothing


# --- The hand-over to the gather page --------------------------------------------------


def test_closing_hands_the_ranking_to_the_gather_page(
    client, organizer, vote, member, carol, dan, topics, meeting
):
    first, second, third, fourth = topics
    for person, topic in [
        (member, fourth),
        (member, fourth),
        (carol, fourth),
        (carol, third),
        (carol, third),
        (dan, second),
    ]:
        dotvote.move_dot(vote, person, topic.pk, +1)
    client.force_login(organizer)
    gather_url = reverse("topics:gather", args=[meeting.pk])
    assert "dot-vote" not in client.get(gather_url).content.decode()  # not before it closes
    dotvote.close_vote(vote)
    assert dotvote.handover(meeting, 60) == {fourth.pk: 20, third.pk: 20, second.pk: 20}
    page = client.get(gather_url).content.decode()
    assert page.index("Fourth") < page.index("Third") < page.index("Second") < page.index("First")
    assert "3 dots at the dot-vote" in page
    for topic in (fourth, third, second):
        assert f'value="{topic.pk}" id="pick-{topic.pk}" class="js-pick" checked' in page
        assert f'id="minutes-{topic.pk}" class="minutes-input js-minutes"' in page
    assert f'id="pick-{first.pk}" class="js-pick">' in page  # fits no more: not picked
    # The organizer adjusts and gathers as today.
    response = client.post(
        gather_url,
        {"pick": [fourth.pk, second.pk], f"minutes-{fourth.pk}": "35", f"minutes-{second.pk}": "25"},
    )
    assert response.status_code == 302
    assert list(
        meeting.gathered_topics.order_by("agenda_position").values_list("title", "gathered_minutes")
    ) == [
        ("Fourth", 35),
        ("Second", 25),
    ]
    # The block is full now: what is left of the ranking is listed, nothing pre-picked.
    assert dotvote.handover(meeting, 0) == {}


def test_only_topics_still_in_the_backlog_are_handed_over(vote, member, topics, meeting, carol):
    dotvote.move_dot(vote, member, topics[3].pk, +1)
    dotvote.move_dot(vote, member, topics[2].pk, +1)
    backlog.withdraw(topics[3], carol)
    dotvote.close_vote(vote)
    assert dotvote.handover(meeting, 60) == {topics[2].pk: 20}


def test_the_hand_over_stops_at_the_first_topic_that_does_not_fit(vote, member, topics, meeting):
    for topic in topics[:3]:
        dotvote.move_dot(vote, member, topic.pk, +1)
    dotvote.close_vote(vote)
    assert list(dotvote.handover(meeting, 45)) == [topics[0].pk, topics[1].pk]


# --- The live page and the URLs ---------------------------------------------------------


def dot_url(meeting, topic):
    return reverse("topics:dot-vote-move", args=[meeting.pk, topic.pk])


def signed_in(client, request, role):
    if role != "visitor":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize(
    ("role", "status", "dots"),
    [("visitor", 302, 0), ("member", 302, 1), ("member_on_break", 403, 0), ("organizer", 302, 1)],
)
def test_move_dot_matrix(client, request, vote, meeting, topics, role, status, dots):
    response = signed_in(client, request, role).post(dot_url(meeting, topics[0]), {"dots": "1"})
    assert response.status_code == status
    assert Dot.objects.count() == dots


@pytest.mark.parametrize(
    ("role", "status", "opened"),
    [
        ("visitor", 302, False),
        ("member", 403, False),
        ("member_on_break", 403, False),
        ("organizer", 302, True),
    ],
)
def test_open_vote_matrix(client, request, meeting, topics, role, status, opened):
    url = reverse("topics:dot-vote-open", args=[meeting.pk])
    data = {"dots_per_member": "3", "max_per_topic": "2", "minutes_per_topic": "20"}
    response = signed_in(client, request, role).post(url, data)
    assert response.status_code == status
    assert DotVote.objects.filter(meeting=meeting).exists() is opened


@pytest.mark.parametrize(
    ("role", "status", "closed"),
    [
        ("visitor", 302, False),
        ("member", 403, False),
        ("member_on_break", 403, False),
        ("organizer", 302, True),
    ],
)
def test_close_vote_matrix(client, request, vote, meeting, role, status, closed):
    response = signed_in(client, request, role).post(reverse("topics:dot-vote-close", args=[meeting.pk]))
    assert response.status_code == status
    vote.refresh_from_db()
    assert (vote.closed_at is not None) is closed


def test_a_left_member_cannot_place_dots(client, vote, meeting, topics):
    lee = create_member("lee@example.org", password=PASSWORD)
    lee.is_active = False
    lee.save()
    client.force_login(lee)
    assert client.post(dot_url(meeting, topics[0]), {"dots": "1"}).status_code == 302
    assert not Dot.objects.exists()


def test_the_meetings_facilitator_opens_the_vote(client, meeting, topics, carol):
    meeting.facilitator = carol
    meeting.save()
    client.force_login(carol)
    data = {"dots_per_member": "3", "max_per_topic": "2", "minutes_per_topic": "20"}
    client.post(reverse("topics:dot-vote-open", args=[meeting.pk]), data)
    assert DotVote.objects.get().opened_by == carol


@pytest.mark.parametrize("method", ["get", "put"])
def test_dot_vote_urls_answer_post_only(organizer_client, vote, meeting, topics, method):
    for url in (
        reverse("topics:dot-vote-open", args=[meeting.pk]),
        reverse("topics:dot-vote-close", args=[meeting.pk]),
        dot_url(meeting, topics[0]),
    ):
        assert getattr(organizer_client, method)(url).status_code == 405


@pytest.mark.parametrize(
    "data",
    [
        {"dots_per_member": "", "max_per_topic": "2", "minutes_per_topic": "20"},
        {"dots_per_member": "²", "max_per_topic": "2", "minutes_per_topic": "20"},
        {"dots_per_member": "2147483647", "max_per_topic": "2", "minutes_per_topic": "20"},
        {"dots_per_member": "3", "max_per_topic": "3\x00", "minutes_per_topic": "20"},
        {"dots_per_member": "3", "max_per_topic": "2", "minutes_per_topic": "99999"},
    ],
)
def test_odd_settings_are_refused_politely(organizer_client, meeting, topics, data):
    url = reverse("topics:dot-vote-open", args=[meeting.pk])
    response = organizer_client.post(url, data, **JSON)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not DotVote.objects.exists()


def test_odd_settings_without_javascript_come_back_on_the_form_with_what_was_typed(
    organizer_client, meeting, topics
):
    """Found by an outsider: the page came back with the defaults and one joined line naming no field."""
    url = reverse("topics:dot-vote-open", args=[meeting.pk])
    data = {"dots_per_member": "3", "max_per_topic": "2147483647", "minutes_per_topic": "-5"}
    response = organizer_client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="form-errors"' in html
    assert 'value="2147483647"' in html
    assert 'value="-5"' in html
    assert html.count('aria-invalid="true"') == 2
    assert not DotVote.objects.exists()
    json_error = organizer_client.post(url, data, **JSON).json()["error"]
    assert json_error.count(":") >= 2  # each problem names its field


@pytest.mark.parametrize("dots", ["", "-1", "²", "x", "1\x00", "2147483647"])
def test_an_odd_dot_count_is_a_bad_request(member_client, vote, meeting, topics, dots):
    response = member_client.post(dot_url(meeting, topics[0]), {"dots": dots}, **JSON)
    assert response.status_code == 400
    assert not Dot.objects.exists()


def test_no_vote_or_no_meeting_is_404(member_client, meeting, topics):
    assert member_client.post(dot_url(meeting, topics[0]), {"dots": "1"}).status_code == 404
    url = reverse("topics:dot-vote-move", args=[2147483647, topics[0].pk])
    assert member_client.post(url, {"dots": "1"}).status_code == 404


def test_the_live_page_shows_the_ballot_and_totals(client, member, carol, vote, meeting, topics):
    dotvote.move_dot(vote, carol, topics[1].pk, +1)
    dotvote.move_dot(vote, member, topics[1].pk, +1)
    client.force_login(member)
    page = client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert "Dot-vote on the backlog" in page
    assert "You have 2 dots left." in page
    assert "2 dots" in page
    assert "carol@example.org" not in page
    assert "Carol" not in page  # who placed what is for organizers (the admin)
    # With JavaScript a dot answers with the live state, totals included.
    response = client.post(dot_url(meeting, topics[0]), {"dots": "1"}, **JSON)
    assert response.status_code == 200
    assert "You have 1 dot left." in response.json()["regions"]["live-panels"]
    refused = client.post(dot_url(meeting, topics[2]), {"dots": "3"}, **JSON)
    assert refused.status_code == 409
    assert refused.json()["error"] == "At most 2 dots on one topic."


def test_organizers_see_who_placed_what_in_the_admin(client, organizer, member, vote, topics):
    dotvote.move_dot(vote, member, topics[0].pk, +1)
    client.force_login(organizer)
    page = client.get(reverse("admin:topics_dotvote_change", args=[vote.pk])).content.decode()
    assert '<td class="field-user">' in page
    assert "Alice" in page


def test_the_main_block_shows_its_gathered_topics(client, member, organizer, meeting, topics):
    backlog.gather(meeting, [backlog.Pick(topics[0].pk, 30)], organizer, notify=False)
    live.start(meeting)
    client.force_login(member)
    url = reverse("meetings:live", args=[meeting.pk])
    assert "Topics in this block" not in client.get(url).content.decode()
    live.next_item(meeting)
    page = client.get(url).content.decode()
    assert "Topics in this block" in page
    assert "30 min" in page
    assert "First" in page


def test_a_member_sees_no_vote_panel_before_it_opens(member_client, meeting, topics):
    page = member_client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert "Dot-vote" not in page


def test_the_facilitator_opens_the_vote_from_the_live_page(organizer_client, meeting, topics):
    page = organizer_client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert "Open the dot-vote" in page
    data = {"dots_per_member": "3", "max_per_topic": "2", "minutes_per_topic": "20"}
    response = organizer_client.post(reverse("topics:dot-vote-open", args=[meeting.pk]), data, follow=True)
    assert "The dot-vote is open" in response.content.decode()
    assert "Close the dot-vote" in response.content.decode()


# --- Decisions on the live page (the topics app's third panel) ---------------------------


def test_a_decision_opened_for_the_meeting_shows_on_its_live_page_at_the_next_poll(
    meeting, organizer, client
):
    from tests.factories import make_decision

    client.force_login(organizer)
    live_url = reverse("meetings:live", args=[meeting.pk])
    assert "Shall we meet twice a month?" not in client.get(live_url).content.decode()
    before = version(meeting) if LiveMeeting.objects.filter(pk=meeting.pk).exists() else 0
    decision = make_decision(organizer, meeting=meeting)
    assert version(meeting) > before  # followers' next poll is not a 304
    html = client.get(live_url).content.decode()
    assert "Shall we meet twice a month?" in html
    assert reverse("decisions:detail", args=[decision.pk]) in html
    state = client.get(reverse("meetings:live-state", args=[meeting.pk]), **JSON).content.decode()
    assert "Shall we meet twice a month?" in state


def test_a_visitor_gets_no_decisions_panel(meeting, organizer):
    from tests.factories import make_decision

    make_decision(organizer, meeting=meeting)
    assert live_panels_for(meeting, None) == []


def live_panels_for(meeting, user):
    from django.contrib.auth.models import AnonymousUser

    from topics.live_panels import decisions_panel

    panel = decisions_panel(meeting=meeting, user=user or AnonymousUser())
    return [] if panel is None else [panel]


def test_a_topic_on_the_ballot_renamed_in_the_admin_reaches_the_live_page(vote, meeting, topics):
    before = version(meeting)
    topics[0].title = "First, renamed"
    topics[0].save()
    assert version(meeting) > before
    closed = version(meeting)
    dotvote.close_vote(vote)
    after_close = version(meeting)
    topics[1].title = "Second, renamed after the vote"
    topics[1].save()  # no longer on an open ballot, nor gathered: no live page shows it
    assert version(meeting) == after_close > closed
