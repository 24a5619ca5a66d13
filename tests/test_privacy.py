"""Members' privacy: bylines, the complete "download my data", erasing, private calendar tokens."""

import json
from pathlib import Path

import feedparser
import pytest
from django.core import mail
from django.urls import reverse
from mailer.models import RESULT_SUCCESS, Message, MessageLog

from meetings.models import RSVP
from members import access
from members.accounts import create_member, leave
from members.models import AccessRequest, User
from tests.conftest import PASSWORD
from tests.factories import make_meeting, make_post, make_topic
from topics import backlog
from topics.models import Support, TopicEvent

PROJECT = Path(__file__).resolve().parent.parent


# --- bylines ------------------------------------------------------------------------


@pytest.fixture
def nameless_organizer(db):
    # As `createsuperuser` makes one: an email address and nothing else.
    return User.objects.create_superuser("root-admin@example.org", PASSWORD)


def test_a_byline_never_shows_an_email_address(client, nameless_organizer):
    post = make_post("Reading club is back", author=nameless_organizer)
    for path in [post.get_absolute_url(), reverse("blog:list"), "/"]:
        html = client.get(path).content.decode()
        assert "root-admin" not in html, path
    assert "by the organizers" in client.get(post.get_absolute_url()).content.decode()


def test_a_byline_shows_an_organizers_display_name(client, organizer):
    post = make_post("Reading club is back", author=organizer)
    assert "by Olga" in client.get(post.get_absolute_url()).content.decode()


def test_every_feed_entry_has_an_author(client, nameless_organizer, organizer):
    make_post("By someone nameless", author=nameless_organizer)
    make_post("By Olga", author=organizer)
    make_post("By no one", author=None)
    body = client.get(reverse("blog:feed")).content
    assert b"root-admin" not in body
    feed = feedparser.parse(body)
    assert feed.feed.author == "W.O.R.K. Solidarity Club"
    authors = {entry.title: entry.author for entry in feed.entries}
    assert authors == {
        "By someone nameless": "the organizers",
        "By Olga": "Olga",
        "By no one": "the organizers",
    }


# --- download my data: every app, real rows -----------------------------------------


@pytest.fixture
def busy_organizer(organizer, member):
    """An organizer who did a bit of everything, beside rows of someone else."""
    meeting = make_meeting(title="Reading club: mutual aid", facilitator=organizer)
    make_meeting(title="Movie night", facilitator=member)
    own = make_topic(organizer, "Cooperatives", description="How do worker co-ops decide?")
    other = make_topic(member, "Unions", description="Alice's own words.")
    backlog.add_support(other, organizer)
    backlog.add_support(own, member)
    RSVP.objects.create(meeting=meeting, user=organizer, answer=RSVP.Answer.GOING)
    make_post("Our next season", author=organizer, body="We read *together*.")
    AccessRequest.objects.create(
        name="Olga",
        email=organizer.email,
        motivation="Why I came, in my words.",
        status="approved",
        member=organizer,
    )
    return organizer


def test_download_my_data_holds_what_every_app_keeps(client, busy_organizer):
    client.force_login(busy_organizer)
    data = json.loads(client.get(reverse("members:my-data")).content)
    assert data["profile"]["email"] == "olga@example.org"
    assert data["access_requests"][0]["what_draws_you_to_this_work"] == "Why I came, in my words."
    [topic] = data["topics_proposed"]
    assert topic["title"] == "Cooperatives"
    assert topic["description"] == "How do worker co-ops decide?"
    assert topic["support_count"] == 1
    assert data["topics_supported"] == [
        {"topic": "Unions", "supported_at": data["topics_supported"][0]["supported_at"]}
    ]
    assert {event["what"] for event in data["topic_history"]} == {"proposed"}
    assert [event["topic"] for event in data["topic_history"]] == ["Cooperatives"]
    [rsvp] = data["meeting_rsvps"]
    assert (rsvp["meeting"], rsvp["answer"]) == ("Reading club: mutual aid", "going")
    assert [m["meeting"] for m in data["meetings_facilitated"]] == ["Reading club: mutual aid"]
    [post] = data["posts_written"]
    assert post["title"] == "Our next season"
    assert post["body"] == "We read *together*."
    # Nothing of anyone else's.
    text = json.dumps(data)
    assert "Alice's own words." not in text
    assert "Movie night" not in text


