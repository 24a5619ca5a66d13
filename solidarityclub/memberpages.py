"""Members' pages kept whole: one copy per member and session, in the page cache's two levels.

A member's page shows the club's content (the areas of pagecache.py, as a visitor's
page does) and what is the member's own: their account, their RSVPs and supports,
their language and time zone, their session's CSRF token. A cached copy is named by
all of it, so that it is only ever served to the session it was rendered for:

- the member, read from the session without loading the account, and the member's
  own version, bumped by every save or delete of their account or of any row that
  points to it (an RSVP, a support, an email address, an authenticator…). It is read
  from the shared cache on every request, so a member's own change shows at once on
  every process;
- the session's authentication hash and its CSRF secret, so a new sign-in, a changed
  password or a rotated token never gets an older page;
- the language, the path, and the versions of every area (pagecache.key_for).

A hit costs one read of the shared cache, the session and the member's version together
(solidarityclub/sessions.py; two reads the first time a process sees the session); no
database query, no template. Never kept: an organizer's page (it counts what waits for them),
a page rendered while messages waited or that changed the session, anything but a
200. A copy never outlives the next moment the clock changes what it shows (a meeting's
link opening, its start or end, a decision closing: pagecache.changes_with_the_clock;
the end of the member's break), nor settings.PAGE_CACHE_SECONDS.
"""

import time
from functools import wraps

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language

from members.standing import is_organizer

from . import pagecache

MESSAGES_SESSION_KEY = "_messages"  # django.contrib.messages' session storage
MESSAGES_COOKIE_NAME = "messages"  # …and its cookie storage


def _member_key(user_id):
    return f"pagecache:member:{user_id}"


def member_version(user_id):
    """The member's own version from the shared cache (a new one if it was never set or was evicted)."""
    key = _member_key(user_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, pagecache.new_version(), timeout=None)
        version = cache.get(key)
    return version


def _bump_now(user_ids):
    for user_id in user_ids:
        pagecache.bump_version(_member_key(user_id))


def member_changed(*user_ids):
    """Something of these members' own changed: now, and again when the transaction commits
    (a page rendered in between from data not yet committed must not last)."""
    user_ids = {str(user_id) for user_id in user_ids if user_id is not None}
    if not user_ids:
        return
    _bump_now(user_ids)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _bump_now(user_ids))


def members_of(instance, related_model=None, related_pks=None):
    """The members a saved or deleted row belongs to: the account itself, or what its foreign keys
    name; for a many-to-many change, the accounts added or removed (`related_pks`, Django's pk_set)."""
    user_model = get_user_model()
    if isinstance(instance, user_model):
        return [instance.pk]
    if related_model is user_model:
        return list(related_pks or ())
    return [
        getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.many_to_one and field.related_model is user_model
    ]


# --- The decorator ----------------------------------------------------------------------


# Which member each session belongs to, as this process last read it (a session's member
# never changes: signing in gives a new session key). Only a hint, checked against the session.
_session_members = pagecache.LocalPages(max_bytes=4 * 1024 * 1024)
SESSION_HINT_SECONDS = 24 * 60 * 60


def _signed_in_member(request):
    """The member of this request's session and their own version, without loading the account.

    (None, None) for anyone else. When this process has seen the session before, the
    session and the member's version are read in one round trip (sessions.SessionStore).
    """
    if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None, None
    session = request.session
    hint = _session_members.get(session.session_key)
    found = {}
    if hint is not None and hasattr(session, "load_with"):
        found = session.load_with([_member_key(hint)], caches[DEFAULT_CACHE_ALIAS])
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return None, None
    if hint != user_id:
        _session_members.set(session.session_key, user_id, time.time() + SESSION_HINT_SECONDS, 128)
    version = found.get(_member_key(user_id))
    return user_id, version if version is not None else member_version(user_id)


