"""One click stops one kind of email (RFC 8058), and every email carries what providers expect."""

import base64
import json
from datetime import timedelta
from email import message_from_bytes
from email.utils import parseaddr

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from blog.announcements import send_announcement
from blog.models import Kind, Post
from meetings.reminders import send_due_reminders
from members import access
from members.accounts import create_member, leave
from members.email_kinds import KINDS, STOP_SALT, read_stop_token, stop_token, stop_url
from members.models import User
from tests.conftest import PASSWORD
from tests.factories import make_meeting, make_topic
from topics import backlog

SITE_URL = "https://club.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def stop_path(user, kind):
    return stop_url(user, kind).removeprefix(SITE_URL)


def one_click(token_or_path):
    """What a mail client sends: no session, no CSRF token, the RFC 8058 body."""
    return Client(enforce_csrf_checks=True).post(
        token_or_path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )


def fresh(user):
    return User.objects.get(pk=user.pk)


def only_message():
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    return mail.outbox[0]


def assert_stoppable(message, user, kind):
    url = stop_url(user, kind)
    assert url.startswith(SITE_URL + "/emails/stop/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    html = message.alternatives[0][0]
    assert f'href="{url}"' in html
    # The headers survive serialisation, as the mail queue stores the message.
    parsed = message_from_bytes(message.message().as_bytes())
    assert parsed["List-Unsubscribe"].strip() == f"<{url}>"  # long headers are folded
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def assert_not_stoppable(message):
    parsed = message_from_bytes(message.message().as_bytes())
    assert parsed["List-Unsubscribe"] is None
    assert parsed["List-Unsubscribe-Post"] is None
    assert "/emails/stop/" not in message.body


# --- Each preference email carries both headers and the footer link ------------------


def test_an_announcement_can_be_stopped(member):
    post = Post.objects.create(
        title="We meet again",
        body="Hello *all*",
        kind=Kind.ANNOUNCEMENT,
        status=Post.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(minutes=5),
    )
    send_announcement(post)
    assert_stoppable(only_message(), member, "announcements")


def test_a_reminder_can_be_stopped(member, django_capture_on_commit_callbacks):
    make_meeting(days=0.5)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(hours=24) == 1
    assert_stoppable(only_message(), member, "reminders")


def test_topic_news_can_be_stopped(member, organizer, django_capture_on_commit_callbacks):
    meeting = make_meeting()
    topic = make_topic(member)
    with django_capture_on_commit_callbacks(execute=True):
        backlog.gather(meeting, [backlog.Pick(topic.pk, 20)], organizer)
    assert_stoppable(only_message(), member, "topic-news")


def test_decision_notices_can_be_stopped(member, organizer, django_capture_on_commit_callbacks):
    from tests.factories import make_decision

    User.objects.filter(pk=organizer.pk).update(wants_decision_notices=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_decision(organizer)
    assert_stoppable(only_message(), member, "decision-notices")


# --- Emails that are not preferences carry no such header -------------------------


def test_an_access_request_confirmation_has_no_unsubscribe(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/join/",
            {
                "name": "Nadia",
                "email": "nadia@example.org",
                "motivation": "I want to learn with others how to organize at work.",
                "agreed_to_code_of_conduct": "on",
            },
        )
    assert response.status_code == 302
    assert_not_stoppable(only_message())


def test_the_welcome_email_and_the_notices_to_organizers_have_no_unsubscribe(
    rf, organizer, django_capture_on_commit_callbacks
):
    request_row = access.AccessRequest.objects.create(
        name="Nadia",
        email="nadia@example.org",
        motivation="To learn together.",
        agreed_to_code_of_conduct=True,
    )
    web_request = rf.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        access.confirm(request_row, request=web_request)
    assert mail.outbox
    for message in mail.outbox:
        assert_not_stoppable(message)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        access.decide(request_row, approve=True, by=organizer, request=web_request)
    welcome = only_message()
    assert "nadia@example.org" in welcome.to
    assert_not_stoppable(welcome)


def test_sign_in_codes_and_password_resets_have_no_unsubscribe(client, member):
    assert EmailAddress.objects.filter(user=member, verified=True).exists()
    client.post("/accounts/login/code/", {"email": member.email})
    client.post("/accounts/password/reset/", {"email": member.email})
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert_not_stoppable(message)
        parsed = message_from_bytes(message.message().as_bytes())
        assert parsed["Message-ID"].endswith("@club.example.org>")
        assert parsed["Auto-Submitted"] == "auto-generated"


def test_every_email_has_the_clubs_message_id_date_sender_and_auto_submitted(member):
    post = Post.objects.create(
        title="News",
        body="Text",
        kind=Kind.ANNOUNCEMENT,
        status=Post.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(minutes=5),
    )
    send_announcement(post)
    parsed = message_from_bytes(only_message().message().as_bytes())
    assert parsed["Message-ID"].endswith("@club.example.org>")
    assert parsed["Date"]
    assert parseaddr(parsed["From"]) == ("W.O.R.K. Solidarity Club", "us@solidarityclub.org")
    assert parsed["Auto-Submitted"] == "auto-generated"
    text = next(part for part in parsed.walk() if part.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()
    assert "News" in body
    assert "<p>" not in body


# --- The one-click POST, the GET page and undo --------------------------------------


def wanting_every_kind(*users):
    """The weekly digest is off unless chosen: turn every kind on, so one click shows what it stops."""
    for user in users:
        User.objects.filter(pk=user.pk).update(**{kind.field: True for kind in KINDS.values()})


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_one_click_turns_off_exactly_that_kind(member, organizer, kind):
    wanting_every_kind(member, organizer)
    response = one_click(stop_path(member, kind))
    assert response.status_code == 200
    member = fresh(member)
    for other in KINDS.values():
        assert getattr(member, other.field) is (other.key != kind)
    # Nobody else's preferences moved.
    assert all(getattr(fresh(organizer), other.field) for other in KINDS.values())


def test_the_form_button_posts_without_a_session_too(member):
    response = Client(enforce_csrf_checks=True).post(stop_path(member, "reminders"), {"action": "stop"})
    assert response.status_code == 200
    assert "Done" in response.content.decode()
    assert fresh(member).wants_meeting_reminders is False


@pytest.mark.parametrize("method", ["get", "head"])
def test_fetching_the_link_changes_nothing(member, method):
    response = getattr(Client(), method)(stop_path(member, "announcements"))
    assert response.status_code == 200
    assert fresh(member).wants_announcements is True
    if method == "get":
        page = response.content.decode()
        assert "Stop these emails?" in page
        assert "announcements from the organizers" in page
        assert 'method="post"' in page
        assert "/members/settings/" in page
        assert {"no-cache", "no-store", "private"} <= set(response["Cache-Control"].split(", "))


def test_undo_turns_it_back_on(member):
    path = stop_path(member, "announcements")
    one_click(path)
    page = Client().get(path).content.decode()
    assert "Undo" in page  # already stopped: the page offers to undo
    response = Client(enforce_csrf_checks=True).post(path, {"action": "undo"})
    assert response.status_code == 200
    assert fresh(member).wants_announcements is True


def test_stopping_twice_is_harmless(member):
    path = stop_path(member, "topic-news")
    assert one_click(path).status_code == 200
    assert one_click(path).status_code == 200
    assert fresh(member).wants_topic_news is False


# --- Tokens ---------------------------------------------------------------------------


def test_the_token_reveals_no_address_and_names_member_and_kind(member):
    token = stop_token(member, "announcements")
    payload = token.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert b"@" not in decoded
    assert b"alice" not in decoded
    assert read_stop_token(token) == (member.pk, KINDS["announcements"])
    assert stop_token(member, "reminders") != token


@pytest.mark.parametrize(
    "token", ["nonsense", "", "..", "a" * 500, "e30:1abc:forged", "\x00", "W1sxXSwiYW5ub3VuY2VtZW50cyJd:xyz"]
)
def test_a_forged_or_broken_token_stops_nothing(member, token):
    wanting_every_kind(member)
    response = one_click(f"/emails/stop/{token}/") if token else None
    if response is not None:
        # A NUL byte is refused for the whole site with a clear 400 (solidarityclub.middleware).
        assert response.status_code == (400 if "\x00" in token else 404)
    assert all(getattr(fresh(member), kind.field) for kind in KINDS.values())


def test_a_token_signed_for_something_else_stops_nothing(member):
    for salt, value in [
        ("members.something-else", [member.pk, "announcements"]),
        (STOP_SALT, [member.pk, "everything"]),
        (STOP_SALT, [str(member.pk), "announcements"]),
        (STOP_SALT, {"u": member.pk}),
        (STOP_SALT, [member.pk]),
    ]:
        forged = signing.Signer(salt=salt).sign_object(value)
        assert one_click(f"/emails/stop/{forged}/").status_code == 404
    # The signature of one member's token does not fit another member's id.
    token = stop_token(member, "announcements")
    other = token.replace(signing.b64_encode(f"[{member.pk},".encode()).decode()[:3], "WzI", 1)
    assert one_click(f"/emails/stop/{other}/").status_code == 404
    assert fresh(member).wants_announcements is True


@pytest.mark.parametrize("erase", [False, True])
def test_a_member_who_left_gets_nothing_to_stop(member, erase):
    path = stop_path(member, "announcements")
    leave(member, erase=erase)
    for response in (Client().get(path), one_click(path)):
        assert response.status_code == 200
        assert "Nothing to stop" in response.content.decode()
    assert "alice" not in Client().get(path).content.decode()


# --- Permission matrix ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["visitor", "member", "member_on_break", "organizer", "left"])
def test_permission_matrix(client, role, member):
    """The link works for whoever holds it, signed in or not; the token decides whose emails."""
    owner = create_member("owner@example.org", password=PASSWORD)
    path = stop_path(owner, "reminders")
    if role == "left":
        gone = create_member("gone@example.org", password=PASSWORD)
        client.force_login(gone)
        leave(gone)
    elif role == "member_on_break":
        client.force_login(create_member("bob@example.org", password=PASSWORD, break_since=timezone.now()))
    elif role == "organizer":
        client.force_login(create_member("olga@example.org", password=PASSWORD, is_staff=True))
    elif role == "member":
        client.force_login(member)
    assert client.get(path).status_code == 200
    assert client.put(path).status_code == 405
    assert client.delete(path).status_code == 405
    assert (
        client.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    assert fresh(owner).wants_meeting_reminders is False
    assert fresh(member).wants_meeting_reminders is True


def test_a_member_on_a_break_can_stop_emails_too(member_on_break):
    assert one_click(stop_path(member_on_break, "announcements")).status_code == 200
    assert fresh(member_on_break).wants_announcements is False


def test_the_stop_page_needs_no_session_and_shows_no_address(member):
    response = Client().get(stop_path(member, "reminders"))
    assert member.email not in response.content.decode()
    assert json.dumps(member.email)[1:-1] not in response.content.decode()


def test_the_weekly_digest_can_be_stopped(member):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from members import digest

    User.objects.filter(pk=member.pk).update(wants_weekly_digest=True)
    monday = datetime(2026, 12, 7, 9, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    with time_machine.travel(monday - timedelta(days=1), tick=False):
        Post.objects.create(
            title="Strike fund news",
            body="Text.",
            kind=Kind.ANNOUNCEMENT,
            status=Post.Status.PUBLISHED,
            publish_at=timezone.now(),
        )
    mail.outbox.clear()
    with time_machine.travel(monday, tick=False):
        assert digest.send_due_digests().queued == 1
    assert_stoppable(only_message(), member, "digest")
