"""Showing meeting times in the club's zone (and the member's own), and the home page's next meeting."""

import zoneinfo
from datetime import datetime

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from members.models import valid_time_zones
from solidarityclub.pagecache import fragment

register = template.Library()


def member_zone(user):
    """The member's own zone when they chose one that differs from the club's, else ""."""
    zone = getattr(user, "time_zone", "") if getattr(user, "is_authenticated", False) else ""
    if zone and zone != settings.CLUB_TIME_ZONE and zone in valid_time_zones():
        return zone
    return ""


class _ZonedDatetime(datetime):
    # Django's template engine leaves a datetime with this flag in its own zone.
    convert_to_local_time = False


@register.filter
def in_zone(value, zone):
    """The datetime in a zone, marked so templates do not convert it again.

    Unlike Django's `timezone` filter this keeps `fold`, so the repeated hour
    of a fall-back night stays PST instead of turning back into PDT.
    """
    if not value or not zone:
        return value
    local = value.astimezone(zoneinfo.ZoneInfo(zone) if isinstance(zone, str) else zone)
    return _ZonedDatetime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        local.tzinfo,
        fold=local.fold,
    )


@register.filter
def club_time(value):
    return in_zone(value, settings.CLUB_TIME_ZONE)


@register.filter
def tzabbr(value):
    """PST / PDT — also right for the repeated hour of a fall-back night (Django's "T" is blank there)."""
    return value.tzname() if value else ""


@register.inclusion_tag("meetings/_when.html", takes_context=True)
def meeting_when(context, meeting, show_end=True):
    request = context.get("request")
    zone = member_zone(getattr(request, "user", None))
    return {
        "meeting": meeting,
        "start": club_time(meeting.starts_at),
        "end": club_time(meeting.ends_at) if show_end else None,
        "member_start": in_zone(meeting.starts_at, zone) if zone else None,
        "member_zone": zone,
    }


@register.simple_tag(takes_context=True)
def next_meeting(context):
    """The next meeting, as every visitor or member in one time zone sees it (a cached fragment)."""
    from meetings.models import Meeting

    request = context.get("request")
    zone = member_zone(getattr(request, "user", None))

    def render_next():
        meeting = Meeting.objects.next_meeting()
        return render_to_string("meetings/_next_meeting.html", {"meeting": meeting}, request), None

    return mark_safe(fragment("meetings:next", ["meetings"], [zone], render_next).fill({}))  # noqa: S308


@register.simple_tag
def club_zone_name():
    return settings.CLUB_TIME_ZONE


@register.filter
def webcal(url):
    """The same address with the webcal:// scheme calendar apps subscribe to."""
    return "webcal://" + url.split("://", 1)[-1] if url else ""


@register.simple_tag(takes_context=True)
def private_feed_url(context):
    """The signed-in member's private calendar feed, as an absolute address."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return ""
    return request.build_absolute_uri(reverse("meetings:private-feed", args=[user.feed_token]))
