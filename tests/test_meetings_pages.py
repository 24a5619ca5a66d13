"""The meeting pages: upcoming, past, one meeting; who sees the video link; query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import RSVP, AgendaItem, Meeting
from tests.conftest import ROLES
from tests.factories import club, make_meeting

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/secret-room-4711"


@pytest.fixture
def upcoming():
    start = timezone.now() + timedelta(days=3)
    return make_meeting(
        start, title="Reading club: Parable of the Sower", video_link=LINK, format="reading_club"
    )


@pytest.fixture
def past():
    return make_meeting(
        timezone.now() - timedelta(days=10),
        title="Movie night: Salt of the Earth",
        video_link=LINK,
        notes="We talked about **solidarity**.\n\n<script>alert(1)</script>",
    )


# --- permission matrix: every page is public; the link is not ----------------


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_every_role(client_for, role, upcoming, past):
    client = client_for(role)
    for url in [
        reverse("meetings:list"),
        reverse("meetings:past"),
        reverse("meetings:detail", args=[upcoming.pk]),
        reverse("meetings:detail", args=[past.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1
    assert client.get(reverse("meetings:detail", args=[999999])).status_code == 404
    assert client.post(reverse("meetings:list")).status_code == 405


@pytest.mark.parametrize(
    ("role", "sees_link"),
    [("visitor", False), ("member", True), ("member_on_break", False), ("organizer", True)],
)
def test_only_members_in_good_standing_see_the_video_link(client_for, role, sees_link, upcoming, past):
    client = client_for(role)
    detail = client.get(reverse("meetings:detail", args=[upcoming.pk])).content.decode()
    assert (LINK in detail) is sees_link
    for url in [
        reverse("meetings:list"),
        reverse("meetings:past"),
        reverse("meetings:detail", args=[past.pk]),
        "/",
    ]:
        assert LINK not in client.get(url).content.decode(), url


def test_a_deactivated_account_sees_no_link(client, member, upcoming):
    client.force_login(member)
    member.is_active = False
    member.save()
    assert LINK not in client.get(reverse("meetings:detail", args=[upcoming.pk])).content.decode()


def test_the_video_link_never_shows_on_any_page_a_visitor_reaches(client, upcoming, past):
    Meeting.objects.filter(pk=past.pk).update(status=Meeting.Status.CANCELLED)
    missing = reverse("meetings:detail", args=[999999])
    for url in [
        "/",
        reverse("meetings:list"),
        reverse("meetings:past"),
        reverse("meetings:detail", args=[upcoming.pk]),
        reverse("meetings:detail", args=[past.pk]),
        reverse("meetings:detail", args=[999999]),
        reverse("meetings:ics", args=[upcoming.pk]),
        reverse("meetings:feed"),
        reverse("meetings:list") + "?page=abc",
        reverse("meetings:past") + "?page=999",
        "/sitemap.xml",
    ]:
        response = client.get(url)
        assert response.status_code == (404 if url == missing or "?page=" in url else 200), url
        assert LINK not in response.content.decode(), url
        assert "secret-room" not in response.content.decode(), url
    response = client.post(reverse("meetings:rsvp", args=[upcoming.pk]), {"answer": "going"})
    assert LINK not in response.content.decode()


def test_the_link_can_wait_until_minutes_before_the_start(member, upcoming):
    upcoming.link_visible_minutes_before = 15
    upcoming.save()
    start = upcoming.starts_at
    assert upcoming.video_link_for(member, start - timedelta(minutes=16)) == ""
    assert upcoming.video_link_for(member, start - timedelta(minutes=15)) == LINK
    assert upcoming.video_link_for(member, start + timedelta(minutes=30)) == LINK
    assert upcoming.video_link_for(member, upcoming.ends_at) == ""  # over
    upcoming.status = Meeting.Status.CANCELLED
    assert upcoming.video_link_for(member, start) == ""


def test_a_member_is_told_when_the_link_will_appear(member_client, upcoming):
    upcoming.link_visible_minutes_before = 15
    upcoming.save()
    html = member_client.get(reverse("meetings:detail", args=[upcoming.pk])).content.decode()
    assert LINK not in html
    assert "The video link appears here from" in html
    assert "15 minutes before the start" in html


def test_visitors_and_members_on_a_break_are_told_why_there_is_no_link(client_for, upcoming):
    html = client_for("visitor").get(reverse("meetings:detail", args=[upcoming.pk])).content.decode()
    assert "Members see the video link here" in html
    assert reverse("members:join") in html
    html = client_for("member_on_break").get(reverse("meetings:detail", args=[upcoming.pk])).content.decode()
    assert "You are taking a break" in html


# --- what the pages show --------------------------------------------------------


def test_the_meeting_page_shows_the_agenda_with_clock_times(client, db):
    meeting = make_meeting(club(2030, 3, 7, 18, 0), title="Workshop", format="workshop")
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    for text in [
        "Member-led workshop",
        "Thursday, March 7, 2030",
        "18:00–19:35",
        "PST",
        ">18:00<",
        ">18:20<",
        ">19:20<",
        ">19:35<",
        "Intro, check-in and welcome",
        "(60 min)",
        "Process, check-out",
        "Clock times in the club's time zone (PST)",
    ]:
        assert text in html, text


def test_a_fall_back_straddle_shows_which_hour_is_which(client, db):
    meeting = make_meeting(club(2030, 11, 3, 1, 0))  # DST ends 3 Nov 2030 at 02:00
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert ">01:00 PDT<" in html
    assert ">01:20 PDT<" in html
    assert ">01:20 PST<" in html
    assert ">01:35 PST<" in html


def test_a_member_sees_their_own_zone_when_it_differs(client, member, upcoming):
    member.time_zone = "Europe/Berlin"
    member.save()
    client.force_login(member)
    meeting = make_meeting(club(2030, 1, 10, 18, 0))
    for url in [reverse("meetings:list"), reverse("meetings:detail", args=[meeting.pk])]:
        html = client.get(url).content.decode()
        assert "Friday, January 11, 2030 · 03:00 CET your time" in html, url
        assert "CET" in html
        assert "your time" in html
    member.time_zone = "America/Los_Angeles"
    member.save()
    assert "your time" not in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()


def test_cancelled_meetings_are_marked_clearly(client, upcoming):
    upcoming.status = Meeting.Status.CANCELLED
    upcoming.cancellation_reason = "The facilitator is ill."
    upcoming.save()
    html = client.get(reverse("meetings:list")).content.decode()
    assert "Cancelled:" in html
    assert "This meeting is cancelled: The facilitator is ill." in html
    html = client.get(reverse("meetings:detail", args=[upcoming.pk])).content.decode()
    assert "<title>Cancelled: " in html
    assert "This meeting is cancelled." in html
    assert "The facilitator is ill." in html
    assert "Save my answer" not in html


def test_the_lists_split_upcoming_from_past_and_the_archive_shows_sanitized_notes(
    client, member, upcoming, past
):
    client.force_login(member)
    upcoming_html = client.get(reverse("meetings:list")).content.decode()
    assert upcoming.title in upcoming_html
    assert past.title not in upcoming_html
    past_html = client.get(reverse("meetings:past")).content.decode()
    assert past.title in past_html
    assert upcoming.title not in past_html
    assert "<strong>solidarity</strong>" in past_html
    assert "<script>alert(1)</script>" not in past_html


@pytest.mark.parametrize("role", ROLES)
def test_notes_are_for_members_and_visitors_read_a_public_summary_only(client_for, role, past):
    client = client_for(role)
    pages = [reverse("meetings:past"), reverse("meetings:detail", args=[past.pk])]
    for url in pages:
        html = client.get(url).content.decode()
        assert ("talked about <strong>solidarity</strong>" in html) is (role != "visitor"), url
        assert "A warm evening" not in html
    past.public_summary = "A warm evening: *nine* of us watched it."
    past.save()
    for url in pages:
        html = client.get(url).content.decode()
        if role == "visitor":
            assert "A warm evening: <em>nine</em> of us watched it." in html, url
            assert "solidarity</strong>" not in html, url
        else:
            assert "talked about <strong>solidarity</strong>" in html, url


def test_the_archive_is_paginated_newest_first(client, db):
    now = timezone.now()
    for days in range(1, 26):
        make_meeting(now - timedelta(days=days), title=f"Past {days:02d}", agenda=False)
    page_one = client.get(reverse("meetings:past")).content.decode()
    assert "Past 01" in page_one
    assert "Past 20" in page_one
    assert "Past 21" not in page_one
    assert page_one.index("Past 01") < page_one.index("Past 02")
    page_two = client.get(reverse("meetings:past"), {"page": 2}).content.decode()
    assert "Past 21" in page_two
    assert "Past 25" in page_two
    assert (
        client.get(reverse("meetings:past"), {"page": "junk"}).status_code == 404
    )  # tests/test_pagination.py


def test_the_meeting_page_offers_every_way_to_add_it_to_a_calendar(client_for, upcoming):
    html = client_for("visitor").get(reverse("meetings:detail", args=[upcoming.pk])).content.decode()
    assert reverse("meetings:ics", args=[upcoming.pk]) in html
    assert "webcal://testserver/meetings/calendar.ics" in html
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in html
    assert "Subscribing keeps your calendar up to date" in html
    assert "/meetings/calendar/" not in html.replace("/meetings/calendar.ics", "")  # no private feed
    member = client_for("member")
    html = member.get(reverse("meetings:detail", args=[upcoming.pk])).content.decode()
    token = (
        member.session
        and RSVP._meta.apps.get_model("members", "User").objects.get(email="alice@example.org").feed_token
    )
    assert f"webcal://testserver/meetings/calendar/{token}.ics" in html


def test_the_google_calendar_link_carries_utc_times(client, db):
    meeting = make_meeting(club(2030, 7, 4, 18, 0), title="Chit chat")
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "dates=20300705T010000Z%2F20300705T023500Z" in html


# --- query counts with 500 meetings ---------------------------------------------


@pytest.fixture
def many_meetings(member):
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            title=f"Meeting {n}",
            starts_at=now + timedelta(days=n - 250),
            ends_at=now + timedelta(days=n - 250, minutes=95),
            notes="Some notes",
            notes_html="<p>Some notes</p>",
            facilitator=member,
        )
        for n in range(500)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=p, title=title, minutes=minutes)
        for meeting in meetings
        for p, (title, minutes) in enumerate([("Intro", 20), ("Meeting", 60), ("Check-out", 15)])
    )
    RSVP.objects.bulk_create(RSVP(meeting=meeting, user=member, answer="going") for meeting in meetings)
    return meetings


@pytest.mark.parametrize("role", ["visitor", "member"])
def test_the_lists_need_few_queries_with_500_meetings(
    client_for, role, many_meetings, django_assert_max_num_queries
):
    client = client_for(role)
    for url in [reverse("meetings:list"), reverse("meetings:past"), "/"]:
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["visitor", "member"])
def test_a_meeting_page_needs_few_queries_with_500_meetings(
    client_for, role, many_meetings, django_assert_max_num_queries
):
    client = client_for(role)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:detail", args=[many_meetings[300].pk])).status_code == 200


def test_the_meetings_templates_name_no_topics_template():
    """Topics adds its sections through meetings.sections; the meetings templates stay app-agnostic."""
    from pathlib import Path

    from django.conf import settings

    for path in (Path(settings.BASE_DIR) / "templates" / "meetings").rglob("*.html"):
        assert "topics/" not in path.read_text(), path
    from meetings.sections import templates_at

    assert templates_at("main-block") == ["topics/_meeting_topics.html"]
    assert templates_at("nowhere") == []
