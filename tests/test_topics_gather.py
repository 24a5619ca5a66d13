"""Gathering the backlog into a meeting, and what happens to the topics after the meeting."""

import re
import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from meetings.models import Meeting
from members.accounts import create_member
from tests.conftest import PASSWORD
from tests.factories import bulk_backlog, make_facilitator, make_meeting, make_members, make_topic
from topics import backlog
from topics.backlog import BacklogError, Pick
from topics.models import Support, Topic


@pytest.fixture
def carol(db):
    return create_member("carol@example.org", password=PASSWORD, display_name="Carol")


@pytest.fixture
def facilitator(db):
    return make_facilitator()


@pytest.fixture
def meeting(facilitator):
    return make_meeting(title="Reading club", facilitator=facilitator)


@pytest.fixture
def topic(carol):
    return make_topic(carol, "Reading “Mutual Aid”")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def gather_url(meeting):
    return reverse("topics:gather", args=[meeting.pk])


def signed_in(client, request, role):
    if role != "visitor":
        client.force_login(request.getfixturevalue(role))
    return client


ROLES = ["visitor", "member", "member_on_break", "organizer", "facilitator"]


# --- Permission matrix --------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 403), ("member_on_break", 403), ("organizer", 200), ("facilitator", 200)],
)
def test_only_organizers_and_the_facilitator_open_the_gather_page(
    client, request, meeting, topic, role, expected
):
    response = signed_in(client, request, role).get(gather_url(meeting))
    assert response.status_code == expected
    if role == "visitor":
        assert response["Location"] == f"{reverse('account_login')}?next={gather_url(meeting)}"
    if expected == 200:
        assert topic.title in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected", "gathered"),
    [
        ("visitor", 302, False),
        ("member", 403, False),
        ("member_on_break", 403, False),
        ("organizer", 302, True),
        ("facilitator", 302, True),
    ],
)
def test_only_organizers_and_the_facilitator_gather(
    client, request, meeting, topic, role, expected, gathered
):
    response = signed_in(client, request, role).post(
        gather_url(meeting), {"pick": [topic.pk], f"minutes-{topic.pk}": "30"}
    )
    assert response.status_code == expected
    topic.refresh_from_db()
    assert (topic.status == "gathered") is gathered


def test_an_organizer_or_facilitator_on_a_break_may_not_gather(client, meeting, facilitator, organizer):
    for person in (facilitator, organizer):
        person.break_since = meeting.created_at
        person.save()
        client.force_login(person)
        assert client.get(gather_url(meeting)).status_code == 403


def test_the_facilitator_of_another_meeting_may_not_gather_into_this_one(client, facilitator, topic):
    other = make_meeting(title="Movie night")
    client.force_login(facilitator)
    assert client.get(gather_url(other)).status_code == 403


