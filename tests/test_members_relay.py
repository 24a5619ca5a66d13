"""Writing to a member: relayed from the club's address, addresses never shown, limits, blocks, reports."""

import json
import re
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from mailer.models import Message

from members.accounts import create_member, leave
from members.outreach import limits, relay
from members.outreach.models import Block, Conversation, DirectoryProfile, RelayedMessage, Report
from tests.conftest import PASSWORD
from tests.members_support import html_body
from tests.outreach_support import listed

SECRET = "nia.private@example.org"


@pytest.fixture
def nia(db):
    return listed(SECRET, "Nia", pronouns="she/her", ask_me_about="tenant organizing")


def write(client, to, body="Hello Nia, could we talk about tenant unions?", reply=True, **extra):
    data = {"body": body, **({"reply_to_sender": "on"} if reply else {}), **extra}
    return client.post(f"/members/{to.pk}/", data)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def everything_the_client_sees(client, response):
    """The response, its headers, and the page it redirects to."""
    seen = [response.content.decode(), str(response.headers)]
    if response.status_code == 302:
        page = client.get(response["Location"])
        seen += [page.content.decode(), str(page.headers)]
    return "\n".join(seen)


def test_the_urls_keep_their_names():
    assert reverse("members:conversations") == "/members/messages/"
    assert reverse("members:conversation", args=[3]) == "/members/messages/3/"
    assert reverse("members:block", args=[3]) == "/members/messages/3/block/"
    assert reverse("members:unblock", args=[3]) == "/members/messages/3/unblock/"
    assert reverse("members:report", args=[3, 4]) == "/members/messages/3/report/4/"
    assert reverse("members:unblock-member", args=[5]) == "/members/settings/directory/unblock/5/"


def test_writing_relays_from_the_clubs_address_and_never_shows_the_recipients(
    member_client, member, nia, settings
):
    entry = member_client.get(f"/members/{nia.pk}/").content.decode()
    assert SECRET not in entry
    assert "Let them reply to my email address" in entry
    assert re.search(r'name="reply_to_sender"[^>]*checked', entry)

    response = write(member_client, nia)
    assert response.status_code == 302
    seen = everything_the_client_sees(member_client, response)
    assert SECRET not in seen
    assert "Your message was sent to Nia." in seen
    assert "Hello Nia, could we talk about tenant unions?" in seen

    message = RelayedMessage.objects.get()
    assert message.sender == member
    assert message.conversation.recipient == nia
    assert message.reply_to_sender is True
    [email] = mail.outbox
    assert email.to == [SECRET]
    assert email.cc == []
    assert email.bcc == []
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.reply_to == ["alice@example.org"]
    assert email.subject == "Alice wrote to you through the members' directory"
    # No out-of-office reply (from Nia's own address) should go back to Alice.
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    assert email.extra_headers["X-Auto-Response-Suppress"] == "All"
    for body in [email.body, html_body(email)]:
        assert "could we talk about tenant unions?" in body
        assert "will see your email address" in body
        assert f"/members/messages/{message.conversation_id}/" in body
        assert f"/members/messages/{message.conversation_id}/report/{message.pk}/" in body


def test_a_sender_may_keep_their_address_private(member_client, member, nia):
    write(member_client, nia, reply=False)
    [email] = mail.outbox
    assert email.reply_to == []
    assert "alice@example.org" not in email.body + html_body(email) + str(email.message())
    assert "replies to this email do not reach them" in email.body
    assert RelayedMessage.objects.get().reply_to_sender is False


def test_replies_on_the_site_reach_the_sender_without_the_recipients_address(member_client, member, nia):
    write(member_client, nia, reply=False)
    conversation = Conversation.objects.get()
    mail.outbox.clear()
    nia_client = signed_in(nia)
    response = nia_client.post(f"/members/messages/{conversation.pk}/", {"body": "Happy to!"})
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == ["alice@example.org"]
    assert email.reply_to == []  # Nia kept hers private too
    # Everything Alice can see of Nia's answer: no trace of Nia's address.
    assert SECRET not in str(email.message())
    page = member_client.get(f"/members/messages/{conversation.pk}/").content.decode()
    assert "Happy to!" in page
    assert SECRET not in page
    assert SECRET not in member_client.get("/members/messages/").content.decode()
    assert SECRET not in member_client.get("/members/settings/my-data.json").content.decode()


