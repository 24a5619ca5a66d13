import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


def test_it_signs_in_by_email_and_password(client, member):
    response = client.post(reverse("account_login"), {"login": "ALICE@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == member


def test_it_refuses_a_wrong_password_with_a_message(client, member):
    response = client.post(reverse("account_login"), {"login": "alice@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_it_signs_in_by_emailed_code(client, member):
    response = client.post(reverse("account_request_login_code"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[0].body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get("/").context["user"] == member


def test_a_code_request_for_an_unknown_address_sends_nothing_and_looks_the_same(client, member):
    known = client.post(reverse("account_request_login_code"), {"email": "alice@example.org"})
    client.cookies.clear()
    unknown = client.post(reverse("account_request_login_code"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_password_reset_emails_members_only(client, member):
    for email in ["alice@example.org", "stranger@example.org"]:
        response = client.post(reverse("account_reset_password"), {"email": email})
        assert response.status_code == 302
        assert response["Location"] == reverse("account_reset_password_done")
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_open_sign_up_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert "Request meeting access" in response.content.decode()
    client.post(reverse("account_signup"), {"email": "new@example.org", "password1": "x" * 20})
    from members.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_account_pages_use_the_site_layout(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert 'class="site-header' in html  # "site-header is-signed-in" once signed in
    assert html.count("<h1") == 1


def test_login_attempts_are_rate_limited(client, member):
    pages = [
        client.post(reverse("account_login"), {"login": "alice@example.org", "password": "wrong"})
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0].content.decode()
    assert "Too many failed login attempts" in pages[-1].content.decode()
    # Even the right password is refused while the limit holds.
    response = client.post(reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD})
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("role", ["member", "organizer"])
def test_members_and_organizers_can_reach_two_factor_setup(client_for, role):
    response = client_for(role).get(reverse("mfa_activate_totp"))
    # allauth asks for re-authentication before a security change, then shows the QR code.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"


def test_an_organizer_can_turn_on_totp(client, organizer):
    import time

    from allauth.mfa.totp.internal.auth import hotp_value

    client.post(reverse("account_login"), {"login": organizer.email, "password": PASSWORD})
    # A security change asks for the password again first.
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = response.context["form"].secret
    code = f"{hotp_value(secret, int(time.time()) // 30):06d}"
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert organizer.authenticator_set.filter(type="totp").exists()


def test_settings_page_needs_a_sign_in(client, db):
    response = client.get(reverse("members:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