def test_an_unknown_meeting_is_404(organizer_client):
    assert organizer_client.get(reverse("topics:gather", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected", "status"),
    [
        ("visitor", 302, "gathered"),
        ("member", 403, "gathered"),
        ("member_on_break", 403, "gathered"),
        ("organizer", 302, "discussed"),
        ("facilitator", 302, "discussed"),
    ],
)
def test_only_organizers_and_the_facilitator_mark_a_topic_discussed(
    client, request, meeting, organizer, topic, role, expected, status
):
    backlog.gather(meeting, [Pick(topic.pk, 30)], organizer)
    response = signed_in(client, request, role).post(
        reverse("topics:discussed", args=[topic.pk]), {"note": "Good one"}
    )
    assert response.status_code == expected
    topic.refresh_from_db()
    assert topic.status == status


@pytest.mark.parametrize(
    ("role", "expected", "status"),
    [
        ("visitor", 302, "gathered"),
        ("member", 403, "gathered"),
        ("member_on_break", 403, "gathered"),
        ("organizer", 302, "open"),
        ("facilitator", 302, "open"),
    ],
)
def test_only_organizers_and_the_facilitator_return_a_topic(
    client, request, meeting, organizer, topic, role, expected, status
):
    backlog.gather(meeting, [Pick(topic.pk, 30)], organizer)
    response = signed_in(client, request, role).post(reverse("topics:return", args=[topic.pk]))
    assert response.status_code == expected
    topic.refresh_from_db()
    assert topic.status == status


def test_a_topic_in_no_meeting_cannot_be_marked_or_returned(organizer_client, topic):
    assert organizer_client.post(reverse("topics:discussed", args=[topic.pk])).status_code == 403
    assert organizer_client.post(reverse("topics:return", args=[topic.pk])).status_code == 403


# --- The gather page ----------------------------------------------------------------


def test_the_gather_page_ranks_the_backlog_and_shows_the_minutes_left(organizer_client, carol, meeting):
    quiet = make_topic(carol, "Quiet topic")
    loud = make_topic(carol, "Loud topic")
    backlog.add_support(loud, carol)
    html = organizer_client.get(gather_url(meeting)).content.decode()
    assert html.index("Loud topic") < html.index("Quiet topic")
    assert "Meeting: 60 minutes" in html
    assert '<strong class="js-minutes-left">60</strong> of 60 minutes left' in html
    assert html.count('class="js-minutes-left"') == 2  # on top, and next to the button
    assert f'name="minutes-{quiet.pk}"' in html
    assert html.count("<h1") == 1


def test_gathering_puts_topics_into_the_meeting_and_out_of_the_backlog(
    organizer_client, organizer, carol, meeting
):
    first = make_topic(carol, "First topic")
    second = make_topic(carol, "Second topic")
    response = organizer_client.post(
        gather_url(meeting),
        {"pick": [first.pk, second.pk], f"minutes-{first.pk}": "35", f"minutes-{second.pk}": "25"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.meeting, first.gathered_minutes) == ("gathered", meeting, 35)
    assert (second.status, second.meeting, second.gathered_minutes) == ("gathered", meeting, 25)
    assert first.agenda_position < second.agenda_position
    assert first.events.last().kind == "gathered"
    assert first.events.last().actor == organizer
    assert not Topic.objects.backlog().exists()
    html = organizer_client.get(gather_url(meeting)).content.decode()
    assert '<strong class="js-minutes-left">0</strong> of 60 minutes left' in html
    listing = organizer_client.get(reverse("topics:list")).content.decode()
    assert "First topic" not in listing


def test_an_overfilled_block_is_refused_and_the_input_kept(organizer_client, carol, meeting):
    first = make_topic(carol, "First topic")
    second = make_topic(carol, "Second topic")
    response = organizer_client.post(
        gather_url(meeting),
        {"pick": [first.pk, second.pk], f"minutes-{first.pk}": "40", f"minutes-{second.pk}": "25"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "That is 65 minutes, but only 60 of the 60 minutes in “Meeting” are left." in html
    assert 'role="alert"' in html
    assert f'id="pick-{first.pk}" class="js-pick" checked' in html
    assert f'id="minutes-{second.pk}" class="minutes-input js-minutes"' in html
    assert 'value="25"' in html
    assert 'value="40"' in html
    assert Topic.objects.filter(status="open").count() == 2


def test_the_block_counts_topics_gathered_earlier(organizer_client, organizer, carol, meeting):
    early = make_topic(carol, "Early topic")
    late = make_topic(carol, "Late topic")
    backlog.gather(meeting, [Pick(early.pk, 45)], organizer)
    response = organizer_client.post(gather_url(meeting), {"pick": [late.pk], f"minutes-{late.pk}": "20"})
    assert "only 15 of the 60 minutes" in response.content.decode()
    late.refresh_from_db()
    assert late.status == "open"


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ("", "Give this topic a number of minutes."),
        ("0", "from 1 to 60"),
        ("61", "from 1 to 60"),
        ("-5", "from 1 to 60"),
        ("ten", "from 1 to 60"),
    ],
)
def test_each_pick_needs_a_sensible_number_of_minutes(organizer_client, meeting, topic, minutes, message):
    response = organizer_client.post(
        gather_url(meeting), {"pick": [topic.pk], f"minutes-{topic.pk}": minutes}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == "open"


def test_nothing_picked_or_junk_picks_are_explained(organizer_client, meeting, topic):
    response = organizer_client.post(gather_url(meeting), {f"minutes-{topic.pk}": "20"})
    assert "Pick at least one topic." in response.content.decode()
    response = organizer_client.post(gather_url(meeting), {"pick": ["abc"]})
    assert response.status_code == 200
    assert "reload the page" in response.content.decode()
    response = organizer_client.post(gather_url(meeting), {"pick": ["999999"], "minutes-999999": "10"})
    assert "no longer exists" in response.content.decode()


def test_a_topic_gathered_elsewhere_is_refused_with_the_meeting_named(
    organizer_client, organizer, carol, topic
):
    first = make_meeting(title="Movie night", days=3)
    second = make_meeting(title="Reading club", days=10)
    other = make_topic(carol, "Other topic")
    backlog.gather(first, [Pick(topic.pk, 20)], organizer)
    response = organizer_client.post(
        gather_url(second),
        {"pick": [other.pk, topic.pk], f"minutes-{other.pk}": "10", f"minutes-{topic.pk}": "10"},
    )
    assert "“Reading “Mutual Aid”” was already gathered into “Movie night” (" in response.content.decode()
    other.refresh_from_db()
    assert other.status == "open"  # all or nothing


def test_a_cancelled_meeting_takes_no_topics(organizer_client, organizer, meeting, topic):
    meeting.status = "cancelled"
    meeting.save()
    html = organizer_client.get(gather_url(meeting)).content.decode()
    assert "This meeting is cancelled" in html
    assert "Gather the picked topics" not in html
    with pytest.raises(BacklogError):
        backlog.gather(meeting, [Pick(topic.pk, 10)], organizer)


def test_a_meeting_without_a_main_block_says_so(organizer_client, meeting, topic):
    meeting.agenda_items.update(holds_topics=False)
    response = organizer_client.post(gather_url(meeting), {"pick": [topic.pk], f"minutes-{topic.pk}": "10"})
    assert response.status_code == 200
    assert "no main block" in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == "open"


def test_the_gather_page_filters_the_backlog(organizer_client, carol, meeting):
    make_topic(carol, "A film", format="movie_night")
    make_topic(carol, "A book", format="reading_club")
    html = organizer_client.get(gather_url(meeting), {"format": "movie_night"}).content.decode()
    assert "A film" in html
    assert "A book" not in html
    html = organizer_client.get(gather_url(meeting), {"q": "book"}).content.decode()
    assert "A book" in html
    assert "A film" not in html


def test_the_gather_page_needs_a_bounded_number_of_queries_with_5000_topics_and_50000_supports(
    client, organizer, carol, meeting, django_assert_max_num_queries
):
    bulk_backlog(carol, make_members(20), topics=5000, supports=50000)
    picks = list(Topic.objects.backlog()[:5])
    backlog.gather(meeting, [Pick(topic.pk, 10) for topic in picks], organizer)
    client.force_login(organizer)
    with django_assert_max_num_queries(10):
        response = client.get(gather_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="js-pick"') == 50
    assert "These are the 50 most supported topics; search or filter above to find others." in html
    assert '<strong class="js-minutes-left">10</strong>' in html
    top = Topic.objects.backlog().first()
    assert f'id="pick-{top.pk}"' in html


# --- Email --------------------------------------------------------------------------


def test_the_proposer_hears_when_their_topic_is_gathered(
    organizer_client, carol, meeting, topic, mailoutbox, on_commit
):
    with on_commit(execute=True) as callbacks:
        organizer_client.post(gather_url(meeting), {"pick": [topic.pk], f"minutes-{topic.pk}": "30"})
        assert mailoutbox == []  # nothing before the gathering is committed
    assert len([callback for callback in callbacks if getattr(callback, "__name__", "") == "send"]) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["carol@example.org"]
    assert message.subject == "Your topic “Reading “Mutual Aid”” is on the agenda of Reading club"
    text = message.body
    html = message.alternatives[0][0]
    for body in (text, html):
        assert "Reading “Mutual Aid”" in body
        assert "30 minutes" in body
        assert f"http://testserver{reverse('topics:detail', args=[topic.pk])}" in body
        assert f"http://testserver{reverse('members:settings')}" in body
    assert "<strong>" in html


@pytest.mark.parametrize("why", ["wants_no_topic_news", "on_a_break", "left"])
def test_the_proposer_hears_nothing_when_they_would_not_want_it(
    organizer_client, carol, meeting, topic, mailoutbox, on_commit, why
):
    if why == "wants_no_topic_news":
        carol.wants_topic_news = False
    elif why == "on_a_break":
        carol.break_since = meeting.created_at
    else:
        carol.is_active = False
    carol.save()
    with on_commit(execute=True):
        response = organizer_client.post(
            gather_url(meeting), {"pick": [topic.pk], f"minutes-{topic.pk}": "30"}
        )
    assert response.status_code == 302
    assert mailoutbox == []


def test_no_email_goes_out_when_gathering_is_refused(organizer_client, meeting, topic, mailoutbox, on_commit):
    with on_commit(execute=True):
        organizer_client.post(gather_url(meeting), {"pick": [topic.pk], f"minutes-{topic.pk}": "90"})
    assert mailoutbox == []


# --- After the meeting -----------------------------------------------------------------


def test_marking_discussed_keeps_the_note_and_shows_it_on_the_topic_page(
    organizer_client, organizer, meeting, topic
):
    backlog.gather(meeting, [Pick(topic.pk, 30)], organizer)
    organizer_client.post(reverse("topics:discussed", args=[topic.pk]), {"note": "We will read part 2 next."})
    topic.refresh_from_db()
    assert topic.status == "discussed"
    assert topic.discussed_note == "We will read part 2 next."
    html = organizer_client.get(reverse("topics:detail", args=[topic.pk])).content.decode()
    assert "Discussed at" in html
    assert "We will read part 2 next." in html
    assert "Reading club" in html


def test_a_note_that_is_too_long_is_refused(organizer_client, organizer, meeting, topic):
    backlog.gather(meeting, [Pick(topic.pk, 30)], organizer)
    response = organizer_client.post(
        reverse("topics:discussed", args=[topic.pk]), {"note": "x" * 501}, follow=True
    )
    assert "Keep the note to 500 characters." in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == "gathered"


def test_returning_to_the_backlog_keeps_the_supports(organizer_client, organizer, carol, meeting, topic):
    supporters = [create_member(f"s{i}@example.org") for i in range(3)]
    for person in supporters:
        backlog.add_support(topic, person)
    backlog.gather(meeting, [Pick(topic.pk, 30)], organizer)
    response = organizer_client.post(reverse("topics:return", args=[topic.pk]))
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == "open"
    assert topic.meeting is None
    assert topic.gathered_minutes is None
    assert topic.support_count == 3
    assert set(Support.objects.filter(topic=topic).values_list("user", flat=True)) == {
        p.pk for p in supporters
    }
    assert [event.kind for event in topic.events.all()] == ["proposed", "gathered", "returned"]
    html = organizer_client.get(reverse("topics:detail", args=[topic.pk])).content.decode()
    assert "returned to the backlog from “Reading club”" in html
    assert "gathered into “Reading club” for 30 minutes" in html


def test_the_topic_page_shows_which_meeting_took_it_up(member_client, organizer, meeting, topic):
    backlog.gather(meeting, [Pick(topic.pk, 30)], organizer)
    html = member_client.get(reverse("topics:detail", args=[topic.pk])).content.decode()
    assert "Gathered into" in html
    assert "Reading club" in html
    assert "for 30 minutes" in html
    assert "Mark discussed" not in html  # only for those who run the agenda


def test_the_topic_page_offers_agenda_actions_to_the_facilitator(
    client, facilitator, organizer, meeting, topic
):
    backlog.gather(meeting, [Pick(topic.pk, 30)], organizer)
    client.force_login(facilitator)
    html = client.get(reverse("topics:detail", args=[topic.pk])).content.decode()
    assert "Mark discussed" in html
    assert "Return to the backlog" in html


def test_a_returned_topic_whose_title_was_taken_meanwhile_is_explained(organizer, carol, meeting, topic):
    backlog.gather(meeting, [Pick(topic.pk, 30)], organizer)
    make_topic(carol, topic.title)
    with pytest.raises(BacklogError, match="merge the two"):
        backlog.return_to_backlog(topic, organizer)
    topic.refresh_from_db()
    assert topic.status == "gathered"


def test_deleting_a_meeting_returns_its_gathered_topics_to_the_backlog(organizer, meeting, topic, carol):
    discussed = make_topic(carol, "Discussed one")
    backlog.gather(meeting, [Pick(topic.pk, 30), Pick(discussed.pk, 20)], organizer)
    backlog.mark_discussed(discussed, organizer, "")
    meeting.delete()
    topic.refresh_from_db()
    discussed.refresh_from_db()
    assert topic.status == "open"
    assert topic.meeting is None
    assert discussed.status == "discussed"
    assert discussed.meeting is None
    assert topic.events.last().kind == "returned"


# --- The meeting pages ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["visitor", "member", "organizer"])
def test_the_meeting_page_lists_gathered_topics_under_the_main_block(
    client, request, organizer, meeting, carol, role
):
    first = make_topic(carol, "First topic")
    second = make_topic(carol, "Second topic")
    backlog.gather(meeting, [Pick(second.pk, 25), Pick(first.pk, 35)], organizer)
    backlog.mark_discussed(first, organizer, "Part two next time.")
    html = signed_in(client, request, role).get(meeting.get_absolute_url()).content.decode()
    block = html.index("<strong>Meeting</strong>")
    assert block < html.index("25 min") < html.index("Second topic") < html.index("First topic")
    assert html.index("First topic") < html.index("<strong>Process, check-out</strong>")
    assert "(discussed: Part two next time.)" in html
    topic_link = f'href="{reverse("topics:detail", args=[first.pk])}"'
    assert (topic_link in html) is (role != "visitor")  # the backlog is for members
    assert (gather_url(meeting) in html) is (role == "organizer")


def test_the_facilitator_finds_the_gather_link_on_the_meeting_page(client, facilitator, meeting):
    client.force_login(facilitator)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{gather_url(meeting)}">Gather topics</a>' in html


def test_past_meetings_list_the_topics_they_took_up(client, organizer, carol, django_assert_max_num_queries):
    for n in range(12):
        meeting = make_meeting(title=f"Past meeting {n}", days=-7 - n)
        topic = make_topic(carol, f"Past topic {n}")
        backlog.gather(meeting, [Pick(topic.pk, 30)], organizer)
        if n % 2:
            backlog.mark_discussed(topic, organizer, "")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:past"))
    html = response.content.decode()
    assert "Topics taken up:" in html
    assert 'Past topic 0 <span class="muted">(30 min)</span>' in html
    assert 'Past topic 1 <span class="muted">(30 min, discussed)</span>' in html


def test_the_meeting_page_needs_no_query_per_topic(
    client, organizer, carol, meeting, django_assert_max_num_queries
):
    topics = [make_topic(carol, f"Topic {n}") for n in range(6)]
    backlog.gather(meeting, [Pick(topic.pk, 10) for topic in topics], organizer)
    client.force_login(organizer)
    with django_assert_max_num_queries(10):
        response = client.get(meeting.get_absolute_url())
    assert response.content.decode().count('class="minutes">10 min</span>') == 6


# --- Two organizers at once (PostgreSQL) -------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real row locks and concurrent connections"
)
@pytest.mark.django_db(transaction=True)
def test_two_organizers_gathering_one_topic_at_once_have_one_winner(carol):
    organizer = create_member("olga@example.org", is_staff=True)
    other_organizer = create_member("omar@example.org", is_staff=True)
    topic = make_topic(carol, "Wanted by both")
    meetings = [make_meeting(title="Movie night", days=3), make_meeting(title="Reading club", days=10)]
    barrier = threading.Barrier(2)
    outcomes = []

    def run(meeting, person):
        try:
            barrier.wait(timeout=10)
            backlog.gather(meeting, [Pick(topic.pk, 30)], person)
            outcomes.append(("won", meeting.pk))
        except BacklogError as error:
            outcomes.append(("refused", str(error)))
        finally:
            close_old_connections()
            connection.close()

    for _ in range(5):
        Topic.objects.filter(pk=topic.pk).update(status="open", meeting=None, gathered_minutes=None)
        outcomes.clear()
        threads = [
            threading.Thread(target=run, args=(meetings[0], organizer)),
            threading.Thread(target=run, args=(meetings[1], other_organizer)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(kind for kind, _ in outcomes) == ["refused", "won"], outcomes
        topic.refresh_from_db()
        winner = next(value for kind, value in outcomes if kind == "won")
        assert topic.status == "gathered"
        assert topic.meeting_id == winner
        refusal = next(value for kind, value in outcomes if kind == "refused")
        assert "already gathered into" in refusal or "a moment ago" in refusal
        # The loser is told which meeting took the topic (it used to read "gathered into None").
        assert "None" not in refusal
        assert Meeting.objects.get(pk=winner).title in refusal


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real row locks and concurrent connections"
)
@pytest.mark.django_db(transaction=True)
def test_two_gatherings_into_one_meeting_at_once_never_overfill_it(carol):
    organizer = create_member("olga@example.org", is_staff=True)
    meeting = make_meeting()
    first = make_topic(carol, "First")
    second = make_topic(carol, "Second")
    barrier = threading.Barrier(2)
    outcomes = []

    def run(topic):
        try:
            barrier.wait(timeout=10)
            backlog.gather(meeting, [Pick(topic.pk, 40)], organizer)
            outcomes.append("won")
        except BacklogError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(topic,)) for topic in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "won"]
    assert backlog.minutes_taken(meeting) == 40


def test_an_overfilled_block_says_minutes_over_not_a_negative_number():
    from django.template.loader import render_to_string

    html = render_to_string("topics/_minutes_left.html", {"left": -10, "block_minutes": 60})
    assert '<strong class="js-minutes-over">10</strong> minutes over' in html
    assert "-10" not in html
    html = render_to_string("topics/_minutes_left.html", {"left": -1, "block_minutes": 60})
    assert "1</strong> minute over" in html


def test_a_refused_gather_shows_the_sites_error_summary_linking_to_each_row(
    organizer_client, meeting, carol, topic
):
    other = make_topic(carol, "Second topic")
    response = organizer_client.post(
        gather_url(meeting),
        {"pick": [topic.pk, other.pk], f"minutes-{topic.pk}": "", f"minutes-{other.pk}": "0"},
    )
    html = response.content.decode()
    summary = html.split('class="form-errors"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'href="#([^"]+)"', summary)
    assert sorted(links) == sorted([f"minutes-{topic.pk}", f"minutes-{other.pk}"])
    for field_id in links:
        assert f'id="{field_id}"' in html
        tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
        assert f'aria-describedby="{field_id}_error"' in tag
        assert f'id="{field_id}_error"' in html
    assert f"Minutes for “{topic.title}”" in summary
    assert "Give this topic a number of minutes." in summary
    assert html.count('class="has-error"') == 2
    assert 'id="gather-errors"' not in html


def test_a_gather_refused_for_nothing_picked_shows_the_summary_without_links(
    organizer_client, meeting, topic
):
    html = organizer_client.post(gather_url(meeting), {f"minutes-{topic.pk}": "20"}).content.decode()
    summary = html.split('class="form-errors"', 1)[1].split("</div>", 1)[0]
    assert "Pick at least one topic." in summary
    assert "href=" not in summary


def test_the_minutes_left_count_what_the_agenda_holds(meeting, organizer, carol):
    first, second = make_topic(carol, "First"), make_topic(carol, "Second")
    backlog.gather(meeting, [Pick(first.pk, 15), Pick(second.pk, 20)], organizer, notify=False)
    agenda = backlog.on_agenda(meeting)
    assert agenda == [first, second]
    assert backlog.minutes_left(backlog.main_block(meeting), agenda) == 25
    assert backlog.minutes_left(None, []) == 0  # no main block: no room


def test_the_gather_form_lists_the_ranked_topics_first_and_says_when_more_wait(carol):
    from topics.dotvote import Result
    from topics.forms import BacklogFilterForm, GatherForm

    topics = [make_topic(carol, f"Topic {i}") for i in range(4)]
    form = GatherForm(None, block_minutes=60, initial={topics[3].pk: 20})
    candidates = BacklogFilterForm({}).filter(Topic.objects.backlog())
    rows, more = form.rows([Result(topics[3], dots=2)], candidates, 3)
    assert [row["topic"] for row in rows][0] == topics[3]
    assert len(rows) == 3
    assert more
    assert rows[0] | {"topic": None} == {
        "topic": None,
        "dots": 2,
        "picked": True,
        "minutes": "20",
        "error": "",
    }
    assert [row["dots"] for row in rows[1:]] == [None, None]
    rows, more = form.rows([], candidates, 4)
    assert len(rows) == 4
    assert not more
