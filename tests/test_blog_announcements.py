"""Sending a published announcement to members by email: once per member, whatever happens."""

from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.db import IntegrityError, OperationalError, connection
from django.utils import timezone
from mailer.models import Message

from blog.announcements import send_announcement, waiting_recipients
from blog.models import AnnouncementDelivery, Kind, Post
from meetings.models import Meeting
from members.accounts import create_member
from tests.factories import make_post

CHANGELIST = "/admin/blog/post/"


# An announcement with Markdown worth escaping, published an hour ago.
BACK = {
    "title": "Reading club is back",
    "summary": "We read together again.",
    "body": "We read *Parable of the Sower* & talk.\n\n- bring the book\n- bring a friend",
    "kind": Kind.ANNOUNCEMENT,
}


def make_announcement(**fields):
    return make_post(**{**BACK, "publish_at": timezone.now() - timedelta(hours=1), **fields})


@pytest.fixture
def people(member, member_on_break, organizer):
    """Who wants announcements and may get them: alice and olga; nobody else."""
    return {
        "alice": member,
        "olga": organizer,
        "bob": member_on_break,
        "quiet": create_member("quiet@example.org", display_name="Quiet", wants_announcements=False),
        "gone": create_member("gone@example.org", display_name="Gone", is_active=False),
        "back": create_member(
            "back@example.org",
            display_name="Back",
            break_since=timezone.now() - timedelta(days=30),
            break_until=timezone.localdate() - timedelta(days=1),
        ),
    }


WANTED = {"alice@example.org", "olga@example.org", "back@example.org"}


def recipients():
    return Counter(address for message in mail.outbox for address in message.to)


def confirm(client, *posts):
    return client.post(
        CHANGELIST,
        {"action": "send_to_members", ACTION_CHECKBOX_NAME: [p.pk for p in posts], "apply": "1"},
    )


