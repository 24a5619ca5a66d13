"""The club's inbox against a real IMAP server (Dovecot on loopback, TLS): the whole path.

A message delivered into the mailbox becomes an unconfirmed request whose
confirmation email is queued, then the message is flagged; a run that stops
between the commit and the flag neither loses nor doubles; two runs at once
take each message in once; notes, automatic mail and unreadable messages.
"""

import io
import re
import threading
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from mailer.models import Message

from members import inbox
from members.accounts import create_member
from members.models import AccessRequest, InboxMessage
from tests.conftest import PASSWORD
from tests.dovecot import Dovecot, Mailbox, dovecot_binary

EMAILS = Path(__file__).parent / "emails"


def read(name):
    return (EMAILS / name).read_bytes()


def note(sender, message_id, body="Hello again, a question about the next meeting."):
    return (
        f"From: {sender}\r\nTo: us@solidarityclub.org\r\nSubject: A question\r\n"
        f"Message-ID: <{message_id}>\r\nDate: Mon, 16 Nov 2026 10:00:00 +0000\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


@pytest.fixture(scope="session")
def dovecot_server():
    binary = dovecot_binary()
    if binary is None:
        pytest.fail("The inbox tests need Dovecot (apt-get install dovecot-imapd); it was not found.")
    server = Dovecot(binary)
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot_server, settings):
    settings.CLUB_IMAP_URL = dovecot_server.url
    settings.CLUB_IMAP_CA_FILE = str(dovecot_server.cert_file)
    settings.SITE_URL = "https://club.example.org"
    # The real mail queue: what the command queues is what run_mail_queue would send.
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    return Mailbox(dovecot_server)


