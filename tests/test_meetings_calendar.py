"""iCalendar: the per-meeting file, the public feed and a member's private feed.

Every calendar is parsed back with `ical`, a parser that is not built on the
`icalendar` package that writes them.
"""

import re
from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from ical.calendar_stream import IcsCalendarStream
from ical.parsing.component import parse_content

from meetings.models import Meeting
from tests.conftest import ROLES
from tests.factories import LA, club, make_meeting

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/secret-room-4711"


@pytest.fixture
def meeting():
    return make_meeting(
        club(2030, 3, 7, 18, 0),
        title="Reading club",
        format="reading_club",
        video_link=LINK,
        description="Bring a *passage*.",
    )


@pytest.fixture
def cancelled():
    meeting = make_meeting(club(2030, 3, 21, 18, 0), title="Movie night", video_link=LINK)
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancellation_reason = "Power cut"
    meeting.save()
    return meeting


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = b"".join(response).decode() if response.streaming else response.content.decode()
    return text, IcsCalendarStream.calendar_from_ics(text)


def calendar_properties(text):
    """VCALENDAR properties with their parameters, read by ical's own content-line parser."""
    (vcalendar,) = parse_content(text)
    return {
        prop.name.upper(): (prop.value, {p.name: p.values for p in (prop.params or [])})
        for prop in vcalendar.properties
    }


def private_feed_url(user):
    return reverse("meetings:private-feed", args=[user.feed_token])


# --- the calendars' properties ------------------------------------------------


def test_the_public_feed_has_every_property_calendars_need(client, meeting, cancelled):
    text, calendar = parse(client.get(reverse("meetings:feed")))
    assert calendar.name == ["W.O.R.K. Solidarity Club meetings"]
    assert calendar.uid == "meetings-public@testserver"  # SITE_URL's host
    assert calendar.refresh_interval == timedelta(hours=1)
    props = calendar_properties(text)
    assert props["REFRESH-INTERVAL"] == ("PT1H", {"VALUE": ["DURATION"]})
    assert props["X-PUBLISHED-TTL"][0] == "PT1H"
    assert props["X-WR-CALNAME"][0] == "W.O.R.K. Solidarity Club meetings"
    assert props["METHOD"][0] == "PUBLISH"
    assert [tz.tz_id for tz in calendar.timezones] == ["America/Los_Angeles"]

    events = {event.summary: event for event in calendar.events}
    assert set(events) == {"Reading club", "Cancelled: Movie night"}
    event = events["Reading club"]
    assert event.uid == f"meeting-{meeting.pk}@{event.uid.split('@')[1]}"
    assert event.start == club(2030, 3, 7, 18, 0)
    assert event.start.tzinfo is not None
    assert str(event.start.tzinfo) == "America/Los_Angeles"
    assert event.end - event.start == timedelta(minutes=95)
    assert event.dtstamp == meeting.updated_at.astimezone(UTC).replace(microsecond=0)
    assert event.sequence == meeting.sequence
    assert event.status.value == "CONFIRMED"
    for line in [
        "Reading club\n",
        "Bring a *passage*.",
        "Agenda (America/Los_Angeles):",
        "18:00 Intro, check-in and welcome (20 min)",
        "18:20 Meeting (60 min)",
        "19:20 Process, check-out (15 min)",
        "Ends 19:35",
        f"/meetings/{meeting.pk}/",
    ]:
        assert line in event.description, line
    assert events["Cancelled: Movie night"].status.value == "CANCELLED"
    assert "Power cut" in events["Cancelled: Movie night"].description
    assert LINK not in text


def test_the_calendar_uids_are_stable(client, meeting):
    first = parse(client.get(reverse("meetings:feed")))[1]
    meeting.title = "Renamed"
    meeting.save()
    second = parse(client.get(reverse("meetings:feed")))[1]
    assert first.uid == second.uid
    assert first.events[0].uid == second.events[0].uid
    assert second.events[0].sequence == first.events[0].sequence + 1


def test_the_per_meeting_file_is_one_event_without_the_link(client_for, meeting):
    for role in ROLES:
        response = client_for(role).get(reverse("meetings:ics", args=[meeting.pk]))
        text, calendar = parse(response)
        assert [event.summary for event in calendar.events] == ["Reading club"]
        assert calendar.uid.startswith(f"meeting-{meeting.pk}-calendar@")
        assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
        assert [tz.tz_id for tz in calendar.timezones] == ["America/Los_Angeles"]
        assert LINK not in text, role
    assert client_for("visitor").get(reverse("meetings:ics", args=[999999])).status_code == 404


def test_a_cancelled_meeting_says_so_in_its_file(client, cancelled):
    _, calendar = parse(client.get(reverse("meetings:ics", args=[cancelled.pk])))
    (event,) = calendar.events
    assert event.status.value == "CANCELLED"
    assert event.sequence >= 1


def test_a_fall_back_night_meeting_keeps_its_real_instant(client, db):
    # 1:00 on 3 Nov 2030 happens twice; the meeting is in the second one (PST).
    meeting = make_meeting(club(2030, 11, 3, 1, 0, fold=1), title="Late night")
    assert meeting.starts_at.astimezone(UTC).hour == 9
    _, calendar = parse(client.get(reverse("meetings:ics", args=[meeting.pk])))
    (event,) = calendar.events
    assert event.start.astimezone(UTC) == meeting.starts_at
    assert event.end.astimezone(UTC) == meeting.ends_at
    first_hour = make_meeting(club(2030, 11, 3, 1, 0, fold=0), title="Earlier")
    _, calendar = parse(client.get(reverse("meetings:ics", args=[first_hour.pk])))
    (event,) = calendar.events
    assert event.start.astimezone(UTC) == first_hour.starts_at  # 08:00 UTC, written with TZID
    assert event.end.astimezone(UTC) == first_hour.ends_at  # 09:35 UTC = 01:35 PST, written in UTC


