"""Scheduling in the admin: times in the club's zone, the agenda applied by itself,
clock-time preview, filters, duplicate, cancel (with a reason), series generation."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import RSVP, AgendaTemplate, AgendaTemplateItem, Meeting, Series, Weekday
from tests.conftest import ROLES
from tests.factories import LA, admin_add_data, admin_change_data, club, inline_management, make_meeting

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:meetings_meeting_add")


@pytest.mark.parametrize(
    ("role", "status"), [("visitor", 302), ("member", 302), ("member_on_break", 302), ("organizer", 200)]
)
def test_admin_permission_matrix(client_for, role, status):
    meeting = make_meeting(club(2030, 3, 7))
    client = client_for(role)
    for url in [
        reverse("admin:meetings_meeting_changelist"),
        ADD_URL,
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:meetings_series_changelist"),
        reverse("admin:meetings_series_add"),
        reverse("admin:meetings_agendatemplate_changelist"),
    ]:
        assert client.get(url).status_code == status, url


def test_an_organizer_enters_club_time_and_the_standard_agenda_is_applied(organizer_client):
    response = organizer_client.post(ADD_URL, admin_add_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    # 18:00 in Los Angeles on 7 March 2030 (PST, UTC−8) is 02:00 UTC on the 8th.
    assert meeting.starts_at == datetime(2030, 3, 8, 2, 0, tzinfo=UTC)
    assert [(i.title, i.minutes) for i in meeting.agenda_items.all()] == [
        ("Intro, check-in and welcome", 20),
        ("Meeting", 60),
        ("Process, check-out", 15),
    ]
    assert meeting.ends_at == club(2030, 3, 7, 19, 35)
    html = organizer_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    # Shown again in club time, with the clock-time preview.
    assert 'value="2030-03-07"' in html
    assert 'value="18:00:00"' in html
    for text in ["<strong>18:00</strong>", "<strong>18:20</strong>", "<strong>19:20</strong>", "19:35 PST"]:
        assert text in html


def test_club_time_holds_even_for_an_organizer_with_another_zone(client, organizer):
    organizer.time_zone = "Europe/Berlin"
    organizer.save()
    client.force_login(organizer)
    client.post(ADD_URL, admin_add_data(starts_at_0="2030-07-04", starts_at_1="18:00"))
    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime(2030, 7, 5, 1, 0, tzinfo=UTC)  # PDT, UTC−7
    html = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    assert 'value="18:00:00"' in html


def test_a_chosen_template_or_agenda_entered_by_hand_wins(organizer_client):
    short = AgendaTemplate.objects.create(name="Short")
    AgendaTemplateItem.objects.create(template=short, title="Only item", minutes=45)
    organizer_client.post(ADD_URL, admin_add_data(agenda_template=str(short.pk)))
    assert [i.title for i in Meeting.objects.get().agenda_items.all()] == ["Only item"]
    by_hand = admin_add_data(title="By hand", **inline_management("agenda_items", total=1))
    by_hand.update(
        {
            "agenda_items-0-position": "0",
            "agenda_items-0-title": "Open space",
            "agenda_items-0-minutes": "30",
        }
    )
    organizer_client.post(ADD_URL, by_hand)
    meeting = Meeting.objects.get(title="By hand")
    assert [i.title for i in meeting.agenda_items.all()] == ["Open space"]
    assert meeting.duration_minutes == 30


def test_a_cancellation_needs_a_reason(organizer_client):
    response = organizer_client.post(ADD_URL, admin_add_data(status="cancelled"))
    assert response.status_code == 200
    assert "Say why the meeting is cancelled" in response.content.decode()


def test_the_list_filters_upcoming_past_and_cancelled(organizer_client):
    now = timezone.now()
    make_meeting(now + timedelta(days=3), title="Ahead")
    make_meeting(now - timedelta(days=3), title="Behind")
    gone = make_meeting(now + timedelta(days=5), title="Called off")
    gone.status, gone.cancellation_reason = Meeting.Status.CANCELLED, "Rain"
    gone.save()
    url = reverse("admin:meetings_meeting_changelist")

    def titles(when):
        return set(
            organizer_client.get(url, {"when": when}).context["cl"].queryset.values_list("title", flat=True)
        )

    assert titles("upcoming") == {"Ahead", "Called off"}
    assert titles("past") == {"Behind"}
    assert titles("cancelled") == {"Called off"}


def test_duplicating_keeps_the_wall_clock_a_week_later_and_copies_the_agenda(organizer_client):
    # 5 March 2030 18:00 PST → 12 March 2030 18:00 PDT (DST starts 10 March).
    meeting = make_meeting(club(2030, 3, 5, 18), title="Workshop", notes="old notes")
    RSVP.objects.create(meeting=meeting, user=_someone(), answer="going")
    response = organizer_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "duplicate_meetings", "_selected_action": [meeting.pk]},
    )
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:meetings_meeting_change", args=[copy.pk])
    assert copy.starts_at.astimezone(LA).strftime("%Y-%m-%d %H:%M %Z") == "2030-03-12 18:00 PDT"
    assert [i.title for i in copy.agenda_items.all()] == [i.title for i in meeting.agenda_items.all()]
    assert copy.notes == ""
    assert copy.rsvps.count() == 0
    assert copy.title == "Workshop"


def _someone():
    from members.accounts import create_member

    return create_member("someone@example.org")


def test_cancelling_asks_for_a_reason_then_tells_those_coming(
    organizer_client, member, django_capture_on_commit_callbacks
):
    meeting = make_meeting(timezone.now() + timedelta(days=2), title="Movie night")
    RSVP.objects.create(meeting=meeting, user=member, answer="going")
    url = reverse("admin:meetings_meeting_changelist")
    step_one = organizer_client.post(url, {"action": "cancel_meetings", "_selected_action": [meeting.pk]})
    assert step_one.status_code == 200
    html = step_one.content.decode()
    assert "Movie night" in html
    assert 'name="reason"' in html
    meeting.refresh_from_db()
    assert not meeting.is_cancelled
    # Confirming without a reason shows the form again.
    again = organizer_client.post(
        url, {"action": "cancel_meetings", "_selected_action": [meeting.pk], "apply": "1", "reason": ""}
    )
    assert again.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        done = organizer_client.post(
            url,
            {
                "action": "cancel_meetings",
                "_selected_action": [meeting.pk],
                "apply": "1",
                "reason": "Projector broke",
            },
        )
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert meeting.cancellation_reason == "Projector broke"
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "Projector broke" in mail.outbox[0].body


def test_an_organizer_changes_the_time_and_those_coming_are_told(
    organizer_client, member, django_capture_on_commit_callbacks
):
    meeting = make_meeting(club(2030, 3, 7, 18), title="Chit chat")
    RSVP.objects.create(meeting=meeting, user=member, answer="maybe")
    data = admin_change_data(meeting, starts_at_1="19:00")
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.starts_at == club(2030, 3, 7, 19)
    assert meeting.ends_at == club(2030, 3, 7, 20, 35)
    assert [m.subject for m in mail.outbox] == [
        "New time: Chit chat is now Thursday, March 7, 2030 · 19:00 PST"
    ]


def test_cancelled_and_moved_in_one_save_those_coming_hear_of_the_day_they_said_they_would_come(
    organizer_client, member, django_capture_on_commit_callbacks
):
    """Found by an outsider: the cancellation named the new day, one members never agreed to."""
    meeting = make_meeting(club(2030, 3, 7, 18), title="Chit chat")
    RSVP.objects.create(meeting=meeting, user=member, answer="going")
    data = admin_change_data(
        meeting, starts_at_0="2030-03-08", status="cancelled", cancellation_reason="No room"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.starts_at) == ("cancelled", club(2030, 3, 8, 18))
    [email] = mail.outbox
    assert "Thursday, March 7, 2030" in email.body
    assert "March 8" not in email.body


# --- series -------------------------------------------------------------------------


def test_an_organizer_defines_a_series_and_generates_meetings_twice_without_duplicates(organizer_client):
    response = organizer_client.post(
        reverse("admin:meetings_series_add"),
        {
            "title": "Club meeting",
            "format": "chit_chat",
            "ordinals": ["1", "3"],
            "weekday": str(Weekday.THURSDAY),
            "local_time": "18:00",
            "time_zone": "America/Los_Angeles",
            "description": "",
            "video_link": "https://meet.example.org/room",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    series = Series.objects.get()
    assert series.ordinals == [1, 3]
    url = reverse("admin:meetings_series_changelist")
    step_one = organizer_client.post(url, {"action": "generate_meetings", "_selected_action": [series.pk]})
    assert step_one.status_code == 200
    assert "1st and 3rd Thursday of the month at 18:00" in step_one.content.decode()
    for _ in range(2):
        done = organizer_client.post(
            url,
            {"action": "generate_meetings", "_selected_action": [series.pk], "apply": "1", "count": "4"},
        )
        assert done.status_code == 302
    meetings = list(series.meetings.order_by("starts_at"))
    assert len(meetings) == 4
    for meeting in meetings:
        local = meeting.starts_at.astimezone(LA)
        assert (local.weekday(), local.time()) == (Weekday.THURSDAY, time(18, 0))
        assert local.day <= 7 or 15 <= local.day <= 21
        assert meeting.duration_minutes == 95
        assert meeting.video_link == "https://meet.example.org/room"


def test_a_series_needs_a_week_chosen(organizer_client):
    response = organizer_client.post(
        reverse("admin:meetings_series_add"),
        {
            "title": "x",
            "format": "chit_chat",
            "weekday": "3",
            "local_time": "18:00",
            "time_zone": "America/Los_Angeles",
        },
    )
    assert response.status_code == 200
    assert not Series.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_never_runs_actions_for_non_organizers(client_for, role):
    meeting = make_meeting(timezone.now() + timedelta(days=2))
    client = client_for(role)
    client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "cancel_meetings", "_selected_action": [meeting.pk], "apply": "1", "reason": "x"},
    )
    meeting.refresh_from_db()
    assert meeting.is_cancelled is (role == "organizer")
