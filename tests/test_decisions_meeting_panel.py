"""A meeting's decisions on its page and its live page, for each role, and who is offered to open one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.accounts import create_member, leave
from tests.conftest import PASSWORD
from tests.decisions_factories import make_decision
from tests.topics_factories import make_meeting
from topics import decisions

OFFER = "Open a decision for this meeting"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def soon(db):
    """A meeting starting in ten minutes: its live page is open."""
    meeting = make_meeting("Chit chat", days=0)
    meeting.starts_at = timezone.now() + timedelta(minutes=10)
    meeting.save()
    return meeting


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
        assert client.get(state_url, **JSON).status_code in (302, 403)
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
