"""Shared fixtures: the roles every permission matrix runs through.

visitor (anonymous client), member, member on a break, organizer (staff).
Users are alice (member), bob (member on a break), olga (organizer).
"""

import io
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from members.accounts import create_member

PASSWORD = "correct horse battery staple"


def pytest_configure(config):
    """The translations compiled as `make test` does, so that pytest alone tests the same catalog.

    Each process (xdist's workers too) compiles a stale .mo into a temporary file and
    moves it into place, so that no process ever reads half a file.
    """
    import os
    import subprocess
    import tempfile

    for po in Path(__file__).resolve().parent.parent.glob("locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        handle, temporary = tempfile.mkstemp(dir=po.parent, suffix=".mo-tmp")
        os.close(handle)
        subprocess.run(["msgfmt", "--check-format", "-o", temporary, str(po)], check=True)
        os.replace(temporary, mo)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_cache():
    """Each test starts with an empty page cache in this process's memory (the shared one is rolled back)."""
    from solidarityclub.pagecache import reset_process_cache

    reset_process_cache()
    yield
    reset_process_cache()


@pytest.fixture
def frozen_clock():
    """The clock stands still, moved only by the test: `frozen_clock.tick(seconds)`."""
    import time

    import time_machine

    class Clock:
        def __init__(self, traveller):
            self.traveller = traveller

        def tick(self, seconds):
            self.traveller.shift(seconds)

    with time_machine.travel(time.time(), tick=False) as traveller:
        yield Clock(traveller)


@pytest.fixture
def kept_pages(settings, db):
    """The page cache on, as in production, with its X-Cache header; both levels empty."""
    from django.core.cache import cache

    from solidarityclub.pagecache import reset_process_cache

    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_HEADER = True
    cache.clear()
    reset_process_cache()
    yield
    reset_process_cache()


@pytest.fixture
def on_redis(settings):
    """The shared cache is the local Redis (REDIS_URL's backend); skipped where none runs."""
    from solidarityclub.pagecache import reset_process_cache
    from tests.member_pages_support import use_redis

    shared = use_redis(settings)
    shared.get("probe")
    if shared._away:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    yield shared
    shared._away, shared._away_until = False, 0.0
    shared.clear()
    reset_process_cache()


@pytest.fixture
def bob(db):
    return create_member("bob@example.org", password=PASSWORD, display_name="Bob")


@pytest.fixture
def member(db):
    return create_member("alice@example.org", password=PASSWORD, display_name="Alice")


@pytest.fixture
def member_on_break(db):
    return create_member("bob@example.org", password=PASSWORD, display_name="Bob", break_since=timezone.now())


@pytest.fixture
def organizer(db):
    return create_member("olga@example.org", password=PASSWORD, display_name="Olga", is_staff=True)


@pytest.fixture
def visitor_client(client):
    return client


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def break_client(client, member_on_break):
    client.force_login(member_on_break)
    return client


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


@pytest.fixture
def left_member(db):
    """A member who left the club (an inactive account)."""
    from members.accounts import leave

    return leave(create_member("lee@example.org", password=PASSWORD, display_name="Lee"))


ROLES = ["visitor", "member", "member_on_break", "organizer"]


@pytest.fixture
def client_for(client, request, db):
    """client_for("member") → the test client signed in as that role's user, or anonymous for "visitor".

    The user is the role's fixture (`member`, `member_on_break`, `organizer`, `left_member`), so a
    test that also asks for `member` gets the same Alice its client is signed in as.
    """

    def make(role):
        if role != "visitor":
            client.force_login(request.getfixturevalue(role))
        return client

    return make


@contextmanager
def database_unreachable(tmp_dir):
    """Swap in a connection to a database that cannot be reached, then restore the real one."""
    real = connections["default"]
    unreachable = dict(real.settings_dict)
    if real.vendor == "sqlite":
        unreachable["NAME"] = str(Path(tmp_dir) / "missing-folder" / "db.sqlite3")
    else:
        unreachable.update(HOST="127.0.0.1", PORT="9")  # nothing listens on port 9
    connections["default"] = real.__class__(unreachable, alias="default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = real


@pytest.fixture
def database_down(tmp_path):
    with database_unreachable(tmp_path):
        yield


def seed_demo(stdout=None):
    """`manage.py seed_demo` as `make run` calls it (DEBUG on: the demo's published password)."""
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=stdout or io.StringIO())
