from django.core.management.base import BaseCommand

from members.models import AccessRequest


class Command(BaseCommand):
    help = "Delete access requests whose address was never confirmed, 30 days after they were last sent."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Age in days (default 30).")

    def handle(self, *args, days, **options):
        _, per_model = AccessRequest.objects.stale_unconfirmed(days=days).delete()
        deleted = per_model.get(AccessRequest._meta.label, 0)
        self.stdout.write(f"Deleted {deleted} unconfirmed access request{'s' if deleted != 1 else ''}.")
