"""The relay-reply rule of the club's inbox, without a mailbox: who may have a message dropped unread.

A reply to a message the site relayed between members is dropped unread, so
organizers never read what members write to each other. The mark that tells
such a reply is in the In-Reply-To / References headers, which anyone can write:
a stranger's email is never dropped because of them, it becomes a request.
"""

import pytest
from django.core import mail

from members import inbox
from members.accounts import create_member, leave
from members.models import AccessRequest, InboxMessage
from solidarityclub.emails import RELAYED_MARK


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://club.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


RELAYED_ID = f"<177.42.9876.{RELAYED_MARK}@club.example.org>"


def email_from(
    sender, *, headers="", body="Hello, I would like to come to a meeting.", message_id="m1@x.org"
):
    return (
        f"From: {sender}\r\nTo: us@club.example.org\r\nSubject: Re: a message\r\n"
        f"Message-ID: <{message_id}>\r\nDate: Mon, 16 Nov 2026 10:00:00 +0000\r\n{headers}"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


@pytest.mark.parametrize(
    "headers",
    [
        f"In-Reply-To: {RELAYED_ID}\r\n",
        f"References: <a@b.org> <c@d.org> {RELAYED_ID}\r\n",
        "References: " + " ".join(f"<{n}@list.example.net>" for n in range(2000)) + f" {RELAYED_ID}\r\n",
        f"References: =?utf-8?q?{RELAYED_ID.replace(' ', '_')}?=\r\n",
        f"In-Reply-To: <real@x.org> (a comment naming {RELAYED_ID})\r\n",
    ],
    ids=["in-reply-to", "references", "long-chain", "encoded-word", "in-a-comment"],
)
def test_a_strangers_email_naming_a_relayed_message_still_becomes_a_request(db, headers):
    """A newcomer (or whoever forged the header) is never silently dropped: the request is made."""
    row, taken = inbox.take_in(email_from("Rosa Díaz <rosa@example.net>", headers=headers))
    assert taken
    assert row.outcome == InboxMessage.Outcome.REQUEST
    request = AccessRequest.objects.get(email="rosa@example.net")
    assert row.access_request == request
    assert request.motivation.startswith("Hello, I would like to come")
    assert [message.to for message in mail.outbox] == [["rosa@example.net"]]  # asked to confirm


def test_a_members_reply_to_a_relayed_message_is_still_dropped_unread(db):
    nia = create_member("nia@example.org", display_name="Nia")
    row, _taken = inbox.take_in(
        email_from(
            "Nia <NIA@example.org>", headers=f"In-Reply-To: {RELAYED_ID}\r\n", body="My phone: 555-0100"
        )
    )
    assert row.outcome == InboxMessage.Outcome.AUTOMATIC
    assert (row.member, row.access_request) == (None, None)
    assert (row.subject, row.text, bytes(row.original)) == ("", "", b"")
    assert not AccessRequest.objects.exists()
    assert not InboxMessage.objects.filter(member=nia).exists()  # not a note for organizers either


def test_a_former_members_reply_to_a_relayed_message_is_dropped_not_a_request(db):
    """Someone who left answers a message a member sent them before: still between members."""
    former = create_member("nia@example.org", display_name="Nia")
    leave(former)
    row, _taken = inbox.take_in(
        email_from("nia@example.org", headers=f"References: {RELAYED_ID}\r\n", body="My phone: 555-0100")
    )
    assert row.outcome == InboxMessage.Outcome.AUTOMATIC
    assert "555-0100" not in str(InboxMessage.objects.values_list())
    assert not AccessRequest.objects.exists()


def test_a_message_id_that_only_resembles_the_mark_is_not_a_relayed_one(db):
    create_member("nia@example.org", display_name="Nia")
    for n, look_alike in enumerate(
        [
            f"<1.{RELAYED_MARK}@club.example.org.evil.net>",
            f"<1.{RELAYED_MARK}x@club.example.org>",
            f"<1.not-{RELAYED_MARK}@elsewhere.org>",
        ]
    ):
        row, _taken = inbox.take_in(
            email_from("nia@example.org", headers=f"In-Reply-To: {look_alike}\r\n", message_id=f"n{n}@x.org")
        )
        assert row.outcome == InboxMessage.Outcome.MEMBER_NOTE, look_alike
