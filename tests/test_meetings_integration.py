"""What meetings adds elsewhere: welcome email context, the settings section, the sitemap, demo content."""

import io
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from meetings.models import RSVP, Meeting, Series
from members.models import User
from members.signals import collect_settings_sections, collect_welcome_context
from tests.conftest import seed_demo
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/secret-room-4711"


def test_the_welcome_email_gets_the_next_meeting_and_the_private_feed(member):
    past = make_meeting(timezone.now() - timedelta(days=1))
    upcoming = make_meeting(timezone.now() + timedelta(days=1), title="Next one")
    request = RequestFactory().get("/")
    (context,) = [
        response
        for receiver, response in collect_welcome_context.send(sender=User, user=member, request=request)
        if isinstance(response, dict) and "next_meeting" in response
    ]
    assert context["next_meeting"] == upcoming != past
    assert context["next_meeting_url"] == f"http://testserver/meetings/{upcoming.pk}/"
    assert context["calendar_feed_url"] == f"http://testserver/meetings/calendar/{member.feed_token}.ics"
    assert "Subscribe" in context["calendar_help"]


def test_the_welcome_context_works_without_a_request_and_without_meetings(member):
    responses = collect_welcome_context.send(sender=User, user=member, request=None)
    (context,) = [r for _, r in responses if isinstance(r, dict) and "next_meeting" in r]
    assert context["next_meeting"] is None
    assert context["calendar_feed_url"] == f"https://testserver/meetings/calendar/{member.feed_token}.ics"


def test_the_settings_page_offers_the_private_feed_and_its_reset(member_client, member):
    assert "meetings/_settings_calendar.html" in [
        response for _, response in collect_settings_sections.send(sender=User, request=None)
    ]
    html = member_client.get(reverse("members:settings")).content.decode()
    assert f"http://testserver/meetings/calendar/{member.feed_token}.ics" in html
    assert f"webcal://testserver/meetings/calendar/{member.feed_token}.ics" in html
    assert f'action="{reverse("meetings:reset-feed")}"' in html
    assert 'for="private-feed-url"' in html


def test_the_sitemap_lists_meeting_pages_but_never_a_link(client):
    meeting = make_meeting(timezone.now() + timedelta(days=1), video_link=LINK)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f"/meetings/{meeting.pk}/</loc>" in xml
    assert LINK not in xml


def test_the_demo_schedules_a_realistic_series_once(db):
    out = io.StringIO()
    seed_demo(stdout=out)
    assert Series.objects.count() == 1
    upcoming = list(Meeting.objects.upcoming())
    past = list(Meeting.objects.past())
    assert len(upcoming) >= 4
    assert len(past) >= 5
    assert len({m.format for m in upcoming + past}) >= 4
    assert all(m.notes_html for m in past)
    assert all(m.duration_minutes == 95 for m in upcoming + past)
    assert RSVP.objects.filter(user__email="ana@example.org").exists()
    counts = (Series.objects.count(), Meeting.objects.count(), RSVP.objects.count())
    seed_demo(stdout=io.StringIO())
    assert (Series.objects.count(), Meeting.objects.count(), RSVP.objects.count()) == counts
