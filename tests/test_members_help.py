"""/members/help/: confidential requests for help to the organizers, optionally anonymous."""

import json

import pytest
from django.core import mail
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from mailer.models import Message

from members.accounts import create_member, leave
from members.outreach import help as help_requests
from members.outreach.models import HelpRequest
from tests.conftest import PASSWORD
from tests.members_support import html_body

HELP = "/members/help/"


def ask(client, **changes):
    data = {"to": "all", "about": "conduct", "body": "Someone made me uneasy at the last meeting.", **changes}
    return client.post(HELP, {key: value for key, value in data.items() if value is not None})


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def otto(db):
    return create_member("otto@example.org", password=PASSWORD, display_name="Otto", is_staff=True)


def test_the_urls_keep_their_names():
    assert reverse("members:help") == HELP
    assert reverse("members:help-sent") == "/members/help/sent/"


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 200), ("member_on_break", 200), ("left_member", 302), ("organizer", 200)],
)
def test_permission_matrix(client_for, role, status):
    """Members on a break may ask for help too."""
    client = client_for(role)
    assert client.get(HELP).status_code == status
    assert client.get("/members/help/sent/").status_code == status
    response = ask(client)
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
        assert not HelpRequest.objects.exists()
    else:
        assert response.status_code == 302
        assert HelpRequest.objects.count() == 1
        assert client.post("/members/help/sent/").status_code == 405


def test_a_named_request_to_all_organizers(member_client, member, organizer, otto):
    page = member_client.get(HELP).content.decode()
    assert "All organizers" in page
    assert "Olga" in page
    assert "Otto" in page
    assert "olga@example.org" not in page

    response = ask(member_client)
    assert response["Location"] == "/members/help/sent/"
    help_request = HelpRequest.objects.get()
    assert help_request.sender == member
    assert help_request.to_all_organizers is True
    assert help_request.about == "conduct"
    # One email per organizer, each in that organizer's language.
    assert sorted(email.to for email in mail.outbox) == [["olga@example.org"], ["otto@example.org"]]
    for email in mail.outbox:
        for body in [email.body, html_body(email)]:
            assert f"/admin/members/helprequest/{help_request.pk}/change/" in body
            assert "uneasy" not in body  # the request stays on the site
        assert "uneasy" not in email.subject
        assert "A member asked for help" in email.subject


def test_a_request_to_one_organizer_is_for_that_organizer_only(member_client, member, organizer, otto):
    ask(member_client, to=str(otto.pk))
    help_request = HelpRequest.objects.get()
    assert (help_request.to_all_organizers, help_request.addressed_to) == (False, otto)
    [email] = mail.outbox
    assert email.to == ["otto@example.org"]
    assert "only you" in email.body

    otto_admin = signed_in(otto)
    assert (
        "uneasy" in otto_admin.get(f"/admin/members/helprequest/{help_request.pk}/change/").content.decode()
    )
    assert "Help request #" in otto_admin.get("/admin/members/helprequest/").content.decode()
    olga_admin = signed_in(organizer)
    assert "Help request #" not in olga_admin.get("/admin/members/helprequest/").content.decode()
    response = olga_admin.get(f"/admin/members/helprequest/{help_request.pk}/change/")
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert "uneasy" not in olga_admin.get(response["Location"]).content.decode()


def test_an_anonymous_request_keeps_no_link_to_the_sender(member_client, member, organizer):
    page = member_client.get(HELP).content.decode()
    assert "keeps no link to you" in page
    ask(member_client, anonymous="on", body="Anonymous concern")
    help_request = HelpRequest.objects.get()
    assert help_request.sender is None
    assert help_request.is_anonymous
    # The row itself: nothing about the sender, and a day rather than a time.
    row = model_to_dict(help_request)
    assert set(row) == {
        "id",
        "status",
        "handled_by",
        "picked_up_at",
        "closed_at",
        "organizer_notes",
        "sender",
        "to_all_organizers",
        "addressed_to",
        "about",
        "body",
        "received_on",
    }
    assert row["sender"] is None
    assert row["handled_by"] is None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {HelpRequest._meta.db_table}")  # noqa: S608 (a model's own table)
        raw = " ".join(str(value) for value in cursor.fetchone())
    assert "alice" not in raw.lower()
    assert "127.0.0.1" not in raw
    assert ":" not in str(row["received_on"])  # a date, no time of day
    [email] = mail.outbox
    assert "alice" not in str(email.message()).lower()
    assert "An anonymous request for help" in email.subject
    # Not in the sender's data, nor listed on their page.
    data = member_client.get("/members/settings/my-data.json").content.decode()
    assert "Anonymous concern" not in data
    assert "Anonymous concern" not in member_client.get(HELP).content.decode()
    # The organizers see it as anonymous.
    listing = signed_in(organizer).get("/admin/members/helprequest/").content.decode()
    assert "anonymous" in listing
    assert "alice@example.org" not in listing


def test_nothing_about_an_anonymous_request_is_left_in_the_session(member_client, member):
    from django.contrib.sessions.models import Session

    ask(member_client, anonymous="on", body="Secret words")
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded())
        assert "Secret" not in decoded
        assert "help" not in decoded.lower()


