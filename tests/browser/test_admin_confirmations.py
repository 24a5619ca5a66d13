"""Every admin action that asks before it acts, in a real browser: the page asks (one look, one
base template), the organizer fills it in and confirms, and the action is done.

Set SCREENSHOT_DIR to keep a screenshot of each confirmation page (to look at them); CI keeps none.
"""

import os
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from blog.models import Kind
from meetings.models import Meeting, Series, Weekday
from members.models import AccessRequest
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import ensure_standard_template, make_access_request, make_meeting, make_post, make_topic
from topics.models import Topic

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


def ask(page, changelist, names, action):
    """Tick the rows named, choose the action, press Go: the confirmation page."""
    page.goto(changelist)
    for name in names:
        page.get_by_role("row").filter(has_text=name).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(action)
    with page.expect_navigation():
        page.locator("button[name=index]").click()


def looks_like_a_confirmation(page, title, button, back, name):
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
    assert page.locator("#content h1").inner_text() == title
    assert page.locator(".breadcrumbs").is_visible()
    assert page.get_by_role("button", name=button).is_visible()
    assert page.locator(".submit-row").get_by_role("link", name=back).is_visible()


def confirm(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    return page.locator(".messagelist").inner_text()


@pytest.fixture
def page(new_page, organizer):
    ensure_standard_template()
    page = new_page(viewport={"width": 1280, "height": 900}).page
    sign_in(page, organizer.email, PASSWORD)
    return page


def test_access_requests_are_approved_and_declined_after_asking(page):
    make_access_request("nia@example.org", "Nia Newcomer")
    make_access_request("sam@example.org", "Sam Second")
    declined = make_access_request("dee@example.org", "Dee Declined")

    ask(page, "/admin/members/accessrequest/", ["Nia Newcomer", "Sam Second"], "approve_selected")
    looks_like_a_confirmation(page, "Approve 2 requests", "Approve", "Cancel", "decide-approve-selected")
    page.get_by_label("Personal message (optional)").fill("Welcome!")
    assert "Approved 2 requests." in confirm(page, "Approve")

    page.goto(f"/admin/members/accessrequest/{declined.pk}/decline/")
    looks_like_a_confirmation(
        page, "Decline the request from Dee Declined", "Decline", "Cancel", "decide-decline-one"
    )
    assert "Declined 1 request." in confirm(page, "Decline")
    statuses = dict(AccessRequest.objects.values_list("name", "status"))
    assert statuses == {"Nia Newcomer": "approved", "Sam Second": "approved", "Dee Declined": "declined"}


def test_a_break_is_advised_after_asking(page, member):
    ask(page, "/admin/members/user/", [member.email], "advise_break")
    looks_like_a_confirmation(page, "Advise a break", "Advise the break", "Cancel", "advise-break")
    page.get_by_label("Until").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_label("Note to the member").fill("Take care of yourself.")
    assert "Advised a break until" in confirm(page, "Advise the break")
    member.refresh_from_db()
    assert member.break_note == "Take care of yourself."


def test_topics_are_hidden_and_merged_after_asking(page, member):
    make_topic(member, "Reading Kropotkin")
    make_topic(member, "Kropotkin reading group")
    target = make_topic(member, "Mutual aid, the book")
    hidden = make_topic(member, "Off topic")

    ask(page, "/admin/topics/topic/", ["Off topic"], "hide_topics")
    looks_like_a_confirmation(page, "Hide topics", "Hide topics", "Cancel", "topics-hide")
    page.get_by_label("Reason").fill("Not what the club is for.")
    assert "Hid 1 topic." in confirm(page, "Hide topics")
    hidden.refresh_from_db()
    assert hidden.status == Topic.Status.HIDDEN

    ask(page, "/admin/topics/topic/", ["Reading Kropotkin", "Kropotkin reading group"], "merge_topics")
    looks_like_a_confirmation(page, "Merge topics", "Merge topics", "Cancel", "topics-merge")
    page.locator("select[name=target]").select_option(str(target.pk))
    assert "Merged 2 topics into" in confirm(page, "Merge topics")


def test_meetings_are_cancelled_and_generated_after_asking(page):
    starts = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    meeting = make_meeting(starts, title="Movie night")

    ask(page, "/admin/meetings/meeting/", ["Movie night"], "cancel_meetings")
    looks_like_a_confirmation(
        page, "Cancel meetings", "Cancel these meetings", "No, keep them", "meetings-cancel"
    )
    page.get_by_label("Reason").fill("The projector broke")
    assert "Cancelled 1 meeting" in confirm(page, "Cancel these meetings")
    meeting.refresh_from_db()
    assert meeting.is_cancelled

    series = Series.objects.create(
        title="Club meeting", weekday=Weekday.THURSDAY, ordinals=[1, 3], local_time=time(18, 0)
    )
    ask(page, "/admin/meetings/series/", ["Club meeting"], "generate_meetings")
    looks_like_a_confirmation(page, "Generate meetings", "Generate", "Back", "meetings-generate")
    assert "Scheduled" in confirm(page, "Generate")
    assert Meeting.objects.filter(series=series).exists()


def test_announcements_are_sent_after_asking(page, member):
    make_post("Summer picnic", kind=Kind.ANNOUNCEMENT)
    ask(page, "/admin/blog/post/", ["Summer picnic"], "send_to_members")
    looks_like_a_confirmation(
        page, "Send announcements to members?", "Yes, send 2 emails", "No, take me back", "blog-send"
    )
    assert "“Summer picnic”: 2 emails queued." in confirm(page, "Yes, send 2 emails")
