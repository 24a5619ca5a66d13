"""The weekly digest: its content, once per member and week, catch-up, under a frozen clock."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from blog.models import Post
from meetings.models import RSVP
from members import digest
from members.accounts import create_member, leave
from members.models import DigestSent
from members.signals import collect_digest_sections
from solidarityclub.times import format_when
from tests.conftest import PASSWORD
from tests.factories import ensure_standard_template, make_meeting, make_post
from tests.members_support import html_body
from tests.test_times import other_styles, visible_text
from topics import backlog
from topics.models import Topic

BERLIN = ZoneInfo("Europe/Berlin")
# Monday, December 7, 2026, 09:30 in Berlin: the digest of that week is due.
MONDAY = datetime(2026, 12, 7, 9, 30, tzinfo=BERLIN)


def travel(moment):
    return time_machine.travel(moment, tick=False)


def make_reader(email="dana@example.org", **fields):
    fields.setdefault("time_zone", "Europe/Berlin")
    return create_member(email, password=PASSWORD, display_name="Dana", wants_weekly_digest=True, **fields)


def digests_to(address):
    return [message for message in mail.outbox if message.to == [address]]


@pytest.fixture
def week(db):
    """A club's week as seen on MONDAY: meetings, posts, topics."""
    with travel(MONDAY - timedelta(days=10)):
        ensure_standard_template()
        dana = make_reader()
        other = create_member("omar@example.org", password=PASSWORD, display_name="Omar")
        reading = make_meeting(datetime(2026, 12, 10, 18, 0, tzinfo=ZoneInfo("America/Los_Angeles")))
        movie = make_meeting(
            datetime(2026, 12, 17, 18, 0, tzinfo=ZoneInfo("America/Los_Angeles")), title="Movie night"
        )
        RSVP.objects.create(meeting=reading, user=dana, answer=RSVP.Answer.GOING)
        make_post("An old post", MONDAY - timedelta(days=9))
        waiting = backlog.propose(Topic(title="Reading Mutual Aid", description="Let us read it."), other)
        supported = backlog.propose(Topic(title="A topic Dana supports", description="Yes."), other)
        backlog.add_support(supported, dana)
        mine = backlog.propose(Topic(title="Dana's own topic", description="Mine."), dana)
    with travel(MONDAY - timedelta(days=2)):
        make_post("Strike fund news", MONDAY - timedelta(days=2), summary="About Strike fund news.")
        make_post("A draft", MONDAY - timedelta(days=2), status=Post.Status.DRAFT)
        make_post("Scheduled for later", MONDAY + timedelta(days=2))
        backlog.gather(reading, [backlog.Pick(mine.pk, 20)], other)
    mail.outbox.clear()
    return {"dana": dana, "reading": reading, "movie": movie, "waiting": waiting}


def test_the_digest_tells_the_members_week_in_their_zone(week):
    with travel(MONDAY):
        result = digest.send_due_digests()
    assert result.queued == 1
    [message] = digests_to("dana@example.org")
    assert message.subject == "Your week at W.O.R.K. Solidarity Club: week of Monday, December 7"
    html = html_body(message)
    for body in (message.body, html):
        assert "Hello Dana" in body
        # The next meetings, written the one way in Dana's zone (18:00 in Los Angeles is
        # 03:00 in Berlin), with her RSVP.
        assert "Reading club" in body
        assert "Friday, December 11 · 03:00" in body
        assert format_when(week["reading"].starts_at, week["reading"].ends_at, zone=BERLIN) in body
        assert other_styles(visible_text(body)) == []  # no other way of writing a time
        assert "Movie night" in body
        assert "You have not answered yet." in body
        # New posts only: not the old one, the draft or the scheduled one.
        assert "Strike fund news" in body
        assert "About Strike fund news." in body
        assert "An old post" not in body
        assert "A draft" not in body
        assert "Scheduled for later" not in body
        # Topics waiting for support: not hers, not those she supports.
        assert "Reading Mutual Aid" in body
        assert "A topic Dana supports" not in body
        # Her own topic, gathered: the news she would otherwise get by email.
        assert ("Dana&#x27;s own topic" if body is html else "Dana's own topic") in body
        assert "is on the agenda of Reading club (20 min)" in body
    assert "Your answer: Going" in message.body
    assert "Your answer: <strong>Going</strong>" in html
    assert f"https://testserver/meetings/{week['reading'].pk}/" in message.body
    # The footer names the site's root (SITE_URL, in every email's context).
    assert "W.O.R.K. Solidarity Club · https://testserver/\n" in message.body
    # Its own kind of email: one click stops the digest.
    assert "/emails/stop/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "you asked for weekly digests by email" in message.body
    # The sections come in a fixed order.
    assert message.body.index("The next meetings") < message.body.index("New on the blog")
    assert message.body.index("New on the blog") < message.body.index("Topics waiting for support")


