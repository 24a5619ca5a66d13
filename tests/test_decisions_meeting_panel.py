"""A meeting's decisions on its page and its live page, for each role, and who is offered to open one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.accounts import create_member, leave
from tests.conftest import PASSWORD
from tests.factories import make_decision, make_meeting
from topics import decisions

OFFER = "Open a decision for this meeting"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def soon(db):
    """A meeting starting in ten minutes: its live page is open."""
    return make_meeting(timezone.now() + timedelta(minutes=10), title="Chit chat")


@pytest.mark.parametrize("how", ["cancelled", "long past"])
def test_no_offer_to_open_a_decision_for_a_meeting_the_form_would_not_take(client, organizer, how):
    """The button led to a form where that meeting was not a choice: the decision lost its meeting."""
    meeting = make_meeting(days=7 if how == "cancelled" else -60)
    if how == "cancelled":
        meeting.cancel("No room")
    client.force_login(organizer)
    assert OFFER not in client.get(meeting.get_absolute_url()).content.decode()
    form = client.get(f"/decisions/new/?meeting={meeting.pk}").content.decode()
    assert f'<option value="{meeting.pk}"' not in form
    # A meeting the form takes is still offered, and preselected.
    other = make_meeting(days=3)
    assert OFFER in client.get(other.get_absolute_url()).content.decode()
    form = client.get(f"/decisions/new/?meeting={other.pk}").content.decode()
    assert f'<option value="{other.pk}" selected>' in form


def test_the_live_panel_for_each_role_leaks_no_running_count(
    client, soon, organizer, member, member_on_break
):
    secret = make_decision(organizer, "¿Secreto? 日本語 " + "x" * 150, meeting=soon, is_secret=True)
    hidden = make_decision(organizer, "Hidden count?", meeting=soon, hide_results_until_close=True)
    decisions.cast(secret, member, {"answer": "object", "reason": "Too soon"})
    decisions.cast(hidden, member, {"answer": "object", "reason": "Too late"})
    former = create_member("fay@example.org", password=PASSWORD, display_name="Fay")
    leave(former)
    live_url = reverse("meetings:live", args=[soon.pk])
    state_url = reverse("meetings:live-state", args=[soon.pk])
    # Visitors sign in; a member on a break or who left never sees the panel.
    assert client.get(live_url).status_code == 302
    for user in (member_on_break, former):
        client.force_login(user)
        page = client.get(live_url)
        assert "Hidden count?" not in page.content.decode()
        assert client.get(state_url, **JSON).status_code == 403
    for user, offered in ((member, False), (organizer, True)):
        client.force_login(user)
        for html in (client.get(live_url).content.decode(), str(client.get(state_url, **JSON).json())):
            assert "Hidden count?" in html
            assert "日本語" in html
            assert "objection" not in html  # no count while it is open
            assert "Too soon" not in html
            assert "Too late" not in html
            assert (OFFER in html) is offered
    # Closed mid-meeting: followers' next poll shows the count, never who chose what.
    decisions.close(hidden)
    client.force_login(member)
    html = str(client.get(state_url, **JSON).json())
    assert "Blocked by 1 objection(s)." in html
    assert "Alice" not in html


def test_past_its_closing_time_a_decision_is_shown_closing_everywhere_before_the_scheduler_counts(
    client, soon, organizer, member
):
    """Between `closes_at` and the next close_due_decisions run, voting is refused: no page offers it."""
    import time_machine

    decision = make_decision(
        organizer,
        "Shall we meet twice a month?",
        meeting=soon,
        closes_at=timezone.now() + timedelta(minutes=20),
    )
    pages = [
        soon.get_absolute_url(),
        reverse("meetings:live", args=[soon.pk]),
        reverse("decisions:list"),
        decision.get_absolute_url(),
    ]
    state_url = reverse("meetings:live-state", args=[soon.pk])
    vote_link = f'href="/decisions/{decision.pk}/#ballot"'
    for user in (member, organizer):
        client.force_login(user)
        html = client.get(soon.get_absolute_url()).content.decode()
        assert "Open for votes until" in html  # before its time: open
        assert vote_link in html
        with time_machine.travel(decision.closes_at + timedelta(seconds=30), tick=False):
            assert decision.status == "open"  # the scheduler has not run yet
            for html in [client.get(url).content.decode() for url in pages] + [
                str(client.get(state_url, **JSON).json())
            ]:
                assert "Open for votes" not in html
                assert vote_link not in html
                assert "Your ballot" not in html
                assert f"/decisions/{decision.pk}/vote/" not in html  # no ballot form
                assert "Closed, being counted" in html
            detail = client.get(decision.get_absolute_url()).content.decode()
            assert "Voting has closed" in detail
            assert ("Count the votes now" in detail) is (user == organizer)
            register = client.get(reverse("decisions:list")).content.decode()
            assert "closes <time" not in " ".join(register.split())
    # The organizer need not wait for the scheduler.
    with time_machine.travel(decision.closes_at + timedelta(seconds=30), tick=False):
        client.post(reverse("decisions:close", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.status == "closed"
