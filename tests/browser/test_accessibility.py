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
from tests.factories import ensure_standard_template
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


WIDTHS = {"375": {"width": 375, "height": 667}, "1280": {"width": 1280, "height": 800}}


def _audit(watched, label, failures):
    if violations := axe_violations(watched.page):
        failures[label] = violations
    if watched.page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        failures.setdefault(label, []).append("scrolls sideways")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_account_page_a_person_can_reach_has_no_violations(new_page, main_pages, width, settings):
    """Sign-in, the emailed code, password reset, inactive, sign-up closed, 2FA, verification sent."""
    import re

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core import mail

    failures = {}
    visitor = new_page(viewport=WIDTHS[width], bypass_csp=True)
    page = visitor.page
    for path in [
        "/accounts/login/",
        "/accounts/login/code/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/zz-no-such-key/",  # a link that no longer works
        "/accounts/password/reset/key/done/",
        "/accounts/inactive/",
        "/accounts/signup/",  # sign-up is closed: it sends newcomers to request access
        "/accounts/confirm-email/",
    ]:
        page.goto(path)
        _audit(visitor, path, failures)

    # The emailed code: asked for, then typed.
    page.goto("/accounts/login/")
    code_form = page.locator("form", has=page.get_by_role("button", name="Email me a sign-in code"))
    code_form.get_by_label("Email").fill("ana@example.org")
    code_form.get_by_role("button", name="Email me a sign-in code").click()
    page.wait_for_url("**/accounts/login/code/confirm/")
    _audit(visitor, "code entry", failures)

    # The reset link from the email, as it arrives.
    reset = new_page(viewport=WIDTHS[width], bypass_csp=True)
    reset.page.goto("/accounts/password/reset/")
    reset.page.get_by_label("Email").fill("kofi@example.org")
    reset.page.get_by_role("button", name="Email me a link").click()
    reset.page.wait_for_url("**/accounts/password/reset/done/")
    (message,) = [m for m in mail.outbox if "kofi@example.org" in m.to and "/password/reset/key/" in m.body]
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+/)", message.body).group(1)
    reset.page.goto(link)
    _audit(reset, "reset from key", failures)

    # Two-factor: an organizer with an authenticator app signs in with the password.
    organizer = User.objects.get(email=DEMO_ORGANIZER_EMAIL)
    TOTP.activate(organizer, generate_totp_secret())
    second = new_page(viewport=WIDTHS[width], bypass_csp=True)
    sign_in(second.page, DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD)
    second.page.wait_for_url("**/accounts/2fa/authenticate/")
    _audit(second, "2fa authenticate", failures)

    # Where the welcome link lands.
    member = new_page(viewport=WIDTHS[width], bypass_csp=True)
    sign_in(member.page, "ana@example.org", DEMO_PASSWORD)
    member.page.goto("/members/welcome/")
    _audit(member, "/members/welcome/", failures)
    assert failures == {}
