"""A second outsider's attack on the caches (commits 2bc5c09, 9d0493e, bdc8493): members' pages kept
whole, the private feed's remembered owner, the clock's moments and RedisCache.bump.

Each defect it found is one test whose docstring says what a real user saw and which code
was at fault (they failed until fixed); tests marked "Held." are attacks the code withstood,
kept as guards.
"""

import socket
import time
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.utils import timezone

from members.accounts import create_member
from solidarityclub import pagecache
from tests.conftest import PASSWORD
from tests.factories import make_meeting
from tests.member_pages_support import FAST, read, signed_in, use_redis

pytestmark = pytest.mark.usefixtures("kept_pages")

LINK = "https://meet.example.org/room"


def feed(token):
    return Client().get(f"/meetings/calendar/{token}.ics")


# --- Defects ------------------------------------------------------------------------------


def test_a_feed_address_reset_while_redis_was_away_stops_on_every_process(member, on_redis, monkeypatch):
    """Found by the attack, fixed since. A member whose private calendar address leaked resets it
    while Redis is briefly unreachable from one process (A): the reset's bump of their own
    version stays in A's memory. Another process (B) remembered the owner under that version
    and went on serving the old address, with the video links, for up to an hour: when Redis
    came back only A moved on (shared_cache_back bumps the areas, never the members'
    versions). Now the remembered owner is also keyed by the members' area version
    (meetings/views.py _feed_owner_key), which A moves on as soon as its next call reaches
    Redis (within RETRY_SECONDS): B reads the owner again and the old address is a 404."""
    import redis

    make_meeting(days=3, video_link=LINK)
    old = member.feed_token
    assert LINK in feed(old).content.decode()  # process B remembers the owner
    b_memory = dict(pagecache.local._entries)

    # Redis is unreachable while process A answers the reset.
    def refused(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(redis.Redis, "execute_command", refused)
        member.reset_feed_token()
    # RETRY_SECONDS later, A's next call reaches Redis: every area moves on.
    on_redis._away_until = 0.0
    on_redis.get("probe")
    assert not on_redis._away
    # Process B: its own memory as it was, the area versions re-read within a second.
    for key, entry in b_memory.items():
        pagecache.local.set(key, entry[2], entry[0], entry[1])
    pagecache.versions.forget()
    assert feed(old).status_code == 404


def test_a_write_during_a_redis_stall_pays_the_timeout_once(member, settings):
    """Found by the attack, fixed since (a bump tries Redis once per RETRY_SECONDS). Redis stalls (accepts connections, answers nothing: a fork for a snapshot, a slow
    command). The settings promise that "a stalled Redis costs a request half a second at
    most, then each process uses its own memory". A member presses "Going": the first call
    times out and the process counts Redis away (solidarityclub/cache.py), yet its "Going"
    request, made while Redis is counted away, waits one full socket timeout per version it
    moves (the RSVPs' area and the member's own: twice the promise, 1 s with REDIS_TIMEOUT=0.5),
    and so does every write for the whole stall; a request that saves n rows in a transaction
    (an admin action over a list, a series generating its meetings) waits about 2n timeouts,
    at commit too, until gunicorn kills the worker.
    (solidarityclub/cache.py RedisCache.bump: ignores _away_until.)"""
    stalled = socket.socket()
    stalled.bind(("127.0.0.1", 0))
    stalled.listen(64)  # connections are accepted by the kernel; nothing is ever answered
    try:
        use_redis(settings, f"redis://127.0.0.1:{stalled.getsockname()[1]}/0")
        meeting = make_meeting(days=3)
        client = signed_in(member)
        started = time.monotonic()
        response = client.post(
            f"{meeting.get_absolute_url()}rsvp/", {"answer": "going"}, HTTP_ACCEPT="application/json"
        )
        took = time.monotonic() - started
        assert response.status_code == 200
        caches["default"]._away_until = 0.0
        assert took < 1.5 * FAST["socket_timeout"], f"one RSVP took {took:.2f}s"
    finally:
        stalled.close()


def test_with_the_default_database_cache_a_kept_page_outlives_five_minutes(member, settings, frozen_clock):
    """Found by the attack, fixed since (a bump sets a new number, never incr()). Without
    REDIS_URL the shared cache is Django's DatabaseCache (settings.py), whose incr()
    is BaseCache.incr: a get, then a set with the cache's default TIMEOUT (300 s). Every version
    bump (pagecache.bump_version -> incr_or_set -> cache.incr) therefore gives the version key a
    five-minute life although it was created with timeout=None: a member's own version (bumped
    at every sign-in: last_login) and an area's version (bumped by any change) vanish 300 s after
    their last bump, are re-created from the clock, and every page kept under them is lost.
    With PAGE_CACHE_SECONDS=3600 a member's kept pages and, after any change, every visitor
    page are rendered again every five minutes instead of every hour, each process re-creating
    the versions. (solidarityclub/cache.py incr_or_set / pagecache.bump_version: incr on a
    backend whose incr resets the expiry.)"""
    settings.PAGE_CACHE_SECONDS = 3600
    meeting = make_meeting(days=30)
    path = meeting.get_absolute_url()
    client = signed_in(member)
    read(client, path)
    assert read(client, path)[0] == "hit"
    frozen_clock.tick(301)
    assert read(client, path)[0] == "hit"


# --- Attacks that held ----------------------------------------------------------------------


def test_held_a_link_revealed_a_week_early_opens_on_time_with_a_day_long_page_cache(
    member, settings, frozen_clock
):
    """Held. PAGE_CACHE_SECONDS=86400 and a meeting 7 days and 1 hour ahead whose link shows a
    week early (LINK_REVEAL_MAX_MINUTES): the member's kept meeting page, home and the
    meetings' moments list (cached under the meetings' version) all end when the link opens,
    an hour later, not a day later."""
    from meetings.models import LINK_REVEAL_MAX_MINUTES

    settings.PAGE_CACHE_SECONDS = 86400
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()  # (the database cache loses versions after 5 minutes: see the defect above)
    pagecache.reset_process_cache()
    meeting = make_meeting(
        timezone.now() + timedelta(days=7, hours=1),
        video_link=LINK,
        link_visible_minutes_before=LINK_REVEAL_MAX_MINUTES,
    )
    make_meeting(days=30, title="Later")  # another meeting keeps the list from being empty
    client = signed_in(member)
    path = meeting.get_absolute_url()
    assert LINK not in read(client, path)[1]
    assert read(client, path)[0] == "hit"
    frozen_clock.tick(30 * 60)
    assert read(client, path)[0] == "hit"
    frozen_clock.tick(30 * 60 + 1)
    state, html = read(client, path)
    assert LINK in html, state


def test_held_an_account_deleted_and_its_id_reused_never_gets_the_old_feed(member, settings):
    """Held. A member's feed owner is remembered in the process; their account is deleted for
    good and a new account gets the same id (SQLite reuses the highest id). The old address
    answers 404 and the new member's feed is their own: the delete and the create both move
    the id's version (meetings/views.py _remembered_feed_owner)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    make_meeting(days=3, video_link=LINK)
    old_token, old_pk = member.feed_token, member.pk
    assert LINK in feed(old_token).content.decode()
    member.delete()
    # The id comes back (SQLite after a rolled-back insert; forced here: Django's AUTOINCREMENT).
    newcomer = create_member("carol@example.org", password=PASSWORD, display_name="Carol", id=old_pk)
    assert newcomer.pk == old_pk
    assert feed(old_token).status_code == 404
    assert feed(newcomer.feed_token).status_code == 200


def test_held_the_shared_cache_emptied_never_brings_an_old_page_back(member, bob):
    """Held. Redis restarts empty (or cache.clear()) while a process keeps its memory: the member
    and area versions start again from the clock (time.time_ns()), never from a number an older
    page was kept under, so a member's page from before an RSVP does not come back."""
    meeting = make_meeting(days=3)
    path = meeting.get_absolute_url()
    client = signed_in(member)
    read(client, path)
    assert read(client, path)[0] == "hit"
    client.post(f"{path}rsvp/", {"answer": "going"}, HTTP_ACCEPT="application/json")
    cache.clear()  # the process's own memory stays
    pagecache.versions.forget()
    state, html = read(client, path)
    assert 'aria-pressed="true"' in html, state


def test_held_odd_sessions_and_cookies_on_kept_pages(member, settings):
    """Held. A member's session without _auth_user_hash, a session naming an account that is
    gone, a CSRF cookie with odd characters and a 20 kB query string: no 500, and nothing kept
    is served to the wrong session."""
    from django.contrib.auth import HASH_SESSION_KEY

    client = signed_in(member)
    session = client.session
    del session[HASH_SESSION_KEY]
    session.save()
    response = client.get("/")
    assert response.status_code == 200
    assert "Alice" not in response.content.decode()
    odd = signed_in(member)
    odd.cookies["csrftoken"] = "a" * 31 + "é\x01;"
    assert odd.get("/meetings/").status_code == 200
    assert odd.get("/meetings/?" + "x=" + "y" * 20000).status_code in (200, 404)
    gone = signed_in(member)
    session = gone.session
    session["_auth_user_id"] = "999999"
    session.save()
    assert gone.get("/topics/").status_code == 200
