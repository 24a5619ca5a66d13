"""Attack on d3545a3: sessions read through solidarityclub.sessions.SessionStore.load_with
together with the member's version, and memberpages' per-process hint of a session's member."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.test import Client

from solidarityclub import memberpages
from solidarityclub.sessions import SessionStore
from tests.member_pages_support import read, signed_in

pytestmark = pytest.mark.usefixtures("kept_pages")


def test_signing_out_while_redis_is_away_is_undone_when_redis_returns(member, on_redis, monkeypatch):
    """Found by the attack, fixed since (RedisCache._come_back drops from Redis what the process
    wrote or deleted while it was away, before anything is read). A member signs out (e.g. on a shared or stolen device, or because they think their
    cookie leaked) during a short Redis outage. The page says they are signed out. A few
    seconds later Redis answers again and the very same session cookie is signed in again,
    as the member, with every kept page: signing out did not end the session.
    Code at fault: solidarityclub/cache.py `_tolerant` sends the session's cache delete
    (cached_db.delete via flush()) only to the process's fallback memory and `_came_back`
    just clears that memory, so Redis keeps the pre-outage session entry; sessions.py
    (load_with / cached_db.load) trusts a cache hit and never looks at the database row,
    which is gone. Nothing moves sessions on when Redis returns (only page areas do)."""
    import redis

    client = signed_in(member)
    assert "Sign out" in read(client, "/meetings/")[1]
    read(client, "/meetings/")  # the hint is set: load_with is used from now on
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    old_key = cookies["sessionid"]

    def refused(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(redis.Redis, "execute_command", refused)
        response = client.post("/accounts/logout/")
        assert response.status_code in (200, 302)
    assert not Session.objects.filter(session_key=old_key).exists()  # signed out in the database

    on_redis._away_until = 0.0  # RETRY_SECONDS later Redis answers again
    thief = Client()
    for name, value in cookies.items():
        thief.cookies[name] = value
    response = thief.get("/meetings/")
    assert response.status_code == 200
    assert "Sign out" not in response.content.decode(), "the signed-out session is signed in again"
    assert not response.wsgi_request.user.is_authenticated


# --- Attacks that held ----------------------------------------------------------------------


def test_a_wrong_hint_never_serves_another_members_page(member, bob):
    """Held. The per-process hint says the session belongs to Bob (as if the session's member
    had changed under the same key); the session is read and Alice gets Alice's page, never
    a copy kept for Bob, and the hint is corrected."""
    bob_client = signed_in(bob)
    read(bob_client, "/meetings/")
    assert read(bob_client, "/meetings/")[0] == "hit"
    client = signed_in(member)
    read(client, "/meetings/")
    key = client.cookies["sessionid"].value
    memberpages._session_members.set(key, str(bob.pk), 1e12, 128)
    state, html = read(client, "/meetings/")
    assert "Alice" in html
    assert "Bob" not in html.split("<main")[0]
    assert memberpages._session_members.get(key) == str(member.pk)


def test_a_corrupted_session_cache_entry_or_a_session_written_after_a_miss(member):
    """Held. A session's cache entry that cannot be unpickled is read from the database as
    cached_db does (the member stays signed in), and a session written by a view after
    load_with is saved (modified/accessed behave as with Django's lazy load)."""
    client = signed_in(member)
    read(client, "/meetings/")
    read(client, "/meetings/")
    key = client.cookies["sessionid"].value
    store = SessionStore(key)
    # corrupt the cached entry (the default DatabaseCache): a value whose unpickling fails
    cache.set(store.cache_key, {"x": 1})
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE django_cache SET value = %s WHERE cache_key LIKE %s", ["bm90IGEgcGlja2xl", f"%{key}"]
        )
        assert cursor.rowcount == 1
    state, html = read(client, "/meetings/")
    assert "Sign out" in html
    # load_with, then a write to the session is saved
    loaded = SessionStore(key)
    loaded.load_with([], caches["default"])
    loaded["written"] = "yes"
    assert loaded.modified
    assert loaded.accessed
    loaded.save()
    assert SessionStore(key)["written"] == "yes"
