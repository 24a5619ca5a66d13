"""Two mailers and two schedulers at once send every email exactly once (PostgreSQL).

Real processes (`manage.py run_scheduler --once`, `manage.py send_mail`) against the
test database, delivering to a real SMTP server (tests/smtp_sink.py): a second mailer
or scheduler started by mistake must never send anything twice. The guarantees are
database ones (row locks, unique rows), not timing.
"""

import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from mailer.models import Message, MessageLog

from blog.announcements import send_announcement
from blog.models import AnnouncementDelivery, Kind, Post
from meetings.models import ReminderSent
from members import access
from members.models import User
from tests.factories import ensure_standard_template, make_meeting, make_members
from tests.smtp_sink import SmtpSink

PROJECT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks and several processes"),
    pytest.mark.django_db(transaction=True),
]


def database_url_of_tests():
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"


def start_manage(*args, smtp_port=None):
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_tests(),
        "DJANGO_LOG_LEVEL": "WARNING",
        "SITE_URL": "https://club.example.org",
    }
    if smtp_port:
        env.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_port), EMAIL_USE_TLS="false")
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_twice_at_once(*args, smtp_port=None):
    processes = [start_manage(*args, smtp_port=smtp_port) for _ in range(2)]
    outputs = [process.communicate(timeout=240)[0] for process in processes]
    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output
    return outputs


def test_two_schedulers_and_two_mailers_deliver_each_message_exactly_once(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"  # the queue, as in production
    ensure_standard_template()
    members = make_members(150, prefix="member", display_name="Member {i}")

    # 20 newcomers ask for access: 20 confirmation emails.
    web_request = RequestFactory().post("/join/")
    for i in range(20):
        access.submit(
            {
                "name": f"Newcomer {i}",
                "email": f"new{i}@example.org",
                "motivation": "To learn together.",
                "agreed_to_code_of_conduct": True,
            },
            request=web_request,
        )

    # An announcement sent by two organizers at the same moment: 150 emails, not 300.
    post = Post.objects.create(
        title="We meet again",
        body="Hello all",
        kind=Kind.ANNOUNCEMENT,
        status=Post.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(minutes=1),
    )
    barrier = threading.Barrier(2)

    def send():
        try:
            barrier.wait(timeout=10)
            send_announcement(post)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert AnnouncementDelivery.objects.filter(post=post).count() == 150

    # Two schedulers at once: a meeting in 2 hours gets its reminders, once per member.
    meeting = make_meeting(timezone.now() + timedelta(hours=2))
    for user in members[:30]:  # only some want reminders
        User.objects.filter(pk=user.pk).update(wants_meeting_reminders=True)
    User.objects.exclude(pk__in=[user.pk for user in members[:30]]).update(wants_meeting_reminders=False)
    run_twice_at_once("run_scheduler", "--once")
    assert ReminderSent.objects.filter(meeting=meeting).count() == 30

    queued = Message.objects.count()
    assert queued == 20 + 150 + 30

    # Two mailers at once, delivering to a real SMTP server.
    with SmtpSink() as sink:
        run_twice_at_once("send_mail", smtp_port=sink.port)
        delivered = sink.message_ids()

    assert len(delivered) == queued
    assert [mid for mid, n in Counter(delivered).items() if n > 1] == []
    assert Message.objects.count() == 0
    assert MessageLog.objects.count() == queued
    recipients = Counter(
        address.addr_spec for message in sink.messages for address in message["To"].addresses
    )
    assert recipients.most_common(1)[0][1] == 2  # a member who wants both: the announcement and a reminder
    assert all(recipients[f"member{i}@example.org"] == 2 for i in range(30))
    assert all(recipients[f"member{i}@example.org"] == 1 for i in range(30, 150))
    assert all(recipients[f"new{i}@example.org"] == 1 for i in range(20))
