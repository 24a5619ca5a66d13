"""The visitor page cache: same page for every visitor, gone the moment content changes."""

import time

import pytest
from django.core.cache import cache

from meetings.models import Meeting
from solidarityclub import pagecache
from solidarityclub.pagecache import reset_process_cache
from tests.factories import make_meeting


@pytest.fixture(autouse=True)
def page_cache_on(settings, db):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    reset_process_cache()


def test_a_visitor_gets_the_second_page_from_the_cache(client, frozen_clock, django_assert_num_queries):
    first = client.get("/")
    with django_assert_num_queries(0):  # from this process's memory: no database, no shared cache
        second = client.get("/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_saving_content_shows_at_once(client, organizer):
    client.get("/")
    make_meeting(title="Reading club: mutual aid", days=3)
    assert "Reading club: mutual aid" in client.get("/").content.decode()


def test_signed_in_members_are_never_served_a_cached_page(client, member):
    client.get("/")  # cached for visitors
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "Sign out" in html
    assert member.get_short_name() in html


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, settings):
    settings.PAGE_CACHE_HEADER = True
    meeting = make_meeting(title="Movie night", days=3)
    client.get("/")
    # A change that sends no signal: the plain visitor keeps the cached page until the timeout…
    Meeting.objects.filter(pk=meeting.pk).update(title="Movie night: Sorry to Bother You")
    response = client.get("/")
    assert response["X-Cache"] == "hit"
    assert "Sorry to Bother You" not in response.content.decode()
    # …while a visitor with a message waiting is never served a cached page, nor stored one
    # (the fragments inside it are shared, within the same timeout).
    client.cookies["messages"] = "anything"
    assert not client.get("/").has_header("X-Cache")
    assert not client.get("/").has_header("X-Cache")


def test_pages_with_a_csrf_token_are_not_cached(client):
    from solidarityclub.pagecache import cache_for_visitors

    def form_page(request):
        from django.http import HttpResponse
        from django.middleware.csrf import get_token

        return HttpResponse(get_token(request))

    from django.test import RequestFactory

    view = cache_for_visitors(form_page)
    first = view(RequestFactory().get("/form/")).content
    second = view(RequestFactory().get("/form/")).content
    assert first != second


@pytest.fixture
def content(db):
    from datetime import timedelta

    from django.utils import timezone

    from blog.models import Post

    meeting = make_meeting(
        timezone.now() + timedelta(days=2), video_link="https://meet.example.org/secret-room"
    )
    post = Post.objects.create(
        title="Reading club is back",
        body="We read *together*.",
        status=Post.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(hours=1),
    )
    return meeting, post


def visitor_paths(meeting, post):
    return [
        "/blog/",
        post.get_absolute_url(),
        "/blog/feed/",
        "/meetings/",
        "/meetings/past/",
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/calendar.ics",
        "/meetings/calendar.ics",
    ]


def test_every_cached_page_answers_the_same_from_the_cache(
    client, content, frozen_clock, django_assert_num_queries
):
    for path in visitor_paths(*content):
        first = client.get(path)
        assert first.status_code == 200, path
        with django_assert_num_queries(0):  # feeds too: their ETags come from the content version
            second = client.get(path)
        assert second.content == first.content, path
        assert second["Content-Type"] == first["Content-Type"], path


def test_a_member_never_gets_the_visitors_copy_of_a_meeting(client, content, member):
    meeting, _post = content
    path = f"/meetings/{meeting.pk}/"
    assert "secret-room" not in client.get(path).content.decode()
    client.force_login(member)
    assert "secret-room" in client.get(path).content.decode()
    client.logout()
    client.cookies.clear()
    assert "secret-room" not in client.get(path).content.decode()


def test_publishing_a_post_shows_on_the_cached_blog_at_once(client, content):
    from django.utils import timezone

    from blog.models import Post

    client.get("/blog/")
    Post.objects.create(
        title="Movie night", body="Popcorn.", status=Post.Status.PUBLISHED, publish_at=timezone.now()
    )
    assert "Movie night" in client.get("/blog/").content.decode()


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_the_admins_publish_actions_show_on_cached_pages_at_once(client, organizer, action):
    """The actions change posts with update(), which sends no post_save: they bump the version themselves."""
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from blog.models import Post

    status = Post.Status.DRAFT if action == "publish" else Post.Status.PUBLISHED
    post = Post.objects.create(
        title="Movie night", body="Popcorn.", status=status, publish_at=timezone.now() - timedelta(hours=1)
    )
    admin = Client()
    admin.force_login(organizer)  # signing in saves the organizer: before the visitor's pages are cached
    before = {path: client.get(path).content.decode() for path in ["/", "/blog/"]}
    response = admin.post("/admin/blog/post/", {"action": action, "_selected_action": [post.pk]})
    assert response.status_code == 302
    for path, html in before.items():
        assert ("Movie night" in html) == (action == "unpublish"), path
        assert ("Movie night" in client.get(path).content.decode()) == (action == "publish"), path


