"""Two facilitators pressing "next" at the same moment (PostgreSQL: real row locks)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from meetings import live
from meetings.models import LiveMeeting
from tests.factories import ensure_standard_template, make_meeting

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks and concurrent connections"
    ),
    pytest.mark.django_db(transaction=True),
]


def press_at_once(meeting, verb, presses=2):
    row = LiveMeeting.objects.filter(pk=meeting.pk).first()
    step = row.step if row else 0
    barrier = threading.Barrier(presses)
    outcomes = []

    def press():
        try:
            barrier.wait(timeout=10)
            verb(meeting, step=step)
            outcomes.append("moved")
        except live.LiveError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(presses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_nexts_at_once_move_one_step():
    ensure_standard_template()
    meeting = make_meeting(timezone.now() + timedelta(minutes=5))
    live.start(meeting)
    assert press_at_once(meeting, live.next_item) == ["moved", "refused"]
    assert live.clock_for(LiveMeeting.objects.get(pk=meeting.pk)).current.title == "Meeting"
    # And again from there, with three people pressing.
    assert press_at_once(meeting, live.next_item, presses=3) == ["moved", "refused", "refused"]
    assert live.clock_for(LiveMeeting.objects.get(pk=meeting.pk)).current.title == "Process, check-out"


def test_two_starts_at_once_start_once():
    ensure_standard_template()
    meeting = make_meeting(timezone.now() + timedelta(minutes=5))
    assert press_at_once(meeting, live.start) == ["moved", "refused"]
    assert LiveMeeting.objects.get(pk=meeting.pk).items.count() == 3


def test_changes_from_many_people_at_once_lose_no_version():
    ensure_standard_template()
    meeting = make_meeting(timezone.now() + timedelta(minutes=5))
    barrier = threading.Barrier(4)

    def bump():
        try:
            barrier.wait(timeout=10)
            live.changed(meeting)
        finally:
            connection.close()

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert LiveMeeting.objects.get(pk=meeting.pk).version == 4