def run():
    out, err = io.StringIO(), io.StringIO()
    call_command("read_club_inbox", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def queued_to(address):
    return [message.email for message in Message.objects.all() if address in message.to_addresses]


def processed(mailbox):
    return [inbox.FLAG in flags for _uid, flags in sorted(mailbox.flags().items())]


def confirm_path(email):
    match = re.search(r"https://club\.example\.org(/join/confirm/[^/\s]+/)", email.body)
    assert match, email.body
    [(html, _)] = email.alternatives
    assert match.group(0) in html
    return match.group(1)


# --- the whole path ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_email_becomes_an_unconfirmed_request_and_its_sender_confirms_it(mailbox, client, organizer):
    mailbox.deliver(read("multipart_with_attachment.eml"))
    output = run()
    assert "1 new request(s)" in output
    access_request = AccessRequest.objects.get()
    assert access_request.status == AccessRequest.Status.UNCONFIRMED
    assert access_request.source == AccessRequest.Source.EMAIL
    assert access_request.name == "Zoë Ng"
    assert access_request.email == "zoe.ng@example.net"
    assert access_request.motivation.startswith("Hi there,\n\nI heard about the club")
    assert not access_request.agreed_to_code_of_conduct
    kept = access_request.inbox_messages.get()
    assert kept.outcome == InboxMessage.Outcome.REQUEST
    assert kept.subject == "Meeting access?"
    assert b"my-zine.pdf" in bytes(kept.original)  # the original, attachment and all
    assert processed(mailbox) == [True]

    [confirmation] = queued_to("zoe.ng@example.net")
    assert confirmation.subject == "Please confirm your request for meeting access"
    assert "thank you for writing to" in confirmation.body
    assert access_request.emails.get().kind == "confirm"

    # The sender's address is proven by the link, and they agree to the code of conduct there.
    path = confirm_path(confirmation)
    page = client.get(path)
    assert "You wrote to us by email" in page.content.decode()
    assert 'name="agreed_to_code_of_conduct"' in page.content.decode()
    refused = client.post(path, {})
    assert refused.status_code == 400
    assert "tick the box" in refused.content.decode()
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.UNCONFIRMED
    assert client.post(path, {"agreed_to_code_of_conduct": "on"}).status_code == 302
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING
    assert access_request.agreed_to_code_of_conduct
    [notice] = queued_to("olga@example.org")
    assert "Arrived by email" in notice.body
    [(html, _)] = notice.alternatives
    assert "Arrived by email" in html
    assert "I heard about the club at the NAVEL assembly" in notice.body

    # Nothing more on the next run.
    assert "Read 0 message(s)" in run()
    assert AccessRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_each_real_world_message_lands_where_it_belongs(mailbox, member):
    for name in ["html_only.eml", "iso_8859_1.eml", "quoted_printable.eml", "auto_reply.eml", "bounce.eml"]:
        mailbox.deliver(read(name))
    mailbox.deliver(read("mailing_list.eml"))
    mailbox.deliver(note("Alice <ALICE@example.org>", "alice-1@example.org"))
    output = run()
    assert "3 new request(s), 1 note(s), 3 set aside as automatic" in output
    assert sorted(AccessRequest.objects.values_list("email", flat=True)) == [
        "amara@example.org",
        "jose@example.es",
        "ravi.patel@example.com",
    ]
    assert AccessRequest.objects.get(email="jose@example.es").name == "José Muñoz"
    assert queued_to("ravi.patel@example.com")
    assert not queued_to("zoe.ng@example.net")  # an auto-reply gets no answer
    assert not [m for m in Message.objects.all() if "mailer-daemon" in str(m.to_addresses).lower()]
    member_note = InboxMessage.objects.get(outcome=InboxMessage.Outcome.MEMBER_NOTE)
    assert member_note.member == member
    assert not queued_to("alice@example.org")
    assert all(processed(mailbox))
    assert InboxMessage.objects.count() == 7


@pytest.mark.django_db(transaction=True)
def test_a_second_email_from_an_open_request_is_a_note_on_it(mailbox):
    mailbox.deliver(read("iso_8859_1.eml"))
    run()
    mailbox.deliver(note("José <jose@example.es>", "jose-2@example.es", "Re: I confirmed, I think?"))
    assert "1 note(s)" in run()
    access_request = AccessRequest.objects.get()
    assert [m.outcome for m in access_request.inbox_messages.order_by("id")] == ["request", "request_note"]
    assert len(queued_to("jose@example.es")) == 1  # one confirmation, not two


@pytest.mark.django_db(transaction=True)
def test_a_huge_non_ascii_message_id_is_taken_in(mailbox):
    huge = "<" + "€" * 990 + "@example.org>"
    mailbox.deliver(
        read("quoted_printable.eml").replace(
            b"<1a2b3c4d-5e6f-4a5b-8c9d-0e1f2a3b4c5d@example.org>", huge.encode()
        )
    )
    mailbox.deliver(read("html_only.eml"))
    assert "2 new request(s)" in run()
    assert processed(mailbox) == [True, True]
    assert "1 taken in before" not in run()


@pytest.mark.django_db(transaction=True)
def test_the_sites_own_emails_arriving_in_the_club_inbox_are_set_aside(mailbox, settings):
    mailbox.deliver(note("Solidarity Club <us@solidarityclub.org>", "own@solidarityclub.org"))
    run()
    assert InboxMessage.objects.get().reason == "sent by this site"
    assert not AccessRequest.objects.exists()
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_reply_to_a_relayed_member_message_is_never_shown_to_organizers(mailbox, member, settings):
    """Replies to a member who kept their address private reach the club's address: nobody reads them."""
    from django.test import RequestFactory

    from members.outreach import relay
    from tests.outreach_support import listed

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    nia = listed("nia@example.org", "Nia")
    relay.write(
        member,
        nia,
        "Shall we read Caliban together?",
        reply_to_sender=False,
        request=RequestFactory().get("/"),
    )
    [relayed] = mail.outbox
    assert relayed.reply_to == []
    relayed_id = relayed.extra_headers["Message-ID"]
    reply = note(
        "Nia <nia@example.org>", "nia-reply@example.org", "Yes! My phone is 555-0100.\n> Shall we read"
    )
    reply = reply.replace(
        b"Subject: A question\r\n", f"Subject: Re: a message\r\nIn-Reply-To: {relayed_id}\r\n".encode()
    )
    mailbox.deliver(reply)
    run()
    row = InboxMessage.objects.get()
    assert row.outcome == InboxMessage.Outcome.AUTOMATIC
    assert row.member is None
    assert (row.subject, row.text, bytes(row.original)) == ("", "", b"")
    assert "555-0100" not in str(InboxMessage.objects.values_list())
    assert processed(mailbox) == [True]
    # A reply to any other email of the site from a member is still a note for organizers.
    mailbox.deliver(note("Nia <nia@example.org>", "nia-2@example.org", "A question for the organizers."))
    run()
    assert InboxMessage.objects.get(member=nia).text.startswith("A question for the organizers.")


# --- nothing lost, nothing twice -----------------------------------------------------------


class CrashError(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_crash_between_the_commit_and_the_flag_neither_loses_nor_doubles(mailbox, monkeypatch):
    mailbox.deliver(read("quoted_printable.eml"))
    mailbox.deliver(read("html_only.eml"))

    def crash(imap, uid):
        raise CrashError("the process stopped here")

    monkeypatch.setattr(inbox, "_mark_processed", crash)
    with pytest.raises(CrashError):
        inbox.read_inbox()
    # The first message was committed (request and email) but not flagged.
    assert AccessRequest.objects.count() == 1
    assert Message.objects.count() == 1
    assert processed(mailbox) == [False, False]

    monkeypatch.undo()
    report = inbox.read_inbox()
    assert (report.requests, report.already) == (1, 1)
    assert AccessRequest.objects.count() == 2
    assert len(queued_to("amara@example.org")) == 1
    assert len(queued_to("ravi.patel@example.com")) == 1
    assert processed(mailbox) == [True, True]


@pytest.mark.django_db(transaction=True)
def test_a_crash_before_the_commit_leaves_the_message_for_the_next_run(mailbox, monkeypatch):
    mailbox.deliver(read("quoted_printable.eml"))

    def crash(access_request, **kwargs):
        raise CrashError("the process stopped before the commit")

    monkeypatch.setattr(inbox.access, "ask_to_confirm", crash)
    with pytest.raises(CrashError):
        inbox.read_inbox()
    assert not AccessRequest.objects.exists()
    assert not InboxMessage.objects.exists()
    assert processed(mailbox) == [False]
    monkeypatch.undo()
    inbox.read_inbox()
    assert AccessRequest.objects.count() == 1
    assert len(queued_to("amara@example.org")) == 1
    assert processed(mailbox) == [True]


@pytest.mark.django_db(transaction=True)
def test_the_same_message_id_is_taken_in_once_even_when_delivered_twice(mailbox):
    mailbox.deliver(read("quoted_printable.eml"))
    mailbox.deliver(read("quoted_printable.eml"))
    report = inbox.read_inbox()
    assert (report.requests, report.already) == (1, 1)
    assert InboxMessage.objects.count() == 1
    assert len(queued_to("amara@example.org")) == 1
    assert processed(mailbox) == [True, True]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_take_each_message_in_once(mailbox):
    senders = [f"person{n}@example.org" for n in range(8)]
    for n, address in enumerate(senders):
        mailbox.deliver(note(f"Person {n} <{address}>", f"m{n}@example.org", "I would like to join, please."))
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def read_at_once():
        try:
            barrier.wait()
            reports.append(inbox.read_inbox())
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=read_at_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(report.requests for report in reports) == 8
    assert AccessRequest.objects.count() == 8
    assert InboxMessage.objects.count() == 8
    assert sorted(address for message in Message.objects.all() for address in message.to_addresses) == sorted(
        senders
    )
    assert all(processed(mailbox))


# --- what cannot be read stays in the mailbox, listed for organizers ---------------------------


@pytest.mark.django_db(transaction=True)
def test_an_unreadable_message_stays_in_the_mailbox_and_is_listed_for_organizers(mailbox, client, organizer):
    mailbox.deliver(
        b"To: us@solidarityclub.org\r\nSubject: Who am I\r\nMessage-ID: <anon@x>\r\n\r\nHello\r\n"
    )
    mailbox.deliver(read("quoted_printable.eml"))
    output = run()
    assert "1 new request(s)" in output
    assert "1 unreadable (left in the mailbox)" in output
    assert "no sender address to answer" in output
    assert processed(mailbox) == [False, True]
    unreadable = InboxMessage.objects.get(outcome=InboxMessage.Outcome.UNREADABLE)
    assert unreadable.subject == "Who am I"

    # Listed, not doubled, on every later run.
    run()
    assert InboxMessage.objects.unreadable().count() == 1
    assert processed(mailbox) == [False, True]

    client.force_login(organizer)
    listing = client.get("/admin/members/accessrequest/").content.decode()
    assert "1 email to the club" in listing
    assert "could not be read" in listing
    inbox_page = client.get("/admin/members/inboxmessage/?outcome__exact=unreadable").content.decode()
    assert "Who am I" in inbox_page
    # Deleting its row lets the next run try it again.
    unreadable.delete()
    run()
    assert InboxMessage.objects.unreadable().count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_message_over_the_size_limit_is_not_downloaded(mailbox, monkeypatch):
    monkeypatch.setattr(inbox, "MAX_BYTES", 1000)
    mailbox.deliver(read("multipart_with_attachment.eml"))
    run()
    row = InboxMessage.objects.get()
    assert row.outcome == InboxMessage.Outcome.UNREADABLE
    assert row.reason.startswith("too large to read")
    assert row.message_id == "<CAF3k9xQ2m=Lp8eT5rV@mail.example.net>"
    assert processed(mailbox) == [False]


# --- settings and the server ----------------------------------------------------------------


def test_without_a_mailbox_the_command_does_nothing(settings, db):
    settings.CLUB_IMAP_URL = ""
    assert "CLUB_IMAP_URL is not set" in run()


@pytest.mark.parametrize(
    "url",
    [
        "http://u:p@host/INBOX",
        "imaps://host/INBOX",
        "imaps://user@host/INBOX",
        "imaps://u:p@host:99999/",
        "imaps://u:p@host/INBOX%0D%0AA1%20DELETE%20INBOX",
    ],
)
def test_a_wrong_address_is_a_clear_error(settings, db, url):
    settings.CLUB_IMAP_URL = url
    with pytest.raises(CommandError, match="CLUB_IMAP_URL"):
        run()


def test_a_wrong_password_is_a_clear_error(mailbox, settings, db):
    settings.CLUB_IMAP_URL = mailbox.server.url.replace("imap-test-password", "wrong")
    with pytest.raises(CommandError, match="Cannot read INBOX"):
        run()


def test_a_certificate_nobody_vouches_for_is_refused(mailbox, settings, db):
    settings.CLUB_IMAP_CA_FILE = ""
    with pytest.raises(CommandError, match="CERTIFICATE_VERIFY_FAILED"):
        run()


def test_the_mailbox_settings_are_read_from_the_url():
    config = inbox.MailboxSettings.from_url("imap://club%40example.org:p%3Ass@mail.example.org/Club%20Inbox")
    assert (config.host, config.port, config.implicit_tls) == ("mail.example.org", 143, False)
    assert (config.user, config.password, config.mailbox) == ("club@example.org", "p:ss", "Club Inbox")
    assert inbox.MailboxSettings.from_url("imaps://u:p@h/").port == 993


# --- organizers see it -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_organizers_see_the_original_and_the_notes(mailbox, client, organizer, member):
    mailbox.deliver(read("multipart_with_attachment.eml"))
    mailbox.deliver(note("Alice <alice@example.org>", "alice-2@example.org", "Can I bring a friend?"))
    run()
    access_request = AccessRequest.objects.get()
    client.force_login(organizer)
    page = client.get(f"/admin/members/accessrequest/{access_request.pk}/change/").content.decode()
    assert "Download the original (.eml)" in page
    assert "an email to the club" in page
    kept = access_request.inbox_messages.get()
    original = client.get(f"/admin/members/inboxmessage/{kept.pk}/original.eml")
    assert original.status_code == 200
    assert original["Content-Type"] == "message/rfc822"
    assert original.content == bytes(kept.original)
    member_page = client.get(f"/admin/members/user/{member.pk}/change/").content.decode()
    assert "Can I bring a friend?" in member_page
    listing = client.get("/admin/members/accessrequest/?source__exact=email").content.decode()
    assert "Zoë Ng" in listing


def left_member():
    user = create_member("lee@example.org", password=PASSWORD)
    from members.accounts import leave

    return leave(user)


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 302), ("member_on_break", 302), ("left", 302), ("organizer", 200)],
)
def test_permission_matrix_of_the_inbox_pages(client, client_for, role, status, db):
    row = InboxMessage.objects.create(
        message_id="<p@x>", outcome="automatic", subject="Hi", original=b"Subject: Hi\r\n\r\nx", size=16
    )
    if role == "left":
        client.force_login(left_member())
    else:
        client = client_for(role)
    for path in [
        "/admin/members/inboxmessage/",
        f"/admin/members/inboxmessage/{row.pk}/change/",
        f"/admin/members/inboxmessage/{row.pk}/original.eml",
    ]:
        response = client.get(path)
        assert response.status_code == status, (path, response.status_code)
        if status == 302:
            assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("object_id", ["0", "999999", "2147483648", "9" * 30, "x", "²"])
