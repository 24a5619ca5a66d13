"""Helpers for the meetings tests: meetings at club wall-clock times, with the standard agenda."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from meetings.models import Meeting

LA = ZoneInfo("America/Los_Angeles")
UTC = ZoneInfo("UTC")


def club(year, month, day, hour=18, minute=0, fold=0):
    """An aware datetime on the club's wall clock."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(settings.CLUB_TIME_ZONE), fold=fold)


def make_meeting(starts_at, *, agenda=True, **fields):
    fields.setdefault("title", "Reading club")
    meeting = Meeting.objects.create(starts_at=starts_at, **fields)
    if agenda:
        meeting.apply_agenda_template()
    return meeting


def ensure_standard_template():
    """Browser tests run with a flushed database, which drops the data migration's template."""
    from meetings.models import AgendaTemplate

    return AgendaTemplate.objects.default_or_standard()
