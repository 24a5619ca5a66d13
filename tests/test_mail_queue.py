"""Emails arrive in seconds: `run_mail_queue` wakes on NOTIFY (PostgreSQL) or looks every 2 s;
`make run` prints them readably."""

import io
import subprocess
import time

import pytest
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection

from solidarityclub.emails import ConsoleBackend, send_email
from solidarityclub.management.commands.run_mail_queue import mailer_command
from tests.smtp_sink import SmtpSink
from tests.test_exactly_once import start_manage


def test_the_queue_is_looked_at_every_two_seconds_without_postgresql():
    assert mailer_command("sqlite") == "runmailer"
    assert mailer_command("postgresql") == "runmailer_pg"
    if not settings.MAILER_USE_FILE_LOCK:
        assert settings.MAILER_EMPTY_QUEUE_SLEEP == 30  # only the sweep for retries: NOTIFY wakes it
    else:
        assert settings.MAILER_EMPTY_QUEUE_SLEEP == 2


def test_make_run_prints_an_email_readably():
    out = io.StringIO()
    message = EmailMultiAlternatives(
        "Welcome to the club", "Hello Nia,\n\nwelcome!\n", to=["nia@example.org"], reply_to=["us@example.org"]
    )
    message.attach_alternative("<p>Hello</p>", "text/html")
    assert ConsoleBackend(stream=out).send_messages([message]) == 1
    printed = out.getvalue()
    assert "To:      nia@example.org" in printed
    assert "Subject: Welcome to the club" in printed
    assert "Hello Nia,\n\nwelcome!" in printed
    assert "Content-Type" not in printed
    assert "<p>" not in printed


@pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_email_is_sent_within_seconds_of_the_request(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"  # the queue, as in production
    with SmtpSink() as sink:
        mailer = start_manage("run_mail_queue", smtp_port=sink.port)
        try:
            # Ready once it listens (it installs its trigger first).
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN %%'")
                    if cursor.fetchone()[0]:
                        break
                time.sleep(0.2)
            send_email("members/emails/confirm", ["nia@example.org"], {"confirm_url": "https://x/"})
            queued = time.monotonic()
            while not sink.messages and time.monotonic() - queued < 5:
                time.sleep(0.1)
            assert [m["To"] for m in sink.messages] == ["nia@example.org"]
        finally:
            mailer.terminate()
            try:
                output = mailer.communicate(timeout=10)[0]
            except subprocess.TimeoutExpired:
                mailer.kill()
                output = mailer.communicate()[0]
    assert sink.messages, output
