"""/sitemap.xml: the public pages, published posts (never drafts or scheduled ones) and meetings."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from meetings.models import Meeting
from tests.factories import make_post

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(  # noqa: S314 (our own response)
        response.content
    )
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


def test_the_sitemap_lists_the_public_pages(client, db):
    locs = locations(client)
    for name in ["home", "about", "code-of-conduct", "meetings:list", "blog:list", "members:join"]:
        assert f"http://testserver{reverse(name)}" in locs


def test_the_sitemap_lists_published_posts_only(client, db):
    now = timezone.now()
    published = make_post(title="Out", publish_at=now - timedelta(minutes=5))
    make_post(title="Draft", status=Post.Status.DRAFT, publish_at=now - timedelta(days=1))
    make_post(title="Later", publish_at=now + timedelta(days=1))
    posts = [loc for loc in locations(client) if "/blog/" in loc and not loc.endswith("/blog/")]
    assert posts == [f"http://testserver{published.get_absolute_url()}"]


def test_posts_carry_their_last_change(client, db):
    post = make_post(title="Out", publish_at=timezone.now() - timedelta(days=3))
    root = ElementTree.fromstring(  # noqa: S314 (our own response)
        client.get("/sitemap.xml").content
    )
    for url in root.findall("sm:url", NS):
        if url.find("sm:loc", NS).text.endswith(post.get_absolute_url()):
            assert url.find("sm:lastmod", NS).text == timezone.localdate(post.updated_at).isoformat()
            break
    else:
        pytest.fail("the post is not in the sitemap")


def test_the_sitemap_includes_the_meetings_section_when_the_meetings_app_has_one(client, db):
    from solidarityclub.sitemaps import collect_sitemaps

    sections = collect_sitemaps()
    assert {"pages", "post"} <= set(sections)
    try:
        from meetings.sitemaps import MeetingSitemap
    except ImportError:  # the meetings app adds its sitemap with its public pages
        return
    assert sections["meeting"] is MeetingSitemap


def test_the_sitemap_is_bounded_in_queries(client, db, django_assert_max_num_queries):
    Post.objects.bulk_create(
        Post(title=f"P{n}", slug=f"p-{n}", body="x", body_html="<p>x</p>", status=Post.Status.PUBLISHED)
        for n in range(500)
    )
    with django_assert_max_num_queries(8):
        assert len(locations(client)) >= 506


@pytest.mark.parametrize("page", ["0", "abc", "99"])
def test_bad_sitemap_pages_are_404(client, db, page):
    assert client.get("/sitemap.xml", {"p": page}).status_code == 404


def test_robots_txt_points_crawlers_to_the_sitemap(client, db):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_meetings_appear_in_the_sitemap(client, db):
    meeting = Meeting.objects.create(title="Reading club", starts_at=timezone.now() + timedelta(days=3))
    assert f"http://testserver{meeting.get_absolute_url()}" in locations(client)
