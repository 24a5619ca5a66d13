"""/blog/feed/: an Atom feed of published posts with full sanitized content, parsed back by feedparser."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import feedparser
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone
from django.utils.http import http_date

from blog.models import Kind, Post
from tests.conftest import ROLES
from tests.factories import make_post


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


class Tags(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


@pytest.fixture
def posts(db, organizer):
    organizer.display_name = "Olga"
    organizer.save()
    now = timezone.now()
    return {
        "published": make_post(
            title="Reading club is back",
            summary="We read together again.",
            body="## The book\n\nWe read *Parable of the Sower*. [More](https://example.org/book)",
            kind=Kind.ANNOUNCEMENT,
            author=organizer,
            publish_at=now - timedelta(hours=2),
        ),
        "project": make_post(
            title="Shared reading list", kind=Kind.PROJECT, publish_at=now - timedelta(days=1)
        ),
        "draft": make_post(
            title="Secret draft", status=Post.Status.DRAFT, publish_at=now - timedelta(days=1)
        ),
        "scheduled": make_post(title="Future plans", publish_at=now + timedelta(hours=1)),
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_feed_lists_only_published_posts_newest_first(client_for, posts, role):
    feed = parse(client_for(role).get("/blog/feed/"))
    assert [entry.title for entry in feed.entries] == ["Reading club is back", "Shared reading list"]


def test_the_feed_describes_itself(client, posts):
    feed = parse(client.get("/blog/feed/"))
    assert feed.feed.title == "W.O.R.K. Solidarity Club: announcements and projects"
    assert feed.feed.link == "http://testserver/blog/"
    assert any(link.rel == "self" and link.href == "http://testserver/blog/feed/" for link in feed.feed.links)


def test_each_entry_has_link_dates_author_kind_summary_and_the_full_content(client, posts):
    post = posts["published"]
    entry = parse(client.get("/blog/feed/")).entries[0]
    assert entry.link == f"http://testserver{post.get_absolute_url()}"
    # A tag URI that no slug change moves (RFC 4151), not the post's address.
    assert entry.id == f"tag:testserver,{post.created_at:%Y-%m-%d}:blog/post/{post.pk}"
    assert entry.author == "Olga"
    assert "olga@example.org" not in str(entry)
    assert [tag.term for tag in entry.tags] == ["Announcement"]
    assert entry.summary == "We read together again."
    published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
    assert abs(published - post.publish_at) < timedelta(seconds=1)
    assert entry.updated_parsed >= entry.published_parsed
    [content] = entry.content
    assert content.type == "text/html"
    tags = Tags(content.value).elements
    assert ("h2", {}) in tags  # below the page's h1, as on the site
    assert ("em", {}) in tags
    assert ("a", {"href": "https://example.org/book", "rel": "nofollow noopener noreferrer"}) in tags


def test_feed_content_stays_sanitized(client, db):
    make_post(
        title="Sneaky", body="<script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1))"
    )
    [entry] = parse(client.get("/blog/feed/")).entries
    for tag, attrs in Tags(entry.content[0].value).elements:
        assert tag in {"p", "a"}
        assert "href" not in attrs
        assert not any(name.startswith("on") for name in attrs)


def test_a_scheduled_post_joins_the_feed_when_its_time_comes(client, posts):
    Post.objects.filter(pk=posts["scheduled"].pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    titles = [entry.title for entry in parse(client.get("/blog/feed/")).entries]
    assert titles[0] == "Future plans"


def test_an_empty_feed_is_still_a_feed(client, db):
    assert parse(client.get("/blog/feed/")).entries == []


def test_the_feed_is_bounded_in_length_and_queries(client, db, django_assert_max_num_queries):
    html = "<p>Body.</p>"
    start = timezone.now() - timedelta(minutes=1)
    Post.objects.bulk_create(
        Post(
            title=f"Post {n}",
            slug=f"post-{n}",
            body="Body.",
            body_html=html,
            status=Post.Status.PUBLISHED,
            publish_at=start - timedelta(hours=n),
        )
        for n in range(200)
    )
    with django_assert_max_num_queries(2):
        response = client.get("/blog/feed/")
    assert len(parse(response).entries) == 20


def test_the_feed_refuses_a_post(client, db):
    assert client.post("/blog/feed/").status_code == 405


def test_feed_readers_get_304_until_something_changes(client, posts):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Post.objects.update(updated_at=an_hour_ago)
    since = client.get("/blog/feed/")["Last-Modified"]
    assert since == http_date(an_hour_ago.timestamp())
    assert client.get("/blog/feed/", headers={"if-modified-since": since}).status_code == 304
    # A scheduled post appearing changes the feed, though nobody edited anything.
    Post.objects.filter(pk=posts["scheduled"].pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    response = client.get("/blog/feed/", headers={"if-modified-since": since})
    assert response.status_code == 200
    assert parse(response).entries[0].title == "Future plans"


def test_unpublishing_changes_the_feed(client, posts, organizer_client):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Post.objects.update(updated_at=an_hour_ago)
    since = client.get("/blog/feed/")["Last-Modified"]
    organizer_client.post(
        "/admin/blog/post/", {"action": "unpublish", ACTION_CHECKBOX_NAME: [posts["published"].pk]}
    )
    response = client.get("/blog/feed/", headers={"if-modified-since": since})
    assert response.status_code == 200
    assert [entry.title for entry in parse(response).entries] == ["Shared reading list"]


def test_an_empty_feed_has_no_last_modified(client, db):
    response = client.get("/blog/feed/")
    assert response.status_code == 200
    assert not response.has_header("Last-Modified")
