"""Issue 11, point 9: blog dates are true, old addresses redirect, Atom ids stay put."""

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import FormerSlug, Post

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:blog_post_changelist")


def old_draft(**fields):
    post = Post.objects.create(title="Zine night", body="Text.", status=Post.Status.DRAFT, **fields)
    Post.objects.filter(pk=post.pk).update(publish_at=timezone.now() - timedelta(days=10))
    post.refresh_from_db()
    return post


def change_data(post, **overrides):
    local = timezone.localtime(post.publish_at)
    data = {
        "title": post.title,
        "slug": post.slug,
        "kind": post.kind,
        "summary": post.summary,
        "body": post.body,
        "status": post.status,
        "publish_at_0": f"{local:%Y-%m-%d}",
        "publish_at_1": f"{local:%H:%M:%S}",
        "author": "",
        "meeting": "",
    }
    data.update(overrides)
    return data


def test_publishing_a_draft_in_the_admin_form_sets_its_time_to_now(organizer_client):
    post = old_draft()
    before = timezone.now()
    response = organizer_client.post(
        reverse("admin:blog_post_change", args=[post.pk]), change_data(post, status="published")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    post.refresh_from_db()
    assert post.status == "published"
    assert post.publish_at >= before - timedelta(seconds=1)


def test_publishing_with_the_action_sets_its_time_to_now(organizer_client):
    post = old_draft()
    before = timezone.now()
    organizer_client.post(CHANGELIST, {"action": "publish", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.status == "published"
    assert post.publish_at >= before - timedelta(seconds=1)


def test_a_scheduled_or_chosen_time_stays(organizer_client):
    later = timezone.now() + timedelta(days=3)
    post = old_draft()
    Post.objects.filter(pk=post.pk).update(publish_at=later)
    post.refresh_from_db()
    assert post.publish()
    post.refresh_from_db()
    assert post.publish_at == later
    # A time the organizer types while publishing is theirs, even in the past.
    other = old_draft(slug="other")
    chosen = timezone.localtime(timezone.now() - timedelta(days=2)).replace(microsecond=0)
    data = change_data(
        other, status="published", publish_at_0=f"{chosen:%Y-%m-%d}", publish_at_1=f"{chosen:%H:%M:%S}"
    )
    organizer_client.post(reverse("admin:blog_post_change", args=[other.pk]), data)
    other.refresh_from_db()
    assert other.publish_at == chosen


def test_a_changed_slug_redirects_from_the_old_address(client, organizer_client):
    post = Post.objects.create(title="Zine night", body="Text.", status=Post.Status.PUBLISHED)
    old_url = post.get_absolute_url()
    response = organizer_client.post(
        reverse("admin:blog_post_change", args=[post.pk]), change_data(post, slug="zine-night-in-june")
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.slug == "zine-night-in-june"
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/blog/zine-night-in-june/"
    assert client.get(post.get_absolute_url()).status_code == 200
    # Changed twice: both old addresses lead to the post.
    post.slug = "zine-night-final"
    post.save()
    assert client.get(old_url)["Location"] == "/blog/zine-night-final/"
    assert client.get("/blog/zine-night-in-june/")["Location"] == "/blog/zine-night-final/"
    # Going back to an old slug drops it from the former ones.
    post.slug = "zine-night"
    post.save()
    assert client.get(old_url).status_code == 200
    assert not FormerSlug.objects.filter(slug="zine-night").exists()


def test_an_old_address_of_a_draft_is_a_404_for_visitors(client):
    post = Post.objects.create(title="Secret", body="Text.", status=Post.Status.DRAFT)
    post.slug = "secret-2"
    post.save()
    assert client.get("/blog/secret/").status_code == 404
    assert client.get("/blog/never-was/").status_code == 404


def test_atom_entry_ids_stay_the_same_when_the_slug_changes(client):
    post = Post.objects.create(title="Zine night", body="Text.", status=Post.Status.PUBLISHED)
    first = feedparser.parse(client.get(reverse("blog:feed")).content).entries[0]
    post.slug = "renamed"
    post.save()
    second = feedparser.parse(client.get(reverse("blog:feed")).content).entries[0]
    assert first.id == second.id
    assert first.id.startswith("tag:testserver,")
    assert second.link.endswith("/blog/renamed/")
