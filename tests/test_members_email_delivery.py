"""Email reliability: a failed SMTP send keeps the request, shows in the admin, and is retried once."""

import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from mailer.models import Message, MessageLog

from members.models import AccessRequest
from tests.members_support import join_data


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_queue(settings):
    """The production set-up: emails join django-mailer's queue, an SMTP server nobody answers on."""
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.MAILER_USE_FILE_LOCK = False
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


def test_an_smtp_failure_keeps_the_request_shows_the_failure_and_a_retry_sends_once(
    client, organizer, mail_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/join/", join_data())
    assert response.status_code == 302
    access_request = AccessRequest.objects.get()
    assert Message.objects.count() == 1

    call_command("send_mail")

    # The request is kept, the email waits in the queue, the failure is logged.
    assert AccessRequest.objects.filter(pk=access_request.pk).exists()
    assert mail.outbox == []
    assert Message.objects.deferred().count() == 1
    [failure] = MessageLog.objects.all()
    assert failure.result == "3"  # failure
    assert failure.message_id == access_request.emails.get().message_id
    assert failure.log_message

    # Organizers see it: on the list of requests and on the request itself.
    client.force_login(organizer)
    listing = client.get(reverse("admin:members_accessrequest_changelist")).content.decode()
    assert "1 email could not be sent" in listing
    page = client.get(
        reverse("admin:members_accessrequest_change", args=[access_request.pk])
    ).content.decode()
    assert "Failed once" in page
    assert "will be retried" in page

    # The server answers again: the retry sends it, exactly once.
    mail_queue.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("retry_deferred")
    call_command("send_mail")
    call_command("retry_deferred")
    call_command("send_mail")
    assert [message.to for message in mail.outbox] == [["nia@example.org"]]
    assert mail.outbox[0].subject == "Please confirm your request for meeting access"
    assert Message.objects.count() == 0
    page = client.get(
        reverse("admin:members_accessrequest_change", args=[access_request.pk])
    ).content.decode()
    assert "Sent " in page
    assert "could not be sent" not in page


def test_a_queued_email_waits_for_the_commit(client, db, mail_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        client.post("/join/", join_data())
        assert AccessRequest.objects.count() == 1
        assert Message.objects.count() == 0
    for callback in callbacks:
        callback()
    assert Message.objects.count() == 1
