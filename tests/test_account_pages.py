"""Every allauth page a person can reach is the club's: the site's layout and voice, no sign-up link."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from members.accounts import create_member
from tests.conftest import PASSWORD

DEFAULT_ALLAUTH_PHRASES = ["Sign Up", "sign up", "Request Code", "Reset My Password", "Account Inactive"]


def assert_the_clubs_page(response, path=""):
    assert response.status_code == 200, path
    html = response.content.decode()
    assert 'class="site-header' in html, path  # "site-header is-signed-in" once signed in
    assert html.count("<h1") == 1, path
    assert 'href="/accounts/signup/' not in html, path  # no link to a sign-up (the switcher names the page)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.endswith(f" · {settings.CLUB_NAME}"), (path, title)
    assert not title.startswith(" ·"), (path, title)
    for phrase in DEFAULT_ALLAUTH_PHRASES:
        assert phrase not in html, (path, phrase)
    return html


def code_from(message):
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE).group(1)


def test_a_visitor_walks_every_sign_in_page(client, member):
    pages = {}
    for name in [
        "account_login",
        "account_request_login_code",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        "account_signup",
        "account_inactive",
        "account_email_verification_sent",
    ]:
        pages[name] = assert_the_clubs_page(client.get(reverse(name)), name)
    bad_key = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "nope"})
    assert "does not work" in assert_the_clubs_page(client.get(bad_key), bad_key)
    bad_confirm = reverse("account_confirm_email", args=["nope"])
    assert_the_clubs_page(client.get(bad_confirm), bad_confirm)

    # The emailed code is offered first, then the password; newcomers are sent to request access.
    login = pages["account_login"]
    assert login.index("Email me a sign-in code") < login.index("Sign in with a password instead")
    assert reverse("members:join") in login
    assert "want to come back" in login.lower()
    assert "Request meeting access" in pages["account_signup"]
    assert reverse("members:join") in pages["account_inactive"]


def test_the_code_pages_and_email_are_the_clubs(client, member):
    client.post(reverse("account_request_login_code"), {"email": member.email})
    html = assert_the_clubs_page(client.get(reverse("account_confirm_login_code")), "confirm code")
    assert 'autocomplete="one-time-code"' in html
    assert member.email in html
    (message,) = mail.outbox
    assert message.subject.startswith("[Solidarity Club] Your sign-in code")
    assert "In solidarity" in message.body
    html_part = message.alternatives[0][0]
    assert code_from(message) in html_part
    assert settings.CLUB_CONTACT_EMAIL in html_part
    # A wrong code: the error summary on top links to the field.
    response = client.post(reverse("account_confirm_login_code"), {"code": "XXXX-XXXX"})
    html = assert_the_clubs_page(response, "wrong code")
    assert 'class="form-errors"' in html
    assert 'href="#id_code"' in html
    assert 'aria-invalid="true"' in html


def test_the_password_reset_walk_and_its_email(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    (message,) = mail.outbox
    assert "In solidarity" in message.body
    assert message.alternatives[0][1] == "text/html"
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body).group(0)
    response = client.get(link, follow=True)
    html = assert_the_clubs_page(response, link)
    assert "Set a new password" in html
    response = client.post(
        response.request["PATH_INFO"],
        {"password1": "a fresh long passphrase", "password2": "a fresh long passphrase"},
    )
    assert response.status_code == 302
    assert_the_clubs_page(client.get(response["Location"]), "done")


def test_a_member_who_left_is_told_they_can_come_back(client, db):
    gone = create_member("gone@example.org", password=PASSWORD, display_name="Gone")
    gone.is_active = False
    gone.save()
    response = client.post(reverse("account_login"), {"login": gone.email, "password": PASSWORD}, follow=True)
    html = assert_the_clubs_page(response, "inactive")
    assert "come back" in html
    assert reverse("members:join") in html


@pytest.mark.parametrize(
    "name",
    [
        "account_logout",
        "account_reauthenticate",
        "account_email",
        "account_change_password",
        "mfa_index",
    ],
)
def test_a_member_walks_every_account_page(member_client, name):
    assert_the_clubs_page(member_client.get(reverse(name), follow=True), name)


def test_the_two_factor_pages_are_the_clubs(client, organizer):
    import time

    from allauth.mfa.totp.internal.auth import hotp_value

    client.post(reverse("account_login"), {"login": organizer.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    html = assert_the_clubs_page(response, "activate totp")
    assert 'autocomplete="one-time-code"' in html
    secret = response.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": f"{hotp_value(secret, int(time.time()) // 30):06d}"})
    client.post(reverse("account_logout"))
    response = client.post(
        reverse("account_login"), {"login": organizer.email, "password": PASSWORD}, follow=True
    )
    html = assert_the_clubs_page(response, "2fa authenticate")
    assert 'autocomplete="one-time-code"' in html


def test_allauth_notices_are_in_the_clubs_voice_with_the_one_time_format(rf, organizer):
    from allauth.account.adapter import get_adapter
    from allauth.core import context as allauth_context
    from django.utils import timezone

    from solidarityclub.times import format_when

    request = rf.get("/")
    request.user = organizer
    now = timezone.now()
    with allauth_context.request_context(request):
        message = get_adapter().render_mail(
            "mfa/email/totp_activated",
            organizer.email,
            {"user": organizer, "timestamp": now, "ip": "192.0.2.1", "user_agent": "Firefox"},
        )
    assert f"When: {format_when(now)}" in message.body
    assert "In solidarity" in message.body
    assert format_when(now) in message.alternatives[0][0]
