"""Issue 11, point 8: the feeds' VTIMEZONE reads the same in vobject, `ical` and `icalendar`,
far ahead too (icalendar's RDATE lists made vobject put far-future winter events an hour early)."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import vobject
from django.urls import reverse
from django.utils import timezone
from ical.calendar_stream import IcsCalendarStream

from meetings.models import Meeting
from tests.factories import LA

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekly_meetings():
    """A meeting every Thursday at 18:00 club time for two and a half years: many DST changes."""
    today = timezone.localdate()
    first = today + timedelta(days=(3 - today.weekday()) % 7 or 7)
    rows = []
    for week in range(130):
        start = datetime.combine(
            first + timedelta(weeks=week), datetime.min.time().replace(hour=18), tzinfo=LA
        )
        rows.append(
            Meeting(
                title=f"Week {week}", starts_at=start.astimezone(UTC), ends_at=start + timedelta(minutes=95)
            )
        )
    return Meeting.objects.bulk_create(rows)


def expected(meetings):
    return {meeting.title: meeting.starts_at.astimezone(UTC) for meeting in meetings}


def test_every_reader_puts_every_event_at_its_real_time(client, weekly_meetings):
    body = client.get(reverse("meetings:feed")).content.decode()
    want = expected(weekly_meetings)

    parsed = vobject.readOne(body)
    by_vobject = {event.summary.value: event.dtstart.value.astimezone(UTC) for event in parsed.vevent_list}
    assert by_vobject == want

    by_ical = {
        event.summary: event.dtstart.astimezone(UTC)
        for event in IcsCalendarStream.calendar_from_ics(body).events
    }
    assert by_ical == want

    by_icalendar = {
        str(event["summary"]): event.decoded("dtstart").astimezone(UTC)
        for event in icalendar.Calendar.from_ical(body).walk("VEVENT")
    }
    assert by_icalendar == want


def test_the_zone_has_one_onset_per_component():
    from meetings.ics import vtimezone

    zone = vtimezone("America/Los_Angeles", datetime(2026, 1, 1).date(), datetime(2029, 1, 1).date())
    onsets = [part.decoded("dtstart") for part in zone.subcomponents]
    assert all("RDATE" not in part for part in zone.subcomponents)
    assert onsets == sorted(onsets)
    assert len(onsets) == 7  # the zone at the first date, then spring and fall of 2026, 2027, 2028
