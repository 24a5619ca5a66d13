"""Deleting old unconfirmed requests, and the demo content."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from members import demo
from members.models import AccessRequest, User
from tests.factories import make_access_request


def test_it_deletes_unconfirmed_requests_older_than_30_days_only(db):
    old = make_access_request("old@example.org", status="unconfirmed", days_old=31)
    recent = make_access_request("recent@example.org", status="unconfirmed", days_old=29)
    old_pending = make_access_request("pending@example.org", status="pending", days_old=90)
    old_declined = make_access_request("declined@example.org", status="declined", days_old=90)
    old.emails.create(kind="confirm", to=old.email, message_id="<1@example.org>")
    out = io.StringIO()
    call_command("delete_unconfirmed_requests", stdout=out)
    assert "Deleted 1 unconfirmed access request." in out.getvalue()
    remaining = set(AccessRequest.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, old_pending.pk, old_declined.pk}


def test_a_request_sent_again_recently_is_kept(db):
    resent = make_access_request("resent@example.org", status="unconfirmed", days_old=40)
    AccessRequest.objects.filter(pk=resent.pk).update(updated_at=timezone.now() - timedelta(days=2))
    call_command("delete_unconfirmed_requests", stdout=io.StringIO())
    assert AccessRequest.objects.filter(pk=resent.pk).exists()


def test_the_age_can_be_chosen(db):
    make_access_request("week@example.org", status="unconfirmed", days_old=8)
    call_command("delete_unconfirmed_requests", "--days", "7", stdout=io.StringIO())
    assert not AccessRequest.objects.exists()


def test_the_demo_has_members_one_on_a_break_and_requests_of_each_kind_and_runs_twice(db):
    demo.seed(io.StringIO())
    counts = (User.objects.count(), AccessRequest.objects.count())
    demo.seed(io.StringIO())
    assert (User.objects.count(), AccessRequest.objects.count()) == counts
    assert User.objects.filter(is_staff=True).exists()
    assert User.objects.on_break().count() == 1
    assert User.objects.in_good_standing().filter(is_staff=False).count() == 3
    statuses = set(AccessRequest.objects.values_list("status", flat=True))
    assert {"pending", "approved", "declined"} <= statuses
    approved = AccessRequest.objects.get(status="approved")
    assert approved.member is not None
    assert approved.decided_by is not None


def test_new_text_is_kept_while_its_link_works(db):
    from members.models import AccessRequestRevision

    access_request = make_access_request("open@example.org", status="pending", days_old=10)
    fields = {"name": "New", "motivation": "y" * 30, "agreed_to_code_of_conduct": True}
    old = AccessRequestRevision.objects.create(access_request=access_request, **fields)
    AccessRequestRevision.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=4))
    recent = AccessRequestRevision.objects.create(access_request=access_request, **fields)
    call_command("delete_unconfirmed_requests", stdout=io.StringIO())
    assert list(access_request.revisions.all()) == [recent]
