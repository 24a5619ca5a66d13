from django.conf import settings
from django.core.management.base import BaseCommand

from meetings.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Email meeting reminders that are due (MEETING_REMINDER_HOURS before the start). "
        "Run it every few minutes: it catches up after downtime, never reminds after the start "
        "and never sends a reminder twice."
    )

    def handle(self, *args, **options):
        count = send_due_reminders()
        self.stdout.write(
            f"Queued {count} reminder(s) for meetings starting within {settings.MEETING_REMINDER_HOURS} hours."
        )