def test_the_recipient_replying_with_their_address_is_their_choice(member_client, member, nia):
    write(member_client, nia)
    mail.outbox.clear()
    signed_in(nia).post(
        f"/members/messages/{Conversation.objects.get().pk}/", {"body": "Sure", "reply_to_sender": "on"}
    )
    [email] = mail.outbox
    assert email.reply_to == [SECRET]


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 302), ("member_on_break", 403), ("left_member", 302), ("organizer", 302)],
)
def test_permission_matrix_of_writing(client_for, role, status, nia):
    client = client_for(role)
    response = write(client, nia)
    assert response.status_code == status
    if role in ("visitor", "left_member"):
        assert response["Location"].startswith("/accounts/login/")
        assert not RelayedMessage.objects.exists()
    elif status == 302:
        assert response["Location"].startswith("/members/messages/")
        assert RelayedMessage.objects.count() == 1
    else:
        assert not RelayedMessage.objects.exists()
    assert client.put(f"/members/{nia.pk}/").status_code == 405  # the method is checked before signing in


@pytest.mark.parametrize("role", ["visitor", "member", "member_on_break", "left_member", "organizer"])
def test_permission_matrix_of_a_conversation(client_for, role, nia):
    """Only the two members in it see it: organizers too get a 404."""
    kim = listed("kim@example.org", "Kim")
    relay_message(kim, nia)
    conversation = Conversation.objects.get()
    [message] = conversation.messages.all()
    client = client_for(role)
    paths = [
        ("get", f"/members/messages/{conversation.pk}/"),
        ("post", f"/members/messages/{conversation.pk}/"),
        ("post", f"/members/messages/{conversation.pk}/block/"),
        ("post", f"/members/messages/{conversation.pk}/unblock/"),
        ("get", f"/members/messages/{conversation.pk}/report/{message.pk}/"),
        ("post", f"/members/messages/{conversation.pk}/report/{message.pk}/"),
    ]
    for method, path in paths:
        response = getattr(client, method)(path, {"body": "intrusion"} if method == "post" else None)
        if role in ("visitor", "left_member"):
            assert response.status_code == 302, path
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 404, path
    assert not Block.objects.exists()
    assert not Report.objects.exists()
    assert RelayedMessage.objects.count() == 1
    # GET on the POST-only views
    if role not in ("visitor", "left_member"):
        assert client.get(f"/members/messages/{conversation.pk}/block/").status_code == 405


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 200), ("member_on_break", 200), ("left_member", 302), ("organizer", 200)],
)
def test_permission_matrix_of_the_conversation_list(client_for, role, status):
    client = client_for(role)
    assert client.get("/members/messages/").status_code == status


def relay_message(sender, recipient, body="Hi there, fellow member."):
    client = signed_in(sender)
    response = write(client, recipient, body)
    assert response.status_code == 302, response.content.decode()
    return RelayedMessage.objects.filter(sender=sender).latest("pk")


def test_both_members_read_and_write_in_their_conversation(member, nia):
    message = relay_message(member, nia)
    conversation = message.conversation
    nia_client = signed_in(nia)
    page = nia_client.get(f"/members/messages/{conversation.pk}/").content.decode()
    assert "Conversation with Alice" in page
    assert "Hi there, fellow member." in page
    assert f"/members/messages/{conversation.pk}/report/{message.pk}/" in page
    listing = nia_client.get("/members/messages/").content.decode()
    assert "With Alice" in listing
    # Nia writes to Alice from the directory too: still one conversation.
    listed("alice2@example.org", "Other")
    DirectoryProfile.objects.create(user=member, listed=True)
    write(nia_client, member, "Another hello")
    assert Conversation.objects.count() == 1
    assert conversation.messages.count() == 2


def test_a_member_on_a_break_reads_but_does_not_write(member, nia):
    message = relay_message(member, nia)
    nia.take_break()
    page = signed_in(nia).get(f"/members/messages/{message.conversation_id}/").content.decode()
    assert "You are on a break" in page
    assert 'name="body"' not in page
    response = signed_in(nia).post(f"/members/messages/{message.conversation_id}/", {"body": "x"})
    assert response.status_code == 400
    # And Alice cannot write to Nia while she rests.
    page = signed_in(member).get(f"/members/messages/{message.conversation_id}/").content.decode()
    assert "Nia cannot receive messages right now." in page
    response = signed_in(member).post(
        f"/members/messages/{message.conversation_id}/", {"body": "still there?"}
    )
    assert response.status_code == 400
    assert RelayedMessage.objects.count() == 1


