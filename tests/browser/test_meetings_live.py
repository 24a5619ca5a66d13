"""The live meeting in Chromium: a facilitator and two members, each in their own browser context."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from meetings.models import LiveMeeting
from members.accounts import create_member
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.factories import ensure_standard_template, make_meeting

PHONE = {"width": 375, "height": 740}
WITHIN = 2_000  # ms: everyone sees a change within 2 seconds


@pytest.fixture(autouse=True)
def one_request_at_a_time(live_server):
    """On SQLite the live server's threads share the test's one in-memory connection; three
    browsers polling at once would use it concurrently. PostgreSQL serves them side by side."""
    if connection.vendor != "sqlite":
        yield
        return
    httpd = live_server.thread.httpd
    app, lock = httpd.get_app(), threading.Lock()

    def serialized(environ, start_response):
        with lock:
            response = app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()

    httpd.set_app(serialized)
    yield
    httpd.set_app(app)


@pytest.fixture
def meeting(transactional_db):
    ensure_standard_template()
    return make_meeting(timezone.now() + timedelta(minutes=5), title="Chit chat")


@pytest.fixture
def people(transactional_db):
    return {
        "fran": create_member("fran@example.org", password=PASSWORD, display_name="Fran", is_staff=True),
        "ana": create_member("ana@example.org", password=PASSWORD, display_name="Ana"),
        "kofi": create_member("kofi@example.org", password=PASSWORD, display_name="Kofi"),
    }


def open_live(new_page, person, meeting, **options):
    watched = new_page(**options)
    sign_in(watched.page, person.email, PASSWORD)
    watched.page.goto(f"/meetings/{meeting.pk}/live/")
    return watched


def wait_until(page, script, timeout=WITHIN):
    """Like page.wait_for_function, which the strict CSP refuses (it evaluates a string)."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false after {timeout} ms: {script}"
        page.wait_for_timeout(50)


def seconds_left(page):
    text = page.locator(".js-timer[data-kind='item']").inner_text()
    parts = re.fullmatch(r"(?:(\d+):)?(\d+):(\d\d) left", text).groups()
    hours, minutes, seconds = (int(part or 0) for part in parts)
    return hours * 3600 + minutes * 60 + seconds


def test_a_facilitator_and_two_members_follow_the_same_meeting(new_page, meeting, people):
    fran = open_live(new_page, people["fran"], meeting)
    ana = open_live(new_page, people["ana"], meeting)
    kofi = open_live(new_page, people["kofi"], meeting)
    members = [ana, kofi]
    for watched in members:
        assert watched.page.get_by_role("button", name="Start the meeting").count() == 0
        watched.page.evaluate("window.notReloaded = true")

    fran.page.get_by_role("button", name="Start the meeting").click()
    fran.page.locator("#live-item-title").wait_for()
    for watched in [fran, *members]:
        watched.page.locator("#live-item-title").get_by_text("Intro, check-in and welcome").wait_for(
            timeout=WITHIN
        )
    # The same countdown everywhere, counting down on its own.
    lefts = [seconds_left(watched.page) for watched in [fran, *members]]
    assert max(lefts) - min(lefts) <= 2
    assert 20 * 60 - 5 <= min(lefts) <= 20 * 60
    wait_until(ana.page, "document.querySelector('.js-timer').textContent !== '20:00 left'")

    fran.page.get_by_role("button", name="Next item →").click()
    # The 2 seconds run from the change: once the facilitator's own page has it.
    fran.page.locator("#live-item-title").get_by_text("Meeting", exact=True).wait_for()
    for watched in members:
        watched.page.locator("#live-item-title").get_by_text("Meeting", exact=True).wait_for(timeout=WITHIN)
        assert watched.page.locator("#live-announce").inner_text() in ("", "Now: Meeting.")
    wait_until(ana.page, "document.getElementById('live-announce').textContent === 'Now: Meeting.'")

    fran.page.get_by_role("button", name="Pause").click()
    fran.page.locator(".live-paused").wait_for()
    for watched in members:
        watched.page.locator(".live-paused").wait_for(timeout=WITHIN)
    frozen = seconds_left(kofi.page)
    kofi.page.wait_for_timeout(1_500)
    assert seconds_left(kofi.page) == frozen

    fran.page.get_by_role("button", name="Resume").click()
    fran.page.get_by_role("button", name="Pause").wait_for()
    fran.page.get_by_role("button", name="+5 minutes").click()
    fran.page.get_by_text("+ 5 added").wait_for()
    for watched in members:
        watched.page.get_by_text("+ 5 added").wait_for(timeout=WITHIN)
        assert 64 * 60 <= seconds_left(watched.page) <= 65 * 60

    # A double click moves one step, not two.
    fran.page.get_by_role("button", name="← Previous").dblclick()
    fran.page.wait_for_load_state("networkidle")
    for watched in members:
        watched.page.locator("#live-item-title").get_by_text("Intro, check-in and welcome").wait_for(
            timeout=WITHIN
        )
    assert LiveMeeting.objects.get(pk=meeting.pk).current_item.title == "Intro, check-in and welcome"

    for watched in members:
        assert watched.page.evaluate("window.notReloaded") is True

    fran.page.get_by_text("Close the meeting…").click()
    fran.page.get_by_role("button", name="Close the meeting").click()
    fran.page.wait_for_url(f"**/meetings/{meeting.pk}/")
    for watched in members:
        watched.page.wait_for_url(f"**/meetings/{meeting.pk}/", timeout=WITHIN + 3_000)
        watched.page.get_by_text("Pacing").first.wait_for()
    for watched in [fran, *members]:
        watched.assert_clean()


