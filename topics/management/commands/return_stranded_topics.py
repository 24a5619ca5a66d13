from django.core.management.base import BaseCommand

from topics.backlog import return_stranded


class Command(BaseCommand):
    help = (
        "Put topics still gathered into meetings that are over (not marked discussed) back into "
        "the backlog, with their supports, and tell their proposers. Idempotent; the scheduler runs it."
    )

    def handle(self, *args, **options):
        returned = return_stranded()
        self.stdout.write(f"Returned {len(returned)} topic(s) to the backlog.")