def _messages_waiting(request):
    return bool(request.COOKIES.get(MESSAGES_COOKIE_NAME)) or MESSAGES_SESSION_KEY in request.session


def cache_per_member(*areas):
    """Keep this view's page whole for each signed-in member; `areas`: the content it shows (all when bare).

    Stacked under @cache_for_visitors, which answers visitors first. The view must read
    request.user before it renders anything in the member's language (as every view does).
    """
    if len(areas) == 1 and callable(areas[0]):
        return cache_per_member(*pagecache.AREAS)(areas[0])
    unknown = set(areas) - set(pagecache.AREAS)
    if unknown:
        raise ValueError(f"Unknown page cache areas: {sorted(unknown)}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            key = _key_of_kept_page(request, areas)
            if key is None:
                signed_in = request.user.is_authenticated  # switches to the member's language first
                response = view(request, *args, **kwargs)
                return _marked(response, "miss") if signed_in else response
            if (entry := pagecache.get_entry(key)) is not None:
                return pagecache.response_from(entry, "hit")
            with pagecache.one_at_a_time(key):
                if (entry := pagecache.get_entry(key)) is not None:
                    return pagecache.response_from(entry, "hit")
                return _render_and_keep(view, request, args, kwargs, key, areas)

        # The member's language is switched when the view reads request.user, not before:
        # a hit never loads the account (solidarityclub.middleware.MemberLanguageMiddleware).
        wrapper.language_once_user_is_read = True
        wrapper.member_page_cache_areas = areas
        return wrapper

    return decorator


def _key_of_kept_page(request, areas):
    """The key this request's page is kept under, or None when it may not be kept."""
    # The secret the browser sent (not one made up for a missing or malformed cookie).
    csrf_secret = request.META.get("CSRF_COOKIE")
    if (
        not settings.PAGE_CACHE_SECONDS
        or not csrf_secret
        or request.COOKIES.get(settings.CSRF_COOKIE_NAME) != csrf_secret
    ):
        return None
    user_id, version = _signed_in_member(request)
    if user_id is None or _messages_waiting(request):
        return None
    session = request.session
    request.kept_page_for = (user_id, csrf_secret)
    return pagecache.key_for(
        "member-page",
        areas,
        request.get_host(),
        request.get_full_path(),
        user_id,
        session.get(BACKEND_SESSION_KEY, ""),
        session.get(HASH_SESSION_KEY, ""),
        version,
        csrf_secret,
    )


def _render_and_keep(view, request, args, kwargs, key, areas):
    user_id, csrf_secret = request.kept_page_for
    user = request.user
    user.is_authenticated  # noqa: B018 (loads the account and switches to the member's language)
    started = timezone.now()
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if _may_keep(request, response, user, user_id, csrf_secret):
        headers = {name: response[name] for name in pagecache.KEPT_HEADERS if response.has_header(name)}
        headers["Content-Language"] = get_language()  # LocaleMiddleware only sets it when missing
        content = response.content
        # Rendered as things stood at `started`: kept no later than the next change from then,
        # the member's own included (a break that ends at midnight).
        seconds = pagecache.bounded_by_the_clock(areas, settings.PAGE_CACHE_SECONDS, started)
        if (own := user.standing_changes_at()) is not None:
            seconds = min(seconds, (own - timezone.now()).total_seconds())
        if seconds >= 1:
            pagecache.set_entry(key, (200, content, response["Content-Type"], headers), seconds, len(content))
    return _marked(response, "miss")


def _marked(response, state):
    if settings.PAGE_CACHE_HEADER:
        response["X-Cache"] = state
    return response


def _may_keep(request, response, user, user_id, csrf_secret):
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}  # the token's cookie renewed, nothing else
        and request.META.get("CSRF_COOKIE") == csrf_secret
        and user.is_authenticated
        and str(user.pk) == str(user_id)
        and not is_organizer(user)
        and not request.session.modified
        and not getattr(messages, "added_new", False)
    )
