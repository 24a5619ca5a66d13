"""A burst of /join/ posts against the site as `make run` serves it on SQLite: a real file, a real server.

The suite's own SQLite database lives in memory, where locks behave differently,
so this test migrates a file database and serves it with gunicorn's threads.
"""

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from tests.members_support import assert_limited, join_data

PROJECT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the PostgreSQL run has its own burst test in test_members_join.py"
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory):
    database = tmp_path_factory.mktemp("burst") / "db.sqlite3"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env = {
        **clean,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SECRET_KEY": "burst-test-only-0123456789abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_MANIFEST": "false",
        "DJANGO_PAGE_CACHE_SECONDS": "0",
    }
    for command in (["migrate", "--no-input", "-v0"], ["createcachetable"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=PROJECT, env=env, check=True, timeout=300)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "solidarityclub.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "8", "--timeout", "60"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield base, database
    finally:
        server.terminate()
        server.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_at_once(base, forms):
    """Each form from its own thread, all released together; returns the statuses."""
    page = urllib.request.urlopen(f"{base}/join/", timeout=30)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.headers["Set-Cookie"]).group(1)
    csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    opener = urllib.request.build_opener(NoRedirect)
    barrier = threading.Barrier(len(forms))

    def post(form):
        body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": csrf_token}).encode()
        request = urllib.request.Request(
            f"{base}/join/", body, headers={"Cookie": f"csrftoken={csrf_cookie}"}
        )
        barrier.wait(timeout=30)
        try:
            return opener.open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        return sorted(pool.map(post, forms))


def saved_requests(database):
    import sqlite3

    with sqlite3.connect(database) as db:
        return db.execute("SELECT COUNT(*) FROM members_accessrequest").fetchone()[0]


def test_a_burst_on_sqlite_gets_the_limit_through_and_a_friendly_429_for_the_rest(sqlite_server):
    base, database = sqlite_server
    statuses = post_at_once(base, [join_data(email=f"burst{n}@example.org") for n in range(10)])
    assert_limited(statuses, limit=5)
    assert saved_requests(database) == statuses.count(302)
