"""A database that accepts connections and never answers: the site answers 503 quickly, never hangs."""

import socket
import threading
import time

import pytest
from django.db import connection, connections

from tests.test_security import PRODUCTION_ENV, run_manage


@pytest.fixture
def stalled_database():
    """A local socket that accepts every connection and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


REQUESTS = """
import time
from django.test import Client
client = Client(raise_request_exception=False)
client.get("/robots.txt")  # a running server has its URLs and views loaded already
for path in ["/healthz", "/blog/", "/meetings/"]:
    started = time.monotonic()
    response = client.get(path)
    print(path, response.status_code, response.get("Retry-After"), round(time.monotonic() - started, 1))
"""


def test_a_stalled_database_gets_503_quickly_on_every_page(stalled_database):
    env = {
        **PRODUCTION_ENV,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_MANIFEST": "false",
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{stalled_database}/nothing",
        "REDIS_URL": "",
        "DJANGO_CONN_MAX_AGE": "0",
    }
    result = run_manage("shell", "--no-imports", "-c", REQUESTS, env=env)
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line.startswith("/")}
    assert set(lines) == {"/healthz", "/blog/", "/meetings/"}, result.stdout + result.stderr
    status, _, seconds = lines["/healthz"]
    assert status == "503"
    assert float(seconds) < 3
    for path in ["/blog/", "/meetings/"]:
        status, retry_after, seconds = lines[path]
        assert status == "503", path
        assert retry_after == "60", path
        # Gave up at the connect timeout (5 s by default), not at gunicorn's 30 s.
        assert float(seconds) < 10, path


def test_the_timeouts_come_from_the_environment():
    code = (
        "from django.conf import settings as s; o = s.DATABASES['default']['OPTIONS']; "
        "print(o['connect_timeout'], o['options'])"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.split() == ["5", "-c", "statement_timeout=15000"], result.stderr
    env.update(DJANGO_DB_CONNECT_TIMEOUT="2", DJANGO_DB_STATEMENT_TIMEOUT="30")
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.split() == ["2", "-c", "statement_timeout=30000"], result.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement timeout")
def test_postgresql_cancels_a_statement_that_runs_too_long(db):
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "15s"


def test_sqlite_waits_for_its_write_lock():
    code = "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS'])"
    result = run_manage("shell", "--no-imports", "-c", code, env={**PRODUCTION_ENV, "DATABASE_URL": ""})
    assert result.stdout.strip() == "{'timeout': 20, 'transaction_mode': 'IMMEDIATE'}", result.stderr


def test_the_database_error_page_is_friendly(client, member, tmp_path):
    from tests.conftest import database_unreachable

    client.raise_request_exception = False
    client.force_login(member)
    with database_unreachable(tmp_path):
        started = time.monotonic()
        response = client.get("/members/settings/")
        assert time.monotonic() - started < 10
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Back in a moment" in response.content.decode()