def test_download_my_data_needs_a_bounded_number_of_queries(
    client, busy_organizer, django_assert_max_num_queries
):
    for number in range(30):
        topic = make_topic(busy_organizer, f"Topic {number}")
        RSVP.objects.create(
            meeting=make_meeting(title=f"Meeting {number}", facilitator=busy_organizer),
            user=busy_organizer,
            answer="maybe",
        )
        TopicEvent.objects.create(topic=topic, kind=TopicEvent.Kind.EDITED, actor=busy_organizer)
    client.force_login(busy_organizer)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("members:my-data")).status_code == 200


# --- erasing ------------------------------------------------------------------------


def queue_and_log(to, subject):
    from django.core.mail import EmailMessage
    from mailer.models import email_to_db

    message = Message.objects.create(message_data=email_to_db(EmailMessage(subject, "body", to=[to])))
    MessageLog.objects.log(message, RESULT_SUCCESS)
    return message


def test_erasing_removes_the_members_emails_from_the_mail_queue_and_its_log(member, organizer, settings):
    # The log keeps no copy by default; a deployer who turns copies on still has them erased.
    settings.MAILER_EMAIL_LOG_MESSAGE_DATA = True
    queue_and_log("Alice <alice@example.org>", "Reminder for Alice")
    queue_and_log("olga@example.org", "Reminder for Olga")
    leave(member, erase=True)
    assert [log.email.subject for log in MessageLog.objects.all()] == ["Reminder for Olga"]
    assert [message.email.subject for message in Message.objects.all()] == ["Reminder for Olga"]


def test_leaving_without_erasing_keeps_the_log(member, settings):
    settings.MAILER_EMAIL_LOG_MESSAGE_DATA = True
    queue_and_log("alice@example.org", "Reminder for Alice")
    leave(member)
    assert MessageLog.objects.count() == 1


def test_supports_of_an_erased_member_stop_counting(member, organizer):
    topic = make_topic(organizer, "Cooperatives")
    backlog.add_support(topic, member)
    backlog.add_support(topic, organizer)
    meeting = make_meeting()
    RSVP.objects.create(meeting=meeting, user=member, answer="going")
    topic.refresh_from_db()
    assert topic.support_count == 2
    leave(member, erase=True)
    topic.refresh_from_db()
    assert topic.support_count == 1
    assert list(Support.objects.values_list("user__email", flat=True)) == ["olga@example.org"]
    assert not RSVP.objects.filter(user=member).exists()


def test_the_scheduler_purges_the_mail_log_after_30_days(settings):
    assert ("purge_mail_log 30 --result all", 24 * 3600) in settings.SCHEDULED_COMMANDS


# --- private calendar tokens ------------------------------------------------------------


def test_leaving_changes_the_feed_token(client, member):
    old = member.feed_token
    leave(member)
    member.refresh_from_db()
    assert member.feed_token != old
    assert client.get(reverse("meetings:private-feed", args=[old])).status_code == 404


def test_changing_the_password_changes_the_feed_token(client, member):
    old = member.feed_token
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a new long passphrase 42",
            "password2": "a new long passphrase 42",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a new long passphrase 42")
    assert member.feed_token != old


def test_resetting_the_password_changes_the_feed_token(client, member, django_capture_on_commit_callbacks):
    import re

    old = member.feed_token
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"password1": "a new long passphrase 42", "password2": "a new long passphrase 42"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a new long passphrase 42")
    assert member.feed_token != old


def test_re_approval_gives_a_former_organizer_a_new_token_and_no_admin(rf, organizer):
    organizer.is_superuser = True
    organizer.save()
    old = organizer.feed_token
    leave(organizer)
    request = AccessRequest.objects.create(
        name="Olga", email=organizer.email, motivation="Back again, please.", status="pending"
    )
    decider = create_member("other-organizer@example.org", is_staff=True)
    access.decide(request, approve=True, by=decider, request=rf.get("/"))
    organizer.refresh_from_db()
    assert organizer.is_active
    assert not organizer.is_staff
    assert not organizer.is_superuser
    assert organizer.feed_token != old
