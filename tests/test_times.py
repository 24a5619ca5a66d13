"""One way to write a time: "Thursday, December 3 · 18:00–19:35 PST", in pages, emails and the admin."""

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone, translation

from blog.models import Post
from meetings.models import Meeting
from members.models import AccessRequest, User
from solidarityclub.times import format_day, format_when
from tests.conftest import seed_demo
from tests.factories import club, ensure_standard_template, make_meeting
from topics.models import Topic

UTC = ZoneInfo("UTC")

# What the site must never write: 12-hour clocks, ISO stamps, abbreviated months or
# weekdays, raw zone names, Django's "p.m." (and its double period).
OTHER_TIME_STYLES = re.compile(
    r"\b\d{1,2}:\d{2}\s?(?:[ap]\.m\.|[AaPp][Mm]\b)"
    r"|\b\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}"
    r"|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s\d"
    r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b,"
    r"|\b(?:America|Europe|Asia|Africa|Australia|Pacific)/[A-Z]"
    r"|\.\.(?!\.)"
    r"|\bago\b"
)


def visible_text(html):
    html = re.sub(r"<(script|style|select)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", html)


def other_styles(text):
    return sorted({m.group(0) for m in OTHER_TIME_STYLES.finditer(text)})


NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # "this year" is 2026 in these examples


def test_it_writes_a_meeting_with_start_end_and_zone():
    start = club(2026, 12, 3, 18, 0)
    assert (
        format_when(start, start + timedelta(minutes=95), now=NOW) == "Thursday, December 3 · 18:00–19:35 PST"
    )
    assert format_when(start, now=NOW) == "Thursday, December 3 · 18:00 PST"


def test_it_shows_the_year_only_when_it_is_not_this_year():
    assert format_when(club(2027, 1, 7, 18, 0), now=NOW) == "Thursday, January 7, 2027 · 18:00 PST"
    assert format_day(date(2026, 12, 3), now=NOW) == "Thursday, December 3"
    assert format_day(date(2025, 12, 3), now=NOW) == "Wednesday, December 3, 2025"


def test_it_converts_to_the_zone_asked_for():
    start = club(2026, 12, 3, 18, 0)
    assert format_when(start, zone="America/New_York", now=NOW) == "Thursday, December 3 · 21:00 EST"
    assert format_when(start, zone="Europe/Berlin", now=NOW) == "Friday, December 4 · 03:00 CET"
    assert (
        format_when(start.astimezone(UTC), now=NOW) == "Thursday, December 3 · 18:00 PST"
    )  # the club's by default
    assert format_when(start, zone="Not/AZone", now=NOW) == "Thursday, December 3 · 18:00 PST"


def test_it_writes_both_abbreviations_across_a_dst_change_and_both_days_past_midnight():
    start = datetime(2026, 11, 1, 8, 30, tzinfo=UTC)  # 01:30 PDT, the first of the two 01:30s
    assert (
        format_when(start, start + timedelta(minutes=95), now=NOW)
        == "Sunday, November 1 · 01:30 PDT–02:05 PST"
    )
    late = club(2026, 12, 3, 23, 0)
    assert (
        format_when(late, late + timedelta(minutes=95), now=NOW)
        == "Thursday, December 3 · 23:00 PST – Friday, December 4 · 00:35 PST"
    )


def test_it_survives_extreme_and_empty_values():
    assert format_when(None, now=NOW) == ""
    assert format_when("", now=NOW) == ""
    assert (
        format_when(datetime(9999, 12, 31, 23, 59, tzinfo=UTC), zone="Asia/Tokyo", now=NOW) == ""
    )  # year 10000
    assert (
        format_when(datetime(9999, 12, 31, 12, 0, tzinfo=UTC), now=NOW)
        == "Friday, December 31, 9999 · 04:00 PST"
    )
    assert format_when(datetime(1, 1, 1, 12, 0, tzinfo=UTC), now=NOW).endswith("LMT")


def test_it_follows_the_language_so_spanish_can_follow():
    start = club(2026, 12, 3, 18, 0)
    with translation.override("es"):
        assert (
            format_when(start, start + timedelta(minutes=95), now=NOW)
            == "jueves, 3 de diciembre · 18:00–19:35 PST"
        )
        assert format_when(club(2027, 1, 7), now=NOW) == "jueves, 7 de enero de 2027 · 18:00 PST"


def test_the_template_filters_use_the_active_zone():
    template = engines["django"].from_string(
        "{% load tz club_times %}{{ s|when:e }} | {% timezone 'Europe/Berlin' %}{{ s|when }}{% endtimezone %}"
        " | {{ d|day }} | {{ s|clock }}"
    )
    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    end = start + timedelta(minutes=95)
    text = template.render({"s": start, "e": end, "d": start.date()})
    assert text == " | ".join(
        [
            format_when(start, end),
            format_when(start, zone="Europe/Berlin"),
            format_day(start.date()),
            start.astimezone(ZoneInfo(settings.CLUB_TIME_ZONE)).strftime("%H:%M %Z"),
        ]
    )
    assert "·" in text


