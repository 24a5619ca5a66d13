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
