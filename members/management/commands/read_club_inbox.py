from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.inbox import BATCH, InboxError, read_inbox


class Command(BaseCommand):
    help = (
        "Read new messages in the club's mailbox (CLUB_IMAP_URL): requests for access join the queue, "
        "messages from members or open requests become notes for organizers. Run it every few minutes: "
        "each message is taken in once, and a message it cannot read stays in the mailbox."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=BATCH, help=f"At most this many messages (default {BATCH})."
        )

    def handle(self, *args, limit, **options):
        if not settings.CLUB_IMAP_URL:
            self.stdout.write("CLUB_IMAP_URL is not set: no mailbox to read.")
            return
        try:
            report = read_inbox(limit=max(1, limit))
        except InboxError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Read {report.read} message(s): {report.requests} new request(s), {report.notes} note(s), "
            f"{report.automatic} set aside as automatic, {report.already} taken in before, "
            f"{len(report.unreadable)} unreadable (left in the mailbox)."
        )
        for row in report.unreadable:
            self.stderr.write(f"Unreadable: {row.sender or '?'} “{row.subject}”: {row.reason}")
