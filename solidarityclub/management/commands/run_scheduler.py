"""`manage.py run_scheduler`: the club's periodic jobs in one loop (the `scheduler` service).

The jobs are settings.SCHEDULED_COMMANDS: management commands (with their arguments,
as on a command line) and how often each runs, in seconds.
Every one of them settles "once" in the database (a unique row written in the same
transaction as the queued email, or a conditional update), so a second scheduler
started by mistake sends nothing twice: it only repeats the same checks. A job that
fails is logged and tried again at its next turn; SIGTERM stops the loop between jobs.
"""

import logging
import shlex
import signal
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the periodic jobs (settings.SCHEDULED_COMMANDS) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once, then exit.")

    def handle(self, *args, once=False, **options):
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        next_run = {name: 0.0 for name, _ in settings.SCHEDULED_COMMANDS}
        while not stop.is_set():
            for name, every in settings.SCHEDULED_COMMANDS:
                if stop.is_set() or time.monotonic() < next_run[name]:
                    continue
                self.run_job(name)
                next_run[name] = time.monotonic() + every
            if once:
                return
            stop.wait(max(0.0, min(next_run.values()) - time.monotonic()))

    def run_job(self, name):
        self.drop_broken_connection()
        try:
            call_command(*shlex.split(name), stdout=self.stdout, stderr=self.stderr)
        except Exception:
            logger.exception("scheduler: %s failed; it runs again at its next turn", name)
        finally:
            self.drop_broken_connection()

    @staticmethod
    def drop_broken_connection():
        # As after each request: a database restart between turns is survived. (Not inside
        # an atomic block, where the connection belongs to whoever opened the block.)
        if not connection.in_atomic_block:
            close_old_connections()
