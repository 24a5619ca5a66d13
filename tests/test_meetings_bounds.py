"""Issue 11, points 1 and 2: every value an organizer types is bounded, at the model, so
the admin, forms and commands share the rule; a bad row written past it (raw SQL) never
takes a page, a feed or a command down for everyone else; a meeting always has a length."""

import io
import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings.models import (
    AgendaItem,
    AgendaTemplate,
    AgendaTemplateItem,
    Meeting,
    ReminderSent,
    Series,
)
from tests.factories import admin_add_data, admin_change_data, club, inline_management, make_meeting

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:meetings_meeting_add")


def change_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def errors_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the model refuses (every path shares it) ------------------------------------------------


@pytest.mark.parametrize("minutes", [10081, 2147483647])
def test_a_link_revealed_more_than_a_week_ahead_is_refused_by_the_model(minutes):
    meeting = make_meeting(club(2030, 3, 7))
    meeting.link_visible_minutes_before = minutes
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "link_visible_minutes_before" in error.value.message_dict
    series = Series(
        title="x", weekday=3, ordinals=[1], local_time="18:00", link_visible_minutes_before=minutes
    )
    with pytest.raises(ValidationError) as error:
        series.full_clean()
    assert "link_visible_minutes_before" in error.value.message_dict
    meeting.link_visible_minutes_before = 10080
    meeting.full_clean()


@pytest.mark.parametrize(
    "start",
    [
        datetime(9999, 12, 31, 12, tzinfo=UTC),
        datetime(1, 1, 1, 12, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, tzinfo=UTC),
        datetime(2101, 1, 1, tzinfo=UTC),
    ],
)
def test_a_start_outside_2000_to_2100_is_refused_by_the_model(start):
    meeting = Meeting(title="x", starts_at=start)
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "starts_at" in error.value.message_dict


@pytest.mark.parametrize("minutes", [0, 481])
def test_an_agenda_item_is_1_to_480_minutes(minutes):
    meeting = make_meeting(club(2030, 3, 7))
    with pytest.raises(ValidationError):
        AgendaItem(meeting=meeting, title="x", minutes=minutes).full_clean()
    template = AgendaTemplate.objects.create(name="Long")
    with pytest.raises(ValidationError):
        AgendaTemplateItem(template=template, title="x", minutes=minutes).full_clean()


def test_a_meeting_lasts_at_most_12_hours_at_the_model():
    meeting = make_meeting(club(2030, 3, 7), agenda=False)
    AgendaItem.objects.create(meeting=meeting, title="Long", minutes=480)
    AgendaItem(meeting=meeting, title="Just fits", minutes=240).full_clean()
    with pytest.raises(ValidationError, match="at most 12 hours"):
        AgendaItem(meeting=meeting, title="Too much", minutes=241).full_clean()


def test_the_last_agenda_item_cannot_be_deleted():
    meeting = make_meeting(club(2030, 3, 7), agenda=False)
    only = AgendaItem.objects.create(meeting=meeting, title="Only", minutes=60)
    with pytest.raises(ValidationError, match="at least one agenda item"):
        only.delete()
    meeting.refresh_from_db()
    assert meeting.agenda_items.count() == 1
    assert meeting.duration_minutes == 60


# --- the admin refuses, with a message, never a 500 ----------------------------------------------


@pytest.mark.parametrize("minutes", ["10081", "2147483647", "99999999999999999999"])
def test_the_admin_refuses_a_huge_link_reveal(organizer_client, minutes):
    meeting = make_meeting(club(2030, 3, 7))
    html = errors_of(
        organizer_client.post(
            change_url(meeting), admin_change_data(meeting, link_visible_minutes_before=minutes)
        )
    )
    assert "errorlist" in html
    meeting.refresh_from_db()
    assert meeting.link_visible_minutes_before is None
    series_add = reverse("admin:meetings_series_add")
    response = organizer_client.post(
        series_add,
        {
            "title": "Club",
            "format": "chit_chat",
            "ordinals": ["1"],
            "weekday": "3",
            "local_time": "18:00",
            "time_zone": "America/Los_Angeles",
            "link_visible_minutes_before": minutes,
        },
    )
    assert "errorlist" in errors_of(response)
    assert not Series.objects.exists()