def test_the_feed_window_keeps_a_year_of_past_meetings(client, db):
    old = make_meeting(timezone.now() - timedelta(days=400), title="Long ago")
    recent = make_meeting(timezone.now() - timedelta(days=30), title="Last month")
    _, calendar = parse(client.get(reverse("meetings:feed")))
    summaries = {event.summary for event in calendar.events}
    assert recent.title in summaries
    assert old.title not in summaries


# --- the private feed -------------------------------------------------------------


def test_a_member_in_good_standing_gets_the_links_in_their_private_feed(client, member, meeting, cancelled):
    text, calendar = parse(client.get(private_feed_url(member)))
    assert calendar.name == ["W.O.R.K. Solidarity Club meetings (private)"]
    assert calendar.uid.startswith(f"meetings-private-{member.pk}@")
    events = {event.summary: event for event in calendar.events}
    assert events["Reading club"].location == LINK
    assert f"Video link: {LINK}" in events["Reading club"].description
    assert f"/meetings/{meeting.pk}/" in events["Reading club"].description
    assert events["Reading club"].url
    assert LINK not in events["Cancelled: Movie night"].description
    props = calendar_properties(text)
    assert props["REFRESH-INTERVAL"] == ("PT1H", {"VALUE": ["DURATION"]})
    assert "private" in client.get(private_feed_url(member))["Cache-Control"]


def test_a_member_on_a_break_gets_their_feed_without_links(client, member_on_break, meeting):
    text, calendar = parse(client.get(private_feed_url(member_on_break)))
    assert [event.summary for event in calendar.events] == ["Reading club"]
    assert LINK not in text


def test_a_link_revealed_late_appears_in_the_feed_only_when_due(client, member, db):
    soon = make_meeting(
        timezone.now() + timedelta(minutes=40), video_link=LINK, link_visible_minutes_before=30
    )
    assert LINK not in client.get(private_feed_url(member)).content.decode()
    Meeting.objects.filter(pk=soon.pk).update(starts_at=timezone.now() + timedelta(minutes=20))
    assert LINK in client.get(private_feed_url(member)).content.decode()


def test_an_unknown_token_or_a_former_member_gets_404(client, member, meeting):
    assert client.get(reverse("meetings:private-feed", args=["not-a-token"])).status_code == 404
    url = private_feed_url(member)
    member.is_active = False
    member.save()
    response = client.get(url)
    assert response.status_code == 404
    assert LINK not in response.content.decode()


def test_resetting_the_token_invalidates_the_old_address(client, member, meeting):
    old_url = private_feed_url(member)
    assert client.get(old_url).status_code == 200
    client.force_login(member)
    response = client.post(reverse("meetings:reset-feed"))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:settings")
    member.refresh_from_db()
    assert private_feed_url(member) != old_url
    assert client.get(old_url).status_code == 404
    assert LINK in client.get(private_feed_url(member)).content.decode()


@pytest.mark.parametrize(
    ("role", "status"), [("visitor", 302), ("member", 302), ("member_on_break", 302), ("organizer", 302)]
)
def test_reset_feed_permission_matrix(client_for, role, status):
    client = client_for(role)
    response = client.post(reverse("meetings:reset-feed"))
    assert response.status_code == status
    if role == "visitor":
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response["Location"] == reverse("members:settings")
    # The method comes first, then signing in: only a POST resets, whoever asks.
    assert client.get(reverse("meetings:reset-feed")).status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_feeds_permission_matrix(client_for, role, member, meeting):
    client = client_for(role)
    assert client.get(reverse("meetings:feed")).status_code == 200
    assert client.get(reverse("meetings:ics", args=[meeting.pk])).status_code == 200
    # The private feed belongs to whoever holds the token, signed in or not.
    assert client.get(private_feed_url(member)).status_code == 200
    assert client.post(reverse("meetings:feed")).status_code == 405


# --- conditional GET ---------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["feed", "ics", "private-feed"])
def test_calendars_answer_conditional_gets_with_304(client, member, meeting, url_name):
    args = {"feed": [], "ics": [meeting.pk], "private-feed": [member.feed_token]}[url_name]
    url = reverse(f"meetings:{url_name}", args=args)
    first = client.get(url)
    etag = first["ETag"]
    assert etag
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    meeting.title = "Changed"
    meeting.save()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_feed_etag_changes_when_a_meeting_is_deleted_or_its_agenda_edited(client, meeting):
    other = make_meeting(club(2030, 4, 4, 18))
    url = reverse("meetings:feed")
    etag = client.get(url)["ETag"]
    item = meeting.agenda_items.first()
    item.minutes = 25
    item.save()
    etag2 = client.get(url)["ETag"]
    assert etag2 != etag
    other.delete()
    assert client.get(url, headers={"if-none-match": etag2}).status_code == 200


def test_the_private_etag_changes_when_the_member_takes_a_break(client, member, meeting):
    url = private_feed_url(member)
    etag = client.get(url)["ETag"]
    member.break_since = timezone.now()
    member.save()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert LINK not in response.content.decode()


def test_no_calendar_says_anything_an_unknown_zone_would_break(client, meeting):
    text = client.get(reverse("meetings:feed")).content.decode()
    assert re.search(r"^DTSTART;TZID=America/Los_Angeles:20300307T180000\r?$", text, re.M)
    assert re.search(r"^BEGIN:VTIMEZONE\r?$", text, re.M)
    assert str(LA) == "America/Los_Angeles"
