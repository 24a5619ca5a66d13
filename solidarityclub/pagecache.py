"""Whole-page cache for visitors: a page that is the same for every visitor is rendered once.

A visitor here is a request without a session or messages cookie: it cannot be
signed in and has nothing personal waiting. Every save or delete in the club's
apps (settings.PAGE_CACHE_APPS) bumps one version number that is part of every
key, so a cached page never outlives the content it shows. The timeout
(settings.PAGE_CACHE_SECONDS) covers what changes with the clock alone, such
as a scheduled post going live or a meeting moving to the archive.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "pagecache:version"
KEPT_HEADERS = ("ETag", "Last-Modified", "Content-Disposition", "Link", "Vary", "Cache-Control", "Expires")


def content_version():
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def bump_content_version(sender, **kwargs):
    """Signal receiver: something a page may show was saved or deleted."""
    # Historical models in migrations (module "__fake__") run before the cache table exists.
    if sender._meta.app_label in settings.PAGE_CACHE_APPS and sender.__module__ != "__fake__":
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet, or evicted
            cache.set(VERSION_KEY, 2, timeout=None)


def _is_anonymous_visitor(request):
    personal = {settings.SESSION_COOKIE_NAME, "messages"}
    return request.method in ("GET", "HEAD") and not personal.intersection(request.COOKIES)


def cache_for_visitors(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _is_anonymous_visitor(request):
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
        key = f"pagecache:{content_version()}:{digest}"
        if (cached := cache.get(key)) is not None:
            status, content, content_type, headers = cached
            response = HttpResponse(content, status=status, content_type=content_type)
            for name, value in headers.items():
                response[name] = value
            return response
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
            cache.set(key, (200, response.content, response["Content-Type"], headers), seconds)
        return response

    return wrapper
