"""Reminders (`send_meeting_reminders`) and notices when a meeting moves or is cancelled."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from mailer.models import Message

from meetings.models import RSVP, Meeting, ReminderSent
from meetings.reminders import send_due_reminders
from members.accounts import create_member
from tests.factories import club, make_meeting

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/secret-room-4711"


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def people(member, member_on_break, organizer):
    quiet = create_member("quiet@example.org", display_name="Quiet", wants_meeting_reminders=False)
    gone = create_member("gone@example.org", display_name="Gone")
    gone.is_active = False
    gone.save()
    return {"member": member, "break": member_on_break, "organizer": organizer, "quiet": quiet, "gone": gone}


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Run the reminders as the command does, with the after-commit emails sent."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(**kwargs)

    return run


@pytest.fixture
def command(django_capture_on_commit_callbacks):
    def run():
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_meeting_reminders", stdout=out)
        return out.getvalue()

    return run


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def bodies(message):
    return message.body, message.alternatives[0][0]


def test_it_reminds_members_in_good_standing_who_want_it_with_the_link(people, now, settings, command):
    settings.MEETING_REMINDER_HOURS = 24
    meeting = make_meeting(now + timedelta(hours=23), title="Reading club", video_link=LINK)
    make_meeting(now + timedelta(hours=30), title="Not yet")  # its reminder time has not come
    assert "Queued 2 reminder(s)" in command()
    assert recipients() == ["alice@example.org", "olga@example.org"]
    message = mail.outbox[0]
    assert message.subject.startswith("Reminder: Reading club, ")
    for body in bodies(message):
        assert LINK in body
        assert f"/meetings/{meeting.pk}/" in body
        assert "Intro, check-in and welcome" in body
        assert "your settings" in body
    assert "https://testserver/meetings/" in message.body  # absolute, from SITE_URL


def test_it_never_reminds_twice_even_when_run_again(people, now, remind, command):
    make_meeting(now + timedelta(hours=2))
    assert remind() == 2
    assert remind() == 0
    command()
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2


def test_it_catches_up_after_downtime_but_never_after_the_start(people, now, remind):
    # The scheduler was down: one reminder time passed long ago but the meeting is still ahead.
    ahead = make_meeting(now + timedelta(minutes=5), title="Ahead")
    make_meeting(now - timedelta(minutes=5), title="Started")
    make_meeting(now - timedelta(days=3), title="Long over")
    remind(now=now)
    assert {message.subject.split(",")[0] for message in mail.outbox} == {"Reminder: Ahead"}
    mail.outbox.clear()
    # Still down until after the start: nothing is sent late.
    assert remind(now=ahead.starts_at + timedelta(seconds=1)) == 0
    assert mail.outbox == []


def test_an_interrupted_run_finishes_the_rest_without_repeating(people, now, remind):
    meeting = make_meeting(now + timedelta(hours=1))
    # As if a run was killed after reminding the organizer only.
    ReminderSent.objects.create(meeting=meeting, user=people["organizer"], starts_at=meeting.starts_at)
    assert remind(now=now) == 1
    assert recipients() == ["alice@example.org"]


def test_it_skips_cancelled_meetings_and_members_who_said_no(people, now, remind):
    cancelled = make_meeting(now + timedelta(hours=1), title="Cancelled one")
    cancelled.cancel("x")
    meeting = make_meeting(now + timedelta(hours=2))
    RSVP.objects.create(meeting=meeting, user=people["member"], answer="cant")
    remind(now=now)
    assert recipients() == ["olga@example.org"]


def test_a_meeting_that_moves_is_reminded_again_before_its_new_time(people, now, remind):
    meeting = make_meeting(now + timedelta(hours=1))
    remind(now=now)
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    meeting.move(now + timedelta(days=7))
    remind(now=now + timedelta(days=6, hours=12))
    assert recipients() == ["alice@example.org", "olga@example.org"]


def test_a_reminder_respects_a_late_link_and_the_members_zone(people, now, remind):
    people["member"].time_zone = "Europe/Berlin"
    people["member"].save()
    make_meeting(now + timedelta(hours=3), video_link=LINK, link_visible_minutes_before=30)
    remind(now=now)
    (message,) = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    for body in bodies(message):
        assert LINK not in body
        assert "30 minutes before the start" in body
        assert "your time" in body


def test_reminder_hours_come_from_the_setting(people, now, settings, remind):
    settings.MEETING_REMINDER_HOURS = 2
    make_meeting(now + timedelta(hours=3))
    assert remind(now=now) == 0
    assert remind(now=now + timedelta(hours=1, minutes=1)) == 2


# --- notices to those who RSVPed -------------------------------------------------------


@pytest.fixture
def rsvped(people, now):
    meeting = make_meeting(club(2030, 5, 2, 18), title="Workshop", video_link=LINK)
    RSVP.objects.create(meeting=meeting, user=people["member"], answer="going")
    RSVP.objects.create(meeting=meeting, user=people["organizer"], answer="maybe")
    RSVP.objects.create(meeting=meeting, user=people["break"], answer="going")
    RSVP.objects.create(meeting=meeting, user=people["quiet"], answer="cant")
    RSVP.objects.create(meeting=meeting, user=people["gone"], answer="going")
    return meeting


def test_cancelling_tells_the_members_who_said_they_would_come(rsvped):
    assert rsvped.cancel("The facilitator is ill.") is True
    assert recipients() == ["alice@example.org", "olga@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Cancelled: Workshop on Thursday, May 2, 2030"
    for body in bodies(message):
        assert "The facilitator is ill." in body
        assert LINK not in body
    # Cancelling again, or saving it (e.g. editing the notes), tells nobody a second time.
    assert rsvped.cancel("Again") is False
    rsvped.notes = "x"
    rsvped.save()
    assert len(mail.outbox) == 2


def test_the_notices_say_what_each_member_answered(rsvped):
    rsvped.cancel("The facilitator is ill.")
    said = {message.to[0]: bodies(message) for message in mail.outbox}
    for body in said["alice@example.org"]:
        assert "you said you were going" in body
        assert "might come" not in body
    for body in said["olga@example.org"]:
        assert "you said you might come" in body
    mail.outbox.clear()
    other = make_meeting(club(2030, 6, 6, 18), title="Other")
    RSVP.objects.create(
        meeting=other,
        user=rsvped.rsvps.get(answer="going", user__email="alice@example.org").user,
        answer="going",
    )
    other.move(club(2030, 6, 7, 18))
    (message,) = mail.outbox
    for body in bodies(message):
        assert "you said you were going to" in body


def test_saving_sends_no_email_only_the_verbs_do(rsvped):
    rsvped.status = Meeting.Status.CANCELLED
    rsvped.cancellation_reason = "x"
    rsvped.starts_at = club(2030, 5, 9, 19)
    rsvped.save()
    assert mail.outbox == []


def test_cancelling_a_meeting_that_is_over_emails_no_one(rsvped, now):
    Meeting.objects.filter(pk=rsvped.pk).update(
        starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2) + timedelta(minutes=95)
    )
    rsvped.refresh_from_db()
    assert rsvped.cancel("Recorded afterwards") is True
    rsvped.refresh_from_db()
    assert rsvped.is_cancelled
    assert mail.outbox == []


def test_a_new_time_tells_the_members_who_said_they_would_come(rsvped):
    sequence = rsvped.sequence
    assert rsvped.move(club(2030, 5, 9, 19)) is True
    assert recipients() == ["alice@example.org", "olga@example.org"]
    message = mail.outbox[0]
    assert message.subject == "New time: Workshop is now Thursday, May 9, 2030 · 19:00 PDT"
    text, html = bodies(message)
    assert "was: Thursday, May 2, 2030 · 18:00 PDT" in text
    assert "now: Thursday, May 9, 2030 · 19:00–20:35 PDT" in text
    assert "19:00–20:35 PDT" in html
    assert rsvped.sequence > sequence
    mail.outbox.clear()
    assert rsvped.move(club(2030, 5, 9, 19)) is False
    rsvped.title = "Only the title"
    rsvped.save()
    assert mail.outbox == []


def test_the_notices_are_queued_in_the_same_transaction(rsvped, settings):
    """With the real queue: the cancellation and its emails commit together, or neither does."""
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"

    class RolledBackError(Exception):
        pass

    def cancel_then_fail():
        with transaction.atomic():
            rsvped.cancel("The facilitator is ill.")
            assert Message.objects.count() == 2  # queued right away, not after the commit
            raise RolledBackError

    with pytest.raises(RolledBackError):
        cancel_then_fail()
    rsvped.refresh_from_db()
    assert not rsvped.is_cancelled
    assert Message.objects.count() == 0
    rsvped.cancel("The facilitator is ill.")
    assert sorted(a for m in Message.objects.all() for a in m.to_addresses) == [
        "alice@example.org",
        "olga@example.org",
    ]


def test_a_reminder_is_recorded_only_if_its_email_is_queued(people, now, settings):
    """A failing queue used to leave ReminderSent rows behind: those reminders were lost."""
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    meeting = make_meeting(now + timedelta(hours=2))

    def queue_fails(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and Message._meta.db_table in sql:
            raise DatabaseError("the queue is unavailable")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(queue_fails), pytest.raises(DatabaseError):
        send_due_reminders(now=now)
    assert ReminderSent.objects.count() == 0
    assert send_due_reminders(now=now) == 2
    assert ReminderSent.objects.filter(meeting=meeting).count() == 2
    assert Message.objects.count() == 2
