"""The one way the site writes a time: "Thursday, December 3 · 18:00–19:35 PST".

Pages, emails and admin messages all go through `format_when` (the `when`
template filter in `club_times`). The day comes from the active language's
MONTH_DAY_FORMAT / DATE_FORMAT, so Spanish reads "jueves, 3 de diciembre";
the clock is always 24-hour; the zone is its abbreviation (PST / PDT), the
year only shows when it is not the current one.
"""

import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format


def zone_named(zone):
    """A tzinfo from a name (or a tzinfo); the club's zone for anything unknown."""
    if zone is None or zone == "":
        return zoneinfo.ZoneInfo(settings.CLUB_TIME_ZONE)
    if isinstance(zone, str):
        try:
            return zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.CLUB_TIME_ZONE)
    return zone


def _day_format(with_year):
    month_day = get_format("MONTH_DAY_FORMAT")  # "F j" in English, "j \d\e F" in Spanish
    if not with_year:
        return f"l, {month_day}"
    full = get_format("DATE_FORMAT")
    # English's DATE_FORMAT abbreviates the month ("Dec. 3, 2026"): keep the full name.
    if "F" not in full:
        return f"l, {month_day}, Y"
    return full if full.startswith("l") else f"l, {full}"


def _this_year(tz, now=None):
    return (now or timezone.now()).astimezone(tz).year


def format_day(value, zone=None, now=None):
    """ "Thursday, December 3" (with the year when it is not this year) for a date or datetime."""
    if value in (None, ""):
        return ""
    tz = zone_named(zone)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(tz)
        value = value.date()
    if not isinstance(value, date):
        return ""
    try:
        this_year = _this_year(tz, now)
    except (OverflowError, ValueError):
        this_year = value.year
    return date_format(value, _day_format(value.year != this_year))


def format_clock(value):
    """ "18:00 PST" — a clock time on a day already written nearby (agendas)."""
    if not value:
        return ""
    return f"{value:%H:%M} {value.tzname() or ''}".strip()


def format_when(start, end=None, zone=None, now=None):
    """ "Thursday, December 3 · 18:00–19:35 PST" in `zone` (a name or tzinfo; the club's by default).

    The template filter passes the template's active zone. When the abbreviation changes
    between start and end (a DST night) both are written: "01:00 PDT–01:35 PST".
    """
    if not isinstance(start, datetime):
        return format_day(start, zone) if isinstance(start, date) else ""
    if timezone.is_naive(start):
        start = timezone.make_aware(start, zone_named(zone))
    tz = zone_named(zone)
    try:
        start = start.astimezone(tz)
        end = end.astimezone(tz) if isinstance(end, datetime) and timezone.is_aware(end) else None
    except (OverflowError, ValueError):
        return ""
    day = format_day(start.date(), tz, now)
    start_abbr = start.tzname() or ""
    if end is None:
        return f"{day} · {start:%H:%M} {start_abbr}".strip()
    end_abbr = end.tzname() or ""
    if end.date() != start.date():
        return f"{day} · {start:%H:%M} {start_abbr} – {format_day(end.date(), tz, now)} · {end:%H:%M} {end_abbr}".strip()
    if end_abbr != start_abbr:
        return f"{day} · {start:%H:%M} {start_abbr}–{end:%H:%M} {end_abbr}".strip()
    return f"{day} · {start:%H:%M}–{end:%H:%M} {start_abbr}".strip()
