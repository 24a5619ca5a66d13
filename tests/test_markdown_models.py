"""Every model with Markdown fields renders them on save, through one mixin (RendersMarkdown)."""

import pytest
from django.apps import apps

from blog.models import Post
from meetings.models import Meeting
from solidarityclub.markdown import RendersMarkdown, render_markdown
from tests.factories import make_decision, make_meeting, make_post, make_topic
from topics.decision_models import Decision
from topics.models import Topic

EXPECTED = {
    Post: {"body": "body_html"},
    Meeting: {
        "description": "description_html",
        "notes": "notes_html",
        "public_summary": "public_summary_html",
    },
    Topic: {"description": "description_html"},
    Decision: {"context": "context_html", "outcome": "outcome_html"},
}


def test_the_models_with_markdown_fields_are_exactly_these():
    rendering = {
        model: model.MARKDOWN_FIELDS for model in apps.get_models() if issubclass(model, RendersMarkdown)
    }
    assert rendering == EXPECTED
    # No model stores HTML without rendering it through the mixin.
    html_fields = {
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.name.endswith("_html")
    }
    assert html_fields == {(model, html) for model, fields in EXPECTED.items() for html in fields.values()}


@pytest.fixture
def rows(organizer):
    return [
        make_post(body="*a*"),
        make_meeting(description="*a*", notes="*a*", public_summary="*a*"),
        make_topic(organizer, description="*a*"),
        make_decision(organizer, context="*a*", outcome="*a*", open_now=False),
    ]


def test_saving_renders_every_field_even_with_update_fields(rows):
    for row in rows:
        for source, html in row.MARKDOWN_FIELDS.items():
            assert getattr(row, html) == "<p><em>a</em></p>", (row, source)
        for source in row.MARKDOWN_FIELDS:
            setattr(row, source, "**b** <script>x</script>")
        row.save(update_fields=list(row.MARKDOWN_FIELDS))
        row.refresh_from_db()
        for html in row.MARKDOWN_FIELDS.values():
            assert getattr(row, html) == render_markdown("**b** <script>x</script>")
            assert "<strong>b</strong>" in getattr(row, html)
            assert "<script>" not in getattr(row, html)
