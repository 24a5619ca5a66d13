from django.core.management.base import BaseCommand
from django.utils import timezone

from members.models import AccessRequest, AccessRequestRevision
from members.tokens import CONFIRM_MAX_AGE


class Command(BaseCommand):
    help = "Delete access requests whose address was never confirmed, 30 days after they were last sent."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Age in days (default 30).")

    def handle(self, *args, days, **options):
        _, per_model = AccessRequest.objects.stale_unconfirmed(days=days).delete()
        deleted = per_model.get(AccessRequest._meta.label, 0)
        self.stdout.write(f"Deleted {deleted} unconfirmed access request{'s' if deleted != 1 else ''}.")
        # New text for an open request can be confirmed for as long as its link works.
        AccessRequestRevision.objects.filter(created_at__lt=timezone.now() - CONFIRM_MAX_AGE).delete()
