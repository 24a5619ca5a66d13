"""/blog/ and /blog/<slug>/: what each role sees, pagination, filters, meta tags, query counts."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from blog.models import Kind, Post
from meetings.models import Meeting
from solidarityclub.markdown import render_markdown
from solidarityclub.times import format_when
from tests.conftest import ROLES
from tests.factories import make_post


class Page(HTMLParser):
    """The parts of a page these tests look at: links, meta tags, headings and text."""

    def __init__(self, response):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.text = []
        self.feed(response.content.decode())
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag, **match):
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in match.items())]

    @property
    def content(self):
        return " ".join(" ".join(self.text).split())

    def meta(self, prop):
        found = self.all("meta", property=prop) or self.all("meta", name=prop)
        return found[0]["content"] if found else None


@pytest.fixture
def posts(db):
    """One published post, one draft, one scheduled."""
    now = timezone.now()
    return {
        "published": make_post(
            title="Published post", summary="Out now.", publish_at=now - timedelta(hours=1)
        ),
        "draft": make_post(title="Draft post", status=Post.Status.DRAFT, publish_at=now - timedelta(hours=1)),
        "scheduled": make_post(title="Scheduled post", publish_at=now + timedelta(days=2)),
    }


def bulk_posts(count, *, kind=Kind.ANNOUNCEMENT, prefix="post", start=None):
    start = start or timezone.now() - timedelta(minutes=1)
    html = render_markdown("Body.")
    return Post.objects.bulk_create(
        Post(
            title=f"{prefix} {n}",
            slug=f"{prefix}-{n}",
            kind=kind,
            body="Body.",
            body_html=html,
            status=Post.Status.PUBLISHED,
            publish_at=start - timedelta(hours=n),
        )
        for n in range(count)
    )


# The list


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_only_published_posts_to_everyone(client_for, posts, role):
    response = client_for(role).get("/blog/")
    assert response.status_code == 200
    titles = [
        a["href"]
        for a in Page(response).all("a")
        if a.get("href", "").startswith("/blog/") and a["href"] != "/blog/"
    ]
    assert posts["published"].get_absolute_url() in titles
    assert posts["draft"].get_absolute_url() not in titles
    assert posts["scheduled"].get_absolute_url() not in titles


def test_the_list_is_newest_first_ten_a_page(client, db):
    bulk_posts(23)
    first = Page(client.get("/blog/"))
    assert [a["href"] for a in first.all("a") if a.get("href", "").startswith("/blog/post-")] == [
        f"/blog/post-{n}/" for n in range(10)
    ]
    assert first.all("a", rel="next") == [{"href": "?page=2", "rel": "next"}]
    assert first.all("a", rel="prev") == []
    last = Page(client.get("/blog/?page=3"))
    assert [a["href"] for a in last.all("a") if a.get("href", "").startswith("/blog/post-")] == [
        f"/blog/post-{n}/" for n in range(20, 23)
    ]
    assert last.all("a", rel="prev") == [{"href": "?page=2", "rel": "prev"}]
    assert last.all("a", rel="next") == []
    assert "Page 3 of 3" in last.content


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "4", "99999999999999999999", "1e3", "%00"])
def test_bad_page_numbers_are_404_never_500(client, db, page):
    bulk_posts(23)
    assert client.get("/blog/", {"page": page}).status_code == 404


@pytest.mark.parametrize("query", ["", "?page=", "?page=1", "?kind="])
def test_the_first_page_is_there_even_without_posts(client, db, query):
    response = client.get(f"/blog/{query}")
    assert response.status_code == 200
    assert "Nothing published here yet" in Page(response).content


def test_the_kind_filter(client, db):
    bulk_posts(3, kind=Kind.ANNOUNCEMENT, prefix="news")
    bulk_posts(12, kind=Kind.PROJECT, prefix="project")
    page = Page(client.get("/blog/?kind=project"))
    hrefs = [
        a["href"] for a in page.all("a") if a.get("href", "").startswith(("/blog/news", "/blog/project"))
    ]
    assert hrefs == [f"/blog/project-{n}/" for n in range(10)]
    # The filter survives paging, and the current filter is marked.
    assert page.all("a", rel="next") == [{"href": "?kind=project&page=2", "rel": "next"}]
    assert page.all("a", **{"aria-current": "page", "href": "/blog/?kind=project"})
    second = Page(client.get("/blog/?kind=project&page=2"))
    assert [a["href"] for a in second.all("a") if a.get("href", "").startswith("/blog/project")] == [
        "/blog/project-10/",
        "/blog/project-11/",
    ]
    news = Page(client.get("/blog/?kind=announcement"))
    assert [
        a["href"] for a in news.all("a") if a.get("href", "").startswith(("/blog/news", "/blog/project"))
    ] == [f"/blog/news-{n}/" for n in range(3)]


@pytest.mark.parametrize("kind", ["draft", "Project", "x" * 500, "<script>"])
def test_an_unknown_kind_is_404(client, db, kind):
    assert client.get("/blog/", {"kind": kind}).status_code == 404


@pytest.mark.parametrize("role", ["visitor", "member"])
def test_the_list_needs_a_bounded_number_of_queries_with_1000_posts(
    client_for, role, django_assert_max_num_queries
):
    client = client_for(role)
    bulk_posts(1000)
    for query in ["", "?page=50", "?page=100", "?kind=announcement&page=7"]:
        with django_assert_max_num_queries(6):
            response = client.get(f"/blog/{query}")
        assert response.status_code == 200


def test_the_list_refuses_a_post(client, db):
    assert client.post("/blog/").status_code == 405


# One post


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["published", "draft", "scheduled"])
def test_permission_matrix_for_a_post(client_for, posts, role, state):
    response = client_for(role).get(posts[state].get_absolute_url())
    expected = 200 if state == "published" or role == "organizer" else 404
    assert response.status_code == expected


def test_organizers_see_a_draft_banner(organizer_client, posts):
    response = organizer_client.get(posts["draft"].get_absolute_url())
    page = Page(response)
    banner = page.all("div", role="status")
    assert banner
    assert "Draft. This is a preview for organizers" in page.content
    assert page.meta("robots") == "noindex"
    assert "no-cache" in response["Cache-Control"]


def test_organizers_see_when_a_scheduled_post_appears(organizer_client, posts):
    page = Page(organizer_client.get(posts["scheduled"].get_absolute_url()))
    when = timezone.localtime(posts["scheduled"].publish_at)
    assert f"Scheduled for {format_when(when)}" in page.content
    assert "visitors and members cannot see this post yet" in page.content


def test_a_published_post_has_no_banner(organizer_client, posts):
    page = Page(organizer_client.get(posts["published"].get_absolute_url()))
    assert "preview for organizers" not in page.content
    assert page.meta("robots") is None
    assert page.all("a", href=reverse("admin:blog_post_change", args=[posts["published"].pk]))


def test_a_post_page_shows_title_author_date_kind_and_body(client, organizer):
    organizer.display_name = "Olga O."
    organizer.save()
    post = make_post(
        title="Movie night",
        kind=Kind.PROJECT,
        author=organizer,
        body="We watch *together*.\n\n# Part one",
        publish_at=timezone.now() - timedelta(days=1),
    )
    response = client.get(post.get_absolute_url())
    page = Page(response)
    assert [t for t, _ in page.elements].count("h1") == 1
    assert "Movie night" in page.content
    assert "by Olga O." in page.content
    assert "Project" in page.content
    assert page.all("time", datetime=timezone.localtime(post.publish_at).isoformat())
    assert page.all("em")
    assert page.all("h2")
    assert organizer.email not in response.content.decode()


def test_a_post_links_the_meeting_it_announces(client, db):
    meeting = Meeting.objects.create(
        title="Reading club: Parable of the Sower", starts_at=timezone.now() + timedelta(days=5)
    )
    post = make_post(title="Join us", meeting=meeting)
    page = Page(client.get(post.get_absolute_url()))
    assert "This post announces Reading club: Parable of the Sower" in page.content
    try:
        meeting_url = reverse("meetings:detail", args=[meeting.pk])
    except NoReverseMatch:  # the meeting page arrives with the meetings app's views
        meeting_url = None
    if meeting_url:
        assert page.all("a", href=meeting_url)


def test_unknown_and_odd_slugs_are_404(client, db):
    assert client.get("/blog/no-such-post/").status_code == 404
    assert client.get("/blog/%E2%9C%8A/").status_code == 404


def test_a_post_page_refuses_a_post(client, posts):
    assert client.post(posts["published"].get_absolute_url()).status_code == 405


def test_a_post_has_description_and_open_graph_tags(client, db):
    post = make_post(title="Q&A night", summary="Questions & answers, together.")
    response = client.get(post.get_absolute_url())
    page = Page(response)
    url = f"http://testserver{post.get_absolute_url()}"
    assert page.meta("description") == "Questions & answers, together."
    assert page.meta("og:title") == "Q&A night"
    assert page.meta("og:description") == "Questions & answers, together."
    assert page.meta("og:type") == "article"
    assert page.meta("og:url") == url
    assert page.meta("article:published_time") == timezone.localtime(post.publish_at).isoformat()
    assert page.all("link", rel="canonical", href=url)


def test_a_post_without_summary_describes_itself_with_its_text(client, db):
    post = make_post(body="**Bring** a friend & a snack.")
    assert Page(client.get(post.get_absolute_url())).meta("og:description") == "Bring a friend & a snack."


def test_a_post_page_needs_a_bounded_number_of_queries(member_client, db, django_assert_max_num_queries):
    bulk_posts(1000)
    with django_assert_max_num_queries(5):
        assert member_client.get("/blog/post-500/").status_code == 200


# On every page


@pytest.mark.parametrize(
    "path", ["/", "/about/", "/code-of-conduct/", "/blog/", "/join/", "/accounts/login/", "/meetings/"]
)
def test_every_page_points_feed_readers_to_the_feed(client, db, path):
    page = Page(client.get(path))
    assert page.all("link", rel="alternate", type="application/atom+xml", href="/blog/feed/")


def test_a_post_page_points_to_the_feed_too(client, posts):
    page = Page(client.get(posts["published"].get_absolute_url()))
    assert page.all("link", rel="alternate", type="application/atom+xml", href="/blog/feed/")


# The home page


def test_home_shows_the_latest_published_posts(client, posts):
    now = timezone.now()
    for n in range(4):
        make_post(title=f"Older {n}", publish_at=now - timedelta(days=n + 1))
    page = Page(client.get("/"))
    latest = [
        a["href"] for a in page.all("a") if a.get("href", "").startswith("/blog/") and a["href"] != "/blog/"
    ]
    assert latest == [posts["published"].get_absolute_url(), "/blog/older-0/", "/blog/older-1/"]


def test_home_says_nothing_about_posts_when_there_are_none(client, db):
    page = Page(client.get("/"))
    assert not [a for a in page.all("a") if a.get("href", "").startswith("/blog/") and a["href"] != "/blog/"]


def test_home_stays_bounded_with_many_posts(client, db, django_assert_max_num_queries):
    bulk_posts(1000)
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200
