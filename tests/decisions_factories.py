"""Helpers for the decisions tests."""

from datetime import timedelta

from django.utils import timezone

from topics import decisions
from topics.decision_models import Decision


def make_decision(
    by, question="Shall we meet twice a month?", *, method="consent", options=(), open_now=True, **fields
):
    fields.setdefault("closes_at", timezone.now() + timedelta(days=7))
    decision = Decision(question=question, method=method, **fields)
    return decisions.create(decision, list(options), by, open_now=open_now)


def option_keys(decision):
    return [option.key for option in decision.options.all()]
