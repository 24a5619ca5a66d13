"""Organizers in the admin: approve or decline requests (one by one or in bulk), advise a break."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.accounts import create_member
from members.models import AccessRequest, User
from members.standing import may_take_part
from tests.factories import make_access_request
from tests.members_support import html_body

CHANGELIST = reverse("admin:members_accessrequest_changelist")


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def change_url(access_request):
    return reverse("admin:members_accessrequest_change", args=[access_request.pk])


def test_organizers_see_the_requests_and_the_buttons(organizer_client, db):
    pending = make_access_request()
    make_access_request(email="old@example.org", status=AccessRequest.Status.DECLINED)
    listing = organizer_client.get(CHANGELIST)
    assert listing.status_code == 200
    assert "nia@example.org" in listing.content.decode()
    page = organizer_client.get(change_url(pending)).content.decode()
    assert reverse("admin:members_accessrequest_approve", args=[pending.pk]) in page
    assert reverse("admin:members_accessrequest_decline", args=[pending.pk]) in page
    assert "I want to learn with others" in page


def test_decided_requests_have_no_buttons(organizer_client, db):
    declined = make_access_request(status=AccessRequest.Status.DECLINED)
    page = organizer_client.get(change_url(declined)).content.decode()
    assert reverse("admin:members_accessrequest_approve", args=[declined.pk]) not in page


def test_requests_cannot_be_added_or_edited_by_hand(organizer_client, db):
    pending = make_access_request()
    assert organizer_client.get(reverse("admin:members_accessrequest_add")).status_code == 403
    organizer_client.post(change_url(pending), {"name": "Changed", "status": "approved"})
    pending.refresh_from_db()
    assert (pending.name, pending.status) == ("Nia Newcomer", "pending")


def test_approving_with_a_message_from_the_change_page(organizer_client, organizer, capture):
    pending = make_access_request()
    url = reverse("admin:members_accessrequest_approve", args=[pending.pk])
    form = organizer_client.get(url)
    assert form.status_code == 200
    assert "Personal message" in form.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"  # a GET only asks
    with capture(execute=True):
        response = organizer_client.post(url, {"message": "See you Thursday!"})
    assert response.status_code == 302
    assert response["Location"] == change_url(pending)
    pending.refresh_from_db()
    assert pending.status == "approved"
    assert pending.decided_by == organizer
    assert pending.decision_message == "See you Thursday!"
    assert User.objects.filter(email="nia@example.org", is_active=True).exists()
    [message] = mail.outbox
    assert "See you Thursday!" in message.body
    assert "See you Thursday!" in html_body(message)
    assert "Approved 1 request." in organizer_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("send", "emails"), [("on", 1), ("", 0)])
def test_declining_from_the_change_page_emails_only_if_chosen(organizer_client, capture, send, emails):
    pending = make_access_request()
    url = reverse("admin:members_accessrequest_decline", args=[pending.pk])
    assert "send the newcomer a kind message" in organizer_client.get(url).content.decode()
    with capture(execute=True):
        organizer_client.post(url, {"message": "Thank you, and good luck.", "send_decline_message": send})
    pending.refresh_from_db()
    assert pending.status == "declined"
    assert len(mail.outbox) == emails
    assert not User.objects.filter(email="nia@example.org").exists()


def test_a_decided_request_cannot_be_decided_again_in_the_admin(organizer_client, capture):
    approved = make_access_request(status=AccessRequest.Status.APPROVED)
    with capture(execute=True):
        response = organizer_client.post(
            reverse("admin:members_accessrequest_decline", args=[approved.pk]), {"send_decline_message": "on"}
        )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == "approved"
    assert mail.outbox == []


def test_bulk_approval_asks_for_a_message_then_approves_the_pending_ones(
    organizer_client, organizer, capture
):
    first, second = make_access_request(), make_access_request(email="sol@example.org", name="Sol")
    declined = make_access_request(email="no@example.org", status=AccessRequest.Status.DECLINED)
    selection = {ACTION_CHECKBOX_NAME: [first.pk, second.pk, declined.pk], "action": "approve_selected"}
    page = organizer_client.post(CHANGELIST, selection)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Approve 2 requests" in html
    assert "no@example.org" not in html
    assert AccessRequest.objects.filter(status="pending").count() == 2
    with capture(execute=True):
        response = organizer_client.post(
            CHANGELIST,
            {
                ACTION_CHECKBOX_NAME: [first.pk, second.pk],
                "action": "approve_selected",
                "apply": "1",
                "message": "Hi!",
            },
        )
    assert response.status_code == 302
    assert AccessRequest.objects.filter(status="approved", decided_by=organizer).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["nia@example.org", "sol@example.org"]
    declined.refresh_from_db()
    assert declined.status == "declined"


def test_bulk_decline_without_a_message_sends_nothing(organizer_client, capture):
    first, second = make_access_request(), make_access_request(email="sol@example.org")
    with capture(execute=True):
        organizer_client.post(
            CHANGELIST,
            {ACTION_CHECKBOX_NAME: [first.pk, second.pk], "action": "decline_selected", "apply": "1"},
        )
    assert AccessRequest.objects.filter(status="declined").count() == 2
    assert mail.outbox == []


def test_organizers_find_members_and_advise_a_break(organizer_client, organizer, member):
    changelist = reverse("admin:members_user_changelist")
    assert organizer_client.get(changelist).status_code == 200
    until = timezone.localdate() + timedelta(days=21)
    page = organizer_client.post(changelist, {ACTION_CHECKBOX_NAME: [member.pk], "action": "advise_break"})
    assert page.status_code == 200
    assert "Note to the member" in page.content.decode()
    missing_note = organizer_client.post(
        changelist,
        {
            ACTION_CHECKBOX_NAME: [member.pk],
            "action": "advise_break",
            "apply": "1",
            "until": until.isoformat(),
        },
    )
    assert "This field is required." in missing_note.content.decode()
    member.refresh_from_db()
    assert not member.is_on_break
    organizer_client.post(
        changelist,
        {
            ACTION_CHECKBOX_NAME: [member.pk],
            "action": "advise_break",
            "apply": "1",
            "until": until.isoformat(),
            "note": "Take three weeks; we will check in.",
        },
    )
    member.refresh_from_db()
    assert member.is_on_break
    assert member.break_is_advised
    assert member.break_until == until
    assert member.break_note == "Take three weeks; we will check in."
    assert member.break_advised_by == organizer
    assert not may_take_part(member)
    on_break = organizer_client.get(changelist + "?on_break=yes").content.decode()
    assert "alice@example.org" in on_break
    organizer_client.post(changelist, {ACTION_CHECKBOX_NAME: [member.pk], "action": "end_break"})
    member.refresh_from_db()
    assert not member.is_on_break


def test_only_superusers_change_superusers_passwords_and_roles(organizer_client, member):
    root = create_member("root@example.org", is_staff=True, is_superuser=True)
    assert organizer_client.post(reverse("admin:members_user_change", args=[root.pk]), {}).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[member.pk])
    assert password_url == f"/admin/members/user/{member.pk}/password/"
    assert organizer_client.get(password_url).status_code == 403
    assert organizer_client.get(reverse("admin:members_user_add")).status_code == 403
    page = organizer_client.get(reverse("admin:members_user_change", args=[member.pk])).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    assert 'name="break_note"' in page


ADMIN_URLS = [
    lambda r: CHANGELIST,
    lambda r: change_url(r),
    lambda r: reverse("admin:members_accessrequest_approve", args=[r.pk]),
    lambda r: reverse("admin:members_accessrequest_decline", args=[r.pk]),
    lambda r: reverse("admin:members_user_changelist"),
]


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 302), ("member_on_break", 302), ("organizer", 200)],
)
@pytest.mark.parametrize("url", ADMIN_URLS)
def test_admin_permission_matrix(client_for, role, status, url):
    access_request = make_access_request()
    response = client_for(role).get(url(access_request))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/admin/login/")


def test_the_request_list_needs_a_bounded_number_of_queries(
    organizer_client, organizer, django_assert_max_num_queries
):
    AccessRequest.objects.bulk_create(
        AccessRequest(
            name=f"Person {number}",
            email=f"person{number}@example.org",
            motivation="x" * 30,
            status="approved" if number % 2 else "declined",
            decided_by=organizer,
        )
        for number in range(300)
    )
    with django_assert_max_num_queries(15):
        response = organizer_client.get(CHANGELIST + "?all=")
    assert response.status_code == 200
    assert response.content.decode().count("person") >= 100


def test_the_request_page_needs_a_bounded_number_of_queries(organizer_client, django_assert_max_num_queries):
    access_request = make_access_request()
    for number in range(20):
        access_request.emails.create(
            kind="notify", to=f"o{number}@example.org", message_id=f"<{number}@example.org>"
        )
    with django_assert_max_num_queries(12):
        assert organizer_client.get(change_url(access_request)).status_code == 200


@pytest.mark.parametrize(
    "path", ["/admin/mailer/messagelog/", "/admin/mailer/dontsendentry/", "/admin/auth/group/"]
)
def test_mail_log_internals_and_groups_are_for_superusers_only(client, organizer, path):
    client.force_login(organizer)
    assert client.get(path).status_code == 403
    index = client.get("/admin/").content.decode()
    assert path not in index
    organizer.is_superuser = True
    organizer.save()
    assert client.get(path).status_code == 200
    assert path in client.get("/admin/").content.decode()