def test_no_one_can_write_to_a_member_who_is_not_listed(member_client, nia):
    DirectoryProfile.objects.filter(user=nia).update(listed=False)
    assert write(member_client, nia).status_code == 404
    assert not RelayedMessage.objects.exists()
    assert mail.outbox == []


def test_writing_to_oneself_is_not_offered(client, nia):
    client.force_login(nia)
    page = client.get(f"/members/{nia.pk}/").content.decode()
    assert "This is your entry" in page
    assert 'name="body"' not in page
    client.post(f"/members/{nia.pk}/", {"body": "me"})
    assert not RelayedMessage.objects.exists()


def test_empty_huge_and_nul_messages_are_refused(member_client, nia):
    for body in ["", "   ", "x" * 5001, "nul\x00byte"]:
        response = write(member_client, nia, body)
        assert response.status_code == 400, body[:10]
    assert not RelayedMessage.objects.exists()
    assert write(member_client, nia, "²³ ünïcödé " + "x" * 4980).status_code == 302


def test_a_double_submit_sends_once(member_client, nia):
    write(member_client, nia, "Same words")
    write(member_client, nia, "Same words")
    assert RelayedMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_at_most_five_new_conversations_a_day(member_client, member):
    others = [listed(f"m{i}@example.org", f"Member {i}") for i in range(7)]
    for other in others[:5]:
        assert write(member_client, other).status_code == 302
    response = write(member_client, others[5])
    assert response.status_code == 400
    assert "at most 5 new conversations a day" in response.content.decode()
    assert Conversation.objects.count() == 5
    # Writing on in a conversation already begun is not a new conversation.
    assert write(member_client, others[0], "And one more thing").status_code == 302
    # Another sender has their own five.
    assert write(signed_in(others[6]), others[5]).status_code == 302


def test_a_limit_slot_is_taken_once_even_by_two_at_once(db):
    taken = [limits.take("test", 1, limit=3, period=limits.DAY) for _ in range(5)]
    assert taken == [True, True, True, False, False]
    assert limits.take("test", 2, limit=3, period=limits.DAY) is True
    assert limits.remaining("test", 1, limit=3, period=limits.DAY) == 0


def test_messages_per_hour_are_limited(member_client, nia, monkeypatch):
    monkeypatch.setattr(relay, "MESSAGES_PER_HOUR", 3)
    for i in range(3):
        assert write(member_client, nia, f"message {i}").status_code == 302
    response = write(member_client, nia, "one too many")
    assert response.status_code == 400
    assert "Please wait a little" in response.content.decode()
    assert RelayedMessage.objects.count() == 3


def test_a_block_is_silent_and_nothing_more_reaches_the_blocker(member_client, member, nia):
    first = relay_message(member, nia, "First message")
    conversation = first.conversation
    nia_client = signed_in(nia)
    response = nia_client.post(f"/members/messages/{conversation.pk}/block/")
    assert response.status_code == 302
    assert Block.objects.filter(blocker=nia, blocked=member).exists()
    assert "They are not told" in nia_client.get(response["Location"]).content.decode()
    mail.outbox.clear()

    # Alice writes again: she sees exactly what she saw before the block.
    response = write(member_client, nia, "Second message")
    assert response.status_code == 302
    seen = everything_the_client_sees(member_client, response)
    assert "Your message was sent to Nia." in seen
    assert "Second message" in seen
    assert (
        "blocked" not in member_client.get(f"/members/messages/{conversation.pk}/").content.decode().lower()
    )
    assert mail.outbox == []  # nothing relayed
    second = RelayedMessage.objects.get(body="Second message")
    assert second.withheld is True
    # Nia never sees it, in the page, the list or her data.
    page = nia_client.get(f"/members/messages/{conversation.pk}/").content.decode()
    assert "First message" in page
    assert "Second message" not in page
    assert "Second message" not in nia_client.get("/members/settings/my-data.json").content.decode()
    # Alice's own data has it, with no word of the block.
    alice_data = member_client.get("/members/settings/my-data.json").content.decode()
    assert "Second message" in alice_data
    assert "withheld" not in alice_data
    assert "block" not in alice_data.lower().replace("members_you_blocked", "")

    # Nia unblocks from her settings: later messages reach her again.
    block = Block.objects.get()
    assert nia_client.post(f"/members/settings/directory/unblock/{block.pk}/").status_code == 302
    assert not Block.objects.exists()
    write(member_client, nia, "Third message")
    assert [email.to for email in mail.outbox] == [[SECRET]]


