"""Decisions in Chromium: axe-core on every decision page, at desktop and phone width, and voting without JavaScript."""

import os

import pytest

from members.demo import DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD
from tests.browser.axe import axe_violations
from tests.browser.conftest import sign_in
from tests.conftest import seed_demo
from tests.factories import ensure_standard_template
from topics.decision_models import Ballot, Decision

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
ROLE_EMAILS = {"member": "ana@example.org", "organizer": DEMO_ORGANIZER_EMAIL}
# Set DECISION_SCREENSHOTS=/some/folder to keep a picture of each page.
SCREENSHOTS = os.environ.get("DECISION_SCREENSHOTS", "")


@pytest.fixture
def decision_pages(transactional_db):
    ensure_standard_template()
    seed_demo()
    pages = ["/decisions/", "/decisions/new/"]
    pages += [decision.get_absolute_url() for decision in Decision.objects.order_by("pk")]
    dots = Decision.objects.get(method="dots")
    if dots.meeting_id:
        pages.append(dots.meeting.get_absolute_url())
    return pages


@pytest.mark.parametrize(
    ("role", "viewport"), [("member", DESKTOP), ("organizer", DESKTOP), ("member", PHONE)]
)
def test_decision_pages_have_no_violations(new_page, decision_pages, role, viewport):
    watched = new_page(viewport=viewport, bypass_csp=True)
    sign_in(watched.page, ROLE_EMAILS[role], DEMO_PASSWORD)
    failures = {}
    for number, path in enumerate(decision_pages):
        watched.page.goto(path)
        if violations := axe_violations(watched.page):
            failures[path] = violations
        if watched.page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            failures.setdefault(path, []).append(f"scrolls sideways at {viewport['width']} px")
        if SCREENSHOTS:
            watched.page.screenshot(
                path=f"{SCREENSHOTS}/{role}-{viewport['width']}-{number}.png", full_page=True
            )
    assert failures == {}


def test_a_member_casts_and_changes_a_dot_vote_without_javascript(browser, live_server, transactional_db):
    ensure_standard_template()
    seed_demo()
    dots = Decision.objects.get(method="dots")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "ivy@example.org", DEMO_PASSWORD)
    page.goto(dots.get_absolute_url())
    first, second, _third = list(dots.options.all())
    page.get_by_label(first.label).fill("2")
    page.get_by_label(second.label).fill("1")
    page.get_by_role("button", name="Cast my ballot").click()
    assert "Your ballot is saved" in page.content()
    page.get_by_label(second.label).fill("")
    page.get_by_label(first.label).fill("4")
    page.get_by_role("button", name="Change my ballot").click()
    assert "You have 3 dots; you placed 4." in page.content()
    ballots = [b.choices for b in Ballot.objects.filter(decision=dots, voter__email="ivy@example.org")]
    assert ballots == [{"dots": {first.key: 2, second.key: 1}}]
    context.close()
