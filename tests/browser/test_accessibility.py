"""axe-core audit of every main page, as a visitor, a member and an organizer.

The demo content (`seed_demo`) fills the pages; pages a role may not open
answer with what that role really sees (the sign-in page, a 403 page).
"""

import io

import pytest
from django.conf import settings

from blog.models import Post
from meetings.models import Meeting
from members.demo import DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD
from members.email_kinds import stop_url
from members.models import User
from tests.browser.axe import axe_violations
from tests.browser.conftest import sign_in
from tests.conftest import seed_demo
from tests.meetings_factories import ensure_standard_template
from topics.models import Topic

PHONE = {"width": 320, "height": 700}
ROLE_EMAILS = {"member": "ana@example.org", "organizer": DEMO_ORGANIZER_EMAIL}


@pytest.fixture
def main_pages(transactional_db):
    ensure_standard_template()  # browser tests flush the database, data migrations included
    seed_demo(stdout=io.StringIO())
    meeting = Meeting.objects.upcoming().first()
    return [
        "/",
        "/about/",
        "/code-of-conduct/",
        "/blog/",
        Post.objects.published().first().get_absolute_url(),
        "/meetings/",
        f"/meetings/{meeting.pk}/",
        "/join/",
        "/accounts/login/",
        "/topics/",
        f"/topics/{Topic.objects.backlog().first().pk}/",
        "/topics/new/",
        f"/meetings/{meeting.pk}/gather/",
        "/members/settings/",
        stop_url(User.objects.get(email=DEMO_ORGANIZER_EMAIL), "announcements").removeprefix(
            settings.SITE_URL
        ),
        "/members/",
        f"/members/{User.objects.get(email='kofi@example.org').pk}/",
        "/members/settings/directory/",
        "/members/help/",
        "/members/messages/",
    ]


def test_the_conversation_and_report_pages_have_no_violations(new_page, main_pages):
    from members.outreach.models import Conversation

    conversation = Conversation.objects.get()
    message = conversation.messages.get()
    failures = {}
    for viewport in [None, PHONE]:
        watched = new_page(viewport=viewport, bypass_csp=True)
        sign_in(watched.page, "ana@example.org", DEMO_PASSWORD)
        for path in [
            f"/members/messages/{conversation.pk}/",
            f"/members/messages/{conversation.pk}/report/{message.pk}/",
        ]:
            watched.page.goto(path)
            if violations := axe_violations(watched.page):
                failures[path] = violations
    assert failures == {}


@pytest.mark.parametrize("role", ["visitor", "member", "organizer"])
def test_every_main_page_has_no_violations(new_page, main_pages, role):
    watched = new_page(bypass_csp=True)
    if role != "visitor":
        sign_in(watched.page, ROLE_EMAILS[role], DEMO_PASSWORD)
    failures = {}
    for path in main_pages:
        watched.page.goto(path)
        if violations := axe_violations(watched.page):
            failures[path] = violations
    assert failures == {}


@pytest.mark.parametrize("role", ["visitor", "member"])
def test_every_main_page_has_no_violations_at_phone_width(new_page, main_pages, role):
    watched = new_page(viewport=PHONE, bypass_csp=True)
    if role != "visitor":
        sign_in(watched.page, ROLE_EMAILS[role], DEMO_PASSWORD)
    failures = {}
    for path in main_pages:
        watched.page.goto(path)
        if violations := axe_violations(watched.page):
            failures[path] = violations
        overflow = watched.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        if overflow:
            failures.setdefault(path, []).append("scrolls sideways at 320 px")
    assert failures == {}