def test_a_conversation_begun_by_a_blocked_member_never_shows(member_client, member, nia):
    kim = listed("kim@example.org", "Kim")
    Block.objects.create(blocker=nia, blocked=kim)
    message = relay_message(kim, nia, "Unwanted")
    nia_client = signed_in(nia)
    assert "Kim" not in nia_client.get("/members/messages/").content.decode()
    assert nia_client.get(f"/members/messages/{message.conversation_id}/").status_code == 404
    assert mail.outbox == []
    # Kim sees her conversation as usual.
    assert "Unwanted" in signed_in(kim).get(f"/members/messages/{message.conversation_id}/").content.decode()
    # Only the other member's own conversation can be used to block: a stranger's id is a 404.
    assert (
        member_client.post(f"/members/settings/directory/unblock/{Block.objects.get().pk}/").status_code
        == 404
    )
    assert Block.objects.exists()


def test_reporting_a_message_gives_organizers_a_copy_of_that_one_only(member, nia, organizer):
    relay_message(member, nia, "A private hello")
    message = relay_message(member, nia, "Something hurtful")
    mail.outbox.clear()
    nia_client = signed_in(nia)
    form = nia_client.get(f"/members/messages/{message.conversation_id}/report/{message.pk}/")
    assert form.status_code == 200
    assert "Something hurtful" in form.content.decode()
    response = nia_client.post(
        f"/members/messages/{message.conversation_id}/report/{message.pk}/",
        {"reason": "Not ok", "also_block": "on"},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reporter, report.sender, report.body, report.reason) == (
        nia,
        member,
        "Something hurtful",
        "Not ok",
    )
    assert Block.objects.filter(blocker=nia, blocked=member).exists()
    [email] = mail.outbox
    assert email.to == ["olga@example.org"]
    for body in [email.body, html_body(email)]:
        assert f"/admin/members/report/{report.pk}/change/" in body
        assert "Something hurtful" not in body
    # Reporting again changes nothing and emails no one.
    nia_client.post(f"/members/messages/{message.conversation_id}/report/{message.pk}/", {"reason": "again"})
    assert Report.objects.count() == 1
    assert len(mail.outbox) == 1

    organizer_client = signed_in(organizer)
    listing = organizer_client.get("/admin/members/report/").content.decode()
    assert "Report #" in listing
    page = organizer_client.get(f"/admin/members/report/{report.pk}/change/").content.decode()
    assert "Something hurtful" in page
    assert "A private hello" not in page
    # No admin page shows members' messages or conversations.
    for path in ["/admin/members/relayedmessage/", "/admin/members/conversation/", "/admin/members/block/"]:
        assert organizer_client.get(path).status_code == 404
    assert "A private hello" not in organizer_client.get("/admin/").content.decode()

    # Alice, the sender, is never told.
    alice_page = signed_in(member).get(f"/members/messages/{message.conversation_id}/").content.decode()
    assert "report" not in alice_page.lower()


