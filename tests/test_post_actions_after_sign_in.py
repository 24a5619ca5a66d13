"""A POST-only action from an expired session: sign in again and land on the page with the form."""

import pytest
from django.urls import reverse

from meetings.models import RSVP
from tests.conftest import PASSWORD
from tests.factories import make_meeting


def sign_in_from(client, response, user):
    """Follow the sign-in redirect as a person would: the form, then the page `next` names."""
    login_url = response["Location"]
    assert login_url.startswith(reverse("account_login"))
    signed_in = client.post(login_url, {"login": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    return signed_in["Location"]


def test_an_rsvp_after_the_session_expired_leads_back_to_the_meeting(client, member):
    meeting = make_meeting()
    response = client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"answer": "going"})
    assert response["Location"] == f"{reverse('account_login')}?next=/meetings/{meeting.pk}/"
    landing = sign_in_from(client, response, member)
    assert landing == f"/meetings/{meeting.pk}/"
    page = client.get(landing)
    assert page.status_code == 200
    assert f'action="{reverse("meetings:rsvp", args=[meeting.pk])}"' in page.content.decode()
    assert not RSVP.objects.exists()  # nothing is done behind the person's back


@pytest.mark.parametrize("name", ["members:take-break", "members:come-back"])
def test_a_break_action_after_the_session_expired_leads_back_to_the_settings(client, member, name):
    if name == "members:come-back":
        member.take_break()
    response = client.post(reverse(name))
    landing = sign_in_from(client, response, member)
    assert landing == reverse("members:settings")
    page = client.get(landing)
    assert page.status_code == 200
    assert f'action="{reverse(name)}"' in page.content.decode()
    member.refresh_from_db()
    assert (member.break_since is not None) == (name == "members:come-back")


def test_an_rsvp_for_no_such_meeting_still_ends_in_a_404(client, member):
    response = client.post(reverse("meetings:rsvp", args=[2147483647]), {"answer": "going"})
    landing = sign_in_from(client, response, member)
    assert client.get(landing).status_code == 404


def test_a_signed_in_get_on_the_action_is_still_refused(member_client):
    meeting = make_meeting()
    assert member_client.get(reverse("meetings:rsvp", args=[meeting.pk])).status_code == 405
