"""Meeting reminders: sent a set number of hours before each meeting, once.

`manage.py send_meeting_reminders` runs this every few minutes. It catches up
after downtime — any meeting whose reminder time has passed but which has not
started yet gets its reminders — and never reminds after the start. A
ReminderSent row per member and start time, unique in the database and written
in the same transaction as the queued email, makes it safe to run twice, at
once, or after an interruption.
"""

import logging
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import emails
from .models import RSVP, Meeting, ReminderSent

logger = logging.getLogger(__name__)


def due_meetings(now, hours):
    return (
        Meeting.objects.scheduled()
        .filter(starts_at__gt=now, starts_at__lte=now + timedelta(hours=hours))
        .prefetch_related("agenda_items")
        .order_by("starts_at")
    )


def recipients(meeting):
    """Members in good standing who want reminders, have not said no, and were not reminded yet."""
    return (
        get_user_model()
        .objects.in_good_standing()
        .filter(wants_meeting_reminders=True)
        .exclude(meeting_rsvps__meeting=meeting, meeting_rsvps__answer=RSVP.Answer.CANT)
        .exclude(
            pk__in=ReminderSent.objects.filter(meeting=meeting, starts_at=meeting.starts_at).values("user")
        )
        .order_by("pk")
    )


def send_due_reminders(now=None, hours=None):
    """Queue every reminder that is due; returns how many were queued."""
    now = (now or timezone.now()).astimezone(UTC)
    hours = settings.MEETING_REMINDER_HOURS if hours is None else hours
    sent = 0
    for meeting in due_meetings(now, hours):
        try:
            sent += _remind(meeting, now)
        except (OverflowError, ValueError):
            # One meeting with a value written past validation must not stop everyone's reminders.
            logger.exception("Reminders for meeting %s skipped: it cannot be rendered", meeting.pk)
    return sent


def _remind(meeting, now):
    sent = 0
    for user in recipients(meeting):
        try:
            # The row and the queued email (django-mailer writes to this database) commit
            # together: if queueing fails, the reminder is not recorded as sent.
            with transaction.atomic():
                ReminderSent.objects.create(meeting=meeting, user=user, starts_at=meeting.starts_at)
                emails.send_reminder(meeting, user, now)
        except IntegrityError:
            continue  # another run reminded this member a moment ago
        sent += 1
    return sent
