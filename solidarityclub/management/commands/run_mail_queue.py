"""Send queued emails within seconds of a request.

On PostgreSQL this is django-mailer's `runmailer_pg`: a trigger NOTIFYs the
sender the moment a message is queued (and it still sweeps the queue every
MAILER_EMPTY_QUEUE_SLEEP seconds for retries). Elsewhere (SQLite, `make run`)
it is `runmailer` with a short sleep between looks at the queue.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Send queued emails as they arrive (LISTEN/NOTIFY on PostgreSQL, a short sleep elsewhere)."

    def handle(self, *args, **options):
        call_command(mailer_command(connection.vendor), stdout=self.stdout, stderr=self.stderr)


def mailer_command(vendor):
    return "runmailer_pg" if vendor == "postgresql" else "runmailer"