def test_the_original_of_a_missing_message_is_a_404(organizer_client, object_id):
    assert organizer_client.get(f"/admin/members/inboxmessage/{object_id}/original.eml").status_code == 404


def test_the_inbox_list_needs_few_queries(organizer_client, organizer, django_assert_max_num_queries):
    pending = AccessRequest.objects.create(name="N", email="n@example.org", motivation="x" * 30)
    for n in range(30):
        InboxMessage.objects.create(
            message_id=f"<{n}@x>",
            outcome="request_note" if n % 2 else "member_note",
            access_request=pending if n % 2 else None,
            member=None if n % 2 else organizer,
            subject=f"Message {n}",
        )
    with django_assert_max_num_queries(12):
        response = organizer_client.get("/admin/members/inboxmessage/")
    assert response.status_code == 200
    assert "Message 29" in response.content.decode()


# --- personal data ---------------------------------------------------------------------------


def test_a_members_emails_to_the_club_are_in_their_data_and_erased_with_it(member, db):
    from members.accounts import leave, personal_data

    InboxMessage.objects.create(
        message_id="<a@x>", outcome="member_note", member=member, subject="Hi", text="Can I bring a friend?"
    )
    old_request = AccessRequest.objects.create(
        name="Alice", email="alice@example.org", motivation="x" * 30, status="approved", member=member
    )
    InboxMessage.objects.create(
        message_id="<b@x>", outcome="request", access_request=old_request, subject="Access", text="Let me in"
    )
    InboxMessage.objects.create(message_id="<c@x>", outcome="automatic", from_address="ALICE@example.org")
    other = InboxMessage.objects.create(message_id="<d@x>", outcome="automatic", from_address="x@example.org")
    texts = [entry["text"] for entry in personal_data(member)["emails_to_the_club"]]
    assert sorted(texts) == ["", "Can I bring a friend?", "Let me in"]
    leave(member, erase=True)
    assert list(InboxMessage.objects.all()) == [other]
