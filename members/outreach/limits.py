"""Atomic rate limits that remember no timestamp: a few numbered slots per window.

Taking a slot is one `cache.add`, atomic on every cache backend (database or
Redis), so two requests at once never both get the last slot. The key is a
keyed hash of the action, the member and the window, and it expires when the
window ends: the cache holds how many slots a member took in the current
window, never when they took them (which matters for anonymous help requests).
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

DAY = 24 * 3600
HOUR = 3600


def _window_key(action, who, period, now):
    window = int(now // period)
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{action}:{who}:{period}:{window}".encode(), hashlib.sha256
    ).hexdigest()
    seconds_left = (window + 1) * period - now
    return f"members:limit:{digest}", max(1, int(seconds_left) + 1)


def take(action, who, *, limit, period):
    """Take one of `limit` slots of this window for `who`; False when all are taken."""
    key, timeout = _window_key(action, who, period, time.time())
    return any(cache.add(f"{key}:{slot}", 1, timeout) for slot in range(limit))


def remaining(action, who, *, limit, period):
    """How many slots are left in this window (for a page to say so; not a promise)."""
    key, _timeout = _window_key(action, who, period, time.time())
    taken = cache.get_many([f"{key}:{slot}" for slot in range(limit)])
    return limit - len(taken)
