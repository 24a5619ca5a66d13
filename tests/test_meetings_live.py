"""The live meeting: the state machine and its clock, the page, its updates and the controls."""

from datetime import timedelta

import pytest
import time_machine
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from meetings import live
from meetings.models import LiveItem, LiveMeeting
from members.accounts import create_member
from tests.conftest import PASSWORD, seed_demo
from tests.factories import make_meeting

JSON = {"HTTP_ACCEPT": "application/json"}


class FrozenClock:
    """timezone.now() stands still until the test moves it."""

    def __init__(self, monkeypatch, start):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    return FrozenClock(monkeypatch, timezone.now().replace(microsecond=0))


@pytest.fixture
def meeting(db, clock):
    """A meeting with the standard 20/60/15 agenda, starting in ten minutes."""
    return make_meeting(clock.now + timedelta(minutes=10), title="Chit chat")


@pytest.fixture
def fran(db):
    return create_member("fran@example.org", password=PASSWORD, display_name="Fran")


def state(meeting):
    return LiveMeeting.objects.get(pk=meeting.pk)


def snapshot(meeting):
    live_row = state(meeting)
    return live.clock_for(live_row)


# --- The state machine and its clock --------------------------------------------------


def test_before_the_start_the_plan_is_the_agenda(meeting):
    waiting = live.clock_for(live.live_of(meeting))
    assert waiting.current is None
    assert waiting.next_item.title == "Intro, check-in and welcome"
    assert [row["state"] for row in waiting.rows()] == ["ahead", "ahead", "ahead"]
    assert waiting.meeting_left() == 95 * 60
    assert waiting.is_before_main_block


def test_it_starts_on_the_first_item_with_its_whole_budget(meeting, clock):
    live.start(meeting)
    now = snapshot(meeting)
    assert now.live.phase == "running"
    assert now.current.title == "Intro, check-in and welcome"
    assert now.item_left() == 20 * 60
    assert now.meeting_left() == 95 * 60
    assert now.next_item.title == "Meeting"
    clock.advance(minutes=3, seconds=30)
    now = snapshot(meeting)
    assert now.item_left() == 16 * 60 + 30
    assert now.meeting_left() == 91 * 60 + 30


def test_next_and_previous_keep_the_time_spent_in_each_item(meeting, clock):
    live.start(meeting)
    clock.advance(minutes=27)  # check-in ran long
    live.next_item(meeting)
    now = snapshot(meeting)
    assert now.current.title == "Meeting"
    assert now.item_left() == 60 * 60
    assert now.meeting_left() == (95 - 27) * 60
    clock.advance(minutes=10)
    live.previous_item(meeting)
    now = snapshot(meeting)
    assert now.current.title == "Intro, check-in and welcome"
    assert now.item_left() == -7 * 60  # 27 minutes already spent of 20
    clock.advance(minutes=1)
    live.next_item(meeting)
    now = snapshot(meeting)
    assert now.item_left() == 50 * 60
    assert [item.actual_seconds for item in now.items] == [28 * 60, 10 * 60, 0]


def test_a_pause_stops_both_clocks(meeting, clock):
    live.start(meeting)
    clock.advance(minutes=5)
    live.pause(meeting)
    clock.advance(minutes=12)
    now = snapshot(meeting)
    assert now.live.phase == "paused"
    assert now.item_left() == 15 * 60
    assert now.meeting_left() == 90 * 60
    live.resume(meeting)
    clock.advance(minutes=1)
    assert snapshot(meeting).item_left() == 14 * 60
    # A pause in an earlier visit does not count against the next item.
    live.next_item(meeting)
    clock.advance(seconds=30)
    assert snapshot(meeting).item_left() == 60 * 60 - 30


def test_extending_adds_five_minutes_to_the_item_and_the_meeting(meeting, clock):
    live.start(meeting)
    clock.advance(minutes=19)
    live.extend(meeting)
    now = snapshot(meeting)
    assert now.item_left() == 6 * 60
    assert now.meeting_left() == (95 + 5 - 19) * 60
    assert now.current.extra_minutes == 5


