"""Deciding a request: the decide() function, the signed link in the organizers' email, the welcome link."""

import threading
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from members import access
from members.accounts import create_member, leave
from members.models import AccessRequest, User
from members.signals import collect_welcome_context
from members.tokens import confirm_token, decide_token
from tests.factories import make_access_request
from tests.members_support import html_body, link_in


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def pending(db):
    return make_access_request()


@pytest.fixture
def http_request():
    return RequestFactory().get("/")


def decide_link(access_request):
    return reverse("members:decide", args=[decide_token(access_request)])


# --- decide() -------------------------------------------------------------------


def test_approving_creates_a_verified_member_and_sends_the_welcome(pending, organizer, http_request, capture):
    with capture(execute=True):
        access.decide(
            pending, approve=True, by=organizer, message="  So glad you found us!  ", request=http_request
        )
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.APPROVED
    assert pending.decided_by == organizer
    assert pending.decided_at is not None
    assert pending.decision_message == "So glad you found us!"
    user = User.objects.get(email="nia@example.org")
    assert pending.member == user
    assert user.is_active
    assert user.display_name == "Nia Newcomer"
    assert user.pronouns == "she/her"
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    [message] = mail.outbox
    assert message.to == ["nia@example.org"]
    assert message.subject == "Welcome to W.O.R.K. Solidarity Club"
    for body in [message.body, html_body(message)]:
        assert "So glad you found us!" in body
        assert "Olga" in body
        assert "/code-of-conduct/" in body
    assert link_in(message, r"/members/welcome/[^/\s\"]+/[^/\s\"]+/")


def test_the_welcome_email_renders_without_any_app_adding_to_it(pending, organizer, http_request, capture):
    receivers = collect_welcome_context.receivers
    collect_welcome_context.receivers = []
    collect_welcome_context.sender_receivers_cache.clear()
    try:
        with capture(execute=True):
            access.decide(pending, approve=True, by=organizer, request=http_request)
    finally:
        collect_welcome_context.receivers = receivers
        collect_welcome_context.sender_receivers_cache.clear()
    [message] = mail.outbox
    assert "Next meeting" not in message.body
    assert "Sign in" in html_body(message)


def test_the_welcome_email_carries_what_other_apps_add(pending, organizer, http_request, capture):
    def next_meeting(sender, user, request, **kwargs):
        return {
            "next_meeting": "Reading club, Thursday",
            "next_meeting_url": "http://testserver/meetings/7/",
            "calendar_feed_url": f"http://testserver/meetings/calendar/{user.feed_token}.ics",
            "calendar_help": "Subscribe to it in your calendar app.",
        }

    def broken(sender, **kwargs):
        raise RuntimeError("this app is having a bad day")

    collect_welcome_context.connect(next_meeting, dispatch_uid="test-next-meeting")
    collect_welcome_context.connect(broken, dispatch_uid="test-broken")
    try:
        with capture(execute=True):
            access.decide(pending, approve=True, by=organizer, request=http_request)
    finally:
        collect_welcome_context.disconnect(dispatch_uid="test-next-meeting")
        collect_welcome_context.disconnect(dispatch_uid="test-broken")
    [message] = mail.outbox
    feed = f"/meetings/calendar/{User.objects.get(email='nia@example.org').feed_token}.ics"
    for body in [message.body, html_body(message)]:
        assert "Reading club, Thursday" in body
        assert "http://testserver/meetings/7/" in body
        assert feed in body
        assert "Subscribe to it in your calendar app." in body


def test_declining_sends_a_kind_message_only_when_asked(db, organizer, http_request, capture):
    quiet = make_access_request(email="quiet@example.org")
    told = make_access_request(email="told@example.org")
    with capture(execute=True):
        access.decide(quiet, approve=False, by=organizer, message="internal note", request=http_request)
        access.decide(
            told,
            approve=False,
            by=organizer,
            message="We are full this season; please ask again in spring.",
            send_decline_message=True,
            request=http_request,
        )
    quiet.refresh_from_db()
    assert quiet.status == AccessRequest.Status.DECLINED
    assert quiet.decided_by == organizer
    assert quiet.decision_message == "internal note"
    [message] = mail.outbox
    assert message.to == ["told@example.org"]
    assert "We are full this season" in message.body
    assert "We are full this season" in html_body(message)
    assert not User.objects.filter(email__in=["quiet@example.org", "told@example.org"]).exists()


