"""Issue 11, point 11: a bare `migrate`, then `createsuperuser`, works on a fresh database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, database_url):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SUPERUSER_PASSWORD": "a long enough password 4711",
        "DJANGO_PAGE_CACHE_SECONDS": "60",
    }
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_migrate_then_createsuperuser_on_a_fresh_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    migrated = manage("migrate", "--no-input", database_url=url)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    created = manage("createsuperuser", "--no-input", "--email", "admin@example.org", database_url=url)
    assert created.returncode == 0, created.stderr[-3000:]
    assert "Superuser created successfully." in created.stdout
    # The documented order (createcachetable after migrate) still works too.
    assert manage("createcachetable", database_url=url).returncode == 0


@pytest.mark.django_db
def test_the_test_database_has_the_cache_table():
    from django.core.cache import cache

    cache.set("bare-migrate", "ok")
    assert cache.get("bare-migrate") == "ok"