def test_an_item_gets_at_most_two_hours_extra(meeting, clock):
    live.start(meeting)
    for _ in range(LiveItem.MAX_EXTRA_MINUTES // live.EXTEND_MINUTES):
        live.extend(meeting)
    with pytest.raises(live.LiveError):
        live.extend(meeting)
    assert snapshot(meeting).current.extra_minutes == LiveItem.MAX_EXTRA_MINUTES


def test_overrun_counts_for_the_item_and_the_meeting(meeting, clock):
    live.start(meeting)
    clock.advance(minutes=24)
    assert snapshot(meeting).item_left() == -4 * 60
    live.next_item(meeting)
    clock.advance(minutes=60)
    live.next_item(meeting)
    clock.advance(minutes=16)
    now = snapshot(meeting)
    assert now.item_left() == -60
    assert now.meeting_left() == -5 * 60


def test_closing_keeps_the_pacing_record(meeting, clock):
    live.start(meeting)
    clock.advance(minutes=27)
    live.next_item(meeting)
    clock.advance(minutes=55)
    live.extend(meeting)
    live.next_item(meeting)
    clock.advance(minutes=15, seconds=40)
    live.close(meeting)
    row = state(meeting)
    assert row.phase == "closed"
    assert row.closed_at == clock.now
    record = [
        (item.title, item.actual_minutes, item.planned_minutes, item.extra_minutes)
        for item in live.pacing(meeting)
    ]
    assert record == [
        ("Intro, check-in and welcome", 27, 20, 0),
        ("Meeting", 55, 60, 5),
        ("Process, check-out", 16, 15, 0),
    ]
    assert "Intro, check-in and welcome: 27 of 20 minutes" in live.pacing_markdown(live.pacing(meeting))
    with pytest.raises(live.LiveError):
        live.next_item(meeting)


@pytest.mark.parametrize(
    ("verb", "message"),
    [
        (live.next_item, "Start the meeting first"),
        (live.previous_item, "Start the meeting first"),
        (live.pause, "not running"),
        (live.resume, "not paused"),
        (live.extend, "Start the meeting first"),
    ],
)
def test_moves_before_the_start_are_refused(meeting, verb, message):
    with pytest.raises(live.LiveError, match=message):
        verb(meeting)


def test_the_edges_of_the_agenda_are_refused(meeting, clock):
    live.start(meeting)
    with pytest.raises(live.LiveError, match="first item"):
        live.previous_item(meeting)
    live.next_item(meeting)
    live.next_item(meeting)
    with pytest.raises(live.LiveError, match="last item"):
        live.next_item(meeting)
    with pytest.raises(live.LiveError, match="already started"):
        live.start(meeting)


def test_a_move_made_from_an_old_step_changes_nothing(meeting, clock):
    live.start(meeting)
    seen = state(meeting).step
    live.next_item(meeting, step=seen)
    with pytest.raises(live.LiveError, match="Someone else"):
        live.next_item(meeting, step=seen)
    assert snapshot(meeting).current.title == "Meeting"


def test_a_cancelled_meeting_cannot_be_run(meeting):
    meeting.status = meeting.Status.CANCELLED
    meeting.save()
    with pytest.raises(live.LiveError, match="cancelled"):
        live.start(meeting)


def test_every_change_raises_the_version_followers_poll(meeting, clock):
    versions = []
    for verb in (live.start, live.pause, live.resume, live.extend, live.next_item, live.close):
        verb(meeting)
        versions.append(state(meeting).version)
    assert versions == sorted(set(versions))
    live.changed(meeting)
    assert state(meeting).version == versions[-1] + 1


# --- Permission matrix --------------------------------------------------------------


@pytest.fixture
def left_member(db):
    user = create_member("lee@example.org", password=PASSWORD, display_name="Lee")
    user.is_active = False
    user.left_at = timezone.now()
    user.save()
    return user


def signed_in(client, request, role):
    if role != "visitor":
        client.force_login(request.getfixturevalue(role))
    return client


ROLES = ["visitor", "member", "member_on_break", "left_member", "organizer"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 200), ("member_on_break", 403), ("left_member", 302), ("organizer", 200)],
)
def test_live_page_matrix(client, request, meeting, role, status):
    response = signed_in(client, request, role).get(reverse("meetings:live", args=[meeting.pk]))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))
    if status == 200:
        assert "Live: Chit chat" in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 403), ("member", 200), ("member_on_break", 403), ("left_member", 403), ("organizer", 200)],
)
def test_live_state_matrix(client, request, meeting, role, status):
    response = signed_in(client, request, role).get(reverse("meetings:live-state", args=[meeting.pk]), **JSON)
    assert response.status_code == status
    if status == 200:
        assert response.json()["phase"] == "waiting"
    else:
        assert response.json()["reload"] is True


