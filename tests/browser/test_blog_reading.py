from datetime import timedelta

from django.utils import timezone

from blog.models import Kind, Post
from tests.browser.axe import axe_violations


def publish(**fields):
    fields = {
        "title": "Reading club is back",
        "summary": "We read together again.",
        "body": "## What we read\n\n| Week | Chapters |\n| :- | -: |\n| 1 | 1–5 |\n\n> Bring a friend.\n\n"
        "[The book](https://example.org/book) · ![cover](https://images.example/cover.png)",
        "kind": Kind.ANNOUNCEMENT,
        "status": Post.Status.PUBLISHED,
        "publish_at": timezone.now() - timedelta(hours=1),
        **fields,
    }
    return Post.objects.create(**fields)


def test_a_visitor_reads_a_post_and_follows_the_feed_link(watched):
    publish(title="Older project", kind=Kind.PROJECT, publish_at=timezone.now() - timedelta(days=3))
    post = publish()
    page = watched.page
    page.goto("/")
    page.get_by_role("link", name="Reading club is back").click()
    page.wait_for_url(f"**{post.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Reading club is back"
    assert page.locator(".post-body table td").first.inner_text() == "1"
    assert page.locator(".post-body blockquote").inner_text() == "Bring a friend."
    assert page.locator(".post-body img").count() == 0  # nothing loads from another host

    page.get_by_role("link", name="← All posts").click()
    page.wait_for_url("**/blog/")
    assert page.locator("article h2").all_inner_texts() == ["Reading club is back", "Older project"]
    page.get_by_role("link", name="Projects").click()
    page.wait_for_url("**/blog/?kind=project")
    assert page.locator("article h2").all_inner_texts() == ["Older project"]

    feed_href = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    assert page.get_by_role("link", name="Atom feed").get_attribute("href") == feed_href
    feed = page.request.get(feed_href)
    assert feed.status == 200
    assert feed.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert "<title>Reading club is back</title>" in feed.text()
    watched.assert_clean()


def test_an_organizer_previews_a_draft(watched, organizer):
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD

    draft = publish(title="Not yet", status=Post.Status.DRAFT)
    sign_in(watched.page, organizer.email, PASSWORD)
    watched.page.goto(draft.get_absolute_url())
    assert watched.page.get_by_role("status").inner_text().startswith("Draft.")
    watched.assert_clean()


def test_blog_pages_have_no_accessibility_violations(new_page):
    post = publish()
    for viewport in [{"width": 1200, "height": 900}, {"width": 320, "height": 700}]:
        watched = new_page(viewport=viewport, bypass_csp=True)
        for path in ["/blog/", post.get_absolute_url()]:
            watched.page.goto(path)
            assert axe_violations(watched.page) == [], path
            overflow = watched.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, path
