"""iCalendar for meetings, written with the `icalendar` package.

Three calendars: one meeting (download), the public feed (no video links) and
a member's private feed (video links for members in good standing). Every
event has a stable UID, DTSTAMP, SEQUENCE, STATUS and the agenda in its
DESCRIPTION; every calendar carries the club's VTIMEZONE, a stable UID
(RFC 7986), its name and a refresh interval.
"""

import logging
from datetime import UTC, date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration, vText, vUri

from solidarityclub.emails import absolute_url
from solidarityclub.times import club_zone

logger = logging.getLogger(__name__)

# The VTIMEZONE covers the meetings' dates, kept within years a zone database describes.
ZONE_FIRST_DATE = date(1999, 1, 1)
ZONE_LAST_DATE = date(2102, 1, 1)

PRODID = "-//W.O.R.K. Solidarity Club//Meetings//EN"
REFRESH = timedelta(hours=1)


def uid_domain():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_uid(meeting):
    return f"meeting-{meeting.pk}@{uid_domain()}"


def _when(moment, zone):
    """A start or end in the club's zone, or in UTC when the wall clock would be ambiguous.

    In the repeated hour of a fall-back night a TZID time means its first
    occurrence (RFC 5545), so a moment in the second one is written in UTC.
    """
    local = moment.astimezone(zone)
    if local.replace(fold=0).timestamp() == moment.timestamp():
        return local
    return moment.astimezone(UTC)


def _description(meeting, page_url, video_link):
    lines = [meeting.get_format_display()]
    if meeting.is_cancelled:
        lines.append(
            _("CANCELLED: %(reason)s") % {"reason": meeting.cancellation_reason}
            if meeting.cancellation_reason
            else _("CANCELLED")
        )
    if meeting.description.strip():
        lines += ["", meeting.description.strip()]
    schedule = meeting.agenda_schedule()
    if schedule:
        lines += ["", _("Agenda (%(zone)s):") % {"zone": settings.CLUB_TIME_ZONE}]
        for row in schedule:
            lines.append(
                _("%(clock)s %(item)s (%(minutes)s min)")
                % {"clock": f"{row.starts_at:%H:%M}", "item": _(row.item.title), "minutes": row.item.minutes}
            )
        lines.append(_("Ends %(clock)s") % {"clock": f"{schedule[-1].ends_at:%H:%M}"})
    lines += ["", _("Meeting page: %(url)s") % {"url": page_url}]
    if video_link:
        lines.append(_("Video link: %(url)s") % {"url": video_link})
    return "\n".join(lines)


def _event(meeting, zone, video_link):
    page_url = absolute_url(meeting.get_absolute_url())
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("dtstamp", meeting.updated_at.astimezone(UTC))
    event.add("created", meeting.created_at.astimezone(UTC))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event.add("sequence", meeting.sequence)
    event.add(
        "summary",
        _("Cancelled: %(title)s") % {"title": meeting.title} if meeting.is_cancelled else meeting.title,
    )
    event.add("dtstart", _when(meeting.starts_at, zone))
    event.add("dtend", _when(meeting.ends_at, zone))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if meeting.is_cancelled else "OPAQUE")
    event.add("categories", [meeting.get_format_display()])
    event.add("url", vUri(page_url), parameters={"VALUE": "URI"})
    event.add("location", video_link or _("Online (members find the video link on the meeting page)"))
    event.add("description", _description(meeting, page_url, video_link))
    return event


def vtimezone(tzid, first, last):
    """The zone's VTIMEZONE from `first` to `last`: one STANDARD or DAYLIGHT per change.

    icalendar groups the yearly changes into one component with an RDATE list;
    vobject (dateutil's tzical) misreads those lists and puts far-future winter
    events an hour early. One DTSTART per component reads the same everywhere.
    """
    first = min(max(first, ZONE_FIRST_DATE), ZONE_LAST_DATE)
    last = max(min(last, ZONE_LAST_DATE), first)
    grouped = Timezone.from_tzid(tzid, first_date=first, last_date=last)
    zone = Timezone()
    zone.add("tzid", tzid)
    changes = []
    for part in grouped.subcomponents:
        onsets = [part.decoded("dtstart")]
        rdates = part.get("rdate", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            onsets += [period.dt for period in rdate.dts]
        changes += [(onset, part) for onset in onsets]
    for onset, part in sorted(changes, key=lambda change: change[0]):
        single = type(part)()
        single.add("dtstart", onset)
        for name in ("tzoffsetfrom", "tzoffsetto", "tzname"):
            if name in part:
                single.add(name, part.decoded(name))
        zone.add_component(single)
    return zone


def build_calendar(meetings, *, name, uid, description, source_path, user=None, now=None):
    """The iCalendar bytes for these meetings; video links only where `user` may see them."""
    zone = club_zone()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("uid", f"{uid}@{uid_domain()}")
    cal.add("name", name)
    cal.add("x-wr-calname", vText(name))
    cal.add("description", description)
    cal.add("x-wr-caldesc", vText(description))
    cal.add("x-wr-timezone", vText(settings.CLUB_TIME_ZONE))
    cal.add("url", vUri(absolute_url("/meetings/")), parameters={"VALUE": "URI"})
    cal.add("source", vUri(absolute_url(source_path)), parameters={"VALUE": "URI"})
    # icalendar writes REFRESH-INTERVAL without the VALUE=DURATION that RFC 7986 requires.
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    meetings = list(meetings)
    starts = [meeting.starts_at.date() for meeting in meetings]
    first = max(min(starts, default=date.today()), ZONE_FIRST_DATE) - timedelta(days=366)
    last = min(max(starts, default=date.today()), ZONE_LAST_DATE) + timedelta(days=366)
    cal.add_component(vtimezone(settings.CLUB_TIME_ZONE, first, last))
    for meeting in meetings:
        try:
            video_link = meeting.video_link_for(user, now) if user is not None else ""
            event = _event(meeting, zone, video_link)
        except (OverflowError, ValueError):
            # A value written past validation (raw SQL) must not take the feed down for everyone.
            logger.exception("Meeting %s left out of a calendar: it cannot be written", meeting.pk)
            continue
        cal.add_component(event)
    return cal.to_ical()
