"""Issue 11 in a real browser: an organizer who tries to delete a meeting members answered is
sent to cancel it first; a series change shows what it will do to the future meetings."""

import os
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from meetings.models import RSVP, Meeting, Series, Weekday
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import ensure_standard_template, make_meeting

# Set SCREENSHOT_DIR to keep screenshots of the pages (to look at them); CI keeps none.
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


def shoot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [375, 1280])
def test_deleting_leads_to_cancelling_and_a_series_change_shows_its_plan(new_page, organizer, member, width):
    ensure_standard_template()
    watched = new_page(viewport={"width": width, "height": 900})
    page = watched.page
    starts = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    meeting = make_meeting(starts, title="Movie night")
    RSVP.objects.create(meeting=meeting, user=member, answer="going")
    sign_in(page, organizer.email, PASSWORD)

    page.goto(f"/admin/meetings/meeting/{meeting.pk}/delete/")
    assert "Cancel it first" in page.content()
    shoot(page, f"delete-refused-{width}")
    page.get_by_role("link", name="Cancel this meeting").click()
    page.get_by_label("Reason").fill("The projector broke")
    shoot(page, f"cancel-one-{width}")
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel this meeting").click()
    assert "is cancelled" in page.locator(".messagelist").inner_text()
    meeting.refresh_from_db()
    assert meeting.is_cancelled

    series = Series.objects.create(
        title="Club meeting", weekday=Weekday.THURSDAY, ordinals=[1, 3], local_time=time(18, 0)
    )
    series.generate(4)
    page.goto(f"/admin/meetings/series/{series.pk}/change/")
    page.locator("#id_local_time").fill("19:00")
    page.locator("input[name=ordinals][value='3']").uncheck()
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    assert "Will move" in page.content()
    assert "Will be cancelled" in page.content()
    shoot(page, f"series-apply-{width}")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply to these meetings").click()
    assert "Applied to the future meetings" in page.locator(".messagelist").inner_text()
    scheduled = Meeting.objects.filter(series=series).scheduled()
    assert all(m.starts_at.astimezone(timezone.get_default_timezone()).hour == 19 for m in scheduled)

    page.goto(meeting.get_absolute_url())
    assert "Add this meeting to Google Calendar" not in page.content()
    shoot(page, f"cancelled-meeting-{width}")
    watched.assert_clean()
