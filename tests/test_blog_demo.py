"""blog/demo.py: a few announcements and projects with real Markdown, added once."""

import io
from html.parser import HTMLParser

from blog import demo
from blog.models import Kind, Post
from meetings.models import Meeting
from tests.conftest import seed_demo


class Tags(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_seed_adds_published_announcements_and_projects_once(db):
    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    assert "Blog: 4 demo post(s) added." in out.getvalue()
    assert "Blog: 0 demo post(s) added." in out.getvalue()
    assert Post.objects.count() == 4
    assert Post.objects.published().count() == 4
    assert set(Post.objects.values_list("kind", flat=True)) == {Kind.ANNOUNCEMENT, Kind.PROJECT}


def test_demo_posts_use_real_markdown(db):
    demo.seed(io.StringIO())
    tags = set()
    for post in Post.objects.all():
        assert post.summary
        tags |= set(Tags(post.body_html).tags)
    assert {"ul", "ol", "li", "a", "table", "th", "td", "blockquote", "strong", "em"} <= tags


def test_seed_demo_runs_twice_without_adding_anything(db):
    seed_demo(stdout=io.StringIO())
    counts = Post.objects.count(), Meeting.objects.count()
    seed_demo(stdout=io.StringIO())
    assert (Post.objects.count(), Meeting.objects.count()) == counts
    post = Post.objects.get(slug="next-meeting-bring-your-topics")
    assert post.author is not None
    if Meeting.objects.exists():  # the meetings app seeds meetings before the blog
        assert post.meeting is not None
