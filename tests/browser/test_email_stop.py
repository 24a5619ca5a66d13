"""Stopping one kind of email from the link in its footer, in Chromium, at phone and desktop widths."""

from pathlib import Path

import pytest
from django.conf import settings

from members.accounts import create_member
from members.email_kinds import stop_url
from members.models import User

SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.mark.parametrize("width", [375, 1280])
def test_a_member_stops_announcements_and_undoes_it(new_page, width):
    member = create_member("ana@example.org", display_name="Ana")
    watched = new_page(viewport={"width": width, "height": 800})
    page = watched.page
    page.goto(stop_url(member, "announcements").removeprefix(settings.SITE_URL))
    assert page.get_by_role("heading", level=1).inner_text() == "Stop these emails?"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"stop-emails-{width}.png", full_page=True)
    assert User.objects.get(pk=member.pk).wants_announcements is True  # opening the link stops nothing

    page.get_by_role("button", name="Stop announcements from the organizers").click()
    assert "Done" in page.get_by_role("heading", level=1).inner_text()
    page.screenshot(path=SCREENSHOTS / f"stop-emails-done-{width}.png", full_page=True)
    assert User.objects.get(pk=member.pk).wants_announcements is False

    page.get_by_role("button", name="Undo: send them again").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome back"
    member = User.objects.get(pk=member.pk)
    assert member.wants_announcements is True
    assert member.wants_meeting_reminders is True
    watched.assert_clean()
