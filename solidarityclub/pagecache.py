"""Cached pages and fragments: a two-level cache with one version per area of content.

Areas. Every page or fragment names the areas of content it shows (`site`,
`members`, `meetings`, `rsvps`, `topics`, `supports`, `blog`). Each area has a
version number in the shared cache, part of every key that depends on it. A save
or delete bumps its area's version (settings.PAGE_CACHE_AREAS): an RSVP empties
the pages that count RSVPs, a support the backlog's, and the blog stays cached.
What changes with the clock alone at a known moment (a meeting's start or end, its
link opening, a decision closing) is registered per area (`changes_with_the_clock`):
nothing in that area is kept past the next such moment. The timeout
(settings.PAGE_CACHE_SECONDS) covers the rest, such as "3 days ago".

Two levels. Each web process keeps the pages it served in its own memory, in
front of the shared cache (the database, or Redis with REDIS_URL), and re-reads
the area versions from the shared cache at most once every VERSION_SECONDS. A
visitor's cache hit therefore touches neither the database nor Redis. The price
is a bound: after a change, another process may serve its previous copy for up
to VERSION_SECONDS (one second); the process that made the change sees it at
once. A version is bumped when the change is made and again when its transaction
commits, so a page rendered in between from not yet committed data is dropped.

A visitor is a request without a session or messages cookie: it cannot be
signed in and has nothing personal waiting. Members never get a visitor's page;
what their pages share is cached as fragments (`fragment`), with their own
state filled in per request, and each member's whole page is kept for them alone
(solidarityclub/memberpages.py).
"""

import hashlib
import hmac
import secrets
import threading
import time
import weakref
from collections import OrderedDict
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

AREAS = ("site", "members", "meetings", "rsvps", "topics", "supports", "blog")
VERSION_SECONDS = 1.0  # how long a process trusts the area versions it read
KEPT_HEADERS = ("ETag", "Last-Modified", "Content-Disposition", "Link", "Vary", "Cache-Control", "Expires")
LOCAL_MAX_BYTES = 32 * 1024 * 1024  # per process; least recently used pages go first


def _version_key(area):
    return f"pagecache:version:{area}"


def new_version():
    # Never a number seen before: the clock in nanoseconds, and a random part for two at once.
    return time.time_ns() + secrets.randbelow(1_000_000)


def bump_version(key):
    """A new version number under `key` in the shared cache (which may insist on reaching Redis).

    A new number, not the old one plus one: no read, nothing to race, and the database
    cache's incr() would also put the key back under its default timeout.
    """
    version = new_version()
    if hasattr(cache, "bump"):  # solidarityclub.cache.RedisCache
        return cache.bump(key, version)
    cache.set(key, version, timeout=None)
    return version


class AreaVersions:
    """This process's copy of the area versions, re-read from the shared cache at most once a second."""

    def __init__(self):
        self._values = {}
        self._read_at = None
        self._lock = threading.Lock()

    def current(self):
        now = time.time()  # wall-clock seconds: expiry times travel between processes
        read_at = self._read_at
        if read_at is None or not (read_at <= now < read_at + VERSION_SECONDS):
            with self._lock:
                if self._read_at == read_at:
                    self._values = self._read_shared()
                    self._read_at = now
        return self._values

    def _read_shared(self):
        keys = {_version_key(area): area for area in AREAS}
        found = cache.get_many(keys)
        values = {keys[key]: value for key, value in found.items()}
        for key, area in keys.items():
            if area not in values:
                cache.add(key, new_version(), timeout=None)
                values[area] = cache.get(key)
        return values

    def bump(self, areas):
        """A change in these areas: new versions in the shared cache, seen by this process at once."""
        values = dict(self._values)
        for area in areas:
            values[area] = bump_version(_version_key(area))
        self._values = values

    def forget(self):
        self._values, self._read_at = {}, None


class LocalPages:
    """A process's own memory of cached entries: least recently used first out, within a byte budget."""

    def __init__(self, max_bytes=LOCAL_MAX_BYTES):
        self.max_bytes = max_bytes
        self._entries = OrderedDict()  # key -> (expires_at, size, value)
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key):
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= time.time():
            self._drop(key)
            return None
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
        return entry[2]

    def set(self, key, value, expires_at, size):
        if size > self.max_bytes // 8:
            return  # one huge entry must not push everything else out
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (expires_at, size, value)
            self._size += size
            while self._size > self.max_bytes and self._entries:
                _key, (_expires, dropped, _value) = self._entries.popitem(last=False)
                self._size -= dropped

    def _drop(self, key):
        with self._lock:
            entry = self._entries.pop(key, None)
            if entry is not None:
                self._size -= entry[1]

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._size = 0


versions = AreaVersions()
local = LocalPages()


def reset_process_cache():
    """Forget this process's memory (tests call it after clearing the shared cache)."""
    versions.forget()
    local.clear()


# --- What changes with the clock --------------------------------------------------------

