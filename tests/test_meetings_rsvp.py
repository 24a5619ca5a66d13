"""RSVPs: a POST that works without JavaScript, members in good standing only, one answer each."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import RSVP, Meeting
from members.accounts import create_member
from tests.factories import make_meeting

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
    assert client.get(rsvp_url(meeting)).status_code == 405  # the method is checked before signing in


def test_a_member_answers_changes_their_mind_and_sees_the_counts(member_client, member, meeting):
    response = member_client.post(rsvp_url(meeting), {"answer": "going"}, follow=True)
    assert response.redirect_chain == [(reverse("meetings:detail", args=[meeting.pk]), 302)]
    html = response.content.decode()
    assert counts(html) == "1 going · 0 maybe · 0 can't make it"
    assert "You're going" in html
    assert pressed(html) == ["going"]
    member_client.post(rsvp_url(meeting), {"answer": "cant"})
    assert RSVP.objects.get(meeting=meeting, user=member).answer == "cant"
    assert RSVP.objects.filter(meeting=meeting).count() == 1
    html = member_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert counts(html) == "0 going · 0 maybe · 1 can't make it"
    assert pressed(html) == ["cant"]


def test_the_counts_are_shown_to_everyone(client, member, organizer, meeting):
    RSVP.objects.create(meeting=meeting, user=member, answer="going")
    RSVP.objects.create(meeting=meeting, user=organizer, answer="maybe")
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert counts(html) == "1 going · 1 maybe · 0 can't make it"
    assert "Members: sign in to RSVP" in html
    assert "Alice" not in html  # visitors see counts, not names
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
    for value, label in [("going", "Going"), ("maybe", "Maybe"), ("cant", "Can't")]:
        assert re.search(
            rf'<button type="submit" name="answer" value="{value}"[^>]*aria-pressed="false">{label}</button>',
            html,
        )
    assert "<legend>Are you coming?" in html
    assert pressed(html) == []


def test_members_see_who_is_coming_by_their_public_names(member_client, member, organizer, meeting):
    RSVP.objects.create(meeting=meeting, user=organizer, answer="maybe")
    RSVP.objects.create(meeting=meeting, user=member, answer="going")
    gone = create_member("gone@example.org", display_name="Gone")
    RSVP.objects.create(meeting=meeting, user=gone, answer="going")
    gone.is_active = False
    gone.save()
    html = member_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    names = re.search(r'<ul class="meeting-coming-names"[^>]*>(.*?)</ul>', html, re.S).group(1)
    for shown in ["Alice", "Olga", "(maybe)"]:
        assert shown in names
    assert "Gone" not in names  # someone who left is not listed
    assert "olga@example.org" not in html


def test_one_tap_from_home_comes_back_home_and_never_to_another_site(member_client, meeting):
    response = member_client.post(rsvp_url(meeting), {"answer": "maybe", "next": "/"})
    assert response["Location"] == "/"
    response = member_client.post(rsvp_url(meeting), {"answer": "going", "next": "https://evil.example/"})
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])


def test_with_javascript_an_answer_is_saved_in_place(member_client, meeting):
    response = member_client.post(rsvp_url(meeting), {"answer": "going"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"answer": "going", "going_count": 1, "maybe_count": 0, "cant_count": 0}


def counts(html):
    found = re.search(r"<p class=\"meeting-coming\"[^>]*>(.*?)</p>", html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", found).replace("&#x27;", "'").split())


def pressed(html):
    return re.findall(r'name="answer" value="(\w+)"[^>]*aria-pressed="true"', html)


def test_one_rule_says_when_a_meeting_takes_rsvps_and_every_place_follows_it(rf, member, meeting):
    """Meeting.accepts_rsvp: neither cancelled nor over. The home button, the page and the POST agree."""
    from django.template import Context, Template

    now = timezone.now()
    assert meeting.accepts_rsvp(now)
    assert not meeting.accepts_rsvp(meeting.ends_at)  # over at its end
    assert meeting.accepts_rsvp(meeting.ends_at - timedelta(seconds=1))  # still running: yes

    def home_buttons(for_meeting):
        request = rf.get("/")
        request.user = member
        html = Template("{% load meetings_tags %}{% next_meeting meeting %}").render(
            Context({"request": request, "meeting": for_meeting})
        )
        return "data-rsvp" in html

    assert home_buttons(meeting)
    # A next meeting kept in the shared cache while it ended: no buttons the POST would refuse.
    ended = make_meeting(now - timedelta(days=1), title="Yesterday")
    assert not ended.accepts_rsvp()
    assert not home_buttons(ended)
    meeting.cancel("Ill")
    assert not meeting.accepts_rsvp()
    assert not home_buttons(meeting)