@pytest.mark.parametrize(
    ("day", "clock"), [("9999-12-31", "23:00"), ("0001-01-01", "00:30"), ("1999-12-31", "08:00")]
)
def test_the_admin_refuses_a_start_outside_the_years_2000_to_2100(organizer_client, day, clock):
    html = errors_of(organizer_client.post(ADD_URL, admin_add_data(starts_at_0=day, starts_at_1=clock)))
    assert "between the years 2000 and 2100" in html
    assert not Meeting.objects.exists()
    meeting = make_meeting(club(2030, 3, 7))
    html = errors_of(
        organizer_client.post(
            change_url(meeting), admin_change_data(meeting, starts_at_0=day, starts_at_1=clock)
        )
    )
    assert "between the years 2000 and 2100" in html


def test_the_admin_refuses_an_item_over_480_minutes_and_a_meeting_over_12_hours(organizer_client):
    meeting = make_meeting(club(2030, 3, 7))
    html = errors_of(
        organizer_client.post(
            change_url(meeting), admin_change_data(meeting, **{"agenda_items-1-minutes": "481"})
        )
    )
    assert "errorlist" in html
    # Three items of 480, 200 and 100 minutes (each allowed) add up to more than 12 hours.
    data = admin_change_data(
        meeting,
        **{"agenda_items-0-minutes": "480", "agenda_items-1-minutes": "200", "agenda_items-2-minutes": "100"},
    )
    html = errors_of(organizer_client.post(change_url(meeting), data))
    assert "780 minutes; a meeting lasts at most 12 hours" in html
    meeting.refresh_from_db()
    assert meeting.duration_minutes == 95