_clock_moments = {}  # area -> [moments(now, until)]


def changes_with_the_clock(area):
    """Register `moments(now, until)`: the moments between `now` and `until` at which what pages
    in `area` show changes with the clock alone, such as a meeting's start (others may come too)."""
    if area not in AREAS:
        raise ValueError(f"Unknown page cache area: {area}")

    def register(moments):
        _clock_moments.setdefault(area, []).append(moments)
        return moments

    return register


def seconds_until_the_clock_changes(areas, now=None):
    """How long something in these areas shown as of `now` stays true: PAGE_CACHE_SECONDS at most."""
    now = now or timezone.now()
    limit = settings.PAGE_CACHE_SECONDS
    # Each list is kept under its area's version for PAGE_CACHE_SECONDS, so it reaches twice as far.
    until = now + timedelta(seconds=2 * limit)
    for area in areas:
        for moments in _clock_moments.get(area, ()):
            name = f"clock:{moments.__module__}.{moments.__qualname__}"
            kept = cached(
                name,
                [area],
                [],
                lambda moments=moments: [sorted(moments(now, until))],
                until_the_clock_changes=False,
            )
            for moment in kept[0]:
                if moment > now:
                    limit = min(limit, (moment - now).total_seconds())
                    break
    return limit


def bounded_by_the_clock(areas, seconds, started):
    """`seconds`, cut to the next moment the clock changes these areas, counted from `started`."""
    until = seconds_until_the_clock_changes(areas, started) - (timezone.now() - started).total_seconds()
    return min(seconds, until)


def version_tag(*areas):
    """What every key in these areas names: the language and the areas' current versions (ETags use it)."""
    current = versions.current()
    return ":".join([get_language() or "-", *(f"{area}{current[area]}" for area in sorted(areas))])


def key_for(kind, areas, *parts):
    """The cache key of something shown in these areas, named by `parts` (a path, a page number…)."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:40]
    return f"pagecache:{kind}:{version_tag(*areas)}:{digest}"


def get_entry(key):
    """Memory first, then the shared cache (whose hit is remembered here until the same expiry)."""
    if (value := local.get(key)) is not None:
        return value
    stored = cache.get(key)
    if stored is None:
        return None
    expires_at, size, value = stored
    if expires_at > time.time():
        local.set(key, value, expires_at, size)
        return value
    return None


_key_locks = weakref.WeakValueDictionary()
_key_locks_guard = threading.Lock()


def one_at_a_time(key):
    """A lock per key in this process: when an entry expires under load, one thread renders it
    while the others wait for it, instead of every thread rendering the same page at once."""
    with _key_locks_guard:
        lock = _key_locks.get(key)
        if lock is None:
            lock = _key_locks[key] = threading.Lock()
    return lock


def set_entry(key, value, seconds, size):
    expires_at = time.time() + seconds
    local.set(key, value, expires_at, size)
    cache.set(key, (expires_at, size, value), seconds)


# --- Invalidation ---------------------------------------------------------------------

_pending = threading.local()


def _bump_pending():
    areas = getattr(_pending, "areas", set())
    _pending.areas = set()
    if areas:
        versions.bump(areas)


def bump(*areas):
    """Content in these areas changed: bump their versions now, and again when the transaction commits."""
    versions.bump(areas)
    if connection.in_atomic_block:
        if getattr(_pending, "areas", None) is None:
            _pending.areas = set()
        _pending.areas.update(areas)
        transaction.on_commit(_bump_pending)  # once more after commit; repeats find nothing pending


def areas_changed_by(model, update_fields=None):
    """Which areas a save or delete of this model changes (settings.PAGE_CACHE_AREAS)."""
    label = model._meta.label_lower
    area = settings.PAGE_CACHE_AREAS.get(label) or settings.PAGE_CACHE_AREAS.get(model._meta.app_label)
    if area is None:
        return ()
    private = settings.PAGE_CACHE_PRIVATE_FIELDS.get(label, ())
    if update_fields is not None and private and set(update_fields) <= set(private):
        return ()  # a sign-in (last_login) or a private preference: nothing any page shows
    return (area,)


def content_changed(model, update_fields=None):
    """A row of `model` was saved, deleted or related (solidarityclub.receivers)."""
    # Historical models in migrations (module "__fake__") run before the cache table exists.
    if model.__module__ == "__fake__":
        return
    if areas := areas_changed_by(model, update_fields):
        bump(*areas)


def shared_cache_back():
    """Redis answers again: pages it kept from before may miss what changed meanwhile, so every area moves on."""
    versions.forget()
    local.clear()
    versions.bump(AREAS)


def bump_content_version(sender, **kwargs):
    """For changes that send no signal (QuerySet.update()): the sender's areas change now."""
    if areas := areas_changed_by(sender):
        bump(*areas)


# --- Whole pages for visitors ---------------------------------------------------------


