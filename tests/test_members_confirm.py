"""Confirming the address from the emailed link, and the organizers' email that follows."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from members.accounts import create_member
from members.models import AccessRequest
from members.tokens import confirm_token, decide_token
from tests.members_support import html_body, join_data, link_in


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def submitted(client, db, capture):
    """A newcomer's request as the form saves it, and the confirm link from the email."""
    with capture(execute=True):
        client.post("/join/", join_data())
    [message] = mail.outbox
    mail.outbox.clear()
    return AccessRequest.objects.get(), link_in(message, r"/join/confirm/[^/\s\"]+/")


def test_the_link_shows_a_confirm_button_and_a_get_changes_nothing(client, submitted):
    access_request, link = submitted
    response = client.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirm my request" in html
    assert '<form method="post"' in html
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.UNCONFIRMED
    assert access_request.confirmed_at is None
    assert mail.outbox == []


def test_confirming_makes_the_request_pending_and_emails_the_organizers(
    client, submitted, capture, organizer
):
    access_request, link = submitted
    create_member("quiet-organizer@example.org", is_staff=True, wants_request_notifications=False)
    create_member("resting-organizer@example.org", is_staff=True, break_since=access_request.created_at)
    create_member("just-a-member@example.org")
    with capture(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:confirmed")
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING
    assert access_request.confirmed_at is not None

    assert sorted(message.to[0] for message in mail.outbox) == ["olga@example.org", "us@solidarityclub.org"]
    for message in mail.outbox:
        assert len(message.to) == 1
        assert message.reply_to == ["nia@example.org"]
        assert message.subject == "Access request from Nia Newcomer"
        for body in [message.body, html_body(message)]:
            assert "nia@example.org" in body
            assert "she/her" in body
            assert "A friend" in body
            assert "how to build solidarity where I work" in body
        admin_path = reverse("admin:members_accessrequest_change", args=[access_request.pk])
        assert link_in(message, admin_path) == admin_path
        assert link_in(message, r"/members/requests/[^/\s\"]+/decide/")
    assert access_request.emails.filter(kind="notify").count() == 2


def test_the_confirmed_page_thanks_the_newcomer(client, submitted, capture):
    _, link = submitted
    with capture(execute=True):
        response = client.post(link, follow=True)
    html = response.content.decode()
    assert "your request is confirmed" in html
    assert html.count("<h1") == 1


def test_confirming_twice_notifies_the_organizers_once(client, submitted, capture):
    _, link = submitted
    with capture(execute=True):
        client.post(link)
        client.post(link)
    assert len(mail.outbox) == 1
    assert "already confirmed" in client.get(link).content.decode()


def test_a_tampered_link_is_refused_and_changes_nothing(client, submitted, capture):
    access_request, link = submitted
    token = link.split("/")[3]
    for bad in [
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        token[:10],
        "nonsense",
        token.replace(":", "."),
    ]:
        with capture(execute=True):
            get = client.get(f"/join/confirm/{bad}/")
            post = client.post(f"/join/confirm/{bad}/")
        for response in [get, post]:
            assert response.status_code == 400
            assert "This link does not work" in response.content.decode()
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.UNCONFIRMED
    assert mail.outbox == []


def test_an_expired_link_is_refused_with_a_way_forward(client, submitted, capture):
    access_request, _ = submitted
    four_days_ago = time.time() - timedelta(days=4).total_seconds()
    token = confirm_token(access_request, now=four_days_ago)
    with capture(execute=True):
        response = client.post(f"/join/confirm/{token}/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This link has expired" in html
    assert 'href="/join/"' in html
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.UNCONFIRMED
    # Two days old still works.
    token = confirm_token(access_request, now=time.time() - timedelta(days=2).total_seconds())
    with capture(execute=True):
        assert client.post(f"/join/confirm/{token}/").status_code == 302
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING


def test_a_decide_link_does_not_confirm(client, submitted):
    access_request, _ = submitted
    token = decide_token(access_request)
    assert client.post(f"/join/confirm/{token}/").status_code == 400


def test_the_token_readers_return_the_request_or_raise(submitted):
    from members import tokens

    access_request, _ = submitted
    assert tokens.read_confirm_token(confirm_token(access_request)) == (access_request, None)
    assert tokens.read_decide_token(decide_token(access_request)) == access_request
    with pytest.raises(tokens.LinkInvalid):
        tokens.read_decide_token(confirm_token(access_request))
    with pytest.raises(tokens.LinkInvalid):
        tokens.read_confirm_token(decide_token(access_request))
    old = confirm_token(access_request, now=time.time() - timedelta(days=4).total_seconds())
    with pytest.raises(tokens.LinkExpired):
        tokens.read_confirm_token(old)
    # Links sent before addresses were hashed carry the address itself; another address is refused.
    signer = tokens._Signer(salt=tokens._CONFIRM_SALT)
    legacy = signer.sign_object({"r": access_request.pk, "e": access_request.email.upper()}, compress=True)
    with pytest.raises(tokens.LinkInvalid):
        tokens.read_confirm_token(legacy)
    legacy = signer.sign_object({"r": access_request.pk, "e": access_request.email.lower()}, compress=True)
    assert tokens.read_confirm_token(legacy) == (access_request, None)
    other = signer.sign_object({"r": access_request.pk, "e": "someone@example.org"}, compress=True)
    with pytest.raises(tokens.LinkInvalid):
        tokens.read_confirm_token(other)


def test_a_link_to_a_deleted_request_is_refused(client, submitted):
    access_request, link = submitted
    access_request.delete()
    assert client.get(link).status_code == 400
    assert client.post(link).status_code == 400


@pytest.mark.parametrize("role", ["visitor", "member", "member_on_break", "organizer"])
def test_confirm_permission_matrix(client_for, role):
    # The link is the permission: whoever holds it may confirm.
    access_request = AccessRequest.objects.create(
        name="Nia", email="nia@example.org", motivation="x" * 30, agreed_to_code_of_conduct=True
    )
    client = client_for(role)
    link = reverse("members:confirm", args=[confirm_token(access_request)])
    assert client.get(link).status_code == 200
    assert client.put(link).status_code == 405
    assert client.get(reverse("members:confirmed")).status_code == 200
    assert client.post(reverse("members:confirmed")).status_code == 405