def test_never_twice_for_a_member_and_week(week):
    with travel(MONDAY):
        digest.send_due_digests()
        digest.send_due_digests()
    for later in (timedelta(hours=5), timedelta(days=2), timedelta(days=6, hours=22)):
        with travel(MONDAY + later):
            assert digest.send_due_digests().queued == 0
    assert len(digests_to("dana@example.org")) == 1
    # The next Monday brings the next one, with what is new since.
    with travel(MONDAY + timedelta(days=7)):
        make_post("Next week's post", MONDAY + timedelta(days=6))
        assert digest.send_due_digests().queued == 1
    first, second = digests_to("dana@example.org")
    assert "Next week's post" in second.body
    assert "Strike fund news" not in second.body
    assert list(DigestSent.objects.values_list("week", flat=True).order_by("week")) == [
        MONDAY.date(),
        MONDAY.date() + timedelta(days=7),
    ]


def test_nothing_before_monday_morning_in_the_members_zone(week):
    with travel(datetime(2026, 12, 7, 7, 59, tzinfo=BERLIN)):
        assert digest.send_due_digests().queued == 0
    with travel(datetime(2026, 12, 7, 8, 0, tzinfo=BERLIN)):
        assert digest.send_due_digests().queued == 1


def test_each_member_gets_it_on_their_own_monday_morning(week):
    tokyo = make_reader("taro@example.org", time_zone="Asia/Tokyo")
    club_zone = make_reader("carla@example.org", time_zone="")  # the club's zone: Los Angeles
    # Sunday 23:30 UTC is Monday 08:30 in Tokyo, still Sunday in Berlin and Los Angeles.
    with travel(datetime(2026, 12, 6, 23, 30, tzinfo=ZoneInfo("UTC"))):
        digest.send_due_digests()
    assert [m.to for m in mail.outbox] == [[tokyo.email]]
    with travel(datetime(2026, 12, 7, 16, 30, tzinfo=ZoneInfo("UTC"))):  # 08:30 in Los Angeles
        digest.send_due_digests()
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        ["taro@example.org", "dana@example.org", club_zone.email]
    )
    # Times in the club's zone, the one way.
    assert "Thursday, December 10 · 18:00" in digests_to(club_zone.email)[0].body


def test_it_catches_up_after_downtime_but_not_a_week_late(week):
    # The scheduler was down from Monday morning to Wednesday afternoon.
    with travel(MONDAY + timedelta(days=2, hours=6)):
        assert digest.send_due_digests().queued == 1
    assert DigestSent.objects.get().week == MONDAY.date()
    other = make_reader("late@example.org")
    # Past the catch-up window, a member who never got this week's waits for the next Monday.
    with travel(datetime(2026, 12, 10, 8, 1, tzinfo=BERLIN)):
        assert digest.send_due_digests().queued == 0
    with travel(MONDAY + timedelta(days=7)):
        assert digest.send_due_digests().queued == 2
    assert len(digests_to(other.email)) == 1


def test_only_members_in_good_standing_who_chose_it(week):
    make_reader("onbreak@example.org", break_since=timezone.now())
    gone = make_reader("gone@example.org")
    leave(gone)
    create_member("plain@example.org", password=PASSWORD)  # did not choose it
    with travel(MONDAY):
        digest.send_due_digests()
    assert [m.to for m in mail.outbox] == [["dana@example.org"]]


def test_nothing_to_tell_sends_nothing_and_waits_for_next_week(db):
    make_reader()
    with travel(MONDAY):
        result = digest.send_due_digests()
    assert (result.queued, result.nothing_to_tell) == (0, 1)
    assert mail.outbox == []
    assert DigestSent.objects.get().emailed is False
    with travel(MONDAY + timedelta(hours=1)):
        assert digest.send_due_digests().nothing_to_tell == 0  # the week is settled


def test_a_failing_section_leaves_the_others(week):
    def broken(**kwargs):
        raise RuntimeError("this app is broken")

    collect_digest_sections.connect(broken, dispatch_uid="test_broken_section")
    try:
        with travel(MONDAY):
            digest.send_due_digests()
    finally:
        collect_digest_sections.disconnect(dispatch_uid="test_broken_section")
    [message] = digests_to("dana@example.org")
    assert "Strike fund news" in message.body