def test_one_cannot_report_ones_own_message(member, nia):
    message = relay_message(member, nia)
    response = signed_in(member).post(f"/members/messages/{message.conversation_id}/report/{message.pk}/")
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_organizers_pick_up_and_close_reports(member, nia, organizer):
    message = relay_message(member, nia)
    report, _created = relay.report(message, by=nia, reason="", also_block=False, request=_request())
    client = signed_in(organizer)
    response = client.post(
        "/admin/members/report/", {"action": "pick_up", "_selected_action": [report.pk]}, follow=True
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.status, report.handled_by) == ("picked_up", organizer)
    listing = client.get("/admin/members/report/?status__exact=picked_up").content.decode()
    assert "Olga" in listing
    client.post("/admin/members/report/", {"action": "close", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == "closed"


def _request():
    from django.test import RequestFactory

    return RequestFactory().get("/")


def test_a_left_member_is_named_a_former_member_and_cannot_be_written_to(member, nia):
    message = relay_message(member, nia)
    leave(member)
    page = signed_in(nia).get(f"/members/messages/{message.conversation_id}/").content.decode()
    assert "Conversation with a former member" in page
    assert "cannot receive messages right now" in page
    response = signed_in(nia).post(f"/members/messages/{message.conversation_id}/", {"body": "Bye"})
    assert response.status_code == 400


def test_my_data_has_messages_and_blocks_and_erasing_removes_them(member_client, member, nia):
    relay_message(member, nia, "From Alice")
    signed_in(nia).post(f"/members/messages/{Conversation.objects.get().pk}/", {"body": "From Nia"})
    Block.objects.create(blocker=member, blocked=nia)
    data = json.loads(member_client.get("/members/settings/my-data.json").content)
    [conversation] = data["conversations"]
    assert conversation["with"] == "Nia"
    assert [m["body"] for m in conversation["messages"]] == ["From Alice", "From Nia"]
    assert data["members_you_blocked"][0]["member"] == "Nia"
    assert SECRET not in json.dumps(data)

    leave(member, erase=True)
    assert not Conversation.objects.exists()
    assert not RelayedMessage.objects.exists()
    assert not Block.objects.exists()
    assert json.loads(signed_in(nia).get("/members/settings/my-data.json").content)["conversations"] == []


def test_erasing_keeps_a_report_for_the_organizers_unlinked(member, nia):
    message = relay_message(member, nia, "Reported words")
    relay.report(message, by=nia, reason="why", also_block=False, request=_request())
    leave(member, erase=True)
    report = Report.objects.get()
    assert (report.sender, report.message, report.body) == (None, None, "Reported words")


def test_a_message_is_saved_before_its_email_and_an_smtp_failure_is_retried_once(
    member_client, member, nia, settings
):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.MAILER_USE_FILE_LOCK = False
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    write(member_client, nia, "Queued words")
    message = RelayedMessage.objects.get()
    [queued] = Message.objects.all()
    assert queued.email.to == [SECRET]
    assert queued.email.reply_to == ["alice@example.org"]
    call_command("send_mail")
    assert RelayedMessage.objects.filter(pk=message.pk).exists()
    assert Message.objects.deferred().count() == 1
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("retry_deferred")
    call_command("send_mail")
    call_command("send_mail")
    assert [email.to for email in mail.outbox] == [[SECRET]]


def test_an_email_that_cannot_be_queued_leaves_no_message(member_client, nia, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(relay, "send_email", broken)
    with pytest.raises(RuntimeError):
        write(member_client, nia)
    assert not RelayedMessage.objects.exists()


def test_the_conversation_list_is_bounded(member_client, member, django_assert_max_num_queries):
    from members.models import User

    users = User.objects.bulk_create(
        [User(email=f"c{i}@example.org", display_name=f"C {i}", password="!") for i in range(120)]
    )
    conversations = Conversation.objects.bulk_create(
        [Conversation(starter=user, recipient=member) for user in users]
    )
    RelayedMessage.objects.bulk_create(
        [RelayedMessage(conversation=c, sender_id=c.starter_id, body="hi") for c in conversations]
    )
    with django_assert_max_num_queries(8):
        html = member_client.get("/members/messages/").content.decode()
    assert html.count("With C ") == 50


def test_a_name_never_falls_back_to_an_address(member_client, member):
    nameless = create_member("hidden.name@example.org", password=PASSWORD)
    DirectoryProfile.objects.create(user=nameless, listed=True)
    conversation = Conversation.objects.create(starter=nameless, recipient=member)
    RelayedMessage.objects.create(conversation=conversation, sender=nameless, body="hello")
    for path in [
        "/members/messages/",
        f"/members/messages/{conversation.pk}/",
        "/members/settings/my-data.json",
    ]:
        assert "hidden.name" not in member_client.get(path).content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_first_messages_at_once_make_one_conversation_and_take_the_last_slot_once():
    """Alice has one new conversation left; she and Nia write to each other at the same moment."""
    alice = listed("alice@example.org", "Alice")
    nia = listed(SECRET, "Nia")
    kim = listed("kim@example.org", "Kim")
    for _ in range(relay.NEW_CONVERSATIONS_PER_DAY - 1):
        limits.take("new-conversation", alice.pk, limit=relay.NEW_CONVERSATIONS_PER_DAY, period=limits.DAY)
    barrier = threading.Barrier(3)
    outcomes = []

    def send(sender, recipient):
        try:
            barrier.wait()
            relay.write(sender, recipient, f"hi from {sender.pk}", reply_to_sender=False, request=_request())
            outcomes.append("sent")
        except relay.LimitReachedError:
            outcomes.append("limit")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=pair) for pair in [(alice, nia), (nia, alice), (alice, kim)]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One conversation between Alice and Nia whoever began it; Alice's last slot went to one of hers.
    assert Conversation.objects.between(alice, nia).count() == 1
    alice_started = Conversation.objects.filter(starter=alice).count()
    assert alice_started <= 1
    assert sorted(outcomes).count("sent") >= 2
