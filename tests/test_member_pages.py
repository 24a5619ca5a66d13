"""Members' pages kept whole, per member and session (solidarityclub/memberpages.py).

Each test signs members in with their own clients and reads the pages twice or more:
the second read is a hit (X-Cache), and whatever changed in between must show.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import RSVP
from solidarityclub import memberpages, pagecache
from tests.factories import make_meeting, make_topic
from tests.member_pages_support import read, signed_in
from topics import backlog

PAGES = ["/", "/meetings/", "/topics/"]
pytestmark = pytest.mark.usefixtures("kept_pages")


def test_a_members_second_read_is_a_hit_without_a_database_query(member, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    make_meeting(days=3)
    make_topic(member, "Reading club")
    client = signed_in(member)
    for path in PAGES:
        state, first = read(client, path)
        assert state == "miss"
        with CaptureQueriesContext(connection) as queries:
            state, second = read(client, path)
        assert (state, second) == ("hit", first)
        assert len(queries) == 0, [
            query["sql"] for query in queries
        ]  # the session and the version: the cache


def test_two_members_never_get_each_others_page(member, bob):
    meeting = make_meeting(timezone.now() + timedelta(hours=2), video_link="https://meet.example.org/room")
    topic = make_topic(bob, "Walk together")
    RSVP.objects.create(meeting=meeting, user=member, answer=RSVP.Answer.GOING)
    backlog.add_support(topic, member)
    alice_client, bob_client = signed_in(member), signed_in(bob)
    for path in [*PAGES, meeting.get_absolute_url()]:
        read(alice_client, path)
        state, alice = read(alice_client, path)
        bob_state, bob_page = read(bob_client, path)
        assert state == "hit"
        assert bob_state == "miss"  # his own copy, never Alice's
        assert "Alice" in alice
        assert "Alice" not in bob_page.split("</header>")[0]
        assert "Bob" in bob_page.split("</header>")[0]
        assert member.feed_token not in bob_page
    _state, bob_topics = read(bob_client, "/topics/")
    assert 'aria-pressed="true"' not in bob_topics


def test_a_members_own_change_shows_at_once(member, bob):
    meeting = make_meeting(days=3)
    topic = make_topic(bob, "Walk together")
    client = signed_in(member)
    path = meeting.get_absolute_url()
    for page in [path, "/topics/"]:
        read(client, page)
        assert read(client, page)[0] == "hit"
    RSVP.objects.create(meeting=meeting, user=member, answer=RSVP.Answer.MAYBE)
    backlog.add_support(topic, member)
    state, html = read(client, path)
    assert state == "miss"
    assert 'value="maybe" class="rsvp-choice rsvp-maybe" aria-pressed="true"' in html
    assert 'aria-pressed="true"' in read(client, "/topics/")[1]


def test_another_members_change_in_an_area_the_page_shows_empties_it(member, bob):
    meeting = make_meeting(days=3)
    client = signed_in(member)
    path = meeting.get_absolute_url()
    read(client, path)
    assert read(client, path)[0] == "hit"
    RSVP.objects.create(meeting=meeting, user=bob, answer=RSVP.Answer.GOING)
    state, html = read(client, path)
    assert state == "miss"
    assert "Bob" in html  # who is coming


def test_each_session_has_its_own_copy_with_a_token_its_form_accepts(member):
    meeting = make_meeting(days=3)
    path = meeting.get_absolute_url()
    phone, laptop = signed_in(member), Client(enforce_csrf_checks=True)
    laptop.force_login(member)
    laptop.get("/")
    read(phone, path)
    assert read(phone, path)[0] == "hit"
    read(laptop, path)
    state, html = read(laptop, path)
    assert state == "hit"
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = laptop.post(f"{path}rsvp/", {"csrfmiddlewaretoken": token, "answer": "going", "next": path})
    assert response.status_code == 302
    assert RSVP.objects.get(meeting=meeting, user=member).answer == RSVP.Answer.GOING


def test_a_message_waiting_is_shown_not_a_kept_page(member):
    meeting = make_meeting(days=3)
    path = meeting.get_absolute_url()
    client = signed_in(member)
    read(client, path)
    assert read(client, path)[0] == "hit"
    client.post(f"{path}rsvp/", {"answer": "going", "next": path})
    response = client.get(path)
    assert response["X-Cache"] == "miss"
    assert 'class="message message-success"' in response.content.decode()
    assert read(client, path)[0] == "miss"  # the answer changed their page
    assert read(client, path)[0] == "hit"


def test_a_password_changed_elsewhere_signs_this_session_out(member):
    client = signed_in(member)
    read(client, "/meetings/")
    assert read(client, "/meetings/")[0] == "hit"
    member.set_password("another long passphrase")
    member.save()
    html = client.get("/meetings/").content.decode()
    assert "Sign out" not in html


def test_a_member_who_left_is_never_served_their_old_page(member):
    client = signed_in(member)
    read(client, "/")
    assert read(client, "/")[0] == "hit"
    member.is_active = False
    member.save()
    assert "Sign out" not in client.get("/").content.decode()


def test_a_new_language_preference_shows_at_once(member):
    client = signed_in(member)
    read(client, "/meetings/")
    assert read(client, "/meetings/")[0] == "hit"
    member.language = "es"
    member.save(update_fields=["language"])
    state, html = read(client, "/meetings/")
    assert state == "miss"
    assert '<html lang="es"' in html
    response = client.get("/meetings/")
    assert response["X-Cache"] == "hit"
    assert response["Content-Language"] == "es"


def test_a_preference_saved_through_update_shows_at_once(member):
    from members.email_kinds import set_wanted

    client = signed_in(member)
    read(client, "/")
    assert read(client, "/")[0] == "hit"
    set_wanted(member, "announcements", False)
    assert read(client, "/")[0] == "miss"


def test_an_organizers_pages_are_never_kept(organizer):
    client = signed_in(organizer)
    for path in PAGES:
        read(client, path)
        assert read(client, path)[0] == "miss"


def test_without_a_csrf_cookie_nothing_is_kept(member):
    client = Client()
    client.force_login(member)
    client.cookies["csrftoken"] = "not-a-token"
    assert read(client, "/meetings/")[0] == "miss"
    client.cookies["csrftoken"] = "not-a-token"
    assert read(client, "/meetings/")[0] == "miss"


def test_a_kept_page_never_outlives_the_moment_the_video_link_opens(member, frozen_clock):
    starts_at = timezone.now() + timedelta(minutes=30, seconds=20)
    meeting = make_meeting(
        starts_at, video_link="https://meet.example.org/room", link_visible_minutes_before=30
    )
    path = meeting.get_absolute_url()
    client = signed_in(member)
    state, html = read(client, path)
    assert "meet.example.org/room" not in html
    assert read(client, path)[0] == "hit"
    frozen_clock.tick(15)
    assert read(client, path)[0] == "hit"
    frozen_clock.tick(6)  # the link opened a second ago
    state, html = read(client, path)
    assert state == "miss"
    assert "meet.example.org/room" in html


def test_the_next_moment_a_meeting_changes(db):
    now = timezone.now()
    assert pagecache.seconds_until_the_clock_changes(["meetings"], now) == 60  # no meeting: the usual bound
    make_meeting(now + timedelta(minutes=40), link_visible_minutes_before=None)
    assert (
        pagecache.seconds_until_the_clock_changes(["meetings"], now) == 60
    )  # its live page opens in 10 minutes
    make_meeting(now + timedelta(seconds=40), link_visible_minutes_before=None)
    assert pagecache.seconds_until_the_clock_changes(["meetings"], now) == 40  # it starts
    make_meeting(now + timedelta(minutes=30, seconds=10), link_visible_minutes_before=30)
    assert pagecache.seconds_until_the_clock_changes(["meetings"], now) == 10  # its link opens
    under_way = make_meeting(now - timedelta(minutes=95, seconds=-5))
    assert under_way.ends_at == now + timedelta(seconds=5)  # the 20/60/15 frame
    assert pagecache.seconds_until_the_clock_changes(["meetings"], now) == 5  # it ends


def test_a_rendering_that_changes_the_session_is_not_kept(member, monkeypatch):
    from solidarityclub import views

    real = views.render

    def render_and_touch_the_session(request, *args, **kwargs):
        request.session["seen"] = True
        return real(request, *args, **kwargs)

    monkeypatch.setattr(views, "render", render_and_touch_the_session)
    client = signed_in(member)
    read(client, "/")
    assert read(client, "/")[0] == "miss"


def test_members_of_a_row():
    from django.contrib.auth import get_user_model

    user = get_user_model()(pk=7)
    assert memberpages.members_of(user) == [7]
    assert memberpages.members_of(RSVP(user_id=8, meeting_id=1)) == [8]


def test_joining_a_group_is_a_change_of_the_member(member):
    from django.contrib.auth.models import Group

    client = signed_in(member)
    read(client, "/")
    assert read(client, "/")[0] == "hit"
    Group.objects.create(name="Readers").user_set.add(member)
    assert read(client, "/")[0] == "miss"


# --- The private feed's owner, remembered while their version stands ----------------------


def feed(client, token):
    return client.get(f"/meetings/calendar/{token}.ics")


def test_a_polling_calendar_app_costs_no_query(member, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    make_meeting(days=3, video_link="https://meet.example.org/room")
    app = Client()
    first = feed(app, member.feed_token)
    assert "meet.example.org/room" in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = feed(app, member.feed_token)
    assert again.content == first.content
    assert len(queries) == 0, [query["sql"] for query in queries]


def test_a_reset_feed_address_stops_at_once(member):
    make_meeting(days=3, video_link="https://meet.example.org/room")
    old = member.feed_token
    assert feed(Client(), old).status_code == 200
    member.reset_feed_token()
    assert feed(Client(), old).status_code == 404
    assert "meet.example.org/room" in feed(Client(), member.feed_token).content.decode()


def test_a_break_or_leaving_shows_in_the_feed_at_once(member):
    from members.accounts import leave

    make_meeting(days=3, video_link="https://meet.example.org/room")
    token = member.feed_token
    assert "meet.example.org/room" in feed(Client(), token).content.decode()
    member.break_since = timezone.now()
    member.save()
    body = feed(Client(), token)
    assert body.status_code == 200
    assert "meet.example.org/room" not in body.content.decode()
    member.break_since = None
    member.save()
    assert "meet.example.org/room" in feed(Client(), token).content.decode()
    leave(member)
    assert feed(Client(), token).status_code == 404


# --- One round trip: the session and the member's version together --------------------


def test_a_members_hit_is_one_read_of_the_shared_cache(member, django_assert_num_queries):
    """The database cache here: one query reads the session and the version (solidarityclub/sessions.py)."""
    client = signed_in(member)
    read(client, "/meetings/")
    with django_assert_num_queries(1):
        assert read(client, "/meetings/")[0] == "hit"


def test_a_session_signed_out_elsewhere_gets_no_kept_page(member):
    """The session is still read on every hit: signing out (its row and cache entry go) ends it."""
    from django.contrib.sessions.models import Session

    client = signed_in(member)
    read(client, "/meetings/")
    assert read(client, "/meetings/")[0] == "hit"
    key = client.cookies["sessionid"].value
    client.session.delete(key)
    assert not Session.objects.filter(session_key=key).exists()
    html = client.get("/meetings/").content.decode()
    assert "Sign out" not in html


def test_a_session_missing_from_the_cache_is_read_from_the_database(member):
    from solidarityclub.sessions import SessionStore

    client = signed_in(member)
    read(client, "/meetings/")
    assert read(client, "/meetings/")[0] == "hit"
    cache.delete(SessionStore(client.cookies["sessionid"].value).cache_key)  # a cache restart
    state, html = read(client, "/meetings/")
    assert state == "hit"  # the same session, from the database
    assert "Sign out" in html
