"""The blog's admin: who may use it, filters, search, the rendered preview, publish and unpublish."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone

from blog.models import Kind, Post
from tests.conftest import ROLES
from tests.factories import make_post

CHANGELIST = "/admin/blog/post/"


class Tags(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.stack = []
        self.inside = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs, tuple(self.stack)))
        if tag not in {"br", "hr", "input", "img", "meta", "link"}:
            self.stack.append(attrs.get("class", ""))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def within(self, css_class):
        return [(tag, attrs) for tag, attrs, parents in self.elements if css_class in parents]


def changelist_titles(response):
    assert response.status_code == 200
    return sorted(str(post) for post in response.context["cl"].result_list)


@pytest.fixture
def posts(db):
    now = timezone.now()
    return {
        "news": make_post(
            title="Reading club news", kind=Kind.ANNOUNCEMENT, publish_at=now - timedelta(days=1)
        ),
        "project": make_post(title="Zine project", kind=Kind.PROJECT, body="We make a *zine*."),
        "draft": make_post(title="Draft idea", status=Post.Status.DRAFT),
        "scheduled": make_post(title="Next month", publish_at=now + timedelta(days=30)),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", [CHANGELIST, f"{CHANGELIST}add/"])
def test_permission_matrix(client_for, db, role, path):
    response = client_for(role).get(path)
    if role == "organizer":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_organizers_can_open_a_post(organizer_client, posts):
    assert organizer_client.get(f"{CHANGELIST}{posts['draft'].pk}/change/").status_code == 200


def test_the_admin_index_lists_posts_for_organizers(organizer_client, db):
    assert "/admin/blog/post/" in organizer_client.get("/admin/").content.decode()


def test_filters_by_kind_status_and_visibility(organizer_client, posts):
    get = organizer_client.get
    assert changelist_titles(get(CHANGELIST, {"kind__exact": "project"})) == ["Zine project"]
    assert changelist_titles(get(CHANGELIST, {"status__exact": "draft"})) == ["Draft idea"]
    assert changelist_titles(get(CHANGELIST, {"visibility": "scheduled"})) == ["Next month"]
    assert changelist_titles(get(CHANGELIST, {"visibility": "live"})) == ["Reading club news", "Zine project"]


def test_search(organizer_client, posts):
    assert changelist_titles(organizer_client.get(CHANGELIST, {"q": "zine"})) == ["Zine project"]
    assert changelist_titles(organizer_client.get(CHANGELIST, {"q": "reading"})) == ["Reading club news"]


def test_the_list_shows_the_state_of_each_post(organizer_client, posts):
    html = organizer_client.get(CHANGELIST).content.decode()
    for state in ["Draft", "Scheduled", "Published"]:
        assert f">{state}<" in html


def test_the_change_page_previews_the_rendered_post(organizer_client, db):
    post = make_post(title="Preview me", body="## Heading\n\nSome *text* <script>alert(1)</script>")
    html = organizer_client.get(f"{CHANGELIST}{post.pk}/change/").content.decode()
    preview = Tags(html).within("blog-admin-preview")
    assert [tag for tag, _ in preview] == ["h2", "p", "em"]


def test_adding_a_post_makes_the_slug_and_credits_the_organizer(organizer_client, organizer):
    form = organizer_client.get(f"{CHANGELIST}add/").context["adminform"].form
    assert form.initial["author"] == organizer.pk
    response = organizer_client.post(
        f"{CHANGELIST}add/",
        {
            "title": "Movie night: Sorry to Bother You",
            "slug": "",
            "kind": "announcement",
            "summary": "",
            "body": "Popcorn **provided**.",
            "status": "draft",
            "publish_at_0": "2030-01-01",
            "publish_at_1": "19:00:00",
            "author": organizer.pk,
            "meeting": "",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.slug == "movie-night-sorry-to-bother-you"
    assert post.author == organizer
    assert post.body_html == "<p>Popcorn <strong>provided</strong>.</p>"


def test_a_duplicate_or_reserved_slug_is_a_form_error(organizer_client, organizer, posts):
    data = {
        "title": "x",
        "kind": "project",
        "body": "y",
        "status": "draft",
        "publish_at_0": "2030-01-01",
        "publish_at_1": "19:00:00",
    }
    for slug in [posts["news"].slug, "feed"]:
        response = organizer_client.post(f"{CHANGELIST}add/", {**data, "slug": slug})
        assert response.status_code == 200
        assert "slug" in response.context["adminform"].form.errors


def run_action(client, action, posts, **extra):
    return client.post(CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: [p.pk for p in posts], **extra})


def test_publish_and_unpublish(organizer_client, posts):
    response = run_action(organizer_client, "publish", [posts["draft"]])
    assert response.status_code == 302
    posts["draft"].refresh_from_db()
    assert posts["draft"].status == Post.Status.PUBLISHED
    assert posts["draft"] in Post.objects.published()

    run_action(organizer_client, "unpublish", [posts["draft"], posts["news"]])
    assert set(Post.objects.filter(status=Post.Status.DRAFT).values_list("title", flat=True)) == {
        "Draft idea",
        "Reading club news",
    }
    assert posts["news"] not in Post.objects.published()


def test_publishing_a_post_with_a_future_time_schedules_it(organizer_client, posts):
    later = make_post(title="Later", status=Post.Status.DRAFT, publish_at=timezone.now() + timedelta(days=3))
    response = run_action(organizer_client, "publish", [later])
    later.refresh_from_db()
    assert later.is_scheduled
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["1 post published. 1 of them will appear at its publish time."]


def test_only_organizers_can_run_actions(client_for, posts):
    client = client_for("member")
    response = run_action(client, "unpublish", [posts["news"]])
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    posts["news"].refresh_from_db()
    assert posts["news"].status == Post.Status.PUBLISHED
