"""The home page's next-meeting area (an inclusion tag from meetings)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/secret-room-4711"


@pytest.fixture
def upcoming():
    return make_meeting(
        timezone.now() + timedelta(days=3), title="Reading club: Parable of the Sower", video_link=LINK
    )


@pytest.fixture
def past():
    return make_meeting(timezone.now() - timedelta(days=10), title="Movie night", video_link=LINK)


def test_the_home_page_shows_the_next_meeting(client, upcoming, past):
    later = make_meeting(upcoming.starts_at + timedelta(days=7), title="Later meeting")
    html = client.get("/").content.decode()
    assert "Next meeting" in html
    assert upcoming.title in html
    assert later.title not in html
    assert LINK not in html


def test_the_home_page_says_when_nothing_is_scheduled(client, db):
    assert "The next meeting will be announced here soon." in client.get("/").content.decode()