@pytest.mark.parametrize(
    ("role", "status", "started"),
    [
        ("visitor", 302, False),
        ("member", 403, False),
        ("member_on_break", 403, False),
        ("left_member", 302, False),
        ("organizer", 302, True),
    ],
)
def test_live_control_matrix(client, request, meeting, role, status, started):
    url = reverse("meetings:live-control", args=[meeting.pk, "start"])
    response = signed_in(client, request, role).post(url, {"step": "0"})
    assert response.status_code == status
    assert LiveMeeting.objects.filter(pk=meeting.pk, phase="running").exists() is started


# Each control from where it applies: the meeting started, and for "previous" and "resume"
# one step further (the second item, a pause).
READY_FOR = {
    "next": [],
    "previous": [live.next_item],
    "pause": [],
    "resume": [live.pause],
    "extend": [],
    "close": [],
}


def row_of(meeting):
    return LiveMeeting.objects.filter(pk=meeting.pk).values().get()


@pytest.mark.parametrize("action", sorted(READY_FOR))
@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 403), ("member_on_break", 403), ("left_member", 302), ("fran", 302)],
)
def test_every_control_is_refused_to_all_but_who_runs_the_meeting(
    client, request, meeting, clock, role, status, action
):
    assert set(READY_FOR) == set(live.ACTIONS) - {"start"}
    meeting.facilitator = request.getfixturevalue("fran") if role == "fran" else None
    meeting.save()
    live.start(meeting)
    clock.advance(minutes=1)
    for verb in READY_FOR[action]:
        verb(meeting)
    before = row_of(meeting)
    url = reverse("meetings:live-control", args=[meeting.pk, action])
    response = signed_in(client, request, role).post(url, {"step": str(before["step"])})
    assert response.status_code == status
    after = row_of(meeting)
    if role == "fran":  # the meeting's facilitator: the control took
        assert after["step"] == before["step"] + 1
        assert after["version"] > before["version"]
    else:
        assert after == before


def test_the_meetings_facilitator_runs_it_but_not_on_a_break(client, meeting, fran):
    meeting.facilitator = fran
    meeting.save()
    client.force_login(fran)
    url = reverse("meetings:live-control", args=[meeting.pk, "start"])
    assert client.post(url, {"step": "0"}).status_code == 302
    assert state(meeting).phase == "running"
    fran.break_since = timezone.now()
    fran.save()
    response = client.post(reverse("meetings:live-control", args=[meeting.pk, "pause"]), {"step": "1"})
    assert response.status_code == 403
    assert state(meeting).phase == "running"


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_controls_answer_post_only(organizer_client, meeting, method):
    url = reverse("meetings:live-control", args=[meeting.pk, "next"])
    assert getattr(organizer_client, method)(url).status_code == 405


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_page_and_state_answer_get_only(member_client, meeting, method):
    for name in ("meetings:live", "meetings:live-state"):
        assert getattr(member_client, method)(reverse(name, args=[meeting.pk])).status_code == 405


