"""Agendas, clock times (also across daylight-saving changes), SEQUENCE, series generation."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from meetings.models import AgendaItem, AgendaTemplate, AgendaTemplateItem, Meeting, Series, Weekday
from tests.factories import LA, UTC, club, make_meeting

pytestmark = pytest.mark.django_db


def clock_times(meeting):
    schedule = meeting.agenda_schedule()
    return [f"{row.starts_at:%H:%M}" for row in schedule] + [f"{schedule[-1].ends_at:%H:%M}"]


def test_it_ships_the_standard_template_as_the_default():
    template = AgendaTemplate.objects.default()
    assert template.name == "Standard 20/60/15"
    assert template.is_default
    assert [(i.title, i.minutes, i.holds_topics) for i in template.items.all()] == [
        ("Intro, check-in and welcome", 20, False),
        ("Meeting", 60, True),
        ("Process, check-out", 15, False),
    ]
    assert template.total_minutes == 95


def test_it_copies_the_default_agenda_into_a_new_meeting_and_shows_clock_times():
    meeting = make_meeting(club(2026, 3, 5, 18, 0))
    assert [item.title for item in meeting.agenda_items.all()] == [
        "Intro, check-in and welcome",
        "Meeting",
        "Process, check-out",
    ]
    assert meeting.duration == timedelta(minutes=95)
    assert meeting.ends_at == club(2026, 3, 5, 19, 35)
    assert clock_times(meeting) == ["18:00", "18:20", "19:20", "19:35"]
    assert not meeting.crosses_dst


def test_the_standard_frame_comes_back_when_every_template_was_deleted():
    AgendaTemplate.objects.all().delete()
    meeting = make_meeting(club(2026, 3, 5, 18, 0))
    assert clock_times(meeting) == ["18:00", "18:20", "19:20", "19:35"]
    assert meeting.agenda_items.get(holds_topics=True).title == "Meeting"
    assert AgendaTemplate.objects.get().is_default


def test_it_copies_a_chosen_template_instead_and_never_twice():
    short = AgendaTemplate.objects.create(name="Short")
    AgendaTemplateItem.objects.create(template=short, position=0, title="Check-in", minutes=10)
    AgendaTemplateItem.objects.create(template=short, position=1, title="Talk", minutes=30)
    meeting = Meeting.objects.create(title="x", starts_at=club(2026, 3, 5, 18))
    meeting.apply_agenda_template(short)
    meeting.apply_agenda_template()  # an agenda that exists is left alone
    assert [item.title for item in meeting.agenda_items.all()] == ["Check-in", "Talk"]
    assert meeting.ends_at == club(2026, 3, 5, 18, 40)


def test_organizers_edit_the_copied_agenda_and_the_end_follows():
    meeting = make_meeting(club(2026, 3, 5, 18))
    main = meeting.agenda_items.get(holds_topics=True)
    main.minutes = 90
    main.save()
    meeting.refresh_from_db()
    assert meeting.ends_at == club(2026, 3, 5, 20, 5)
    AgendaItem.objects.create(meeting=meeting, position=9, title="Social", minutes=10)
    meeting.refresh_from_db()
    assert clock_times(meeting) == ["18:00", "18:20", "19:50", "20:05", "20:15"]
    meeting.agenda_items.get(title="Social").delete()
    meeting.refresh_from_db()
    assert meeting.ends_at == club(2026, 3, 5, 20, 5)
    # Moving the meeting moves its end with it.
    meeting.starts_at = club(2026, 3, 6, 17)
    meeting.save()
    assert meeting.ends_at == club(2026, 3, 6, 19, 5)


def test_a_meeting_straddling_the_fall_back_change_keeps_its_real_length():
    # 1 November 2026: at 02:00 PDT the clocks go back to 01:00 PST.
    meeting = make_meeting(club(2026, 11, 1, 1, 0))
    assert meeting.starts_at.astimezone(UTC).hour == 8  # 01:00 PDT
    schedule = meeting.agenda_schedule()
    assert [(f"{r.starts_at:%H:%M}", r.starts_at.tzname()) for r in schedule] == [
        ("01:00", "PDT"),
        ("01:20", "PDT"),
        ("01:20", "PST"),  # the same wall clock, an hour later
    ]
    assert (f"{schedule[-1].ends_at:%H:%M}", schedule[-1].ends_at.tzname()) == ("01:35", "PST")
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=95)
    assert meeting.crosses_dst


def test_a_meeting_straddling_the_spring_forward_change_keeps_its_real_length():
    # 8 March 2026: at 02:00 PST the clocks jump to 03:00 PDT.
    meeting = make_meeting(club(2026, 3, 8, 1, 30))
    assert clock_times(meeting) == ["01:30", "01:50", "03:50", "04:05"]
    assert meeting.ends_at.astimezone(UTC) - meeting.starts_at.astimezone(UTC) == timedelta(minutes=95)


def test_sequence_rises_when_what_a_calendar_shows_changes():
    meeting = make_meeting(club(2026, 3, 5, 18))
    before = meeting.sequence
    meeting.notes = "Only notes changed"
    meeting.save()
    assert meeting.sequence == before
    for change in [
        {"title": "New title"},
        {"starts_at": club(2026, 3, 5, 19)},
        {"description": "New description"},
        {"video_link": "https://meet.example.org/new"},
        {"status": Meeting.Status.CANCELLED, "cancellation_reason": "Storm"},
    ]:
        previous = meeting.sequence
        for name, value in change.items():
            setattr(meeting, name, value)
        meeting.save()
        meeting.refresh_from_db()
        assert meeting.sequence == previous + 1, change


def test_sequence_comes_from_the_stored_row_not_a_stale_copy():
    meeting = make_meeting(club(2026, 3, 5, 18))
    stale = Meeting.objects.get(pk=meeting.pk)
    meeting.title = "Changed once"
    meeting.save()
    stale.title = "Changed twice"
    stale.save()
    stale.refresh_from_db()
    assert stale.sequence == meeting.sequence + 1


def test_upcoming_and_past_split_on_the_end_not_the_start():
    now = club(2026, 3, 5, 18, 30)
    running = make_meeting(club(2026, 3, 5, 18))
    earlier = make_meeting(club(2026, 2, 5, 18))
    later = make_meeting(club(2026, 3, 19, 18))
    assert list(Meeting.objects.upcoming(now)) == [running, later]
    assert list(Meeting.objects.past(now)) == [earlier]
    assert Meeting.objects.next_meeting(now) == running


# --- Series -------------------------------------------------------------------


def make_series(**fields):
    fields.setdefault("title", "Club meeting")
    fields.setdefault("weekday", Weekday.THURSDAY)
    fields.setdefault("ordinals", [1, 3])
    fields.setdefault("local_time", time(18, 0))
    return Series.objects.create(**fields)


def test_a_series_rule_finds_the_first_and_third_thursdays():
    series = make_series()
    assert series.dates(date(2026, 1, 1), 6) == [
        date(2026, 1, 1),
        date(2026, 1, 15),
        date(2026, 2, 5),
        date(2026, 2, 19),
        date(2026, 3, 5),
        date(2026, 3, 19),
    ]
    assert series.rule_text == "1st and 3rd Thursday of the month at 18:00 (America/Los_Angeles)"


def test_a_series_rule_finds_the_last_sunday_and_skips_missing_fifth_weeks():
    last_sunday = make_series(weekday=Weekday.SUNDAY, ordinals=[-1])
    assert last_sunday.dates(date(2026, 1, 1), 3) == [date(2026, 1, 25), date(2026, 2, 22), date(2026, 3, 29)]
    fifth_friday = make_series(weekday=Weekday.FRIDAY, ordinals=[5])
    assert fifth_friday.dates(date(2026, 1, 1), 2) == [date(2026, 1, 30), date(2026, 5, 29)]


def test_series_generation_keeps_the_wall_clock_across_dst_and_never_duplicates():
    series = make_series()
    now = club(2026, 2, 1, 12)
    created = series.generate(4, now=now)
    # 5 Feb and 19 Feb are in PST, 5 Mar PST, 19 Mar PDT: always 18:00 on the wall.
    local = [m.starts_at.astimezone(LA) for m in created]
    assert [(d.date(), d.strftime("%H:%M %Z")) for d in local] == [
        (date(2026, 2, 5), "18:00 PST"),
        (date(2026, 2, 19), "18:00 PST"),
        (date(2026, 3, 5), "18:00 PST"),
        (date(2026, 3, 19), "18:00 PDT"),
    ]
    assert [m.starts_at.astimezone(UTC).hour for m in created] == [2, 2, 2, 1]
    assert all(m.agenda_items.count() == 3 and m.duration_minutes == 95 for m in created)
    assert series.generate(4, now=now) == []
    assert series.generate(5, now=now)[0].series_date == date(2026, 4, 2)
    assert Meeting.objects.filter(series=series).count() == 5


def test_the_database_refuses_a_second_meeting_for_one_series_date():
    from django.db import IntegrityError, transaction

    series = make_series()
    series.generate(1, now=club(2026, 2, 1, 12))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            title="dup", series=series, series_date=date(2026, 2, 5), starts_at=club(2026, 2, 5, 18)
        )


def test_series_generation_skips_today_once_it_has_started():
    series = make_series()
    created = series.generate(1, now=club(2026, 2, 5, 18, 5))
    assert created[0].series_date == date(2026, 2, 19)


def test_a_series_in_another_zone_keeps_its_own_wall_clock():
    series = make_series(time_zone="Europe/Berlin", weekday=Weekday.SUNDAY, ordinals=[-1])
    created = series.generate(2, now=club(2026, 3, 1, 0))
    # Last Sunday of March 2026 is the day Berlin changes to summer time.
    assert [m.starts_at.astimezone(UTC).strftime("%m-%d %H:%M") for m in created] == [
        "03-29 16:00",
        "04-26 16:00",
    ]


def test_a_rule_needs_at_least_one_known_week():
    series = Series(title="x", weekday=0, ordinals=[], local_time=time(18))
    with pytest.raises(ValidationError):
        series.full_clean()
    series.ordinals = [7]
    with pytest.raises(ValidationError):
        series.full_clean()
