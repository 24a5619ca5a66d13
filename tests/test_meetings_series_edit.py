"""Issue 11, point 3: editing a series updates its future meetings (those not edited by hand),
across daylight-saving changes, telling the members who answered; deleted dates stay deleted."""

from datetime import date, datetime, time

import pytest
from django.core import mail
from django.urls import reverse

from meetings.models import RSVP, AgendaTemplate, AgendaTemplateItem, Meeting, Series, SkippedDate, Weekday
from members.accounts import create_member, leave
from tests.conftest import PASSWORD
from tests.factories import LA, admin_change_data

pytestmark = pytest.mark.django_db

# Fixed "now" for model tests: the 1st Thursdays from December 2029 to May 2030 cross the
# 10 March 2030 change to daylight-saving time.
NOW = datetime(2029, 11, 20, 12, tzinfo=LA)


def series_data(series, **overrides):
    data = {
        "title": series.title,
        "format": series.format,
        "facilitator": "",
        "ordinals": [str(n) for n in series.ordinals],
        "weekday": str(series.weekday),
        "local_time": series.local_time.strftime("%H:%M"),
        "time_zone": series.time_zone,
        "agenda_template": str(series.agenda_template_id or ""),
        "description": series.description,
        "video_link": series.video_link,
        "link_visible_minutes_before": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def series():
    return Series.objects.create(
        title="Club meeting",
        weekday=Weekday.THURSDAY,
        ordinals=[1],
        local_time=time(18, 0),
        time_zone="America/Los_Angeles",
        video_link="https://meet.example.org/room",
    )


def local(meeting):
    return meeting.starts_at.astimezone(LA)


def test_a_new_time_moves_every_future_meeting_across_dst_and_tells_members(series, member):
    meetings = series.generate(6, now=NOW)
    assert [m.series_date for m in meetings][0] == date(2029, 12, 6)
    RSVP.objects.create(meeting=meetings[4], user=member, answer="going")  # April: PDT
    sequences = {m.pk: m.sequence for m in meetings}
    series.local_time = time(19, 0)
    series.save()
    plan = series.plan_changes(now=NOW)
    assert len(plan.moves) == 6
    assert not plan.cancels
    assert not plan.additions
    series.apply_changes(now=NOW)
    for meeting in Meeting.objects.filter(series=series):
        assert local(meeting).time() == time(19, 0)
        assert local(meeting).weekday() == Weekday.THURSDAY
        assert meeting.duration_minutes == 95
        assert meeting.sequence > sequences[meeting.pk]
    offsets = sorted({local(m).strftime("%Z") for m in Meeting.objects.filter(series=series)})
    assert offsets == ["PDT", "PST"]
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "19:00 PDT" in mail.outbox[0].subject
    assert not series.plan_changes(now=NOW)  # nothing left to do


def test_changing_the_weeks_moves_or_cancels_instead_of_adding_beside(series, member):
    series.ordinals = [1, 3]
    series.save()
    series.generate(6, now=NOW)  # Dec 6, Dec 20, Jan 3, Jan 17, Feb 7, Feb 21
    third = Meeting.objects.get(series=series, series_date=date(2029, 12, 20))
    RSVP.objects.create(meeting=third, user=member, answer="maybe")
    series.ordinals = [1]
    series.save()
    plan = series.plan_changes(now=NOW)
    assert {m.series_date for m in plan.cancels} == {date(2029, 12, 20), date(2030, 1, 17), date(2030, 2, 21)}
    series.apply_changes(now=NOW)
    third.refresh_from_db()
    assert third.is_cancelled
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "you said you might come" in mail.outbox[0].body
    # 2nd Thursdays instead: each month's meeting moves to its month's 2nd Thursday, none added beside.
    series.ordinals = [2]
    series.save()
    series.apply_changes(now=NOW)
    scheduled = Meeting.objects.filter(series=series).scheduled().order_by("starts_at")
    assert [m.series_date for m in scheduled] == [date(2029, 12, 13), date(2030, 1, 10), date(2030, 2, 14)]
    assert Meeting.objects.filter(series=series).count() == 6  # 3 moved, 3 cancelled, none added


def test_adding_a_week_adds_the_missing_meetings(series):
    series.generate(3, now=NOW)  # Dec 6, Jan 3, Feb 7
    series.ordinals = [1, 3]
    series.save()
    plan = series.plan_changes(now=NOW)
    assert plan.additions == [date(2029, 12, 20), date(2030, 1, 17), date(2030, 2, 21)]
    series.apply_changes(now=NOW)
    assert Meeting.objects.filter(series=series).count() == 6


def test_a_meeting_edited_by_hand_is_left_alone(organizer_client, series):
    meetings = series.generate(3)
    hand = meetings[1]
    data = admin_change_data(hand, starts_at_1="20:30")
    response = organizer_client.post(reverse("admin:meetings_meeting_change", args=[hand.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    hand.refresh_from_db()
    assert hand.edited_by_hand
    # Saving a meeting unchanged does not count as editing it.
    untouched = meetings[0]
    organizer_client.post(
        reverse("admin:meetings_meeting_change", args=[untouched.pk]), admin_change_data(untouched)
    )
    untouched.refresh_from_db()
    assert not untouched.edited_by_hand

    response = organizer_client.post(
        reverse("admin:meetings_series_change", args=[series.pk]), series_data(series, local_time="19:00")
    )
    apply_url = reverse("admin:meetings_series_apply", args=[series.pk])
    assert response.status_code == 302
    assert response["Location"] == apply_url
    page = organizer_client.get(apply_url).content.decode()
    assert "Will move" in page
    assert "Left as they are (edited by hand)" in page
    assert "19:00" in page
    response = organizer_client.post(apply_url)
    assert response.status_code == 302
    hand.refresh_from_db()
    assert local(hand).time() == time(20, 30)
    for meeting in Meeting.objects.filter(series=series).exclude(pk=hand.pk):
        assert local(meeting).time() == time(19, 0)


def test_a_new_template_and_link_reach_the_future_meetings(organizer_client, series):
    series.generate(2)
    short = AgendaTemplate.objects.create(name="Short")
    AgendaTemplateItem.objects.create(template=short, title="Open space", minutes=45)
    data = series_data(series, agenda_template=str(short.pk), video_link="https://meet.example.org/new")
    organizer_client.post(reverse("admin:meetings_series_change", args=[series.pk]), data)
    page = organizer_client.get(reverse("admin:meetings_series_apply", args=[series.pk])).content.decode()
    assert "Will be updated (same time)" in page
    organizer_client.post(reverse("admin:meetings_series_apply", args=[series.pk]))
    for meeting in Meeting.objects.filter(series=series):
        assert [i.title for i in meeting.agenda_items.all()] == ["Open space"]
        assert meeting.duration_minutes == 45
        assert meeting.video_link == "https://meet.example.org/new"


def test_declining_leaves_the_meetings_and_a_plain_save_goes_back_to_the_list(organizer_client, series):
    series.generate(2)
    response = organizer_client.post(
        reverse("admin:meetings_series_change", args=[series.pk]), series_data(series)
    )
    assert response["Location"] == reverse("admin:meetings_series_changelist")


def test_a_deleted_generated_meeting_does_not_come_back(organizer_client, series):
    first, second, third = series.generate(3)
    response = organizer_client.post(
        reverse("admin:meetings_meeting_delete", args=[second.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert SkippedDate.objects.filter(series=series, date=second.series_date).exists()
    organizer_client.post(
        reverse("admin:meetings_series_changelist"),
        {"action": "generate_meetings", "_selected_action": [series.pk], "apply": "1", "count": "3"},
    )
    assert second.series_date not in set(
        Meeting.objects.filter(series=series).values_list("series_date", flat=True)
    )
    # Nor does applying a series change bring it back.
    series.local_time = time(19, 0)
    series.save()
    assert second.series_date not in series.plan_changes().additions


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 302), ("member_on_break", 302), ("left_member", 302), ("organizer", 200)],
)
def test_the_apply_page_permission_matrix(client, series, role, status):
    from django.utils import timezone

    series.generate(2)
    series.local_time = time(19, 0)
    series.save()
    if role != "visitor":
        user = {
            "member": lambda: create_member("m@example.org", password=PASSWORD),
            "member_on_break": lambda: create_member("b@example.org", break_since=timezone.now()),
            "left_member": lambda: create_member("l@example.org", is_staff=True),
            "organizer": lambda: create_member("o@example.org", is_staff=True),
        }[role]()
        if role == "left_member":
            leave(user)
            user.refresh_from_db()
        client.force_login(user)
    url = reverse("admin:meetings_series_apply", args=[series.pk])
    assert client.get(url).status_code == status
    client.post(url)
    moved = all(local(m).time() == time(19, 0) for m in Meeting.objects.filter(series=series))
    assert moved is (role == "organizer")