def test_the_other_styles_pattern_catches_what_the_issue_found():
    for bad in [
        "18:00 6:00 PM",
        "6:00 p.m.",
        "Nov. 30, 1:42 p.m.",
        "2026-11-30 13:42",
        "America/Los_Angeles",
        "p.m..",
    ]:
        assert other_styles(bad), bad
    assert other_styles("Thursday, December 3 · 18:00–19:35 PST. Agenda 18:20 Meeting") == []


# Every page and every email ----------------------------------------------------------------


@pytest.fixture
def demo(db):
    ensure_standard_template()
    seed_demo()
    return {
        "meeting": Meeting.objects.upcoming().first(),
        "past": Meeting.objects.past().first(),
        "post": Post.objects.published().first(),
        "topic": Topic.objects.backlog().first(),
        "organizer": User.objects.filter(is_staff=True).first(),
        "member": User.objects.filter(is_staff=False, is_active=True, break_since__isnull=True).first(),
    }


def _url_patterns():
    """(name, pattern) of every named URL the site has, the admin's aside."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                if pattern.app_name != "admin":
                    yield from walk(pattern.url_patterns, inner or None)
            elif pattern.name:
                yield ":".join(filter(None, [namespace, pattern.name])), pattern

    return list(walk(get_resolver().url_patterns, None))


def _path_arguments(demo):
    """What fills each URL's parameters, from the seeded club. A new URL with parameters needs a line here."""
    from members.email_kinds import stop_token
    from members.outreach.models import Conversation
    from members.tokens import confirm_token, decide_token, welcome_link_args
    from topics.decision_models import Decision

    meeting, topic, member = demo["meeting"], demo["topic"], demo["member"]
    conversation = Conversation.objects.first()
    access_request = AccessRequest.objects.create(
        name="Nia", email="nia@example.org", motivation="Care", agreed_to_code_of_conduct=True
    )
    by_meeting = {"meeting_id": meeting.pk}
    return {
        "topics:": {"pk": topic.pk},
        "topics:gather": by_meeting,
        "topics:dot-vote-open": by_meeting,
        "topics:dot-vote-close": by_meeting,
        "topics:dot-vote-move": {**by_meeting, "topic_id": topic.pk},
        "decisions:": {"pk": Decision.objects.order_by("pk").first().pk},
        "meetings:": {"pk": meeting.pk},
        "meetings:private-feed": {"token": member.feed_token},
        "meetings:live-control": {"pk": meeting.pk, "action": "start"},
        "blog:detail": {"slug": demo["post"].slug},
        "members:entry": {"pk": User.objects.get(email="kofi@example.org").pk},
        "members:conversation": {"pk": conversation.pk},
        "members:block": {"pk": conversation.pk},
        "members:unblock": {"pk": conversation.pk},
        "members:report": {"pk": conversation.pk, "message_pk": conversation.messages.first().pk},
        "members:unblock-member": {"block_pk": 1},  # POST only: the block need not exist
        # Pages reached by a link with a token, as the emails make them.
        "members:confirm": {"token": confirm_token(access_request)},
        "members:decide": {"token": decide_token(access_request)},
        "members:welcome": dict(zip(["uidb64", "token"], welcome_link_args(member), strict=True)),
        "members:stop-emails": {"token": stop_token(member, "announcements")},
        "account_confirm_email": {"key": "no-such-key"},  # the "this link does not work" page
        "account_reset_password_from_key": {"uidb36": "zz", "key": "no-such-key"},
    }


def _pages(demo):
    """Every named, non-admin URL the site has, its parameters filled: a new page is checked unasked.

    Answers that are not pages (405 to a GET on a POST-only URL, feeds, JSON,
    calendars) are left out by the tests that read them.
    """
    from django.urls import reverse

    arguments = _path_arguments(demo)
    pages = []
    for name, pattern in _url_patterns():
        wanted = set(pattern.pattern.regex.groupindex)
        # By the URL's name, else by its namespace ("topics:" fills the topic pages' pk).
        kwargs = arguments.get(name) or arguments.get(name.split(":")[0] + ":", {})
        assert wanted <= set(kwargs), (
            f"{name}: say in _path_arguments what fills {sorted(wanted - set(kwargs))}"
        )
        pages.append(reverse(name, kwargs={key: kwargs[key] for key in wanted}))
    pages.append(demo["past"].get_absolute_url())
    pages += [f"/topics/{topic.pk}/" for topic in Topic.objects.exclude(status="open")[:5]]
    return pages


