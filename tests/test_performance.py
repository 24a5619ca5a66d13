"""What keeps members' pages fast: the zone list read once, shared fragments, one query for a member's own state."""

import zoneinfo
from datetime import timedelta

from django.utils import timezone

from solidarityclub.times import valid_time_zones
from tests.factories import make_meeting


def test_the_time_zone_list_is_read_from_disk_once_per_process(client, member, monkeypatch):
    member.time_zone = "Europe/Berlin"
    member.save()
    for days in range(1, 4):
        make_meeting(timezone.now() + timedelta(days=days))
    scans = []
    real_scan = zoneinfo.available_timezones
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: scans.append(1) or real_scan())
    valid_time_zones.cache_clear()
    client.force_login(member)
    for _ in range(3):
        html = client.get("/meetings/").content.decode()
        assert "your time" in html
    assert client.get("/members/settings/").status_code == 200
    assert len(scans) == 1


def test_a_member_with_their_own_zone_gets_the_meetings_without_rereading_the_zone_list(
    client, member, monkeypatch, django_assert_max_num_queries
):
    """Their zone is checked against the one cached list (solidarityclub.times.valid_time_zones)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    member.time_zone = "Europe/Berlin"
    member.save()
    for days in range(1, 4):
        make_meeting(timezone.now() + timedelta(days=days))
    with CaptureQueriesContext(connection) as visitor:
        assert Client().get("/meetings/").status_code == 200
    scans = []
    real_scan = zoneinfo.available_timezones
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: scans.append(1) or real_scan())
    valid_time_zones.cache_clear()  # as in a fresh process
    client.force_login(member)
    for _ in range(2):
        # A visitor's queries, plus the member's session and account.
        with django_assert_max_num_queries(len(visitor) + 2):
            html = client.get("/meetings/").content.decode()
        assert "your time" in html  # Berlin, next to the club's time
    assert len(scans) <= 1
    scans.clear()
    for _ in range(2):
        client.get("/meetings/")
    assert scans == []  # read once per process, not once per request


# --- Fragments every member shares, with each member's own state filled in ----------------

import pytest  # noqa: E402
from django.test import Client  # noqa: E402

from members.accounts import create_member  # noqa: E402
from solidarityclub import pagecache  # noqa: E402
from tests.conftest import PASSWORD  # noqa: E402
from tests.factories import make_topic  # noqa: E402
from topics import backlog  # noqa: E402


@pytest.fixture
def cache_on(settings, db):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    pagecache.reset_process_cache()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def support_form(html, topic):
    start = html.index(f'data-topic="{topic.pk}"')
    return html[start : html.index("</form>", start)]


def test_a_member_never_gets_another_members_marks_from_the_shared_backlog(cache_on, member):
    bob = create_member("bob@example.org", password=PASSWORD, display_name="Bob")
    carol = create_member("carol@example.org", password=PASSWORD, display_name="Carol")
    read, walk = make_topic(carol, "Reading club"), make_topic(carol, "Walk together")
    backlog.add_support(read, member)
    alice_client, bob_client = signed_in(member), signed_in(bob)
    alice_page = alice_client.get("/topics/").content.decode()  # renders and stores the fragment
    backlog.add_support(walk, bob)  # a support empties it…
    alice_page = alice_client.get("/topics/").content.decode()  # …so Alice renders it again
    bob_page = bob_client.get("/topics/").content.decode()  # Bob gets the same fragment
    assert 'aria-pressed="true"' in support_form(alice_page, read)
    assert 'aria-pressed="false"' in support_form(alice_page, walk)
    assert 'aria-pressed="false"' in support_form(bob_page, read)
    assert 'aria-pressed="true"' in support_form(bob_page, walk)
    assert pagecache.SLOT not in alice_page + bob_page
    # Each page carries its own member's CSRF token, which their POST must use.
    token = bob_page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    bob_csrf = Client(enforce_csrf_checks=True)
    bob_csrf.force_login(bob)
    bob_csrf.cookies["csrftoken"] = bob_client.cookies["csrftoken"].value
    response = bob_csrf.post(
        f"/topics/{read.pk}/support/", {"csrfmiddlewaretoken": token, "action": "support"}
    )
    assert response.status_code == 302
    assert read.supports.filter(user=bob).exists()


def test_a_member_on_a_break_shares_the_backlog_only_with_others_on_a_break(
    cache_on, member, member_on_break
):
    make_topic(create_member("carol@example.org", password=PASSWORD), "Reading club")
    taking_part = signed_in(member).get("/topics/").content.decode()
    on_break = signed_in(member_on_break).get("/topics/").content.decode()
    assert "support-button" in taking_part
    assert "support-button" not in on_break
    assert "csrfmiddlewaretoken" not in on_break.split('class="topic-list"', 1)[1].split("</ol>", 1)[0]


def test_the_meeting_page_keeps_every_members_own_parts(cache_on, member, member_on_break):
    from meetings.models import RSVP

    meeting = make_meeting(
        timezone.now() + timedelta(hours=2), video_link="https://meet.example.org/secret-room"
    )
    RSVP.objects.create(meeting=meeting, user=member, answer=RSVP.Answer.MAYBE)
    path = f"/meetings/{meeting.pk}/"
    alice = signed_in(member).get(path).content.decode()
    bob = signed_in(member_on_break).get(path).content.decode()
    visitor = Client().get(path).content.decode()
    assert "secret-room" in alice
    assert 'value="maybe" class="rsvp-choice rsvp-maybe" aria-pressed="true"' in alice
    assert member.feed_token in alice
    assert "secret-room" not in bob + visitor
    assert 'aria-pressed="true"' not in bob + visitor
    assert member.feed_token not in bob + visitor


def test_each_member_sees_their_own_zone_in_the_shared_meeting_list(cache_on, member):
    meeting = make_meeting(timezone.now() + timedelta(days=2))
    berlin = create_member("berta@example.org", password=PASSWORD, time_zone="Europe/Berlin")
    plain = signed_in(member).get("/meetings/").content.decode()
    zoned = signed_in(berlin).get("/meetings/").content.decode()
    assert "your time" not in plain
    assert "your time" in zoned
    assert f"{meeting.starts_at.astimezone(zoneinfo.ZoneInfo('Europe/Berlin')).tzname()} your time" in zoned
    assert "your time" not in signed_in(member).get("/").content.decode()
    assert "your time" in signed_in(berlin).get("/").content.decode()


def test_the_benchmark_stays_out_of_make_test():
    """`make bench` seeds its own database and drives a server for minutes: never part of the suite."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    assert not list((root / "tests" / "bench").glob("test_*.py"))
    makefile = (root / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "bench" not in test_recipe
    assert "tests.bench.run" in makefile.split("\nbench:", 1)[1]
