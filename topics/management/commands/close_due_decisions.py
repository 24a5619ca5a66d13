from django.core.management.base import BaseCommand

from topics.decisions import close_due


class Command(BaseCommand):
    help = (
        "Close every open decision whose closing time has come and count its ballots. "
        "Run it every few minutes (the scheduler does): a decision is closed and counted once."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Closed {close_due()} decision(s).")