def test_a_request_is_decided_once(pending, organizer, http_request, capture):
    other = create_member("otto@example.org", is_staff=True)
    with capture(execute=True):
        access.decide(pending, approve=True, by=organizer, request=http_request)
        with pytest.raises(access.AlreadyDecidedError):
            access.decide(pending, approve=False, by=other, send_decline_message=True, request=http_request)
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.APPROVED
    assert pending.decided_by == organizer
    assert len(mail.outbox) == 1


def test_an_unconfirmed_request_cannot_be_decided(db, organizer, http_request):
    unconfirmed = make_access_request(status=AccessRequest.Status.UNCONFIRMED)
    with pytest.raises(access.AlreadyDecidedError):
        access.decide(unconfirmed, approve=True, by=organizer, request=http_request)
    assert not User.objects.filter(email="nia@example.org").exists()


def test_approving_a_former_member_reactivates_their_account(member, organizer, http_request, capture):
    member.take_break()
    leave(member)
    returning = make_access_request(email="ALICE@example.org", name="Alice Again")
    with capture(execute=True):
        access.decide(returning, approve=True, by=organizer, request=http_request)
    member.refresh_from_db()
    assert member.is_active
    assert member.left_at is None
    assert not member.is_on_break
    assert member.display_name == "Alice Again"
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_organizers_deciding_at_once_decide_once():
    olga = create_member("olga@example.org", is_staff=True)
    otto = create_member("otto@example.org", is_staff=True)
    pending = make_access_request()
    barrier = threading.Barrier(2)
    outcomes = []

    def decide_as(organizer, approve):
        try:
            barrier.wait()
            access.decide(pending, approve=approve, by=organizer, request=RequestFactory().get("/"))
            outcomes.append("decided")
        except access.AlreadyDecidedError:
            outcomes.append("already decided")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide_as, args=args) for args in [(olga, True), (otto, False)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already decided", "decided"]
    pending.refresh_from_db()
    assert pending.status in ("approved", "declined")
    assert User.objects.filter(email="nia@example.org").exists() == (pending.status == "approved")


# --- the signed link in the organizers' email ------------------------------------


def test_the_link_shows_the_request_and_a_get_decides_nothing(organizer_client, pending):
    response = organizer_client.get(decide_link(pending))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Access request from Nia Newcomer" in html
    assert "I want to learn with others" in html
    assert 'value="approve"' in html
    assert 'value="decline"' in html
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.PENDING


def test_an_organizer_approves_from_the_link(organizer_client, organizer, pending, capture):
    link = decide_link(pending)
    with capture(execute=True):
        response = organizer_client.post(link, {"decision": "approve", "message": "Welcome aboard!"})
    assert response.status_code == 302
    assert response["Location"] == link
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.APPROVED
    assert pending.decided_by == organizer
    assert "Welcome aboard!" in mail.outbox[0].body
    page = organizer_client.get(link).content.decode()
    assert "Approved by Olga" in page
    assert 'value="approve"' not in page


def test_an_organizer_declines_from_the_link_with_or_without_a_message(organizer_client, db, capture):
    told, quiet = (
        make_access_request(email="told@example.org"),
        make_access_request(email="quiet@example.org"),
    )
    with capture(execute=True):
        organizer_client.post(
            decide_link(told), {"decision": "decline", "message": "Not now.", "send_decline_message": "on"}
        )
        organizer_client.post(decide_link(quiet), {"decision": "decline", "message": "Spam."})
    assert [m.to for m in mail.outbox] == [["told@example.org"]]
    assert AccessRequest.objects.filter(status="declined").count() == 2


def test_a_second_decision_from_the_link_changes_nothing(organizer_client, pending, capture):
    link = decide_link(pending)
    with capture(execute=True):
        organizer_client.post(link, {"decision": "approve"})
        response = organizer_client.post(
            link, {"decision": "decline", "send_decline_message": "on"}, follow=True
        )
    assert "not waiting for a decision" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.APPROVED
    assert len(mail.outbox) == 1


def test_a_decision_needs_a_choice(organizer_client, pending):
    response = organizer_client.post(decide_link(pending), {"message": "hm"})
    assert response.status_code == 400
    assert "decision" in response.context["form"].errors
    # The summary links to the field: its first button (an outsider found the link led nowhere).
    html = response.content.decode()
    assert '<a href="#id_decision">' in html
    assert 'id="id_decision"' in html
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.PENDING


def test_tampered_expired_and_wrong_kind_decide_links_are_refused(organizer_client, pending):
    token = decide_token(pending)
    expired = decide_token(pending, now=time.time() - timedelta(days=31).total_seconds())
    confirm = confirm_token(pending)
    for bad, text in [(token[:-2], "does not work"), (expired, "has expired"), (confirm, "does not work")]:
        response = organizer_client.post(f"/members/requests/{bad}/decide/", {"decision": "approve"})
        assert response.status_code == 400
        assert text in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.PENDING


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 403), ("member_on_break", 403), ("organizer", 200)],
)
def test_decide_link_permission_matrix(client_for, pending, capture, role, status):
    client = client_for(role)
    link = decide_link(pending)
    response = client.get(link)
    assert response.status_code == status
    if role == "visitor":
        assert response["Location"].startswith("/accounts/login/?next=")
    with capture(execute=True):
        post = client.post(link, {"decision": "approve"})
    assert post.status_code == (302 if role in ("visitor", "organizer") else 403)
    pending.refresh_from_db()
    assert (pending.status == "approved") == (role == "organizer")
    assert client.put(link).status_code == 405  # the method is checked before signing in


