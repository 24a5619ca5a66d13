"""EMAIL_URL, read by solidarityclub/settings.py: each form it accepts, to the Django settings it makes."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "solidarityclub" / "settings.py"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def email_settings(monkeypatch, **environment):
    """The email settings the settings module makes from this environment (EMAIL_HOST unset)."""
    for name in ("EMAIL_HOST", "EMAIL_URL", "EMAIL_URL_FILE", "EMAIL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DJANGO_SECRET_KEY", "test-only-key")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(SETTINGS_FILE))
    names = [
        "MAILER_EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        "EMAIL_TIMEOUT",
    ]
    return {name: values[name] for name in names if name in values}


def test_smtp_defaults_to_the_submission_port_with_starttls(monkeypatch):
    assert email_settings(monkeypatch, EMAIL_URL="smtp://mail.example.org") == {
        "MAILER_EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 20,
    }


def test_submission_on_port_587_uses_starttls(monkeypatch):
    found = email_settings(monkeypatch, EMAIL_URL="smtp://club:secret@mail.example.org:587")
    assert (found["EMAIL_PORT"], found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (587, True, False)
    assert (found["EMAIL_HOST_USER"], found["EMAIL_HOST_PASSWORD"]) == ("club", "secret")


def test_smtps_is_implicit_tls_on_port_465(monkeypatch):
    found = email_settings(monkeypatch, EMAIL_URL="smtps://club:secret@mail.example.org")
    assert found["MAILER_EMAIL_BACKEND"] == SMTP
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("mail.example.org", 465)
    assert (found["EMAIL_USE_SSL"], found["EMAIL_USE_TLS"]) == (True, False)


def test_smtps_on_another_port_stays_implicit_tls(monkeypatch):
    found = email_settings(monkeypatch, EMAIL_URL="smtps://mail.example.org:2465")
    assert (found["EMAIL_PORT"], found["EMAIL_USE_SSL"], found["EMAIL_USE_TLS"]) == (2465, True, False)


def test_smtp_on_port_25_is_plain_relay_without_tls(monkeypatch):
    found = email_settings(monkeypatch, EMAIL_URL="smtp://relay.internal:25")
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("relay.internal", 25)
    assert (found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (False, False)


def test_a_user_and_password_with_escaped_characters_are_unquoted(monkeypatch):
    # "us@solidarityclub.org" and "p@ss:w/rd%" escaped as a URL needs them.
    url = "smtp://us%40solidarityclub.org:p%40ss%3Aw%2Frd%25@mail.example.org:587"
    found = email_settings(monkeypatch, EMAIL_URL=url)
    assert found["EMAIL_HOST_USER"] == "us@solidarityclub.org"
    assert found["EMAIL_HOST_PASSWORD"] == "p@ss:w/rd%"
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("mail.example.org", 587)


def test_the_timeout_comes_from_email_timeout(monkeypatch):
    found = email_settings(monkeypatch, EMAIL_URL="smtp://mail.example.org", EMAIL_TIMEOUT="5")
    assert found["EMAIL_TIMEOUT"] == 5


def test_the_url_may_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "email_url"
    secret.write_text("smtps://club:secret@mail.example.org\n")
    found = email_settings(monkeypatch, EMAIL_URL_FILE=str(secret))
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"], found["EMAIL_HOST_PASSWORD"]) == (
        "mail.example.org",
        465,
        "secret",
    )


def test_without_email_url_mail_is_printed_in_the_terminal(monkeypatch):
    assert email_settings(monkeypatch) == {
        "MAILER_EMAIL_BACKEND": "solidarityclub.emails.ConsoleBackend",
        "EMAIL_HOST": "",  # (the empty EMAIL_HOST that was looked up first)
    }


def test_email_host_wins_over_email_url(monkeypatch):
    found = email_settings(monkeypatch, EMAIL_HOST="smtp.example.net", EMAIL_URL="smtps://mail.example.org")
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"], found["EMAIL_USE_TLS"]) == (
        "smtp.example.net",
        587,
        True,
    )


def test_console_url_prints_mail_in_the_terminal(monkeypatch):
    found = email_settings(monkeypatch, EMAIL_URL="console://")
    assert found["MAILER_EMAIL_BACKEND"] == "solidarityclub.emails.ConsoleBackend"


@pytest.mark.parametrize(
    "url", ["mail.example.org", "smpt://mail.example.org", "smtp://mail.example.org:port"]
)
def test_a_bad_email_url_is_a_clear_error(monkeypatch, url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings(monkeypatch, EMAIL_URL=url)


def test_a_bad_email_url_never_shows_its_password(monkeypatch):
    with pytest.raises(ImproperlyConfigured) as refused:
        email_settings(monkeypatch, EMAIL_URL="smpt://club:s3cret-pass@mail.example.org")
    assert "s3cret-pass" not in str(refused.value)