def test_unknown_meeting_or_control_is_404(organizer_client, meeting):
    assert organizer_client.get(reverse("meetings:live", args=[2147483647])).status_code == 404
    assert organizer_client.get(reverse("meetings:live-state", args=[2147483647])).status_code == 404
    url = reverse("meetings:live-control", args=[meeting.pk, "explode"])
    assert organizer_client.post(url, {"step": "0"}).status_code == 404
    url = reverse("meetings:live-control", args=[2147483647, "next"])
    assert organizer_client.post(url, {"step": "0"}).status_code == 404


@pytest.mark.parametrize("step", ["", "x", "²", "-1", "1" * 30, "1\x00"])
def test_a_bad_step_is_a_bad_request(organizer_client, meeting, step):
    url = reverse("meetings:live-control", args=[meeting.pk, "start"])
    assert organizer_client.post(url, {"step": step}).status_code == 400
    assert not LiveMeeting.objects.filter(pk=meeting.pk, phase="running").exists()


# --- When the page is open ------------------------------------------------------------


def test_it_opens_with_the_video_link_and_not_before(member_client, meeting, clock):
    meeting.starts_at = clock.now + timedelta(hours=2)
    meeting.link_visible_minutes_before = 60
    meeting.save()
    url = reverse("meetings:live", args=[meeting.pk])
    response = member_client.get(url)
    assert "The live page opens on" in response.content.decode()
    assert 'id="live"' not in response.content.decode()
    clock.advance(hours=1)
    assert 'id="live"' in member_client.get(url).content.decode()


def test_without_a_reveal_window_it_opens_half_an_hour_before(member_client, meeting, clock):
    meeting.starts_at = clock.now + timedelta(minutes=31)
    meeting.save()
    url = reverse("meetings:live", args=[meeting.pk])
    assert "opens on" in member_client.get(url).content.decode()
    clock.advance(minutes=1)
    assert 'id="live"' in member_client.get(url).content.decode()


def test_a_cancelled_meeting_has_no_live_page(member_client, meeting):
    meeting.status = meeting.Status.CANCELLED
    meeting.save()
    response = member_client.get(reverse("meetings:live", args=[meeting.pk]))
    assert "cancelled, so it has no live page" in response.content.decode()


def test_a_closed_meeting_sends_followers_to_its_pacing_record(member_client, meeting, clock):
    live.start(meeting)
    clock.advance(minutes=22)
    live.close(meeting)
    response = member_client.get(reverse("meetings:live", args=[meeting.pk]), follow=True)
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "Intro, check-in and welcome: 22 of 20 minutes" in response.content.decode()


def test_a_meeting_never_started_is_over_when_its_time_has_passed(member_client, meeting, clock):
    clock.advance(hours=3)
    response = member_client.get(reverse("meetings:live", args=[meeting.pk]))
    assert "it was not run live" in response.content.decode()


def test_a_running_meeting_stays_open_past_its_scheduled_end(member_client, meeting, clock):
    live.start(meeting)
    clock.advance(hours=3)
    response = member_client.get(reverse("meetings:live", args=[meeting.pk]))
    assert "min over" in response.content.decode()


# --- The page without JavaScript --------------------------------------------------------


def test_the_page_shows_the_state_at_load(member_client, meeting, clock):
    live.start(meeting)
    clock.advance(minutes=18, seconds=30)
    page = member_client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert "Intro, check-in and welcome" in page
    assert "1:30 left" in page
    assert "2 minutes left" in page
    assert "Next: Meeting (60 min)" in page
    assert "Refresh" in page
    assert "Start the meeting" not in page  # controls are for the facilitator
    assert "<script>" not in page


