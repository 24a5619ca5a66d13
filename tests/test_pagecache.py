"""The visitor page cache: same page for every visitor, gone the moment content changes."""

import pytest
from django.core.cache import cache

from meetings.models import Meeting


@pytest.fixture(autouse=True)
def page_cache_on(settings, db):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()


def test_a_visitor_gets_the_second_page_from_the_cache(client, django_assert_max_num_queries):
    first = client.get("/")
    with django_assert_max_num_queries(2):  # the version number and the page, from the database cache
        second = client.get("/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_saving_content_shows_at_once(client, organizer):
    from datetime import timedelta

    from django.utils import timezone

    client.get("/")
    meeting = Meeting.objects.create(
        title="Reading club: mutual aid", starts_at=timezone.now() + timedelta(days=3)
    )
    meeting.apply_agenda_template()
    assert "Reading club: mutual aid" in client.get("/").content.decode()


def test_signed_in_members_are_never_served_a_cached_page(client, member):
    client.get("/")  # cached for visitors
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "Sign out" in html
    assert member.get_short_name() in html


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client):
    from datetime import timedelta

    from django.utils import timezone

    meeting = Meeting.objects.create(title="Movie night", starts_at=timezone.now() + timedelta(days=3))
    meeting.apply_agenda_template()
    client.get("/")
    # A change that sends no signal: the plain visitor keeps the cached page until the timeout…
    Meeting.objects.filter(pk=meeting.pk).update(title="Movie night: Sorry to Bother You")
    assert "Sorry to Bother You" not in client.get("/").content.decode()
    # …while a visitor with a message waiting is never served from the cache.
    client.cookies["messages"] = "anything"
    assert "Sorry to Bother You" in client.get("/").content.decode()


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
    from tests.meetings_factories import make_meeting

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


def test_every_cached_page_answers_the_same_from_the_cache(client, content, django_assert_max_num_queries):
    for path in visitor_paths(*content):
        first = client.get(path)
        assert first.status_code == 200, path
        with django_assert_max_num_queries(4):  # cache version + page, plus the feed's version check
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