def _is_anonymous_visitor(request):
    personal = {settings.SESSION_COOKIE_NAME, "messages"}
    return request.method in ("GET", "HEAD") and not personal.intersection(request.COOKIES)


def response_from(entry, state):
    status, content, content_type, headers = entry
    response = HttpResponse(content, status=status, content_type=content_type)
    for name, value in headers.items():
        response[name] = value
    if settings.PAGE_CACHE_HEADER:
        response["X-Cache"] = state
    return response


def cache_for_visitors(*areas):
    """Serve this view's page to visitors from the cache; `areas`: what the page shows (all when bare).

    `@cache_for_visitors("blog", "members")` or, for a page that shows everything, `@cache_for_visitors`.
    """
    if len(areas) == 1 and callable(areas[0]):
        return cache_for_visitors(*AREAS)(areas[0])
    unknown = set(areas) - set(AREAS)
    if unknown:
        raise ValueError(f"Unknown page cache areas: {sorted(unknown)}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            seconds = settings.PAGE_CACHE_SECONDS
            if not seconds or not _is_anonymous_visitor(request):
                return view(request, *args, **kwargs)
            key = key_for("page", areas, request.get_host(), request.get_full_path())
            if (entry := get_entry(key)) is not None:
                return response_from(entry, "hit")
            with one_at_a_time(key):
                if (entry := get_entry(key)) is not None:
                    return response_from(entry, "hit")  # rendered by another thread meanwhile
                return _render_and_store(view, request, args, kwargs, key, seconds, areas)

        wrapper.page_cache_areas = areas
        return wrapper

    return decorator


def _render_and_store(view, request, args, kwargs, key, seconds, areas):
    started = timezone.now()
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    # Never keep an answer that sets a cookie or carries a CSRF token.
    storable = (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )
    if storable:
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        content = response.content
        seconds = bounded_by_the_clock(areas, seconds, started)
        if seconds >= 1:
            set_entry(key, (200, content, response["Content-Type"], headers), seconds, len(content))
    if settings.PAGE_CACHE_HEADER:
        response["X-Cache"] = "miss"
    return response


# --- Fragments that every member shares -----------------------------------------------

# Placeholders for what differs per member inside a shared fragment. They are keyed
# with the secret key, so no text anyone writes can forge one.
SLOT = "\x00" + hmac.new(settings.SECRET_KEY.encode(), b"fragment-slot", "sha256").hexdigest()[:12] + "\x00"


def slot(name):
    """A placeholder in a fragment, filled per request by `Fragment.fill`."""
    return f"{SLOT}{name}{SLOT}"


def optional(name):
    """Two slots around a part of a fragment that one member may not get: `slot(name)` and its end.

    Filling `name` with `OMIT` leaves out everything up to the end slot; otherwise both are "".
    """
    return slot(name), slot(f"/{name}")


OMIT = object()


class Fragment:
    """Rendered HTML split at its slots, ready to be filled with one member's values."""

    __slots__ = ("parts", "data")

    def __init__(self, html, data=None):
        self.parts = html.split(SLOT)  # text, slot name, text, slot name, … text
        self.data = data

    def fill(self, values):
        parts = self.parts
        out = [parts[0]]
        index = 1
        while index < len(parts):
            value = values.get(parts[index], "") if parts[index].startswith("/") else values[parts[index]]
            if value is OMIT:
                index = parts.index(f"/{parts[index]}", index + 1)  # skip to the optional part's end
                value = ""
            out.append(value)
            out.append(parts[index + 1])
            index += 2
        return "".join(out)

    @property
    def size(self):
        return sum(len(part) for part in self.parts) + 256


def cached(kind, areas, parts, compute, *, seconds=None, size=None, until_the_clock_changes=True):
    """A value (never None) named by `kind` and `parts` in these areas, from `compute()` on a miss.

    Kept for `seconds` (settings.PAGE_CACHE_SECONDS unless given; 0 computes every
    time), and never past the next moment the clock changes these areas;
    `size(value)` estimates its bytes for this process's memory budget.
    """
    seconds = settings.PAGE_CACHE_SECONDS if seconds is None else seconds
    if not seconds:
        return compute()
    key = key_for(kind, areas, *parts)
    if (found := get_entry(key)) is not None:
        return found
    with one_at_a_time(key):
        if (found := get_entry(key)) is not None:
            return found
        started = timezone.now()
        value = compute()
        if until_the_clock_changes:
            seconds = bounded_by_the_clock(areas, seconds, started)
        if seconds >= 1:
            set_entry(key, value, seconds, size(value) if size else 1024)
        return value


def fragment(kind, areas, parts, render):
    """The Fragment named by `kind` and `parts` in these areas, rendered by `render()` on a miss.

    `render()` returns (html, data): the HTML with its slots, and anything small the
    view needs to fill them (the ids on the page, say).
    """
    return cached(kind, areas, parts, lambda: Fragment(*render()), size=lambda made: made.size)
