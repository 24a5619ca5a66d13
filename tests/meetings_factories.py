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


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def admin_change_data(meeting, **overrides):
    """What the admin's change page posts for this meeting as it is, agenda and RSVP inlines included.

    `overrides` replace fields; keys such as "agenda_items-1-minutes" reach into the inline.
    """
    from solidarityclub.times import club_time

    local = club_time(meeting.starts_at)
    data = {
        "title": meeting.title,
        "format": meeting.format,
        "starts_at_0": f"{local:%Y-%m-%d}",
        "starts_at_1": f"{local:%H:%M}",
        "facilitator": str(meeting.facilitator_id or ""),
        "description": meeting.description,
        "video_link": meeting.video_link,
        "link_visible_minutes_before": ""
        if meeting.link_visible_minutes_before is None
        else str(meeting.link_visible_minutes_before),
        "status": meeting.status,
        "cancellation_reason": meeting.cancellation_reason,
        "notes": meeting.notes,
    }
    items = list(meeting.agenda_items.all())
    data.update(inline_management("agenda_items", total=len(items), initial=len(items)))
    for n, item in enumerate(items):
        data.update(
            {
                f"agenda_items-{n}-id": str(item.pk),
                f"agenda_items-{n}-meeting": str(meeting.pk),
                f"agenda_items-{n}-position": str(item.position),
                f"agenda_items-{n}-title": item.title,
                f"agenda_items-{n}-minutes": str(item.minutes),
                f"agenda_items-{n}-description": item.description,
            }
        )
        if item.holds_topics:
            data[f"agenda_items-{n}-holds_topics"] = "on"
    rsvps = list(meeting.rsvps.all())
    data.update(inline_management("rsvps", total=len(rsvps), initial=len(rsvps)))
    for n, rsvp in enumerate(rsvps):
        data.update({f"rsvps-{n}-id": str(rsvp.pk), f"rsvps-{n}-meeting": str(meeting.pk)})
    data.update(overrides)
    return data