def test_the_page_works_without_javascript(browser, live_server, meeting, people):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, people["fran"].email, PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/live/")
    page.get_by_role("button", name="Start the meeting").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/live/")
    assert page.locator("#live-item-title").inner_text() == "Intro, check-in and welcome"
    assert page.get_by_role("link", name="Refresh").is_visible()
    page.get_by_role("button", name="Next item →").click()
    assert page.locator("#live-item-title").inner_text() == "Meeting"
    page.get_by_text("Close the meeting…").click()
    page.get_by_role("button", name="Close the meeting").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "Meeting: 0 of 60 minutes" in page.content()
    context.close()


def test_a_facilitator_runs_it_from_a_phone_with_the_keyboard(new_page, meeting, people):
    fran = open_live(new_page, people["fran"], meeting, viewport=PHONE, bypass_csp=True)
    start = fran.page.get_by_role("button", name="Start the meeting")
    start.focus()
    fran.page.keyboard.press("Enter")
    fran.page.locator("#live-item-title").get_by_text("Intro, check-in and welcome").wait_for()
    # Focus stays on the controls after the buttons were redrawn.
    fran.page.locator("#live-next").focus()
    fran.page.keyboard.press("Enter")
    fran.page.locator("#live-item-title").get_by_text("Meeting", exact=True).wait_for()
    wait_until(fran.page, "document.activeElement && document.activeElement.id === 'live-next'")
    width = fran.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    screenshot(fran.page, "live-phone")
    assert axe_violations(fran.page) == []


def test_the_live_page_has_no_accessibility_violations_for_members(new_page, meeting, people):
    ana = open_live(new_page, people["ana"], meeting, bypass_csp=True)
    assert axe_violations(ana.page) == []
    screenshot(ana.page, "live-member-wide")


