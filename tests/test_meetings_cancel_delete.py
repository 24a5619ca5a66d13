"""Issue 11, points 4 and 5: deleting is never a silent cancel, and a cancelled (or finished)
meeting never strands the topics gathered into it."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings.models import RSVP, Meeting
from members.accounts import create_member, leave
from tests.conftest import PASSWORD
from tests.factories import admin_change_data, make_meeting
from topics import backlog
from topics.backlog import Pick
from topics.models import Topic, TopicEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(member):
    starts = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    meeting = make_meeting(starts, title="Movie night")
    RSVP.objects.create(meeting=meeting, user=member, answer="going")
    return meeting


def delete_url(meeting):
    return reverse("admin:meetings_meeting_delete", args=[meeting.pk])


def cancel_url(meeting):
    return reverse("admin:meetings_meeting_cancel", args=[meeting.pk])


# --- point 4: deleting ----------------------------------------------------------------------


def test_the_model_refuses_to_delete_an_upcoming_meeting_with_rsvps(upcoming):
    with pytest.raises(ValidationError, match="Cancel it first"):
        upcoming.delete()
    assert Meeting.objects.filter(pk=upcoming.pk).exists()
    upcoming.cancel("Nobody can host")
    upcoming.delete()
    assert not Meeting.objects.filter(pk=upcoming.pk).exists()


def test_the_admin_delete_page_says_why_and_links_the_cancel_page(organizer_client, upcoming):
    response = organizer_client.get(delete_url(upcoming))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cancel it first" in html
    assert "1 member said they are going or might come." in html
    assert cancel_url(upcoming) in html
    # Posting the delete form anyway deletes nothing.
    response = organizer_client.post(delete_url(upcoming), {"post": "yes"})
    assert response.status_code == 200
    assert Meeting.objects.filter(pk=upcoming.pk).exists()


def test_the_bulk_delete_action_refuses_too(organizer_client, upcoming):
    free = make_meeting(timezone.now() + timedelta(days=5), title="Nobody answered")
    url = reverse("admin:meetings_meeting_changelist")
    response = organizer_client.post(
        url,
        {"action": "delete_selected", "_selected_action": [upcoming.pk, free.pk], "post": "yes"},
        follow=True,
    )
    assert "Nothing was deleted" in response.content.decode()
    assert Meeting.objects.count() == 2
    response = organizer_client.post(
        url, {"action": "delete_selected", "_selected_action": [free.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=free.pk).exists()


def test_meetings_without_answers_cancelled_or_over_are_deleted_as_before(organizer_client, member):
    past = make_meeting(timezone.now() - timedelta(days=3), title="Over")
    RSVP.objects.create(meeting=past, user=member, answer="going")
    for meeting in [past, make_meeting(timezone.now() + timedelta(days=3), title="Quiet")]:
        response = organizer_client.post(delete_url(meeting), {"post": "yes"})
        assert response.status_code == 302
        assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_cancelling_from_the_admin_page_tells_members_and_calendars(organizer_client, upcoming, client):
    page = organizer_client.get(cancel_url(upcoming))
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    assert organizer_client.post(cancel_url(upcoming), {"reason": ""}).status_code == 200
    response = organizer_client.post(cancel_url(upcoming), {"reason": "The projector broke"})
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.is_cancelled
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    feed = organizer_client.get(reverse("meetings:feed")).content.decode()
    assert "STATUS:CANCELLED" in feed
    # Now it may be deleted.
    assert organizer_client.post(delete_url(upcoming), {"post": "yes"}).status_code == 302
    # A second cancel changes nothing and says so.
    other = make_meeting(timezone.now() + timedelta(days=9))
    other.cancel("x")
    response = organizer_client.post(cancel_url(other), {"reason": "again"}, follow=True)
    assert "already cancelled" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 302), ("member_on_break", 302), ("left_member", 302), ("organizer", 200)],
)
def test_the_cancel_page_permission_matrix(client, upcoming, role, status):
    if role != "visitor":
        user = {
            "member": lambda: create_member("m@example.org", password=PASSWORD),
            "member_on_break": lambda: create_member("b@example.org", break_since=timezone.now()),
            "left_member": lambda: leave(create_member("l@example.org", is_staff=True)) or None,
            "organizer": lambda: create_member("o@example.org", is_staff=True),
        }[role]()
        if user is None:
            from members.models import User

            user = User.objects.get(email__startswith="l")
        client.force_login(user)
    assert client.get(cancel_url(upcoming)).status_code == status
    client.post(cancel_url(upcoming), {"reason": "x"})
    upcoming.refresh_from_db()
    assert upcoming.is_cancelled is (role == "organizer")


def test_cancelling_through_the_change_form_goes_through_the_verb(organizer_client, upcoming):
    data = admin_change_data(upcoming, status="cancelled", cancellation_reason="Snow")
    response = organizer_client.post(reverse("admin:meetings_meeting_change", args=[upcoming.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    upcoming.refresh_from_db()
    assert upcoming.is_cancelled
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "you said you were going" in mail.outbox[0].body


# --- point 5: topics are never stranded ---------------------------------------------------------


@pytest.fixture
def carol(db):
    return create_member("carol@example.org", password=PASSWORD, display_name="Carol")


@pytest.fixture
def gathered(upcoming, organizer, carol, member):
    topic = backlog.propose(Topic(title="Mutual aid", description="Let us read it."), carol)
    backlog.add_support(topic, member)
    backlog.add_support(topic, carol)
    discussed = backlog.propose(Topic(title="Already talked", description="x"), carol)
    backlog.gather(upcoming, [Pick(topic.pk, 30), Pick(discussed.pk, 10)], organizer, notify=False)
    return topic


def test_cancelling_returns_gathered_topics_with_supports_and_tells_proposers(
    organizer_client, upcoming, gathered
):
    mail.outbox.clear()
    response = organizer_client.post(cancel_url(upcoming), {"reason": "Snow"})
    assert response.status_code == 302
    gathered.refresh_from_db()
    assert gathered.status == "open"
    assert gathered.meeting is None
    assert gathered.support_count == 2
    assert gathered in Topic.objects.backlog()
    event = gathered.events.last()
    assert (event.kind, event.meeting_id) == ("returned", upcoming.pk)
    to_carol = [m for m in mail.outbox if m.to == ["carol@example.org"]]
    assert len(to_carol) == 2  # one per topic
    text, html = to_carol[0].body, to_carol[0].alternatives[0][0]
    for body in (text, html):
        assert "is cancelled" in body
        assert "back in the backlog with all its supports" in body
    assert "back in the backlog" in to_carol[0].subject


def test_topics_left_gathered_after_a_meeting_return_with_the_scheduler(client, organizer, carol):
    meeting = make_meeting(timezone.now() + timedelta(days=1), title="Reading club")
    topic = backlog.propose(Topic(title="Left over", description="x"), carol)
    done = backlog.propose(Topic(title="Talked about", description="x"), carol)
    backlog.gather(meeting, [Pick(topic.pk, 30), Pick(done.pk, 10)], organizer, notify=False)
    backlog.mark_discussed(done, organizer, "")
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(organizer)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "not marked discussed: it returns to the backlog by itself" in html
    out = io.StringIO()
    call_command("return_stranded_topics", stdout=out)
    assert "Returned 1 topic(s)" in out.getvalue()
    topic.refresh_from_db()
    done.refresh_from_db()
    assert (topic.status, topic.meeting_id) == ("open", None)
    assert done.status == "discussed"
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]
    assert "not marked discussed there" in mail.outbox[0].body
    # The organizer sees on the meeting's page what went back.
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Back in the backlog from this meeting:" in html
    assert "Left over" in html
    # Members do not see the organizers' list.
    client.force_login(carol)
    assert (
        "Back in the backlog from this meeting:"
        not in client.get(meeting.get_absolute_url()).content.decode()
    )
    # Idempotent.
    call_command("return_stranded_topics", stdout=io.StringIO())
    assert TopicEvent.objects.filter(kind="returned").count() == 1


def test_a_meeting_still_running_keeps_its_topics(organizer, carol):
    meeting = make_meeting(timezone.now() - timedelta(minutes=10), title="Now")
    topic = backlog.propose(Topic(title="In progress", description="x"), carol)
    backlog.gather(meeting, [Pick(topic.pk, 30)], organizer, notify=False)
    assert backlog.return_stranded() == []
    topic.refresh_from_db()
    assert topic.status == "gathered"


# --- point 10: gathering is precise -------------------------------------------------------------------


def test_returning_twice_answers_with_a_message(organizer_client, gathered):
    url = reverse("topics:return", args=[gathered.pk])
    assert organizer_client.post(url).status_code == 302
    response = organizer_client.post(url, follow=True)
    assert response.status_code == 200
    assert "is already back in the backlog" in response.content.decode()


def test_the_facilitator_returning_twice_gets_a_message_too(client, upcoming, carol, organizer):
    fran = create_member("fran@example.org", password=PASSWORD)
    upcoming.facilitator = fran
    upcoming.save()
    topic = backlog.propose(Topic(title="Twice", description="x"), carol)
    backlog.gather(upcoming, [Pick(topic.pk, 30)], organizer, notify=False)
    client.force_login(fran)
    url = reverse("topics:return", args=[topic.pk])
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert "is already back in the backlog" in response.content.decode()
    # Someone who never ran that agenda is still refused.
    client.force_login(carol)
    assert client.post(url).status_code == 403


def test_gathering_a_taken_topic_names_the_meeting(organizer, carol, upcoming):
    topic = backlog.propose(Topic(title="Taken", description="x"), carol)
    backlog.gather(upcoming, [Pick(topic.pk, 30)], organizer, notify=False)
    other = make_meeting(timezone.now() + timedelta(days=9), title="Reading club")
    with pytest.raises(backlog.BacklogError) as error:
        backlog.gather(other, [Pick(topic.pk, 30)], organizer)
    assert "“Movie night”" in str(error.value)
    assert "None" not in str(error.value)
