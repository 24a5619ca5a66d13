"""RSVPs: a POST that works without JavaScript, members in good standing only, one answer each."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import RSVP, Meeting
from tests.meetings_factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return make_meeting(timezone.now() + timedelta(days=2), title="Chit chat")


def rsvp_url(meeting):
    return reverse("meetings:rsvp", args=[meeting.pk])


@pytest.mark.parametrize(
    ("role", "status", "saved"),
    [
        ("visitor", 302, False),
        ("member", 302, True),
        ("member_on_break", 403, False),
        ("organizer", 302, True),
    ],
)
def test_rsvp_permission_matrix(client_for, meeting, role, status, saved):
    client = client_for(role)
    response = client.post(rsvp_url(meeting), {"answer": "going"})
    assert response.status_code == status
    if role == "visitor":
        assert response["Location"].startswith(reverse("account_login"))
    assert RSVP.objects.filter(meeting=meeting).exists() is saved
    assert client.get(rsvp_url(meeting)).status_code in ((302,) if role == "visitor" else (405,))


def test_a_member_answers_changes_their_mind_and_sees_the_counts(member_client, member, meeting):
    response = member_client.post(rsvp_url(meeting), {"answer": "going"}, follow=True)
    assert response.redirect_chain == [(reverse("meetings:detail", args=[meeting.pk]), 302)]
    html = response.content.decode()
    assert "1 going · 0 maybe · 0 can't make it" in html
    assert "your answer: going" in html
    assert re.search(r'<input type="radio" name="answer" value="going"[^>]*checked', html)
    member_client.post(rsvp_url(meeting), {"answer": "cant"})
    assert RSVP.objects.get(meeting=meeting, user=member).answer == "cant"
    assert RSVP.objects.filter(meeting=meeting).count() == 1
    html = member_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "0 going · 0 maybe · 1 can't make it" in html


def test_the_counts_are_shown_to_everyone(client, member, organizer, meeting):
    RSVP.objects.create(meeting=meeting, user=member, answer="going")
    RSVP.objects.create(meeting=meeting, user=organizer, answer="maybe")
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "1 going · 1 maybe · 0 can't make it" in html
    assert "Sign in</a> to say whether you are coming" in html
    assert "Alice" not in html  # who answered stays private
    assert "1 going · 1 maybe" in client.get(reverse("meetings:list")).content.decode()


@pytest.mark.parametrize("answer", ["", "yes", "x" * 300, "GOING"])
def test_a_bad_answer_is_a_400(member_client, meeting, answer):
    assert member_client.post(rsvp_url(meeting), {"answer": answer}).status_code == 400
    assert not RSVP.objects.exists()


def test_an_unknown_meeting_is_a_404(member_client):
    assert member_client.post(reverse("meetings:rsvp", args=[999999]), {"answer": "going"}).status_code == 404


def test_rsvps_close_when_a_meeting_is_cancelled_or_over(member_client, meeting):
    past = make_meeting(timezone.now() - timedelta(days=2))
    response = member_client.post(rsvp_url(past), {"answer": "going"}, follow=True)
    assert "RSVPs are closed" in response.content.decode()
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancellation_reason = "Ill"
    meeting.save()
    member_client.post(rsvp_url(meeting), {"answer": "going"})
    assert not RSVP.objects.exists()


def test_the_form_is_a_plain_post_with_labels_and_a_csrf_token(member_client, meeting):
    html = member_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'<form method="post" action="{rsvp_url(meeting)}"' in html
    assert "csrfmiddlewaretoken" in html
    for value, label in [("going", "Going"), ("maybe", "Maybe"), ("cant", "Can&#x27;t make it")]:
        assert f'value="{value}"' in html
        assert f">{label}</label>" in html
    assert "<legend>Are you coming?" in html