def test_the_admin_moves_minutes_between_items_even_near_the_limit(organizer_client):
    """Checked as a whole: 300 + 300 → 100 + 500 is fine although 300 + 500 would not be."""
    meeting = make_meeting(club(2030, 3, 7), agenda=False)
    AgendaItem.objects.create(meeting=meeting, position=0, title="A", minutes=300)
    AgendaItem.objects.create(meeting=meeting, position=1, title="B", minutes=300)
    data = admin_change_data(meeting, **{"agenda_items-0-minutes": "120", "agenda_items-1-minutes": "480"})
    response = organizer_client.post(change_url(meeting), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.duration_minutes == 600


def test_the_admin_refuses_to_delete_every_agenda_item(organizer_client):
    meeting = make_meeting(club(2030, 3, 7))
    data = admin_change_data(meeting, **{f"agenda_items-{n}-DELETE": "on" for n in range(3)})
    html = errors_of(organizer_client.post(change_url(meeting), data))
    assert "at least one agenda item" in html
    meeting.refresh_from_db()
    assert meeting.agenda_items.count() == 3
    assert meeting.duration_minutes == 95


def test_a_template_needs_an_item_and_at_most_12_hours(organizer_client):
    url = reverse("admin:meetings_agendatemplate_add")
    base = {"name": "Marathon", **inline_management("items", total=2)}
    empty = organizer_client.post(url, {"name": "Empty", **inline_management("items")})
    assert "at least one agenda item" in errors_of(empty)
    long = {
        **base,
        "items-0-position": "0",
        "items-0-title": "A",
        "items-0-minutes": "480",
        "items-1-position": "1",
        "items-1-title": "B",
        "items-1-minutes": "480",
    }
    assert "at most 12 hours" in errors_of(organizer_client.post(url, long))
    assert not AgendaTemplate.objects.filter(name__in=["Empty", "Marathon"]).exists()


def test_an_end_on_another_day_shows_its_date(client):
    meeting = make_meeting(club(2030, 3, 7, 23, 0))  # 95 minutes: ends 00:35 the next day
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Thursday, March 7, 2030 · 23:00 PST – Friday, March 8, 2030 · 00:35 PST" in html


# --- one bad row written past validation never takes others down --------------------------------


@pytest.fixture
def bad_rows():
    """Rows only raw SQL can write: a link revealed 2147483647 minutes ahead, a start in 9999."""
    now = timezone.now()
    good = make_meeting(
        now + timedelta(hours=2), title="Good meeting", video_link="https://meet.example.org/good"
    )
    huge = make_meeting(
        now + timedelta(hours=3), title="Huge reveal", video_link="https://meet.example.org/huge"
    )
    far = make_meeting(now + timedelta(days=3), title="Far future", video_link="https://meet.example.org/far")
    table = connection.ops.quote_name(Meeting._meta.db_table)
    with connection.cursor() as cursor:  # a value only raw SQL writes; the table name is ours
        cursor.execute(
            f"UPDATE {table} SET link_visible_minutes_before = %s WHERE id = %s",  # noqa: S608 (our table)
            [2147483647, huge.pk],
        )
        cursor.execute(
            f"UPDATE {table} SET starts_at = %s, ends_at = %s WHERE id = %s",  # noqa: S608 (our table)
            [datetime(9999, 12, 31, 22, 0, tzinfo=UTC), datetime(9999, 12, 31, 23, 35, tzinfo=UTC), far.pk],
        )
    return {"good": good, "huge": huge, "far": far}


def test_feeds_pages_and_reminders_survive_a_bad_row(client, member, bad_rows, caplog):
    for url in [
        reverse("meetings:feed"),
        reverse("meetings:private-feed", args=[member.feed_token]),
        reverse("meetings:list"),
        bad_rows["good"].get_absolute_url(),
        bad_rows["huge"].get_absolute_url(),
        "/",
    ]:
        client.force_login(member)
        response = client.get(url)
        assert response.status_code == 200, url
        if url != bad_rows["huge"].get_absolute_url():
            assert b"Good meeting" in response.content, url
    private = client.get(reverse("meetings:private-feed", args=[member.feed_token])).content.decode()
    assert "https://meet.example.org/good" in private.replace("\r\n ", "")
    out = io.StringIO()
    with caplog.at_level(logging.ERROR):
        call_command("send_meeting_reminders", stdout=out)
    assert ReminderSent.objects.filter(meeting=bad_rows["good"], user=member).exists()
    assert ReminderSent.objects.filter(meeting=bad_rows["huge"], user=member).exists()
    # The bad rows' own pages answer too.
    assert client.get(bad_rows["far"].get_absolute_url()).status_code == 200


def test_a_start_in_year_one_is_left_out_of_the_feed_and_logged(client, caplog):
    make_meeting(timezone.now() + timedelta(days=1), title="Good meeting")
    old = make_meeting(timezone.now() + timedelta(days=2), title="Year one")
    with connection.cursor() as cursor:  # a value only raw SQL writes; the table name is ours
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(Meeting._meta.db_table)} "  # noqa: S608 (our table)
            "SET starts_at = %s, ends_at = %s WHERE id = %s",
            [datetime(1, 1, 1, 0, 30, tzinfo=UTC), datetime(1, 1, 1, 2, 5, tzinfo=UTC), old.pk],
        )
    with caplog.at_level(logging.ERROR, logger="meetings.ics"):
        response = client.get(reverse("meetings:ics", args=[old.pk]))
    assert response.status_code == 200
    assert "BEGIN:VEVENT" not in response.content.decode()
    assert any(str(old.pk) in record.getMessage() for record in caplog.records)
    feed = client.get(reverse("meetings:feed")).content.decode()
    assert "Good meeting" in feed
    assert "Year one" not in feed