def test_the_dot_vote_totals_move_live_for_everyone(new_page, meeting, people):
    from tests.factories import make_topic
    from topics import backlog

    carol = create_member("carol@example.org", password=PASSWORD, display_name="Carol")
    first, second, third = (
        make_topic(carol, title) for title in ("Rent strikes", "Mutual aid", "Cooperatives")
    )
    backlog.add_support(first, carol)
    fran = open_live(new_page, people["fran"], meeting)
    ana = open_live(new_page, people["ana"], meeting)
    kofi = open_live(new_page, people["kofi"], meeting, viewport=PHONE)
    for watched in (fran, ana, kofi):
        watched.page.evaluate("window.notReloaded = true")

    fran.page.get_by_role("button", name="Open the dot-vote").click()
    for watched in (ana, kofi):
        watched.page.get_by_text("You have 3 dots left.").wait_for(timeout=WITHIN)

    def total(watched, topic):
        return (
            watched.page.locator(f"#dotvote-topic-{topic.pk} .dotvote-total")
            .inner_text()
            .split("\n")[-1]
            .strip()
        )

    ana.page.get_by_role("button", name="Put a dot on “Mutual aid”").click()
    ana.page.get_by_text("You have 2 dots left.").wait_for()
    for watched in (fran, kofi):
        watched.page.locator(f"#dotvote-topic-{second.pk}").get_by_text("1 dot", exact=True).wait_for(
            timeout=WITHIN
        )
    kofi.page.get_by_role("button", name="Put a dot on “Mutual aid”").click()
    kofi.page.get_by_role("button", name="Put a dot on “Mutual aid”").click()
    kofi.page.get_by_text("You have 1 dot left.").wait_for()
    # Two on one topic is the most: the button says so by being disabled.
    assert kofi.page.get_by_role("button", name="Put a dot on “Mutual aid”").is_disabled()
    for watched in (fran, ana):
        watched.page.locator(f"#dotvote-topic-{second.pk}").get_by_text("3 dots", exact=True).wait_for(
            timeout=WITHIN
        )
    # Moving a dot: take it back from one topic, put it on another.
    ana.page.get_by_role("button", name="Take a dot back from “Mutual aid”").click()
    ana.page.get_by_text("You have 3 dots left.").wait_for()
    ana.page.get_by_role("button", name="Put a dot on “Cooperatives”").click()
    for watched in (fran, kofi):
        watched.page.locator(f"#dotvote-topic-{third.pk}").get_by_text("1 dot", exact=True).wait_for(
            timeout=WITHIN
        )
        watched.page.locator(f"#dotvote-topic-{second.pk}").get_by_text("2 dots", exact=True).wait_for(
            timeout=WITHIN
        )
    assert fran.page.locator(f"#dotvote-topic-{first.pk} .dotvote-count").inner_text() == "0 dots"

    for watched in (fran, ana, kofi):
        assert watched.page.evaluate("window.notReloaded") is True  # all of it without a page load
    fran.page.get_by_role("button", name="Close the dot-vote").click()
    for watched in (ana, kofi):
        watched.page.get_by_text("The dot-vote is closed.").wait_for(timeout=WITHIN)
        assert watched.page.get_by_role("button", name="Put a dot on “Mutual aid”").count() == 0
    fran.page.get_by_role("link", name="Gather the ranked topics").click()
    fran.page.wait_for_url(f"**/meetings/{meeting.pk}/gather/")
    assert fran.page.get_by_label("Pick “Mutual aid”").is_checked()
    assert fran.page.get_by_label("Pick “Cooperatives”").is_checked()
    assert not fran.page.get_by_label("Pick “Rent strikes”").is_checked()
    screenshot(kofi.page, "dotvote-phone")
    for watched in (fran, ana, kofi):
        watched.assert_clean()


def test_the_dot_vote_panel_has_no_accessibility_violations(new_page, meeting, people):
    from tests.factories import make_topic
    from topics import dotvote

    make_topic(people["ana"], "Rent strikes")
    fran = open_live(new_page, people["fran"], meeting, bypass_csp=True)
    assert axe_violations(fran.page) == []  # the form that opens it
    dotvote.open_vote(meeting, people["fran"])
    fran.page.reload()
    assert axe_violations(fran.page) == []
    screenshot(fran.page, "dotvote-wide")


def test_members_hear_the_two_minute_cue_and_the_overrun_once_each(new_page, meeting, people):
    """Point 3: the cue at 2 minutes left and the overrun, shown on the timer and read out once."""
    from meetings import live

    fran = open_live(new_page, people["fran"], meeting)
    ana = open_live(new_page, people["ana"], meeting)
    fran.page.get_by_role("button", name="Start the meeting").click()
    ana.page.locator("#live-item-title").get_by_text("Intro, check-in and welcome").wait_for(timeout=WITHIN)
    timer = ".js-timer[data-kind='item']"
    assert ana.page.evaluate(f"!document.querySelector(\"{timer}\").classList.contains('is-cue')")

    def leave_seconds(seconds):
        """As if the first item (20 minutes) had run until `seconds` were left; followers poll it."""
        state = LiveMeeting.objects.get(pk=meeting.pk)
        state.item_started_at = timezone.now() - timedelta(minutes=20) + timedelta(seconds=seconds)
        state.save(update_fields=["item_started_at"])
        live.changed(meeting)

    leave_seconds(123)
    wait_until(ana.page, f"document.querySelector(\"{timer}\").classList.contains('is-cue')", timeout=8_000)
    wait_until(
        ana.page,
        "document.getElementById('live-announce').textContent.includes('2 minutes left')",
        timeout=WITHIN,
    )
    assert ana.page.locator(".js-cue[data-kind='item']").is_visible()

    leave_seconds(2)
    wait_until(ana.page, f"document.querySelector(\"{timer}\").classList.contains('is-over')", timeout=8_000)
    wait_until(
        ana.page,
        "document.getElementById('live-announce').textContent.includes('is over its time')",
        timeout=WITHIN,
    )
    assert "over" in ana.page.locator(timer).inner_text()
    # Read once: a second later the announcement has not been repeated or replaced.
    ana.page.wait_for_timeout(1_500)
    assert "is over its time" in ana.page.evaluate("document.getElementById('live-announce').textContent")