# --- the one-time sign-in link of the welcome email ------------------------------


@pytest.fixture
def welcome_link(pending, organizer, http_request, capture):
    with capture(execute=True):
        access.decide(pending, approve=True, by=organizer, request=http_request)
    [message] = mail.outbox
    return link_in(message, r"/members/welcome/[^/\s\"]+/[^/\s\"]+/")


def test_the_welcome_link_asks_first_and_signs_in_on_post(client, welcome_link):
    page = client.get(welcome_link)
    assert page.status_code == 200
    assert "Sign in" in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated
    assert User.objects.get(email="nia@example.org").last_login is None
    response = client.post(welcome_link)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:start")
    landing = client.get(reverse("members:start"))
    assert landing.wsgi_request.user.email == "nia@example.org"
    assert "Here is what happens next" in landing.content.decode()


def test_the_welcome_link_works_once(client, welcome_link):
    client.post(welcome_link)
    client.logout()
    for response in [client.get(welcome_link), client.post(welcome_link)]:
        assert response.status_code == 400
        assert "/accounts/login/code/" in response.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_the_welcome_link_stops_working_after_any_sign_in(client, welcome_link):
    client.force_login(User.objects.get(email="nia@example.org"))
    client.logout()
    assert client.get(welcome_link).status_code == 400


def test_a_tampered_or_expired_welcome_link_is_refused(client, welcome_link, settings):
    _, _, _, uidb64, token, _ = welcome_link.split("/")
    for bad in [
        f"/members/welcome/{uidb64}/{token[:-1]}x/",
        f"/members/welcome/Zm9v/{token}/",
        "/members/welcome/!!/x-y/",
    ]:
        assert client.post(bad).status_code == 400
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert client.post(welcome_link).status_code == 400
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_the_welcome_link_of_someone_who_left_is_refused(client, welcome_link):
    leave(User.objects.get(email="nia@example.org"))
    assert client.post(welcome_link).status_code == 400


@pytest.mark.parametrize("role", ["visitor", "member", "member_on_break", "organizer"])
def test_welcome_link_permission_matrix(client_for, welcome_link, role):
    # The link is the permission; a POST signs in as the new member, whoever was signed in.
    client = client_for(role)
    assert client.get(welcome_link).status_code == 200
    assert client.put(welcome_link).status_code == 405
    client.post(welcome_link)
    assert client.get("/").wsgi_request.user.email == "nia@example.org"
