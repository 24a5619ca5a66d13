"""Helpers shared by the tests of members' kept pages and of the caches under them.

Their fixtures (`kept_pages`, `bob`, `on_redis`) are in tests/conftest.py.
"""

import uuid

from django.core.cache import caches
from django.test import Client

from solidarityclub import pagecache

FAST = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}  # a Redis away costs a test little


def signed_in(user):
    client = Client()
    client.force_login(user)
    client.get("/")  # the first page sets the CSRF cookie; pages are kept from the next one on
    return client


def read(client, path):
    """(X-Cache, the page) of a GET that must answer 200."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response["X-Cache"], response.content.decode()


def use_redis(settings, location="redis://127.0.0.1:6379/9"):
    """The shared cache is Redis at `location` (as with REDIS_URL), under a key prefix of its own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "solidarityclub.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": uuid.uuid4().hex,
            "OPTIONS": FAST,
        }
    }
    pagecache.reset_process_cache()
    return caches["default"]