def test_the_private_feed_body_is_reused_until_what_it_shows_changes(client, content, member):
    meeting, _post = content
    path = f"/meetings/calendar/{member.feed_token}.ics"
    first = client.get(path)
    assert b"secret-room" in first.content
    second = client.get(path)
    assert second.content == first.content
    meeting.title = "Reading club: a new title"
    meeting.save()
    third = client.get(path)
    assert b"Reading club: a new title" in third.content
    assert b"secret-room" in third.content


def test_a_cached_page_keeps_its_vary_and_cache_control_headers():
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.utils.cache import patch_cache_control, patch_vary_headers

    from solidarityclub.pagecache import cache_for_visitors

    def page(request):
        response = HttpResponse("same for every visitor")
        patch_vary_headers(response, ["Accept-Language"])
        patch_cache_control(response, public=True, max_age=60)
        return response

    view = cache_for_visitors(page)
    first = view(RequestFactory().get("/page/"))
    second = view(RequestFactory().get("/page/"))
    assert second["Vary"] == first["Vary"] == "Accept-Language"
    assert second["Cache-Control"] == first["Cache-Control"]
    assert "max-age=60" in second["Cache-Control"]


# --- Areas: a change empties only the pages that show it ----------------------------------


@pytest.fixture
def x_cache(settings):
    settings.PAGE_CACHE_HEADER = True

    def state(client, path):
        return client.get(path)["X-Cache"]

    return state


def test_a_support_or_an_rsvp_leaves_the_blog_cached_and_empties_the_pages_that_count_them(
    client, content, member, x_cache
):
    from meetings.models import RSVP
    from topics import backlog
    from topics.models import Topic

    meeting, post = content
    topic = backlog.propose(Topic(title="Mutual aid", description="Read it."), member)
    paths = [
        "/blog/",
        post.get_absolute_url(),
        "/about/",
        "/meetings/past/",
        "/meetings/",
        f"/meetings/{meeting.pk}/",
    ]
    for path in paths:
        assert x_cache(client, path) == "miss", path
        assert x_cache(client, path) == "hit", path

    backlog.add_support(topic, member)
    RSVP.objects.create(meeting=meeting, user=member, answer=RSVP.Answer.GOING)
    assert x_cache(client, "/blog/") == "hit"
    assert x_cache(client, post.get_absolute_url()) == "hit"
    assert x_cache(client, "/about/") == "hit"
    assert x_cache(client, "/meetings/past/") == "hit"  # shows gathered topics, counts no support
    assert x_cache(client, "/meetings/") == "miss"
    assert "1 going" in client.get("/meetings/").content.decode()
    assert x_cache(client, f"/meetings/{meeting.pk}/") == "miss"


def test_a_post_empties_the_blog_and_home_but_not_the_meetings(client, content, x_cache):
    from django.utils import timezone

    from blog.models import Post

    for path in ["/", "/blog/", "/meetings/"]:
        client.get(path)
    Post.objects.create(
        title="Movie night", body="Popcorn.", status=Post.Status.PUBLISHED, publish_at=timezone.now()
    )
    assert x_cache(client, "/blog/") == "miss"
    assert x_cache(client, "/") == "miss"
    assert x_cache(client, "/meetings/") == "hit"


def test_signing_in_or_a_private_preference_changes_no_page_but_a_new_name_does(
    client, content, member, x_cache
):
    from django.test import Client

    meeting, _post = content
    meeting.facilitator = member
    meeting.save()
    path = f"/meetings/{meeting.pk}/"
    client.get(path)
    Client().force_login(member)  # saves last_login only
    member.take_break()
    member.end_break()
    assert x_cache(client, path) == "hit"
    member.display_name = "Alice Organizer"
    member.save()
    assert x_cache(client, path) == "miss"
    assert "Alice Organizer" in client.get(path).content.decode()


