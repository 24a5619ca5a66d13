"""/members/welcome/: where the welcome link lands — what happens next, the next meeting, calendar, backlog."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.accounts import create_member, leave
from solidarityclub.times import format_when
from tests.conftest import PASSWORD
from tests.factories import make_meeting

URL = "/members/welcome/"


@pytest.mark.parametrize(
    ("role", "status"), [("visitor", 302), ("member", 200), ("member_on_break", 200), ("organizer", 200)]
)
def test_permission_matrix(client_for, role, status):
    response = client_for(role).get(URL)
    assert response.status_code == status
    if role == "visitor":
        assert response["Location"].startswith(reverse("account_login"))


def test_a_member_who_left_is_signed_out_and_sent_to_sign_in(client, db):
    gone = create_member("gone@example.org", password=PASSWORD)
    client.force_login(gone)
    leave(gone)
    assert client.get(URL).status_code == 302


def test_it_says_what_happens_next_with_the_next_meeting_and_the_calendar(member_client, member):
    meeting = make_meeting(title="Movie night", days=3)
    html = member_client.get(URL).content.decode()
    assert "Here is what happens next" in html
    assert "Movie night" in html
    assert format_when(meeting.starts_at, meeting.ends_at) in html
    assert f"webcal://testserver/meetings/calendar/{member.feed_token}" in html
    assert reverse("topics:list") in html
    assert member_client.post(URL).status_code == 405


def test_without_a_next_meeting_it_still_welcomes(member_client):
    html = member_client.get(URL).content.decode()
    assert "The next meeting will be announced here soon." in html


def test_the_welcome_email_names_the_next_meetings_day_and_time(
    client, organizer, django_capture_on_commit_callbacks
):
    from django.core import mail

    from members.models import AccessRequest

    meeting = make_meeting(title="Reading club", days=5)
    request = AccessRequest.objects.create(
        name="Nia",
        email="nia@example.org",
        motivation="Solidarity and care, always.",
        status="pending",
        agreed_to_code_of_conduct=True,
        confirmed_at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        from django.test import RequestFactory

        from members import access

        http_request = RequestFactory().get("/")
        access.decide(request, approve=True, by=organizer, request=http_request)
    (message,) = [m for m in mail.outbox if m.subject.startswith("Welcome")]
    expected = f"Reading club, {format_when(meeting.starts_at, meeting.ends_at)}"
    assert expected in message.body
    assert expected in message.alternatives[0][0]
