"""A topic's life in a real browser: proposed, supported (with JavaScript), gathered onto the agenda."""

import re

import pytest

from members.accounts import create_member
from tests.browser.axe import axe_violations
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import make_meeting, make_topic
from topics.models import Support, Topic


def test_a_topic_is_proposed_supported_and_gathered_onto_the_agenda(new_page, member, organizer):
    carol = create_member("carol@example.org", password=PASSWORD, display_name="Carol")
    meeting = make_meeting()

    # Alice proposes a topic.
    alice = new_page()
    sign_in(alice.page, member.email, PASSWORD)
    alice.page.goto("/topics/")
    alice.page.get_by_role("link", name="Propose a topic").click()
    alice.page.get_by_label("Title").fill("Reading “The Problem with Work”")
    alice.page.get_by_label("Description").fill("Kathi Weeks' *introduction*, about 30 pages.")
    alice.page.get_by_label("Suggested format").select_option("reading_club")
    alice.page.get_by_label("First link").fill("https://example.org/weeks")
    alice.page.get_by_role("button", name="Propose this topic").click()
    alice.page.wait_for_url(re.compile(r"/topics/\d+/$"))
    assert alice.page.locator("h1").inner_text() == "Reading “The Problem with Work”"
    assert alice.page.locator(".prose em").inner_text() == "introduction"
    alice.assert_clean()
    topic = Topic.objects.get()

    # Carol supports it from the backlog: the count changes without a page load.
    other = new_page()
    sign_in(other.page, carol.email, PASSWORD)
    other.page.goto("/topics/")
    other.page.evaluate("window.notReloaded = true")
    button = other.page.get_by_role("button", name="Support “Reading “The Problem with Work””")
    assert button.get_attribute("aria-pressed") == "false"
    button = other.page.locator(f"form.js-support[data-topic='{topic.pk}'] button")  # its name changes
    button.click()
    other.page.locator(".js-count").get_by_text("1").wait_for()
    assert other.page.locator(".support-label").inner_text() == "Supported ✓"
    assert button.get_attribute("aria-pressed") == "true"
    assert other.page.evaluate("window.notReloaded") is True
    assert Support.objects.filter(topic=topic, user=carol).count() == 1
    # A double click sends one request: the button waits for the answer before it works again.
    with other.page.expect_response(lambda r: "/support/" in r.url):
        button.dblclick()
    other.page.locator(".js-count").get_by_text("0").wait_for()
    other.page.wait_for_load_state("networkidle")
    assert Support.objects.filter(topic=topic).count() == 0
    button.click()
    other.page.locator(".js-count").get_by_text("1").wait_for()
    other.page.reload()
    assert other.page.locator(".js-count").inner_text() == "1"
    assert Support.objects.filter(topic=topic).count() == 1
    other.assert_clean()

    # Olga gathers it into the meeting from the meeting page.
    olga = new_page()
    sign_in(olga.page, organizer.email, PASSWORD)
    olga.page.goto(meeting.get_absolute_url())
    olga.page.get_by_role("link", name="Gather topics").click()
    olga.page.wait_for_url(f"**/meetings/{meeting.pk}/gather/")
    olga.page.get_by_label("Minutes for “Reading “The Problem with Work””").fill("30")
    olga.page.get_by_label("Minutes for “Reading “The Problem with Work””").dispatch_event("change")
    assert olga.page.get_by_label("Pick “Reading “The Problem with Work””").is_checked()
    assert olga.page.locator(".gather-submit .js-minutes-left").inner_text() == "30"
    olga.page.get_by_role("button", name="Gather the picked topics").click()
    olga.page.wait_for_url(f"**{meeting.get_absolute_url()}")
    agenda_topics = olga.page.locator(".meeting-topic-list li")
    assert agenda_topics.count() == 1
    assert "30 min" in agenda_topics.first.inner_text()
    assert "Reading “The Problem with Work”" in agenda_topics.first.inner_text()
    olga.assert_clean()

    topic.refresh_from_db()
    assert (topic.status, topic.meeting_id, topic.gathered_minutes, topic.support_count) == (
        "gathered",
        meeting.pk,
        30,
        1,
    )

    # Alice sees it on the meeting page and on her topic's page; it has left the backlog.
    alice.page.goto(meeting.get_absolute_url())
    assert "Reading “The Problem with Work”" in alice.page.locator(".meeting-agenda").inner_text()
    alice.page.goto(topic.get_absolute_url())
    assert "Gathered into Reading club" in alice.page.locator("#status").inner_text()
    alice.page.goto("/topics/")
    assert "The backlog is empty." in alice.page.locator("main").inner_text()
    alice.assert_clean()


def test_support_works_without_javascript(browser, live_server, member, carol_topic):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, member.email, PASSWORD)
    page.goto("/topics/")
    page.get_by_role("button", name=f"Support “{carol_topic.title}”").click()
    page.wait_for_load_state()
    assert "You support “Mutual Aid”." in page.locator(".messages").inner_text()
    assert page.locator(".js-count").inner_text() == "1"
    context.close()


def test_the_topic_pages_pass_the_accessibility_audit(new_page, member, organizer, carol_topic):
    meeting = make_meeting()
    for person, paths in [
        (member, ["/topics/", "/topics/new/", carol_topic.get_absolute_url()]),
        (organizer, [f"/meetings/{meeting.pk}/gather/", meeting.get_absolute_url()]),
    ]:
        for viewport in [{"width": 1200, "height": 900}, {"width": 320, "height": 700}]:
            watched = new_page(viewport=viewport, bypass_csp=True)
            sign_in(watched.page, person.email, PASSWORD)
            for path in paths:
                watched.page.goto(path)
                assert axe_violations(watched.page) == [], path
                overflow = watched.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
                assert not overflow, path


def test_a_refused_proposal_shows_its_errors(watched, member, carol_topic):
    sign_in(watched.page, member.email, PASSWORD)
    watched.page.goto("/topics/new/")
    watched.page.get_by_label("Title").fill("mutual aid")
    watched.page.get_by_label("Description").fill("Same again.")
    watched.page.get_by_role("button", name="Propose this topic").click()
    watched.page.wait_for_load_state()
    assert "An open topic already has this title" in watched.page.locator("main").inner_text()
    watched.page.locator("#id_title_error").get_by_role("link", name="support “Mutual Aid”").click()
    watched.page.wait_for_url(f"**{carol_topic.get_absolute_url()}")
    watched.assert_clean()


@pytest.fixture
def carol_topic(transactional_db):
    carol = create_member("carol@example.org", password=PASSWORD, display_name="Carol")
    return make_topic(carol, "Mutual Aid", description="Dean Spade's book.")
