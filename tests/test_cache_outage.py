"""Redis goes away and comes back: the site goes on, and nothing stale outlives the outage.

Real Redis servers on ports of their own (the redis-server binary .ci/run relies on).
"""

import shutil
import socket
import subprocess
import time
import uuid

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from solidarityclub import pagecache
from solidarityclub.cache import RedisCache, shared_cache_recovered

pytestmark = [
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
    pytest.mark.django_db,
]

FAST = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=10)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def test_calls_go_on_in_memory_while_redis_is_away_and_back_to_redis_after(redis_server, caplog):
    shared = RedisCache(redis_server.url, {"OPTIONS": FAST, "KEY_PREFIX": uuid.uuid4().hex})
    recovered = []

    def receiver(sender, **kwargs):
        recovered.append(sender)

    shared_cache_recovered.connect(receiver)
    try:
        shared.set("kept", "in redis")
        assert shared.get("kept") == "in redis"

        redis_server.stop()
        assert shared.get("kept") is None  # a miss, not an error
        assert "Redis is away" in caplog.text
        shared.set("session", "in memory")
        assert shared.get("session") == "in memory"
        assert shared.add("slot", 1) is True
        assert shared.add("slot", 1) is False  # rate-limit slots still count, in this process
        assert shared.incr("slot") == 2

        redis_server.start()  # an empty Redis, as after a restart
        shared._away_until = 0.0  # the retry pause is over
        assert shared.get("session") is None  # Redis again; the memory was only a stand-in
        assert recovered == [shared]
        assert shared.get("kept") is None
        shared.set("kept", "again")
        assert shared.get("kept") == "again"
        assert recovered == [shared]  # said once
    finally:
        shared_cache_recovered.disconnect(receiver)


def test_every_page_area_moves_on_when_redis_comes_back():
    before = dict(pagecache.versions.current())
    shared_cache_recovered.send(sender=None)
    after = pagecache.versions.current()
    assert all(after[area] != before[area] for area in pagecache.AREAS)


def test_visitors_and_members_are_served_while_redis_is_down(member):
    dead = {
        "default": {
            "BACKEND": "solidarityclub.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": FAST,
        }
    }
    with override_settings(CACHES=dead):
        pagecache.reset_process_cache()
        visitor = Client()
        for path in ["/", "/blog/", "/meetings/", "/about/"]:
            assert visitor.get(path).status_code == 200, path
            assert visitor.get(path).status_code == 200, path
        signed_in = Client()
        signed_in.force_login(member)  # the session is written to the database as well
        cache.clear()
        response = signed_in.get("/topics/")
        assert response.status_code == 200
        assert response.wsgi_request.user == member  # read back from the database
    pagecache.reset_process_cache()


@pytest.mark.parametrize("value", ["0", "-1", "soon", "1e9", "nan"])
def test_a_redis_timeout_that_is_not_a_few_seconds_is_refused_at_start(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from solidarityclub.settings import env_float

    monkeypatch.setenv("REDIS_TIMEOUT", value)
    with pytest.raises(ImproperlyConfigured, match="REDIS_TIMEOUT"):
        env_float("REDIS_TIMEOUT", 0.5)
    monkeypatch.setenv("REDIS_TIMEOUT", "0.25")
    assert env_float("REDIS_TIMEOUT", 0.5) == 0.25