def test_a_version_is_bumped_again_when_its_transaction_commits(django_capture_on_commit_callbacks):
    """A page another process renders between the change and the commit shows old data: it must not last."""
    from django.db import transaction

    before = pagecache.versions.current()["blog"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        pagecache.bump("blog")
        during = pagecache.versions.current()["blog"]
    after = pagecache.versions.current()["blog"]
    assert before != during != after
    assert pagecache.versions.current()["meetings"]  # other areas untouched and known


def test_every_cache_key_names_the_language(client, content):
    from django.utils import translation

    with translation.override("en"):
        english = pagecache.key_for("page", ["blog"], "testserver", "/blog/")
    with translation.override("es"):
        spanish = pagecache.key_for("page", ["blog"], "testserver", "/blog/")
    assert english != spanish
    assert ":en:" in english


# --- Two levels: the bound on what another process may still show ---------------------


class Process:
    """Another web process: its own memory in front of the same shared cache."""

    def __init__(self):
        self.versions = pagecache.AreaVersions()
        self.local = pagecache.LocalPages()


@pytest.fixture
def as_process(monkeypatch):
    from contextlib import contextmanager

    @contextmanager
    def run_as(process):
        with monkeypatch.context() as patch:
            patch.setattr(pagecache, "versions", process.versions)
            patch.setattr(pagecache, "local", process.local)
            yield

    return run_as


def test_another_process_shows_a_change_within_one_second(client, content, frozen_clock, as_process):
    from django.utils import timezone

    from blog.models import Post

    other = Process()
    with as_process(other):
        assert "Movie night" not in client.get("/blog/").content.decode()
    # This process publishes: it sees the change at once…
    Post.objects.create(
        title="Movie night", body="Popcorn.", status=Post.Status.PUBLISHED, publish_at=timezone.now()
    )
    assert "Movie night" in client.get("/blog/").content.decode()
    with as_process(other):
        # …the other still trusts the versions it read until a second has passed,
        frozen_clock.tick(pagecache.VERSION_SECONDS - 0.01)
        assert "Movie night" not in client.get("/blog/").content.decode()
        # …and no longer.
        frozen_clock.tick(0.01)
        assert "Movie night" in client.get("/blog/").content.decode()


def test_a_process_takes_a_page_another_one_rendered_from_the_shared_cache(
    client, content, frozen_clock, as_process, django_assert_num_queries
):
    client.get("/blog/")
    other = Process()
    with as_process(other):
        with django_assert_num_queries(2):  # the area versions and the page, from the database cache
            client.get("/blog/")
        with django_assert_num_queries(0):
            client.get("/blog/")


def test_a_cached_page_expires_in_every_process_at_the_same_time(
    client, content, frozen_clock, as_process, settings, x_cache
):
    assert x_cache(client, "/blog/") == "miss"
    frozen_clock.tick(settings.PAGE_CACHE_SECONDS - 2)
    other = Process()
    with as_process(other):
        assert x_cache(client, "/blog/") == "hit"  # from the shared cache, with its expiry
        frozen_clock.tick(2)
        assert x_cache(client, "/blog/") == "miss"


def test_the_process_memory_keeps_to_its_budget():
    pages = pagecache.LocalPages(max_bytes=8_000)
    for number in range(20):
        pages.set(f"page-{number}", b"x" * 900, expires_at=time.time() + 60, size=900)
    assert pages.get("page-19") is not None
    assert pages.get("page-0") is None  # the least recently used went first
    assert sum(entry[1] for entry in pages._entries.values()) <= 8_000
    pages.set("huge", b"x" * 5_000, expires_at=time.time() + 60, size=5_000)
    assert pages.get("huge") is None  # more than an eighth of the budget is never kept


# --- Redis: one client per process ---------------------------------------------------


@pytest.fixture
def redis_cache():
    """A real Redis (.ci/run starts one); keys under a prefix of this test's own."""
    import os
    import uuid

    import redis as redis_library

    from solidarityclub.cache import RedisCache

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/4")
    try:
        redis_library.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis_library.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {url}")
    backend = RedisCache(url, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    client = backend._cache.get_client(write=True)
    for key in client.scan_iter(f"{backend.key_prefix}:*"):
        client.delete(key)


def test_the_redis_cache_reuses_one_client(redis_cache):
    cache_client = redis_cache._cache
    assert cache_client.get_client() is cache_client.get_client()
    assert cache_client.get_client("a") is cache_client.get_client("b", write=True)
    redis_cache.set("page", (1.0, 3, b"abc"), 30)
    assert redis_cache.get("page") == (1.0, 3, b"abc")


def test_the_page_cache_works_over_redis(client, content, monkeypatch, redis_cache, frozen_clock, x_cache):
    monkeypatch.setattr(pagecache, "cache", redis_cache)
    assert x_cache(client, "/blog/") == "miss"
    assert x_cache(client, "/blog/") == "hit"
    pagecache.bump("blog")
    assert x_cache(client, "/blog/") == "miss"
    other = Process()
    from contextlib import ExitStack

    with ExitStack() as stack:
        stack.enter_context(monkeypatch.context())
        monkeypatch.setattr(pagecache, "versions", other.versions)
        monkeypatch.setattr(pagecache, "local", other.local)
        assert x_cache(client, "/blog/") == "hit"  # rendered by the first process, found in Redis


# --- Feeds: ETags from the content version ---------------------------------------------


@pytest.mark.parametrize("path", ["/meetings/calendar.ics", "meeting"])
def test_a_public_calendar_asks_no_query_before_its_etag(
    client, content, frozen_clock, django_assert_num_queries, path
):
    meeting, _post = content
    path = f"/meetings/{meeting.pk}/calendar.ics" if path == "meeting" else path
    etag = client.get(path)["ETag"]
    with django_assert_num_queries(0):
        assert client.get(path, headers={"if-none-match": etag}).status_code == 304
        assert client.get(path).status_code == 200
    meeting.title = "Reading club: a new title"
    meeting.save()
    changed = client.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert b"a new title" in changed.content
    assert changed["ETag"] != etag


def test_a_private_feed_asks_one_query_the_owner(
    client, content, member, frozen_clock, django_assert_num_queries
):
    path = f"/meetings/calendar/{member.feed_token}.ics"
    first = client.get(path)
    with django_assert_num_queries(1):
        assert client.get(path).content == first.content
    with django_assert_num_queries(1):
        assert client.get(path, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_a_private_feed_reveals_a_link_when_due_with_the_windows_in_memory(client, member, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    make_meeting(
        now + timedelta(minutes=60),
        video_link="https://meet.example.org/late",
        link_visible_minutes_before=30,
    )
    path = f"/meetings/calendar/{member.feed_token}.ics"
    before = client.get(path)
    assert b"meet.example.org/late" not in before.content
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=31))
    after = client.get(path, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert b"meet.example.org/late" in after.content


def test_when_an_entry_expires_under_load_one_thread_renders_it_and_the_others_wait(
    settings, frozen_clock, monkeypatch
):
    import threading
    import time

    from django.core.cache.backends.locmem import LocMemCache
    from django.db import connections

    monkeypatch.setattr(pagecache, "cache", LocMemCache("one-at-a-time", {}))
    pagecache.versions.current()
    renders = []

    def render():
        renders.append(1)
        time.sleep(0.2)  # a slow page: every other thread arrives meanwhile
        return "the feed"

    results = []

    def request():
        try:
            results.append(pagecache.cached("feed", ["meetings"], [], render))
        finally:
            connections.close_all()  # the clock's moments are read from the database in this thread

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["the feed"] * 6
    assert len(renders) == 1


# --- A member's meeting page: who is coming and its decisions, shared by every member ----------


def test_a_members_meeting_page_reads_who_is_coming_and_its_decisions_from_the_cache(
    client, django_assert_max_num_queries
):
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import RSVP
    from members.accounts import create_member, leave
    from tests.factories import make_decision
    from topics import decisions

    olga = create_member("olga@example.org", display_name="Olga", is_staff=True)
    ana = create_member("ana@example.org", display_name="Ana")
    ben = create_member("ben@example.org", display_name="Ben")
    meeting = make_meeting(timezone.now() + timedelta(days=3), title="Círculo")
    RSVP.objects.create(meeting=meeting, user=ben, answer=RSVP.Answer.GOING)
    decision = make_decision(
        olga, "¿Leemos Calibán?", meeting=meeting, closes_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(ana)
    url = meeting.get_absolute_url()
    first = client.get(url).content.decode()
    for shown in ("Ben", "¿Leemos Calibán?", "Open for votes"):
        assert shown in first
    client.get(url)  # with the CSRF cookie the first page set: kept for Ana (memberpages.py)
    with django_assert_max_num_queries(
        2
    ):  # the session and Ana's version, from the database cache (one query once seen)
        assert client.get(url).content.decode().count("Ben") == first.count("Ben")
    # Each change shows at the next view: an RSVP, a member leaving, a decision closed (an update).
    RSVP.objects.create(meeting=meeting, user=olga, answer=RSVP.Answer.MAYBE)
    assert "Olga" in client.get(url).content.decode()
    leave(ben)
    assert "Ben" not in client.get(url).content.decode()
    decisions.close(decision, olga)
    assert "Open for votes" not in client.get(url).content.decode()
