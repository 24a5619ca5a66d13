"""Wait for the database, then migrate it and create the cache table.

docker/entrypoint.sh runs this before the web server starts. The wait is bounded
(DJANGO_DB_WAIT_SECONDS, 60 by default). Several web containers may start at the
same moment: on PostgreSQL an advisory lock lets one of them migrate while the
others wait, so no migration ever runs twice at once.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarityclub.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection  # noqa: E402

# Any fixed number, the same in every container of this site.
MIGRATION_LOCK = 0x50C1_DA21


def say(message):
    print(f"entrypoint: {message}", file=sys.stderr, flush=True)


def wait_for_database(seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection.ensure_connection()
            return
        except OperationalError as error:
            connection.close()
            if time.monotonic() >= deadline:
                say(f"the database did not answer within {seconds} s: {error}")
                raise SystemExit(1) from None
            say("waiting for the database…")
            time.sleep(1)


def migrate():
    if connection.vendor == "postgresql":
        # Held until this session ends: closing the connection releases it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
    try:
        call_command("migrate", interactive=False)
        call_command("createcachetable")
    finally:
        connection.close()


def main():
    raw_wait = os.environ.get("DJANGO_DB_WAIT_SECONDS", "").strip() or "60"
    try:
        wait_seconds = int(raw_wait)
    except ValueError:
        say(f"DJANGO_DB_WAIT_SECONDS must be a whole number, not {raw_wait!r}")
        raise SystemExit(2) from None
    wait_for_database(wait_seconds)
    migrate()


if __name__ == "__main__":
    main()