def fetch_pages(client, demo, role):
    """(path, response) of every page as `role` sees it; each in a fresh session, as a link opens it."""
    from django.test import Client

    for path in _pages(demo):
        client = Client()
        if role != "visitor":
            client.force_login(demo[role])
        response = client.get(path, follow=True)
        assert response.status_code < 500, path
        if response.status_code == 405 or not response.get("Content-Type", "").startswith("text/html"):
            if response.streaming:
                # Read to its end: the test client then closes it without closing the
                # database connection (response.close() would, inside the test's transaction).
                b"".join(response.streaming_content)
            continue  # a POST-only action, a feed, a calendar, JSON: no page
        yield path, response


@pytest.mark.parametrize("role", ["visitor", "member", "organizer"])
def test_every_page_writes_times_one_way(client, demo, role):
    found = {}
    for path, response in fetch_pages(client, demo, role):
        if bad := other_styles(visible_text(response.content.decode())):
            found[path] = bad
    assert found == {}


def test_the_admin_pages_write_times_one_way(client, demo):
    client.force_login(User.objects.filter(is_superuser=True).first() or demo["organizer"])
    found = {}
    for path in ["/admin/meetings/meeting/", f"/admin/meetings/meeting/{demo['meeting'].pk}/change/"]:
        response = client.get(path)
        assert response.status_code == 200
        text = visible_text(response.content.decode())
        if bad := [b for b in other_styles(text) if not b.startswith(("America/", "Europe/"))]:
            found[path] = bad
    assert found == {}


def _email_templates():
    root = Path(settings.BASE_DIR) / "templates"
    for path in sorted(root.glob("**/emails/*")):
        if path.suffix in (".txt", ".html") and path.name != "base.html" and "base_message" not in path.name:
            yield str(path.relative_to(root))


def test_every_email_template_writes_times_one_way(demo):
    meeting = demo["meeting"]
    start = meeting.starts_at
    request = AccessRequest(name="Nia", email="nia@example.org", motivation="Care", created_at=start)
    context = {
        "user": demo["member"],
        "proposer": demo["member"],
        "meeting": meeting,
        "post": Post(title="News", kind="announcement", meeting=meeting, publish_at=start),
        "topic": demo["topic"],
        "access_request": request,
        "starts_at": start,
        "ends_at": meeting.ends_at,
        "previous_starts_at": start - timedelta(days=1),
        "member_starts_at": start,
        "next_meeting": meeting,
        "time_zone": "America/New_York",
        "minutes": 20,
        "agenda": meeting.agenda_schedule(),
        "CLUB_NAME": settings.CLUB_NAME,
    }
    found, rendered = {}, 0
    for name in _email_templates():
        text = render_to_string(name, context)
        rendered += 1
        if name.endswith(".html"):
            text = visible_text(text)
        if bad := other_styles(text):
            found[name] = bad
    assert rendered > 10
    assert found == {}


def test_a_reminder_names_the_meeting_the_one_way(demo, django_capture_on_commit_callbacks):
    from meetings.emails import send_reminder

    start = (timezone.now() + timedelta(days=2)).astimezone(ZoneInfo(settings.CLUB_TIME_ZONE))
    meeting = make_meeting(start.replace(hour=18, minute=0, second=0, microsecond=0), title="Movie night")
    with django_capture_on_commit_callbacks(execute=True):
        send_reminder(meeting, demo["member"])
    (message,) = mail.outbox
    assert message.subject == f"Reminder: Movie night, {format_when(meeting.starts_at)}"
    assert format_when(meeting.starts_at, meeting.ends_at) in message.body
    assert format_when(meeting.starts_at, meeting.ends_at) in message.alternatives[0][0]


def test_a_members_display_zone_is_their_own_else_the_clubs(settings):
    """User.display_zone: the one answer to "which zone are this member's times shown in"."""
    from solidarityclub.times import club_time, in_zone, member_zone

    club = ZoneInfo(settings.CLUB_TIME_ZONE)
    assert User(time_zone="Europe/Berlin").display_zone == ZoneInfo("Europe/Berlin")
    assert User(time_zone="").display_zone == club
    assert User(time_zone="Not/AZone").display_zone == club  # written past the validator: the club's
    # Beside the club's time, pages and emails show a member's own zone only when it differs.
    assert member_zone(User(time_zone="Europe/Berlin")) == ZoneInfo("Europe/Berlin")
    assert member_zone(User(time_zone=settings.CLUB_TIME_ZONE)) is None
    assert member_zone(User(time_zone="")) is None
    assert member_zone(None) is None
    # The repeated hour of a fall-back night keeps its fold: PST, not PDT.
    second_one = datetime(2026, 11, 1, 9, 30, tzinfo=ZoneInfo("UTC"))
    assert club_time(second_one).tzname() == "PST"
    assert in_zone(second_one, "Europe/Berlin").strftime("%H:%M %Z") == "10:30 CET"
