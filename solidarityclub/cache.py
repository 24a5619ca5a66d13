"""Django's Redis cache with one client per process, and a site that keeps working when Redis goes.

One client: Django's own backend builds a new redis.Redis object on every call
(about 160 µs each, measured); the client is thread-safe and shares the
connection pool, so one per pool is enough.

Redis away: every call has short socket timeouts (settings.CACHES OPTIONS). When
Redis refuses or stalls, this process uses its own memory instead for
`RETRY_SECONDS` before trying Redis again, so requests go on: sessions are read
from the database (cached_db), pages are rendered, rate limits count per
process. When Redis answers again, what this process wrote or deleted meanwhile
is first dropped from Redis (a session signed out during the outage stays signed
out), then `shared_cache_recovered` is sent: the page cache moves every area to a
new version, so nothing changed during the outage is served stale from Redis.
Tested against real Redis servers in tests/test_cache_outage.py and under load by
`make scale-test`.
"""

import logging
import threading
import time

import redis
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.locmem import LocMemCache
from django.dispatch import Signal

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)

shared_cache_recovered = Signal()
"""Sent (sender: the cache) by the first call that reaches Redis again after it was away."""


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


WRITES = {"add", "set", "touch", "delete", "incr", "set_many", "delete_many"}
MAX_CHANGED_WHILE_AWAY = 100_000


def _keys_written(name, args, kwargs):
    if name == "set_many":
        return list((args[0] if args else kwargs["data"]).keys())
    if name == "delete_many":
        return list(args[0] if args else kwargs["keys"])
    return [args[0] if args else kwargs["key"]]


def _tolerant(name):
    redis_method = getattr(django_redis.RedisCache, name)

    def method(self, *args, **kwargs):
        if time.monotonic() < self._away_until:
            return self._from_fallback(name, args, kwargs)
        try:
            if self._away:
                self._come_back()  # before this call reads anything Redis kept from before
            return redis_method(self, *args, **kwargs)
        except REDIS_DOWN as error:
            self._went_away(error)
            return self._from_fallback(name, args, kwargs)

    method.__name__ = name
    return method


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._fallback = LocMemCache(f"redis-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._away = False
        self._away_until = 0.0
        self._bumps_away_until = 0.0
        self._changed_while_away = set()
        self._lock = threading.Lock()

    def _went_away(self, error):
        with self._lock:
            self._away_until = time.monotonic() + RETRY_SECONDS
            if not self._away:
                self._away = True
                logger.warning(
                    "Redis is away (%s): this process uses its own memory until it is back.", error
                )

    def _from_fallback(self, name, args, kwargs):
        if name in WRITES and len(self._changed_while_away) < MAX_CHANGED_WHILE_AWAY:
            self._changed_while_away.update(_keys_written(name, args, kwargs))
        return getattr(self._fallback, name)(*args, **kwargs)

    def _come_back(self):
        """Redis answers again. What this process wrote or deleted meanwhile went to its own
        memory, so Redis's older copies go first (a session signed out during the outage must
        not come back to life); raises REDIS_DOWN when Redis is still away."""
        with self._lock:
            if not self._away:
                return
            if self._changed_while_away:
                super().delete_many(list(self._changed_while_away))
            self._changed_while_away = set()
            self._away = False
            self._bumps_away_until = 0.0
            self._fallback.clear()
        logger.warning("Redis is back: the shared cache is used again.")
        shared_cache_recovered.send(sender=self)

    def bump(self, key, version):
        """A version number moved on (pagecache.bump_version). Tried on Redis even while this
        process counts it away, once per RETRY_SECONDS: a stall passes, and the other processes
        must see the change; in this process's memory when Redis does not answer."""
        if time.monotonic() >= self._bumps_away_until:
            try:
                self._come_back()  # when it was away: every area moves on, pages kept meanwhile go
                super().set(key, version, timeout=None)
            except REDIS_DOWN as error:
                self._bumps_away_until = time.monotonic() + RETRY_SECONDS
                self._went_away(error)
            else:
                return version
        self._from_fallback("set", (key, version), {"timeout": None})
        return version

    add = _tolerant("add")
    get = _tolerant("get")
    set = _tolerant("set")
    touch = _tolerant("touch")
    delete = _tolerant("delete")
    get_many = _tolerant("get_many")
    has_key = _tolerant("has_key")
    incr = _tolerant("incr")
    set_many = _tolerant("set_many")
    delete_many = _tolerant("delete_many")
    clear = _tolerant("clear")
