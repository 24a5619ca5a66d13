"""The decision register's pages: permission matrix of every URL, voting, closing, documenting."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.accounts import create_member
from solidarityclub.times import format_when
from tests.conftest import PASSWORD
from tests.factories import make_decision, make_meeting, make_topic, option_keys
from topics import decisions
from topics.decision_models import Ballot, Decision

ROLES = ["visitor", "member", "member_on_break", "left_member", "organizer"]


@pytest.fixture
def carol(db):
    return create_member("carol@example.org", password=PASSWORD, display_name="Carol")


@pytest.fixture
def decision(organizer):
    return make_decision(organizer, context="We meet *once* a month now.")


def signed_in(client, request, role):
    if role != "visitor":
        client.force_login(request.getfixturevalue(role))
    return client


def login_redirect(response, next_path):
    return (
        response.status_code == 302 and response["Location"] == f"{reverse('account_login')}?next={next_path}"
    )


def closes_in(days=3):
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


# --- Permission matrix --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 200), ("member_on_break", 200), ("left_member", 302), ("organizer", 200)],
)
def test_the_register_is_for_members(client, request, decision, role, expected):
    response = signed_in(client, request, role).get("/decisions/")
    assert response.status_code == expected
    if expected == 302:
        assert login_redirect(response, "/decisions/")
    else:
        assert decision.question in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 200), ("member_on_break", 200), ("left_member", 302), ("organizer", 200)],
)
def test_a_decision_page_is_for_members(client, request, decision, role, expected):
    url = f"/decisions/{decision.pk}/"
    response = signed_in(client, request, role).get(url)
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert "<em>once</em>" in html
        assert "An objection needs a reason" in html
        assert (f'action="/decisions/{decision.pk}/vote/"' in html) is (role in ("member", "organizer"))


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 200), ("member_on_break", 403), ("left_member", 302), ("organizer", 200)],
)
def test_proposing_or_opening_needs_good_standing(client, request, db, role, expected):
    assert signed_in(client, request, role).get("/decisions/new/").status_code == expected


@pytest.mark.parametrize(
    ("role", "expected", "counted"),
    [
        ("visitor", 302, 0),
        ("member", 302, 1),
        ("member_on_break", 403, 0),
        ("left_member", 302, 0),
        ("organizer", 302, 1),
    ],
)
def test_voting_needs_good_standing(client, request, decision, role, expected, counted):
    url = f"/decisions/{decision.pk}/vote/"
    response = signed_in(client, request, role).post(url, {"answer": "agree"})
    assert response.status_code == expected
    assert Ballot.objects.count() == counted
    if role in ("visitor", "left_member"):
        assert login_redirect(response, f"/decisions/{decision.pk}/")


@pytest.mark.parametrize(
    ("role", "expected", "status"),
    [
        ("visitor", 302, "open"),
        ("member", 403, "open"),
        ("member_on_break", 403, "open"),
        ("left_member", 302, "open"),
        ("organizer", 302, "closed"),
    ],
)
def test_only_organizers_and_the_facilitator_close(client, request, decision, role, expected, status):
    response = signed_in(client, request, role).post(f"/decisions/{decision.pk}/close/")
    assert response.status_code == expected
    decision.refresh_from_db()
    assert decision.status == status


def test_the_facilitator_closes_and_documents_too(client, organizer, carol):
    decision = make_decision(organizer, facilitator=carol)
    client.force_login(carol)
    client.post(f"/decisions/{decision.pk}/close/")
    client.post(f"/decisions/{decision.pk}/outcome/", {"outcome": "Once a month it stays."})
    decision.refresh_from_db()
    assert decision.status == "decided"


@pytest.mark.parametrize(
    ("role", "expected", "status"),
    [
        ("visitor", 302, "closed"),
        ("member", 403, "closed"),
        ("member_on_break", 403, "closed"),
        ("left_member", 302, "closed"),
        ("organizer", 302, "decided"),
    ],
)
def test_only_organizers_and_the_facilitator_write_the_outcome(
    client, request, decision, role, expected, status
):
    decisions.close(decision)
    response = signed_in(client, request, role).post(
        f"/decisions/{decision.pk}/outcome/", {"outcome": "Done."}
    )
    assert response.status_code == expected
    decision.refresh_from_db()
    assert decision.status == status


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 403), ("member_on_break", 403), ("left_member", 302), ("organizer", 200)],
)
def test_only_organizers_review_a_proposal(client, request, member, role, expected):
    proposal = make_decision(member, open_now=False, closes_at=None)
    assert signed_in(client, request, role).get(f"/decisions/{proposal.pk}/open/").status_code == expected


@pytest.mark.parametrize(
    ("role", "expected", "status"),
    [
        ("visitor", 302, "proposed"),
        ("member", 403, "proposed"),
        ("member_on_break", 403, "proposed"),
        ("left_member", 302, "proposed"),
        ("organizer", 302, "declined"),
    ],
)
def test_only_organizers_decline(client, request, carol, role, expected, status):
    proposal = make_decision(carol, open_now=False, closes_at=None)
    response = signed_in(client, request, role).post(
        f"/decisions/{proposal.pk}/decline/", {"note": "Not now."}
    )
    assert response.status_code == expected
    proposal.refresh_from_db()
    assert proposal.status == status


@pytest.mark.parametrize(
    ("role", "expected", "posts"),
    [
        ("visitor", 302, 0),
        ("member", 403, 0),
        ("member_on_break", 403, 0),
        ("left_member", 302, 0),
        ("organizer", 302, 1),
    ],
)
def test_only_organizers_publish(client, request, decision, organizer, role, expected, posts):
    from blog.models import Post

    decisions.close(decision)
    decisions.decide(decision, organizer, "Once a month.")
    response = signed_in(client, request, role).post(f"/decisions/{decision.pk}/publish/")
    assert response.status_code == expected
    assert Post.objects.count() == posts
    if posts:
        assert response["Location"] == Post.objects.get().get_absolute_url()


@pytest.mark.parametrize("name", ["vote", "close", "outcome", "decline", "publish"])
def test_post_only_views_refuse_a_get(member_client, decision, name):
    assert member_client.get(f"/decisions/{decision.pk}/{name}/").status_code == 405


@pytest.mark.parametrize("path", ["/decisions/999/", "/decisions/999/vote/", "/decisions/999/close/"])
def test_unknown_decisions_are_404(organizer_client, path):
    method = organizer_client.get if path.endswith("999/") else organizer_client.post
    assert method(path).status_code == 404


def test_members_see_their_own_proposals_but_not_others(client, member, carol, organizer):
    mine = make_decision(member, "Mine?", open_now=False, closes_at=None)
    theirs = make_decision(carol, "Theirs?", open_now=False, closes_at=None)
    client.force_login(member)
    html = client.get("/decisions/").content.decode()
    assert "Mine?" in html
    assert "Theirs?" not in html
    assert client.get(f"/decisions/{mine.pk}/").status_code == 200
    assert client.get(f"/decisions/{theirs.pk}/").status_code == 404
    client.force_login(organizer)
    assert "Theirs?" in client.get("/decisions/").content.decode()


# --- The register --------------------------------------------------------------------------


def test_the_register_lists_open_first_then_decided_newest_first(member_client, member, organizer):
    old = make_decision(organizer, "Old decided?")
    decisions.cast(old, member, {"answer": "agree"})
    decisions.close(old)
    decisions.decide(old, organizer, "Yes.")
    newer = make_decision(organizer, "Newer decided?")
    decisions.close(newer)
    decisions.decide(newer, organizer, "No one voted.")
    make_decision(organizer, "Still open?")
    html = member_client.get("/decisions/").content.decode()
    assert html.index("Still open?") < html.index("Newer decided?") < html.index("Old decided?")
    assert "Consented: 1 agree" in html
    assert "No ballots were cast." in html


def test_the_register_writes_each_closing_time_the_one_way(member_client, organizer):
    """It wrote the zone twice ("06:43 PST PST"): the date format already ends with it."""
    from tests.test_times import other_styles, visible_text

    decision = make_decision(organizer, "Still open?")
    html = member_client.get("/decisions/").content.decode()
    assert f">{format_when(decision.closes_at)}</time>" in html
    assert "PST PST" not in html
    assert other_styles(visible_text(html)) == []


def test_the_register_needs_a_bounded_number_of_queries_with_1000_decisions(
    member_client, organizer, django_assert_max_num_queries
):
    meeting = make_meeting()
    now = timezone.now()
    Decision.objects.bulk_create(
        Decision(
            question=f"Question {i}?",
            method=["consent", "majority", "ranked", "dots", "score"][i % 5],
            status=["open", "decided"][i % 2],
            closes_at=now + timedelta(days=1),
            meeting=meeting if i % 3 == 0 else None,
            result={
                "method": "majority",
                "turnout": 3,
                "quorum": {"met": True},
                "counts": {"yes": 2, "no": 1, "abstain": 0},
                "outcome": "carried",
            },
            proposed_by=organizer,
        )
        for i in range(1000)
    )
    with django_assert_max_num_queries(8):
        response = member_client.get("/decisions/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card topic-card decision-card"') == 25
    with django_assert_max_num_queries(8):
        assert member_client.get("/decisions/?page=40").status_code == 200
    assert member_client.get("/decisions/?page=41").status_code == 404
    assert member_client.get("/decisions/?page=x²").status_code == 404


# --- Opening and proposing from the site ------------------------------------------------------


def form_data(**changes):
    return {
        "question": "Which book next?",
        "context": "We have three candidates.",
        "method": "ranked",
        "options_text": "Mutual Aid\nCaliban and the Witch\n\nThe Dawn of Everything",
        "quorum_percent": "",
        "dots_per_member": "3",
        "closes_at": closes_in(),
        "meeting": "",
        **changes,
    }


def test_an_organizer_opens_a_decision_from_a_topic_and_members_are_emailed_once(
    organizer_client, organizer, member, member_on_break
):
    topic = make_topic(member, "What do we read next?")
    response = organizer_client.get(f"/decisions/new/?topic={topic.pk}")
    assert "What do we read next?" in response.content.decode()
    response = organizer_client.post(f"/decisions/new/?topic={topic.pk}", form_data())
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == decision.get_absolute_url()
    assert decision.status == "open"
    assert decision.topic == topic
    assert [o.label for o in decision.options.all()] == [
        "Mutual Aid",
        "Caliban and the Witch",
        "The Dawn of Everything",
    ]
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["alice@example.org", "olga@example.org"]  # not the member on a break
    message = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    assert message.subject == "Decision open for votes: Which book next?"
    closes = timezone.localtime(decision.closes_at)
    assert f"Voting closes on {closes:%A, %B} {closes.day}" in message.body
    assert decision.get_absolute_url() in message.body
    assert decision.get_absolute_url() in message.alternatives[0][0]
    decisions.send_notices(decision, "opened")
    assert len(mail.outbox) == 2  # once each


def test_the_opened_email_shows_the_closing_time_in_the_members_zone(organizer, member):
    member.time_zone = "Europe/Berlin"
    member.save()
    closes_at = timezone.now().replace(microsecond=0) + timedelta(days=2)
    make_decision(organizer, closes_at=closes_at)
    message = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    berlin = closes_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Berlin"))
    assert f"{berlin:%H:%M} {berlin.tzname()}" in message.body


def test_members_who_do_not_want_decision_notices_get_none(organizer, member):
    member.wants_decision_notices = False
    member.save()
    make_decision(organizer)
    assert [m.to for m in mail.outbox] == [["olga@example.org"]]


def test_the_form_refuses_bad_input(organizer_client):
    cases = [
        form_data(options_text="Only one"),
        form_data(options_text="Same\nsame"),
        form_data(closes_at=(timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")),
        form_data(closes_at="9999-12-31T23:59"),
        form_data(quorum_percent="2147483647"),
        form_data(quorum_percent="0"),
        form_data(dots_per_member="²"),
        form_data(question="   "),
        form_data(question="x" * 201),
        form_data(method="plurality"),
        form_data(options_text="\n".join(f"Option {i}" for i in range(21))),
    ]
    for data in cases:
        response = organizer_client.post("/decisions/new/", data)
        assert response.status_code == 200, data
        assert 'class="form-errors"' in response.content.decode(), data
    # A NUL byte is refused site-wide with a clear 400 (solidarityclub.middleware).
    assert organizer_client.post("/decisions/new/", form_data(question="Nul\x00byte?")).status_code == 400
    assert not Decision.objects.exists()


def test_a_member_proposes_and_an_organizer_opens_it_after_review(client, member, organizer):
    client.force_login(member)
    client.post("/decisions/new/", form_data(closes_at=""))
    proposal = Decision.objects.get()
    assert proposal.status == "proposed"
    assert proposal.proposed_by == member
    assert not mail.outbox
    client.force_login(organizer)
    page = client.get(f"/decisions/{proposal.pk}/open/").content.decode()
    assert "Caliban and the Witch" in page
    response = client.post(f"/decisions/{proposal.pk}/open/", form_data(options_text="A\nB"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "open"
    assert proposal.opened_by == organizer
    assert [o.label for o in proposal.options.all()] == ["A", "B"]
    assert client.get(f"/decisions/{proposal.pk}/open/").status_code == 302  # no longer proposed


def test_a_correction_links_back(organizer_client, organizer, decision):
    decisions.close(decision)
    decisions.decide(decision, organizer, "Once a month.")
    page = organizer_client.get(f"/decisions/new/?corrects={decision.pk}").content.decode()
    assert "This corrects the decision" in page
    organizer_client.post(
        f"/decisions/new/?corrects={decision.pk}",
        form_data(method="consent", question="Twice a month after all?"),
    )
    correction = Decision.objects.get(question="Twice a month after all?")
    assert correction.corrects == decision
    assert (
        "A later decision corrects this one"
        in organizer_client.get(decision.get_absolute_url()).content.decode()
    )


# --- Voting on the page ------------------------------------------------------------------------


def test_ranked_ballot_from_the_form_and_every_round_on_the_page(member_client, member, organizer, carol):
    decision = make_decision(organizer, "Which book?", method="ranked", options=["A", "B", "C"])
    a, b, c = option_keys(decision)
    response = member_client.post(f"/decisions/{decision.pk}/vote/", {f"rank-{a}": "2", f"rank-{b}": "1"})
    assert response.status_code == 302
    assert Ballot.objects.get(voter=member).choices == {"ranking": [b, a]}
    response = member_client.post(f"/decisions/{decision.pk}/vote/", {f"rank-{a}": "1", f"rank-{b}": "1"})
    assert Ballot.objects.get(voter=member).choices == {"ranking": [b, a]}  # refused: one rank twice
    decisions.cast(decision, carol, {"ranking": [c, a]})
    decisions.cast(decision, organizer, {"ranking": [a]})
    decisions.cast(decision, create_member("dan@example.org"), {"ranking": [a, c]})
    decisions.close(decision)
    html = member_client.get(decision.get_absolute_url()).content.decode()
    assert "Round 1" in html
    assert "Round 2" in html
    assert "Round 3" not in html
    assert "is eliminated; its ballots went to" in html
    assert "broken by lot (seed" in html
    assert "won in round 2" in html


def test_hidden_results_stay_hidden_until_the_close(member_client, member, organizer):
    decision = make_decision(organizer, method="majority", hide_results_until_close=True)
    decisions.cast(decision, member, {"answer": "yes"})
    html = member_client.get(decision.get_absolute_url()).content.decode()
    assert "The count is hidden until the decision closes" in html
    assert "Every ballot" not in html
    decisions.close(decision)
    html = member_client.get(decision.get_absolute_url()).content.decode()
    assert "Carried: 1 yes" in html


def test_named_ballots_show_who_chose_what(member_client, member, organizer):
    decision = make_decision(organizer, method="majority")
    decisions.cast(decision, member, {"answer": "yes"})
    html = member_client.get(decision.get_absolute_url()).content.decode()
    assert "Every ballot" in html
    assert "Alice" in html


def test_a_secret_ballot_code_lives_in_the_voters_cookie_only(client, member, organizer):
    decision = make_decision(organizer, method="majority", is_secret=True)
    client.force_login(member)
    response = client.post(f"/decisions/{decision.pk}/vote/", {"answer": "yes"})
    cookie = response.cookies[f"ballot-{decision.pk}"]
    assert cookie["httponly"]
    assert cookie["path"] == decision.get_absolute_url()
    code = cookie.value
    html = client.get(decision.get_absolute_url()).content.decode()
    assert code in html
    # From another browser (no cookie) the ballot changes only with the code.
    client.cookies.pop(f"ballot-{decision.pk}")
    client.post(f"/decisions/{decision.pk}/vote/", {"answer": "no"})
    assert Ballot.objects.get().choices == {"answer": "yes"}
    client.post(f"/decisions/{decision.pk}/vote/", {"answer": "no", "code": code})
    assert Ballot.objects.get().choices == {"answer": "no"}
    # Nothing in the database or the outbox holds the code.
    assert code not in str(list(Ballot.objects.values()))
    assert all(code not in m.body for m in mail.outbox)
    decisions.close(decision)
    html = client.get(decision.get_absolute_url()).content.decode()
    assert "Every ballot" in html
    assert "Alice" not in html.split("Every ballot")[1]


def test_a_double_submit_is_one_ballot(member_client, member, decision):
    for _ in range(2):
        member_client.post(f"/decisions/{decision.pk}/vote/", {"answer": "agree"})
    assert Ballot.objects.count() == 1


def test_a_bad_ballot_is_refused_with_a_message(member_client, decision):
    for data in [{}, {"answer": "maybe"}, {"answer": "object"}, {"answer": "object", "reason": "x" * 1001}]:
        response = member_client.post(f"/decisions/{decision.pk}/vote/", data, follow=True)
        assert response.status_code == 200
        # The one error summary of the site: each problem links to its field.
        html = response.content.decode()
        assert 'class="form-errors"' in html
        summary = html.split('class="form-errors"', 1)[1].split("</div>", 1)[0]
        assert 'href="#"' not in summary  # every field's line links to it (radio buttons too)
    assert not Ballot.objects.exists()


def test_the_close_command_closes_due_decisions(organizer, decision):
    from django.core.management import call_command

    Decision.objects.filter(pk=decision.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    call_command("close_due_decisions")
    decision.refresh_from_db()
    assert decision.status == "closed"


def test_the_decided_email_goes_out_once_with_the_outcome(organizer, member, decision):
    mail.outbox.clear()
    decisions.close(decision)
    decisions.decide(decision, organizer, "We stay with **once** a month.")
    sent = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert len(sent) == 1
    assert sent[0].subject == "Decided: Shall we meet twice a month?"
    assert "We stay with **once** a month." in sent[0].body
    assert "<strong>once</strong>" in sent[0].alternatives[0][0]
    decisions.send_notices(decision, "decided")
    assert len([m for m in mail.outbox if m.to == ["alice@example.org"]]) == 1


# --- Meetings and topics -----------------------------------------------------------------------


def test_a_meeting_page_shows_its_decisions_to_members_and_the_outcome_once_decided(
    client, member, organizer, member_on_break
):
    meeting = make_meeting()
    open_one = make_decision(organizer, "Open one?", meeting=meeting)
    decided = make_decision(organizer, "Decided one?", meeting=meeting)
    decisions.close(decided)
    decisions.decide(decided, organizer, "We **will**.")
    make_decision(member, "Proposed one?", meeting=meeting, open_now=False, closes_at=None)
    url = meeting.get_absolute_url()
    html = client.get(url).content.decode()
    assert "Open one?" not in html  # visitors: the register is for members
    for user in (member, member_on_break):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "Open one?" in html
        assert f'href="{open_one.get_absolute_url()}#ballot"' in html
        assert "<strong>will</strong>" in html
        assert "Proposed one?" not in html
        assert "Open a decision for this meeting" not in html
    client.force_login(organizer)
    html = client.get(url).content.decode()
    assert f'href="/decisions/new/?meeting={meeting.pk}"' in html


def test_an_organizer_opens_a_decision_inside_a_meeting(organizer_client):
    meeting = make_meeting()
    page = organizer_client.get(f"/decisions/new/?meeting={meeting.pk}").content.decode()
    assert f'<option value="{meeting.pk}" selected>' in page
    organizer_client.post("/decisions/new/", form_data(meeting=str(meeting.pk)))
    assert Decision.objects.get().meeting == meeting


def test_a_topic_page_links_its_decisions_and_offers_one(client, member, organizer, member_on_break):
    topic = make_topic(member, "Meet twice a month?")
    decision = make_decision(organizer, "Twice a month?", topic=topic)
    client.force_login(member)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert f'href="{decision.get_absolute_url()}"' in html
    assert f'href="/decisions/new/?topic={topic.pk}"' in html
    assert "propose one" in html
    client.force_login(organizer)
    assert "open one" in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(member_on_break)
    assert f"/decisions/new/?topic={topic.pk}" not in client.get(topic.get_absolute_url()).content.decode()


def test_the_settings_page_offers_decision_notices(member_client, member):
    html = member_client.get("/members/settings/").content.decode()
    assert 'name="wants_decision_notices"' in html
    member_client.post(
        "/members/settings/", {"display_name": "Alice", "time_zone": "", "wants_decision_notices": ""}
    )
    member.refresh_from_db()
    assert member.wants_decision_notices is False


def test_decision_notices_can_be_stopped_with_one_click(organizer, member, settings):
    from tests.test_email_stop import assert_stoppable

    settings.SITE_URL = "https://club.example.org"
    make_decision(organizer)
    assert_stoppable(
        next(m for m in mail.outbox if m.to == ["alice@example.org"]), member, "decision-notices"
    )


@pytest.mark.parametrize(
    "query",
    ["topic=²", "topic=99999999999999999999", "meeting=-1", "corrects=٣", "corrects=2147483648", "topic="],
)
def test_odd_prefill_values_are_ignored(organizer_client, query):
    assert organizer_client.get(f"/decisions/new/?{query}").status_code == 200


def test_a_secret_decision_shows_no_running_count(member_client, member, organizer, carol):
    decision = make_decision(organizer, method="majority", is_secret=True)
    decisions.cast(decision, member, {"answer": "yes"})
    decisions.cast(decision, carol, {"answer": "no"})
    html = member_client.get(decision.get_absolute_url()).content.decode()
    assert "The count is hidden until the decision closes" in html
    assert "1 yes" not in html
    assert "2 members have voted so far." in html
    decisions.close(decision)
    assert "Tied: 1 yes, 1 no" in member_client.get(decision.get_absolute_url()).content.decode()


def test_a_double_submitted_decision_is_one_decision(organizer_client):
    for _ in range(2):
        organizer_client.post("/decisions/new/", form_data())
    assert Decision.objects.count() == 1
    response = organizer_client.post("/decisions/new/", form_data(question="which BOOK  next?"))
    assert "already asks this question" in response.content.decode()


def test_the_same_question_may_be_asked_again_once_decided(organizer):
    first = make_decision(organizer)
    with pytest.raises(ValidationError):
        make_decision(organizer)
    decisions.close(first)
    make_decision(organizer)


def test_after_the_close_a_secret_voter_finds_their_receipt_in_the_list(client, member, organizer):
    decision = make_decision(organizer, method="majority", is_secret=True)
    client.force_login(member)
    client.post(f"/decisions/{decision.pk}/vote/", {"answer": "yes"})
    decisions.close(decision)
    receipt = decisions.receipt(Ballot.objects.get().key_hash)
    html = client.get(decision.get_absolute_url()).content.decode()
    assert "Your ballot’s receipt is <strong" in html
    assert html.count(receipt) == 2  # in the sentence and in the list


def test_a_decision_page_needs_a_bounded_number_of_queries_with_many_ballots(
    member_client, organizer, django_assert_max_num_queries
):
    from tests.factories import make_members

    decision = make_decision(organizer, "Which?", method="score", options=["A", "B", "C"])
    keys = option_keys(decision)
    for voter in make_members(150):
        decisions.cast(decision, voter, {"scores": {keys[0]: 3, keys[1]: 5}})
    with django_assert_max_num_queries(14):
        response = member_client.get(decision.get_absolute_url())
    assert response.content.decode().count('<tr><th scope="row">') >= 150


@pytest.mark.parametrize("step", ["decline", "outcome"])
def test_an_empty_decline_note_or_outcome_shows_the_sites_error_summary(
    organizer_client, organizer, carol, step
):
    if step == "decline":
        decision = make_decision(carol, open_now=False, closes_at=None)
        field, data, message = "note", {"note": ""}, "Write a short note"
    else:
        decision = make_decision(organizer)
        decisions.close(decision)
        field, data, message = "outcome", {"outcome": "  "}, "Write the outcome"
    response = organizer_client.post(f"/decisions/{decision.pk}/{step}/", data)
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('class="form-errors"', 1)[1].split("</div>", 1)[0]
    assert f'href="#id_{field}"' in summary
    assert message in summary
    assert re.search(rf'<textarea[^>]*aria-invalid="true"[^>]*id="id_{field}"', html)
    decision.refresh_from_db()
    assert decision.status in ("proposed", "closed")