def test_the_facilitator_runs_the_meeting_with_plain_forms(organizer_client, meeting, clock):
    url = reverse("meetings:live", args=[meeting.pk])
    page = organizer_client.get(url).content.decode()
    assert "Start the meeting" in page
    control = lambda action, step: reverse("meetings:live-control", args=[meeting.pk, action])  # noqa: E731
    response = organizer_client.post(control("start", 0), {"step": "0"})
    assert response["Location"] == url
    step = state(meeting).step
    organizer_client.post(control("next", step), {"step": str(step)})
    page = organizer_client.get(url).content.decode()
    assert "Meeting" in page
    assert "Next: Process, check-out (15 min)" in page
    # The same form sent again (a double submit) moves nothing.
    response = organizer_client.post(control("next", step), {"step": str(step)}, follow=True)
    assert "Someone else changed the meeting" in response.content.decode()
    assert snapshot(meeting).current.title == "Meeting"
    step = state(meeting).step
    response = organizer_client.post(control("close", step), {"step": str(step)}, follow=True)
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "The meeting is closed" in response.content.decode()


# --- The updates: conditional GET ----------------------------------------------------


def test_an_unchanged_state_is_a_304_without_the_session(client, member, meeting, django_assert_num_queries):
    client.force_login(member)
    url = reverse("meetings:live-state", args=[meeting.pk])
    first = client.get(url, **JSON)
    etag = first["ETag"]
    assert first.json()["etag"] == etag
    with django_assert_num_queries(0):  # the version was read a moment ago (live.VERSION_MEMO_SECONDS)
        again = client.get(url, HTTP_IF_NONE_MATCH=etag, **JSON)
    assert again.status_code == 304
    assert again["ETag"] == etag
    live.start(meeting)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag, **JSON)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["item"]["title"] == "Intro, check-in and welcome"


def test_a_change_made_in_another_process_shows_once_the_memo_has_passed(client, member, meeting):
    client.force_login(member)
    url = reverse("meetings:live-state", args=[meeting.pk])
    live.changed(meeting)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        etag = client.get(url, **JSON)["ETag"]
        # Another process moves the version: this one does not hear of it...
        LiveMeeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
        assert client.get(url, HTTP_IF_NONE_MATCH=etag, **JSON).status_code == 304
        # ...until its memory of the version is older than the bound.
        traveller.shift(live.VERSION_MEMO_SECONDS)
        changed = client.get(url, HTTP_IF_NONE_MATCH=etag, **JSON)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_an_edit_of_the_meeting_in_this_process_is_seen_at_once(client, member, meeting, clock):
    client.force_login(member)
    url = reverse("meetings:live-state", args=[meeting.pk])
    etag = client.get(url, **JSON)["ETag"]
    clock.advance(seconds=1)  # a later updated_at
    meeting.title = "Chit chat, renamed"
    meeting.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag, **JSON).status_code == 200


@pytest.mark.parametrize(
    "etag", ['"1.2.3"', "*", '"x.0.1.2.abc"', 'W/"a"', '"1.0.1.².aaaa"', "\x00", '"' + "9" * 400 + '"']
)
def test_a_forged_or_odd_etag_gets_the_full_answer(client, member, meeting, etag):
    client.force_login(member)
    response = client.get(reverse("meetings:live-state", args=[meeting.pk]), HTTP_IF_NONE_MATCH=etag, **JSON)
    assert response.status_code == 200


def test_an_etag_is_bound_to_its_meeting_and_version(client, member, meeting):
    client.force_login(member)
    url = reverse("meetings:live-state", args=[meeting.pk])
    etag = client.get(url, **JSON)["ETag"]
    other = make_meeting(meeting.starts_at, title="Other")
    other_url = reverse("meetings:live-state", args=[other.pk])
    assert client.get(other_url, HTTP_IF_NONE_MATCH=etag, **JSON).status_code == 200
    client.logout()
    # Someone who never had the page learns nothing from guessing: only 403s.
    assert client.get(url, HTTP_IF_NONE_MATCH='"guess"', **JSON).status_code == 403


def test_an_edit_of_the_meeting_changes_the_etag(client, member, meeting, clock):
    client.force_login(member)
    url = reverse("meetings:live-state", args=[meeting.pk])
    etag = client.get(url, **JSON)["ETag"]
    clock.advance(seconds=1)
    meeting.title = "Chit chat, renamed"
    meeting.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag, **JSON).status_code == 200