def test_a_digest_reader_gets_no_separate_announcement_or_topic_email(
    week, organizer, django_capture_on_commit_callbacks
):
    from blog.announcements import send_announcement

    plain = create_member("plain@example.org", password=PASSWORD)
    post = Post.objects.get(title="Strike fund news")
    with travel(MONDAY):
        send_announcement(post)
    # Everyone in good standing who wants announcements, except the digest reader.
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [plain.email, organizer.email, "omar@example.org"]
    )
    mail.outbox.clear()
    topic = backlog.propose(Topic(title="Another of Dana's", description="Mine too."), week["dana"])
    omars = backlog.propose(Topic(title="One of Omar's", description="His."), Topic.objects.first().proposer)
    with django_capture_on_commit_callbacks(execute=True):
        picks = [backlog.Pick(topic.pk, 10), backlog.Pick(omars.pk, 10)]
        backlog.gather(week["movie"], picks, organizer, notify=True)
    assert [m.to for m in mail.outbox] == [["omar@example.org"]]


def test_one_click_stops_the_digest_and_separate_emails_come_back(week, client):
    from members import email_kinds

    dana = week["dana"]
    assert not email_kinds.gets_separately(dana, "announcements")
    path = email_kinds.stop_url(dana, "digest").split("testserver")[-1].split("club.example.org")[-1]
    path = path[path.index("/emails/") :]
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    dana.refresh_from_db()
    assert not dana.wants_weekly_digest
    assert email_kinds.gets_separately(dana, "announcements")


def test_the_settings_page_offers_the_digest(member_client, member):
    page = member_client.get("/members/settings/").content.decode()
    assert "One weekly email instead of separate announcement and topic emails" in page
    response = member_client.post(
        "/members/settings/",
        {
            "display_name": "Alice",
            "time_zone": "",
            "wants_announcements": "on",
            "wants_meeting_reminders": "on",
            "wants_weekly_digest": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.wants_weekly_digest


def test_the_command_says_what_it_did(week):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    with travel(MONDAY):
        call_command("send_weekly_digests", stdout=out)
    assert "Queued 1 weekly digest(s)" in out.getvalue()


def test_queries_do_not_grow_with_the_clubs_content(week, django_assert_max_num_queries):
    with travel(MONDAY - timedelta(days=1)):
        for n in range(20):
            make_post(f"Post {n}", MONDAY - timedelta(days=1))
            backlog.propose(
                Topic(title=f"Topic {n}", description="More."), create_member(f"p{n}@example.org")
            )
            make_meeting(MONDAY + timedelta(days=1, hours=n), title=f"Meeting {n}")
    with travel(MONDAY), django_assert_max_num_queries(20):
        digest.send_due_digests()
    [message] = digests_to("dana@example.org")
    assert "…and 16 more" in message.body  # posts: 5 shown of 21


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_digest(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    from mailer.models import Message

    with travel(MONDAY - timedelta(days=1)):
        make_reader()
        make_post("Strike fund news", MONDAY - timedelta(days=1), summary="About Strike fund news.")
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            with travel(MONDAY):
                digest.send_due_digests()
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert DigestSent.objects.count() == 1
    assert Message.objects.count() == 1


def test_open_decisions_and_returned_topics_are_in_the_digest_not_in_separate_emails(
    week, organizer, django_capture_on_commit_callbacks
):
    from tests.factories import make_decision
    from topics import decisions

    dana = week["dana"]
    with travel(MONDAY - timedelta(days=1)):
        voted = make_decision(organizer, "Shall we meet twice a month?")
        waiting = make_decision(organizer, "Which book next?", closes_at=MONDAY + timedelta(days=3))
        decisions.cast(voted, dana, {"answer": "agree"})
        mine = Topic.objects.get(title="Dana's own topic")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            backlog.return_all_gathered(week["reading"], backlog.CANCELLED, notify=True)
    mine.refresh_from_db()
    assert mine.status == "open"
    assert digests_to(dana.email) == []  # the returned topic's news waits for the digest
    with travel(MONDAY):
        digest.send_due_digests()
    [message] = digests_to(dana.email)
    for body in (message.body, html_body(message)):
        assert "Decisions open for your vote" in body
        assert "Which book next?" in body
        assert "Shall we meet twice a month?" not in body  # she has voted in it
        assert other_styles(visible_text(body)) == []
        assert "Your topics back in the backlog" in body
        assert "back in the backlog with its supports" in body
    assert f"/decisions/{waiting.pk}/" in message.body
