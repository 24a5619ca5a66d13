"""Issue 11, points 7 and 8: the admin is ordered for the next meeting and costs a fixed
number of queries; templates switch default politely; clock times say PST/PDT per row across
a DST change; calendars stay honest (the reveal window is explained; no "add to calendar"
for cancelled or past meetings)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import RSVP, AgendaTemplate, Meeting
from meetings.receivers import welcome_context
from tests.factories import club, make_meeting, make_members

pytestmark = pytest.mark.django_db


def test_upcoming_lists_the_next_meeting_first(organizer_client):
    now = timezone.now()
    make_meeting(now + timedelta(days=30), title="Later")
    make_meeting(now + timedelta(days=2), title="Next")
    make_meeting(now + timedelta(days=10), title="Then")
    make_meeting(now - timedelta(days=10), title="Over")
    response = organizer_client.get(reverse("admin:meetings_meeting_changelist"), {"when": "upcoming"})
    titles = [meeting.title for meeting in response.context["cl"].result_list]
    assert titles == ["Next", "Then", "Later"]
    # Without the filter the latest comes first, as before.
    response = organizer_client.get(reverse("admin:meetings_meeting_changelist"))
    assert [m.title for m in response.context["cl"].result_list][0] == "Later"


@pytest.mark.parametrize("rsvps", [1, 150])
def test_the_change_page_costs_the_same_queries_whatever_the_rsvps(
    organizer_client, rsvps, django_assert_max_num_queries
):
    meeting = make_meeting(timezone.now() + timedelta(days=3))
    RSVP.objects.bulk_create(
        RSVP(meeting=meeting, user=user, answer="going") for user in make_members(rsvps, prefix="r")
    )
    with django_assert_max_num_queries(30):
        response = organizer_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 200
    assert "r0@example.org" in response.content.decode()


def test_making_another_template_the_default_clears_the_old_one(organizer_client):
    old = AgendaTemplate.objects.default_or_standard()
    assert old.is_default
    response = organizer_client.post(
        reverse("admin:meetings_agendatemplate_add"),
        {
            "name": "Workshop",
            "is_default": "on",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-position": "0",
            "items-0-title": "Workshop",
            "items-0-minutes": "90",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    old.refresh_from_db()
    assert not old.is_default
    assert AgendaTemplate.objects.get(name="Workshop").is_default
    # And through the model.
    old.is_default = True
    old.full_clean()
    old.save()
    assert list(AgendaTemplate.objects.filter(is_default=True)) == [old]


def test_the_agenda_preview_says_pst_or_pdt_per_row_across_dst(organizer_client):
    # 10 March 2030: clocks jump from 02:00 PST to 03:00 PDT.
    meeting = make_meeting(club(2030, 3, 10, 1, 0))
    html = organizer_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    for text in ["<strong>01:00 PST</strong>", "<strong>01:20 PST</strong>", "<strong>03:20 PDT</strong>"]:
        assert text in html
    plain = make_meeting(club(2030, 3, 14, 18, 0))
    html = organizer_client.get(reverse("admin:meetings_meeting_change", args=[plain.pk])).content.decode()
    assert "<strong>18:20</strong>" in html


def test_the_duplicated_message_names_the_date(organizer_client):
    meeting = make_meeting(club(2030, 3, 5, 18))
    response = organizer_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "duplicate_meetings", "_selected_action": [meeting.pk]},
        follow=True,
    )
    assert "Copied to Tuesday, March 12, 2030 · 18:00 PDT, one week later" in response.content.decode()


def test_the_reveal_window_is_explained_next_to_the_option_and_in_the_welcome(organizer_client, member):
    meeting = make_meeting(club(2030, 3, 5, 18))
    html = organizer_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    assert "calendar apps fetch their feed hourly or less often" in html
    html = organizer_client.get(reverse("admin:meetings_series_add")).content.decode()
    assert "calendar apps fetch their feed hourly or less often" in html
    assert "find the link on the meeting&#x27;s page" in str(
        welcome_context(None, member)["calendar_help"]
    ).replace("'", "&#x27;")


def test_cancelled_and_past_meetings_offer_no_add_to_calendar(client):
    now = timezone.now()
    ahead = make_meeting(now + timedelta(days=3), title="Ahead")
    past = make_meeting(now - timedelta(days=3), title="Past")
    cancelled = make_meeting(now + timedelta(days=4), title="Off")
    cancelled.cancel("Snow")
    assert "Add this meeting to Google Calendar" in client.get(ahead.get_absolute_url()).content.decode()
    for meeting in (past, cancelled):
        html = client.get(meeting.get_absolute_url()).content.decode()
        assert "Add this meeting to Google Calendar" not in html
        assert "Download this meeting (.ics)" not in html
    assert Meeting.objects.count() == 3