def test_a_control_answers_json_with_the_new_state(organizer_client, meeting):
    url = reverse("meetings:live-control", args=[meeting.pk, "start"])
    response = organizer_client.post(url, {"step": "0"}, **JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["phase"] == "running"
    assert body["error"] == ""
    assert "live-now" in body["regions"]
    again = organizer_client.post(url, {"step": "0"}, **JSON)
    assert again.status_code == 409
    assert "already started" in again.json()["error"]


# --- The pacing record on the meeting page ---------------------------------------------


def test_the_meeting_page_offers_the_record_as_notes_to_organizers(client, organizer, member, meeting, clock):
    live.start(meeting)
    clock.advance(minutes=27)
    live.next_item(meeting)
    clock.advance(minutes=3)
    live.close(meeting)
    client.force_login(member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Intro, check-in and welcome: 27 of 20 minutes" in page
    assert "Start the notes from this record" not in page
    url = reverse("meetings:pacing-to-notes", args=[meeting.pk])
    assert client.post(url).status_code == 403
    client.force_login(organizer)
    assert "Start the notes from this record" in client.get(meeting.get_absolute_url()).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("admin:meetings_meeting_change", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.notes.startswith("Pacing (planned and actual minutes):")
    assert "- Meeting: 3 of 60 minutes" in meeting.notes
    # Notes are never overwritten.
    meeting.notes = "Our own notes."
    meeting.save()
    client.post(url)
    meeting.refresh_from_db()
    assert meeting.notes == "Our own notes."


@pytest.mark.parametrize(
    ("role", "status"), [("visitor", 302), ("member", 403), ("member_on_break", 403), ("left_member", 302)]
)
def test_pacing_to_notes_matrix(client, request, meeting, role, status):
    response = signed_in(client, request, role).post(reverse("meetings:pacing-to-notes", args=[meeting.pk]))
    assert response.status_code == status


def test_the_meeting_page_links_the_live_page_while_it_is_open(client, member, member_on_break, meeting):
    client.force_login(member)
    assert "Follow the meeting live" in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(member_on_break)
    assert "Follow the meeting live" not in client.get(meeting.get_absolute_url()).content.decode()
    client.logout()
    assert "Follow the meeting live" not in client.get(meeting.get_absolute_url()).content.decode()


# --- The demo ----------------------------------------------------------------------------


def test_the_demo_has_a_meeting_to_try_live_at_once(client, db):
    from meetings.demo import LIVE_DEMO_TITLE
    from meetings.models import Meeting
    from members.demo import DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD

    seed_demo()
    meeting = Meeting.objects.get(title=LIVE_DEMO_TITLE)
    assert timezone.now() < meeting.starts_at <= timezone.now() + timedelta(hours=1)
    assert meeting.facilitator.email == DEMO_ORGANIZER_EMAIL
    client.login(email=DEMO_ORGANIZER_EMAIL, password=DEMO_PASSWORD)
    page = client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert "Start the meeting" in page
    assert "Open the dot-vote" in page
    seed_demo()
    assert Meeting.objects.filter(title=LIVE_DEMO_TITLE).count() == 1


def test_an_organizer_on_a_break_neither_follows_nor_runs_it(client, organizer, meeting):
    organizer.break_since = timezone.now()
    organizer.save()
    client.force_login(organizer)
    assert client.get(reverse("meetings:live", args=[meeting.pk])).status_code == 403
    url = reverse("meetings:live-control", args=[meeting.pk, "start"])
    assert client.post(url, {"step": "0"}).status_code == 403
    assert not LiveMeeting.objects.filter(pk=meeting.pk, phase="running").exists()


def test_an_agenda_edit_in_this_process_is_seen_at_once(meeting, clock):
    first = live.version_row(meeting.pk)
    clock.advance(seconds=1)
    item = meeting.agenda_items.first()
    item.minutes += 5
    item.save()  # Meeting.agenda_changed(): an update, not a save
    assert live.version_row(meeting.pk)[0] > first[0]