def test_the_action_asks_first_and_says_how_many_will_receive_it(organizer_client, people):
    post = make_announcement()
    response = organizer_client.post(
        CHANGELIST, {"action": "send_to_members", ACTION_CHECKBOX_NAME: [post.pk]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reading club is back</strong>: 3 members will receive it." in html
    assert 'value="Yes, send 3 emails"' in html
    assert mail.outbox == []
    assert not AnnouncementDelivery.objects.exists()


def test_confirming_sends_to_members_in_good_standing_who_want_it(organizer_client, people):
    post = make_announcement()
    response = confirm(organizer_client, post)
    assert response.status_code == 302
    assert recipients() == Counter(WANTED)
    assert set(AnnouncementDelivery.objects.values_list("user__email", flat=True)) == WANTED


def test_members_on_a_break_and_those_who_said_no_get_nothing(organizer_client, people):
    confirm(organizer_client, make_announcement())
    for name in ["bob", "quiet", "gone"]:
        assert people[name].email not in recipients()


def test_the_email_has_a_subject_a_text_and_an_html_body(organizer_client, people, settings):
    settings.SITE_URL = "https://club.example.org"
    meeting = Meeting.objects.create(title="Reading club", starts_at=timezone.now() + timedelta(days=4))
    post = make_announcement(meeting=meeting)
    confirm(organizer_client, post)
    message = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    assert message.subject == "[Solidarity Club] Reading club is back"
    assert "Hi Alice," in message.body
    assert "We read *Parable of the Sower* & talk." in message.body  # the Markdown, unescaped
    assert f"https://club.example.org{post.get_absolute_url()}" in message.body
    assert "https://club.example.org/members/settings/" in message.body
    assert "It announces: Reading club" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"

    class Parsed(HTMLParser):
        tags = []
        hrefs = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.hrefs += [value for name, value in attrs if name == "href"]

    parsed = Parsed()
    parsed.feed(html)
    assert {"em", "ul", "li"} <= set(parsed.tags)
    assert f"https://club.example.org{post.get_absolute_url()}" in parsed.hrefs
    assert "https://club.example.org/members/settings/" in parsed.hrefs


def test_running_the_action_again_sends_nothing_new(organizer_client, people):
    post = make_announcement()
    confirm(organizer_client, post)
    first = len(mail.outbox)
    response = confirm(organizer_client, post)
    assert len(mail.outbox) == first == 3
    # (The first run's message is still waiting to be shown: the redirect was not followed.)
    assert [str(m) for m in response.wsgi_request._messages][-1] == "“Reading club is back”: 0 emails queued."
    # And the confirmation page says so.
    page = organizer_client.post(CHANGELIST, {"action": "send_to_members", ACTION_CHECKBOX_NAME: [post.pk]})
    assert "0 members will receive it (everyone has it already)" in page.content.decode()


def test_a_member_who_joins_later_gets_it_on_the_next_run_and_only_they_do(organizer_client, people):
    post = make_announcement()
    confirm(organizer_client, post)
    create_member("new@example.org", display_name="New")
    mail.outbox.clear()
    confirm(organizer_client, post)
    assert recipients() == Counter({"new@example.org": 1})


def test_only_published_announcements_can_be_sent(organizer_client, people):
    refused = [
        make_announcement(title="Draft", status=Post.Status.DRAFT),
        make_announcement(title="Scheduled", publish_at=timezone.now() + timedelta(days=1)),
        make_announcement(title="Project", kind=Kind.PROJECT),
    ]
    response = confirm(organizer_client, *refused)
    assert response.status_code == 302
    assert mail.outbox == []
    assert [str(m) for m in response.wsgi_request._messages] == [
        "3 posts skipped: only published announcements can be sent."
    ]
    with pytest.raises(ValueError, match="Only a published announcement"):
        send_announcement(refused[0])


@pytest.mark.parametrize("role", ["visitor", "member", "member_on_break"])
def test_only_organizers_can_send(client_for, role):
    client = client_for(role)
    post = make_announcement()
    create_member("someone@example.org")
    response = confirm(client, post)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert mail.outbox == []


def test_a_broken_address_is_reported_and_sent_once_fixed(organizer_client, people):
    """A real failure on the way: an address that cannot go in a To: header."""
    post = make_announcement()
    type(people["alice"]).objects.filter(pk=people["back"].pk).update(
        email="back@example.org\nBcc: x@evil.example"
    )
    response = confirm(organizer_client, post)
    assert recipients() == Counter({"alice@example.org": 1, "olga@example.org": 1})
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[0] == "“Reading club is back”: 2 emails queued."
    assert "the address is broken" in messages[1]

    type(people["alice"]).objects.filter(pk=people["back"].pk).update(email="back@example.org")
    confirm(organizer_client, post)
    assert recipients() == Counter(WANTED)


def test_an_interrupted_run_resumes_without_duplicates(settings, people):
    """The database goes away after the first few emails: what was queued stays, nothing twice."""
    settings.EMAIL_BACKEND = (
        "mailer.backend.DbBackend"  # the real queue: delivery row + queued email together
    )
    for n in range(7):
        create_member(f"member{n}@example.org")
    expected = WANTED | {f"member{n}@example.org" for n in range(7)}
    post = make_announcement()
    queued = 0

    def database_fails_after_three_emails(execute, sql, params, many, context):
        nonlocal queued
        if sql.lstrip().upper().startswith("INSERT") and Message._meta.db_table in sql:
            queued += 1
            if queued > 3:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(database_fails_after_three_emails), pytest.raises(OperationalError):
        send_announcement(post)

    in_queue = Counter(address for message in Message.objects.all() for address in message.to_addresses)
    delivered = set(AnnouncementDelivery.objects.values_list("user__email", flat=True))
    assert sum(in_queue.values()) == 3
    assert set(in_queue) == delivered  # no delivery row without its email, no email without its row

    sending = send_announcement(post)
    assert sending.queued == len(expected) - 3
    in_queue = Counter(address for message in Message.objects.all() for address in message.to_addresses)
    assert in_queue == Counter(expected)
    assert send_announcement(post).queued == 0
    assert Message.objects.count() == len(expected)


def test_the_database_refuses_a_second_delivery(people):
    post = make_announcement()
    AnnouncementDelivery.objects.create(post=post, user=people["alice"])
    with pytest.raises(IntegrityError):
        AnnouncementDelivery.objects.create(post=post, user=people["alice"])


def test_a_delivery_recorded_by_another_run_is_skipped(people):
    post = make_announcement()
    AnnouncementDelivery.objects.create(post=post, user=people["alice"])
    assert people["alice"] not in waiting_recipients(post)
    send_announcement(post)
    assert "alice@example.org" not in recipients()
    assert sum(recipients().values()) == 2


def test_each_member_reads_the_meeting_time_in_their_own_zone(people):
    people["alice"].time_zone = "Europe/Berlin"
    people["alice"].save()
    starts = timezone.now().replace(microsecond=0) + timedelta(days=4)
    meeting = Meeting.objects.create(title="Reading club", starts_at=starts)
    send_announcement(make_announcement(meeting=meeting))
    alice = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    olga = next(m for m in mail.outbox if m.to == ["olga@example.org"])
    assert starts.astimezone(ZoneInfo("Europe/Berlin")).tzname() in alice.body  # CET or CEST, as on that day
    assert starts.astimezone(ZoneInfo("America/Los_Angeles")).tzname() in olga.body