def test_picking_up_tells_a_named_sender_who_handles_it_once(member_client, member, organizer):
    ask(member_client)
    ask(member_client, anonymous="on", body="Anonymous one")
    named, anonymous = HelpRequest.objects.order_by("pk")
    mail.outbox.clear()
    olga = signed_in(organizer)
    response = olga.post(
        "/admin/members/helprequest/", {"action": "pick_up", "_selected_action": [named.pk, anonymous.pk]}
    )
    assert response.status_code == 302
    named.refresh_from_db()
    anonymous.refresh_from_db()
    assert (named.status, named.handled_by) == ("picked_up", organizer)
    assert (anonymous.status, anonymous.handled_by) == ("picked_up", organizer)
    [email] = mail.outbox  # the anonymous sender cannot be told
    assert email.to == ["alice@example.org"]
    assert email.subject == "Olga picked up your request for help"
    assert "Olga picked up the request" in email.body
    assert "Olga picked up the request" in html_body(email)
    # Picking up again (another organizer, a double click) changes nothing and tells no one again.
    olga.post("/admin/members/helprequest/", {"action": "pick_up", "_selected_action": [named.pk]})
    assert len(mail.outbox) == 1
    listing = olga.get("/admin/members/helprequest/?status__exact=picked_up").content.decode()
    assert "Olga" in listing
    # The member sees who handles it.
    assert "picked up by Olga" in member_client.get(HELP).content.decode()


def test_only_one_organizer_picks_up_a_request(member_client, organizer, otto):
    ask(member_client)
    help_request = HelpRequest.objects.get()
    assert help_request.pick_up(by=organizer) is True
    assert HelpRequest.objects.get().pick_up(by=otto) is False
    assert HelpRequest.objects.get().handled_by == organizer


def test_at_most_five_requests_a_day_named_or_anonymous(member_client, member):
    create_member("olga@example.org", password=PASSWORD, display_name="Olga", is_staff=True)
    for i in range(5):
        assert ask(member_client, body=f"request {i}", anonymous="on" if i % 2 else None).status_code == 302
    response = ask(member_client, body="one more")
    assert response.status_code == 400
    assert "You have sent 5 requests today" in response.content.decode()
    assert HelpRequest.objects.count() == 5


def test_bad_input_is_refused(member_client, organizer):
    for changes in [
        {"body": ""},
        {"body": "   "},
        {"body": "x" * 5001},
        {"body": "nul\x00"},
        {"to": "2147483647"},
        {"to": "²"},
        {"about": "nonsense"},
    ]:
        response = ask(member_client, **changes)
        assert response.status_code == 400, changes
    assert not HelpRequest.objects.exists()


def test_an_organizer_on_a_break_cannot_be_chosen(member_client, organizer, otto):
    otto.take_break()
    assert "Otto" not in member_client.get(HELP).content.decode()
    assert ask(member_client, to=str(otto.pk)).status_code == 400


def test_with_no_organizer_available_the_club_address_hears_of_it(member_client, settings):
    ask(member_client)
    [email] = mail.outbox
    assert email.to == [settings.CLUB_CONTACT_EMAIL]


def test_the_request_is_saved_with_its_email_in_one_transaction(member_client, organizer, settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    ask(member_client)
    assert HelpRequest.objects.count() == 1
    [queued] = Message.objects.all()
    assert queued.email.to == ["olga@example.org"]


def test_an_email_that_cannot_be_queued_leaves_no_request(member_client, organizer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(help_requests, "send_email", broken)
    with pytest.raises(RuntimeError):
        ask(member_client)
    assert not HelpRequest.objects.exists()


def test_my_data_has_named_requests_and_erasing_deletes_them(member_client, member, organizer):
    ask(member_client, body="Named one")
    ask(member_client, body="Anonymous one", anonymous="on")
    data = json.loads(member_client.get("/members/settings/my-data.json").content)
    assert [item["request"] for item in data["help_requests_with_your_name"]] == ["Named one"]
    leave(member, erase=True)
    assert list(HelpRequest.objects.values_list("body", flat=True)) == ["Anonymous one"]


def test_the_admin_list_is_bounded(organizer, django_assert_max_num_queries):
    senders = [create_member(f"s{i}@example.org", display_name=f"S{i}") for i in range(30)]
    HelpRequest.objects.bulk_create(
        [HelpRequest(sender=sender, body="help", to_all_organizers=True) for sender in senders]
    )
    client = signed_in(organizer)
    with django_assert_max_num_queries(15):
        response = client.get("/admin/members/helprequest/")
    assert response.content.decode().count('class="action-select"') == 30


def test_a_double_submit_sends_once(member_client, organizer):
    ask(member_client, anonymous="on")
    ask(member_client, anonymous="on")
    ask(member_client)
    ask(member_client)
    assert HelpRequest.objects.count() == 2
    assert len(mail.outbox) == 2


def test_an_organizer_cannot_pick_up_a_request_meant_for_another(member_client, organizer, otto):
    ask(member_client, to=str(otto.pk))
    help_request = HelpRequest.objects.get()
    signed_in(organizer).post(
        "/admin/members/helprequest/", {"action": "pick_up", "_selected_action": [help_request.pk]}
    )
    help_request.refresh_from_db()
    assert help_request.status == "open"
    assert help_request.handled_by is None


def test_organizers_keep_notes_on_a_request_and_nothing_else_changes(member_client, member, organizer):
    ask(member_client)
    help_request = HelpRequest.objects.get()
    client = signed_in(organizer)
    url = f"/admin/members/helprequest/{help_request.pk}/change/"
    page = client.get(url).content.decode()
    assert "uneasy" in page
    assert "Alice" in page
    response = client.post(url, {"organizer_notes": "Called Alice", "body": "changed", "sender": ""})
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.organizer_notes == "Called Alice"
    assert help_request.body == "Someone made me uneasy at the last meeting."
    assert help_request.sender == member
    assert client.get("/admin/members/helprequest/add/").status_code == 403
