from django.core.management.base import BaseCommand

from members.digest import send_due_digests


class Command(BaseCommand):
    help = (
        "Email the weekly digest to members who chose it, on Monday morning in their time zone. "
        "Run it every few minutes: it catches up after downtime and never sends twice for a member and week."
    )

    def handle(self, *args, **options):
        result = send_due_digests()
        self.stdout.write(
            f"Queued {result.queued} weekly digest(s); {result.nothing_to_tell} member(s) had nothing new."
        )
        for user in result.failed:
            self.stderr.write(f"No digest for member {user.pk}: their address cannot be used.")
