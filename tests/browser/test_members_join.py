"""In Chromium: a newcomer asks for access and confirms it, an organizer approves in the admin."""

import re

from django.core import mail
from django.test import RequestFactory

from members import access
from members.models import AccessRequest
from members.tokens import confirm_token, decide_token, welcome_link_args
from tests.browser.axe import axe_violations
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def path_in(message, pattern):
    return re.search(rf"https?://[^/\s]+({pattern})", message.body).group(1)


def test_a_newcomer_asks_and_an_organizer_approves_in_the_admin(new_page, organizer):
    newcomer = new_page()
    page = newcomer.page
    page.goto("/")
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Join").click()
    page.wait_for_url("**/join/")
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("Pronouns (optional)").fill("she/her")
    page.get_by_label("What draws you to this work?").fill(
        "Learning with others how to build solidarity at work."
    )
    page.get_by_label("How did you hear of the club? (optional)").fill("A friend")
    # The honeypot is there for robots, out of sight (its box clipped to one pixel).
    honeypot = page.locator(
        ".visually-hidden", has=page.get_by_label("Leave this field empty")
    ).bounding_box()
    assert honeypot["width"] <= 1
    assert honeypot["height"] <= 1
    page.get_by_role("button", name="Send my request").click()
    # The browser itself asks for the agreement first (the server would too).
    assert page.url.endswith("/join/")
    page.get_by_label("I have read the code of conduct and agree to it").check()
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url("**/join/thanks/")
    assert page.locator("h1").inner_text() == "Check your inbox"

    [confirmation] = mail.outbox
    page.goto(path_in(confirmation, r"/join/confirm/[^/\s]+/"))
    page.get_by_role("button", name="Confirm my request").click()
    page.wait_for_url("**/join/confirmed/")
    assert "confirmed" in page.locator("h1").inner_text()
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING
    newcomer.assert_clean()

    olga = new_page()
    admin = olga.page
    sign_in(admin, organizer.email, PASSWORD)
    admin.goto("/admin/members/accessrequest/?status__exact=pending")
    admin.get_by_role("link", name="Nia Newcomer").click()
    admin.get_by_role("link", name="Approve…").click()
    admin.get_by_label("Personal message (optional)").fill("So glad you found us!")
    admin.get_by_role("button", name="Approve").click()
    admin.wait_for_url(re.compile(r".*/admin/members/accessrequest/\d+/change/$"))
    assert "Approved 1 request." in admin.locator(".messagelist").inner_text()
    assert AccessRequest.objects.get().status == AccessRequest.Status.APPROVED
    olga.assert_clean()

    [welcome] = [message for message in mail.outbox if message.subject.startswith("Welcome")]
    assert "So glad you found us!" in welcome.body
    page.goto(path_in(welcome, r"/members/welcome/[^/\s]+/[^/\s]+/"))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/members/welcome/")
    assert page.locator("h1").inner_text().startswith("Welcome")
    newcomer.assert_clean()


def test_a_member_takes_a_break_and_comes_back(watched, member):
    page = watched.page
    sign_in(page, member.email, PASSWORD)
    page.goto("/members/settings/")
    page.get_by_role("button", name="Take a break").click()
    page.wait_for_url("**/members/settings/")
    banner = page.get_by_role("region", name="Your break")
    assert "You are on a break" in banner.inner_text()
    page.goto("/about/")
    page.get_by_role("region", name="Your break").get_by_role("button", name="Come back now").click()
    page.wait_for_url("**/members/settings/")
    assert page.get_by_role("region", name="Your break").count() == 0
    watched.assert_clean()


def test_the_members_pages_pass_the_accessibility_audit(new_page, organizer, member):
    pending = AccessRequest.objects.create(
        name="Nia",
        email="nia@example.org",
        motivation="x" * 30,
        agreed_to_code_of_conduct=True,
        status="pending",
    )
    unconfirmed = AccessRequest.objects.create(
        name="Sol", email="sol@example.org", motivation="y" * 30, agreed_to_code_of_conduct=True
    )
    waiting = AccessRequest.objects.create(
        name="Kim",
        email="kim@example.org",
        motivation="z" * 30,
        agreed_to_code_of_conduct=True,
        status="pending",
    )
    approved = access.decide(pending, approve=True, by=organizer, request=RequestFactory().get("/"))
    welcome = "/members/welcome/{}/{}/".format(*welcome_link_args(approved.member))

    visitor = new_page(bypass_csp=True)
    page = visitor.page
    page.goto("/join/")
    page.get_by_label("Email address").fill("not an address")
    page.evaluate("document.querySelector('form.members-form').noValidate = true")
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert axe_violations(page) == [], "join with errors"
    for path in [
        "/join/thanks/",
        f"/join/confirm/{confirm_token(unconfirmed)}/",
        "/join/confirm/broken/",
        "/join/confirmed/",
        welcome,
        "/members/goodbye/",
    ]:
        page.goto(path)
        assert axe_violations(page) == [], path

    signed_in = new_page(bypass_csp=True)
    sign_in(signed_in.page, organizer.email, PASSWORD)
    member.take_break()
    organizer.take_break()
    for path in [
        f"/members/requests/{decide_token(pending)}/decide/",
        f"/members/requests/{decide_token(waiting)}/decide/",
        "/members/settings/",
        "/members/settings/leave/",
    ]:
        signed_in.page.goto(path)
        assert axe_violations(signed_in.page) == [], path
