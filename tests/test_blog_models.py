from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from blog.models import Kind, Post
from solidarityclub.markdown import render_markdown
from tests.factories import make_post


def test_it_renders_the_body_when_saved(db):
    post = make_post(body="# Hello\n\n<script>alert(1)</script>*there*")
    assert post.body_html == render_markdown(post.body)
    assert "<h2>Hello</h2>" in post.body_html
    assert "script" not in post.body_html
    post.body = "Changed"
    post.save(update_fields=["body"])
    post.refresh_from_db()
    assert post.body_html == "<p>Changed</p>"


def test_it_makes_the_slug_from_the_title(db):
    assert make_post(title="Reading Club: “Work” & Play!").slug == "reading-club-work-play"


def test_slugs_stay_unique_by_numbering(db):
    slugs = [make_post(title="Movie night").slug for _ in range(3)]
    assert slugs == ["movie-night", "movie-night-2", "movie-night-3"]


def test_an_edited_slug_is_kept(db):
    post = make_post(title="Movie night", slug="films")
    post.title = "Movie night, again"
    post.save()
    assert post.slug == "films"


def test_a_title_without_latin_letters_still_gets_a_slug(db):
    assert make_post(title="✊✊✊").slug == "post"


def test_the_feed_path_is_never_a_slug(db):
    assert make_post(title="Feed").slug == "feed-2"
    assert make_post(title="x", slug="feed").slug == "feed-3"
    with pytest.raises(ValidationError):
        Post(title="x", body="y", slug="feed").full_clean()


def test_the_database_refuses_a_duplicate_slug(db):
    make_post(slug="same")
    with pytest.raises(IntegrityError):
        make_post(slug="same")


def test_published_means_published_and_due(db):
    now = timezone.now()
    live = make_post(title="live", publish_at=now - timedelta(minutes=1))
    make_post(title="draft", status=Post.Status.DRAFT, publish_at=now - timedelta(days=1))
    scheduled = make_post(title="scheduled", publish_at=now + timedelta(hours=1))
    assert list(Post.objects.published()) == [live]
    assert live.is_visible
    assert not live.is_scheduled
    assert scheduled.is_scheduled
    assert not scheduled.is_visible
    assert [p.state_label for p in Post.objects.order_by("title")] == ["Draft", "Published", "Scheduled"]


def test_newest_first(db):
    now = timezone.now()
    old = make_post(title="old", publish_at=now - timedelta(days=2))
    new = make_post(title="new", publish_at=now - timedelta(days=1))
    assert list(Post.objects.all()) == [new, old]


def test_description_is_the_summary_or_the_start_of_the_text(db):
    assert make_post(summary="Short and sweet.").description == "Short and sweet."
    post = make_post(body="Tools & *tactics* " + "word " * 100)
    assert post.description.startswith("Tools & tactics word")
    assert len(post.description) <= 200


def test_kinds(db):
    assert Kind.values == ["announcement", "project"]
    assert make_post(kind=Kind.PROJECT).get_kind_display() == "Project"


def test_url(db):
    assert make_post(title="Hello").get_absolute_url() == "/blog/hello/"
