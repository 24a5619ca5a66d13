"""manage.py rerender_markdown: every model's MARKDOWN_FIELDS rendered again from the source."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from blog.models import Post
from meetings.models import Meeting
from solidarityclub.markdown import render_markdown


def rerender(*args):
    out = io.StringIO()
    call_command("rerender_markdown", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stale_rows(db):
    """Posts and meetings whose stored HTML came from an older, looser policy."""
    posts = [Post.objects.create(title=f"Post {n}", body=f"**bold {n}**") for n in range(7)]
    meeting = Meeting.objects.create(
        title="Reading club",
        starts_at=timezone.now() + timedelta(days=3),
        description="*read*",
        notes="# Notes",
    )
    Post.objects.filter(pk__in=[p.pk for p in posts[:5]]).update(body_html='<p onclick="x">old</p>')
    Meeting.objects.filter(pk=meeting.pk).update(description_html="<script>old</script>", notes_html="")
    return posts, meeting


def test_it_rerenders_every_markdown_field_of_every_model(stale_rows):
    posts, meeting = stale_rows
    output = rerender("--batch-size", "2")
    for post in Post.objects.all():
        assert post.body_html == render_markdown(post.body)
    meeting.refresh_from_db()
    assert meeting.description_html == render_markdown("*read*")
    assert meeting.notes_html == render_markdown("# Notes")
    assert "blog.Post: 5 of 7 row(s) re-rendered." in output
    assert "meetings.Meeting: 1 of 1 row(s) re-rendered." in output


def test_a_second_run_changes_nothing(stale_rows):
    rerender()
    output = rerender()
    assert "blog.Post: 0 of 7 row(s) re-rendered." in output
    assert "meetings.Meeting: 0 of 1 row(s) re-rendered." in output


def test_rerendering_is_not_an_edit(stale_rows):
    posts, _ = stale_rows
    before = dict(Post.objects.values_list("pk", "updated_at"))
    rerender()
    assert dict(Post.objects.values_list("pk", "updated_at")) == before


def test_it_reads_in_bounded_batches(stale_rows, django_assert_max_num_queries):
    # 7 posts + 1 meeting in batches of 3: a handful of reads and writes per model, not one per row.
    with django_assert_max_num_queries(20):
        rerender("--batch-size", "3")


def test_it_says_so_when_there_is_nothing_to_render(db):
    assert "blog.Post: 0 of 0 row(s) re-rendered." in rerender()
