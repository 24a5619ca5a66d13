"""An organizer schedules a meeting in the admin and finds the 20/60/15 agenda with clock times on its page."""

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.browser.axe import axe_violations
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import club


def test_an_organizer_schedules_a_meeting_and_sees_its_agenda(watched, organizer):
    page = watched.page
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    sign_in(page, organizer.email, PASSWORD)
    page.goto("/admin/meetings/meeting/add/")
    page.get_by_label("Title").fill("Reading club: Kindred")
    page.get_by_label("Format").select_option(label="Reading club")
    page.locator("#id_starts_at_0").fill("2030-03-07")
    page.locator("#id_starts_at_1").fill("18:00")
    page.locator("#id_video_link").fill("https://meet.example.org/kindred")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    page.wait_for_url("**/admin/meetings/meeting/*/change/**", timeout=30_000)
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    preview = page.locator(".meetings-agenda-preview").inner_text(timeout=30_000)
    for text in ["18:00", "18:20", "19:20", "19:35 PST"]:
        assert text in preview
    # The Django admin trips nothing in the site's Content-Security-Policy, and /favicon.ico
    # (asked for by the browser: the admin links no icon) redirects to the site's icon.
    assert failed == []
    watched.assert_clean()

    meeting = Meeting.objects.get()
    assert meeting.starts_at == club(2030, 3, 7, 18, 0)
    watched.console_errors.clear()
    page.goto(meeting.get_absolute_url())
    assert page.locator("h1").inner_text() == "Reading club: Kindred"
    rows = page.locator(".meeting-agenda > li:not(.meeting-topics)").all_inner_texts()
    assert [" ".join(row.split()) for row in rows] == [
        "18:00 Intro, check-in and welcome (20 min)",
        "18:20 Meeting (60 min) The topics gathered at the start of the meeting.",
        "19:20 Process, check-out (15 min)",
        "19:35 Ends",
    ]
    assert page.get_by_role("link", name="Join the video call").get_attribute("href") == (
        "https://meet.example.org/kindred"
    )
    page.goto("/meetings/")
    assert page.get_by_role("link", name="Reading club: Kindred").is_visible()
    watched.assert_clean()


@pytest.mark.parametrize("role", ["visitor", "member"])
def test_meeting_pages_pass_the_accessibility_audit(new_page, role, request):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_meeting

    meeting = make_meeting(timezone.now() + timedelta(days=2), video_link="https://meet.example.org/x")
    make_meeting(timezone.now() - timedelta(days=2), notes="We met. **Check-out:** good.")
    watched = new_page(bypass_csp=True)
    if role == "member":
        user = request.getfixturevalue("member")
        sign_in(watched.page, user.email, PASSWORD)
    for path in ["/meetings/", "/meetings/past/", meeting.get_absolute_url()]:
        watched.page.goto(path)
        assert axe_violations(watched.page) == [], path


def test_a_member_rsvps_without_javascript(new_page, member):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_meeting

    meeting = make_meeting(timezone.now() + timedelta(days=2))
    watched = new_page()
    page = watched.page
    sign_in(page, member.email, PASSWORD)
    page.goto(meeting.get_absolute_url())
    page.get_by_role("button", name="Maybe").click()
    expect(page.get_by_role("button", name="Maybe")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".meeting-rsvp")).to_contain_text("0 going · 1 maybe")
    watched.assert_clean()
