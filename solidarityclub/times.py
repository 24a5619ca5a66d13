"""The one way the site writes a time: "Thursday, December 3 · 18:00–19:35 PST".

Pages, emails and admin messages all go through `format_when` (the `when`
template filter in `club_times`). The day comes from the active language's
MONTH_DAY_FORMAT / DATE_FORMAT, so Spanish reads "jueves, 3 de diciembre";
the clock is always 24-hour; the zone is its abbreviation (PST / PDT), the
year only shows when it is not the current one.
"""

import zoneinfo
from datetime import date, datetime
from functools import cache

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format

# --- Zones: which exist, the club's, a member's ---------------------------------------------


@cache
def valid_time_zones():
    """Every zone name the system knows, read once per process: the scan reads the disk (about 100 ms).

    Whatever validates or lists a zone (the settings form, model validators, zone_named) asks this.
    """
    return frozenset(zoneinfo.available_timezones())


def club_zone():
    """The club's zone (settings.CLUB_TIME_ZONE) as a tzinfo."""
    return zoneinfo.ZoneInfo(settings.CLUB_TIME_ZONE)


def zone_named(zone):
    """A tzinfo from a name (or a tzinfo); the club's zone for anything unknown."""
    if zone is None or zone == "":
        return club_zone()
    if isinstance(zone, str):
        if zone not in valid_time_zones():
            return club_zone()
        try:
            return zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return club_zone()
    return zone


def member_zone(user):
    """The zone a person's own times are shown in next to the club's, or None.

    A signed-in member who chose a known zone other than the club's gets it; everyone
    else (visitors, members in the club's zone) sees the club's times only.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    zone = user.display_zone
    return None if zone.key == settings.CLUB_TIME_ZONE else zone


class _ZonedDatetime(datetime):
    # Django's template engine leaves a datetime with this flag in its own zone.
    convert_to_local_time = False


def in_zone(value, zone):
    """The datetime in a zone (a name or tzinfo), marked so templates do not convert it again.

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


def club_time(value):
    """The datetime in the club's zone (see in_zone)."""
    return in_zone(value, club_zone())


# --- Writing a time --------------------------------------------------------------------------


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
