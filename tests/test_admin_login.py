"""The admin signs in through allauth: its second factor and its rate limits apply there too."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.urls import reverse

from tests.conftest import PASSWORD, ROLES
from tests.test_security import PRODUCTION_ENV, run_manage


def totp_code(secret):
    return f"{hotp_value(secret, int(time.time()) // 30):06d}"


@pytest.fixture
def organizer_with_totp(organizer):
    secret = generate_totp_secret()
    TOTP.activate(organizer, secret)
    organizer.totp_secret = secret
    return organizer


def signed_in_user(client):
    return client.get(reverse("admin:index")).wsgi_request.user


def test_the_admin_login_form_alone_lets_no_one_in(client, organizer_with_totp):
    response = client.post(
        reverse("admin:login"), {"username": organizer_with_totp.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not signed_in_user(client).is_authenticated


def test_the_admin_sends_visitors_to_the_site_sign_in_and_back(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    assert response.status_code == 200


def test_an_organizer_with_totp_needs_the_code_for_the_admin(client, organizer_with_totp):
    response = client.post(
        f"{reverse('account_login')}?next=/admin/",
        {"login": organizer_with_totp.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # The password alone opens nothing.
    assert client.get(reverse("admin:index")).status_code == 302
    assert not signed_in_user(client).is_authenticated
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert not signed_in_user(client).is_authenticated
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(organizer_with_totp.totp_secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_passwords_for_the_admin_are_rate_limited(client, organizer):
    login_url = f"{reverse('account_login')}?next=/admin/"
    for _ in range(12):
        client.post(login_url, {"login": organizer.email, "password": "wrong"})
        client.post(reverse("admin:login"), {"username": organizer.email, "password": "wrong"})
    # The right password is refused while the limit holds, on both doors.
    response = client.post(login_url, {"login": organizer.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    client.post(reverse("admin:login"), {"username": organizer.email, "password": PASSWORD})
    assert not signed_in_user(client).is_authenticated


@pytest.mark.parametrize("role", ROLES)
def test_admin_login_permission_matrix(client_for, role):
    response = client_for(role).get(reverse("admin:login"))
    if role == "visitor":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif role == "organizer":
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:index")
    else:
        assert response.status_code == 403


def test_required_2fa_sends_an_organizer_without_it_to_set_it_up(client, organizer, settings):
    settings.CLUB_REQUIRE_ORGANIZER_2FA = True
    client.force_login(organizer)
    for path in [reverse("admin:index"), reverse("admin:members_user_changelist")]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    response = client.get(reverse("admin:index"), follow=True)
    assert "second factor before the admin opens" in response.content.decode()
    # Recovery codes alone are not an authenticator.
    Authenticator.objects.create(user=organizer, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert client.get(reverse("admin:index")).status_code == 302


def test_required_2fa_lets_an_organizer_with_totp_in(client, organizer_with_totp, settings):
    settings.CLUB_REQUIRE_ORGANIZER_2FA = True
    client.force_login(organizer_with_totp)
    assert client.get(reverse("admin:index")).status_code == 200


def test_required_2fa_leaves_the_rest_of_the_site_alone(client, organizer, settings):
    settings.CLUB_REQUIRE_ORGANIZER_2FA = True
    client.force_login(organizer)
    assert client.get(reverse("members:settings")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_2fa_for_organizers_is_on_by_default_in_production():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.CLUB_REQUIRE_ORGANIZER_2FA)",
        env={**PRODUCTION_ENV, "CLUB_REQUIRE_ORGANIZER_2FA": ""},
    )
    assert result.stdout.strip() == "True", result.stderr
