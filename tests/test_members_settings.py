"""The member settings page: profile, emails wanted, sign-in links, a break, leaving, my data."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.template import Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.accounts import create_member
from members.models import AccessRequest, User
from members.signals import collect_personal_data, collect_settings_sections
from members.standing import may_take_part
from tests.conftest import PASSWORD

SETTINGS = "/members/settings/"


def settings_data(**changes):
    return {
        "display_name": "Alice A.",
        "pronouns": "she/her",
        "time_zone": "Europe/Berlin",
        "wants_announcements": "on",
        "wants_meeting_reminders": "",
        "wants_topic_news": "on",
        **changes,
    }


def test_the_urls_keep_their_names():
    assert reverse("members:settings") == SETTINGS


def test_the_page_shows_each_setting_and_the_account_links(member_client):
    response = member_client.get(SETTINGS)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for field in ["display_name", "pronouns", "time_zone", "wants_announcements", "wants_meeting_reminders"]:
        assert f'for="id_{field}"' in html
    assert 'for="id_wants_topic_news"' in html
    assert "id_wants_request_notifications" not in html
    for name in ["account_email", "account_change_password", "mfa_index", "members:my-data", "members:leave"]:
        assert f'href="{reverse(name)}"' in html, name
    assert f'action="{reverse("members:take-break")}"' in html
    assert '<option value="Europe/Berlin">Europe/Berlin</option>' in html


def test_organizers_also_choose_whether_to_hear_of_new_requests(organizer_client, organizer):
    assert 'for="id_wants_request_notifications"' in organizer_client.get(SETTINGS).content.decode()
    organizer_client.post(SETTINGS, settings_data(wants_request_notifications=""))
    organizer.refresh_from_db()
    assert organizer.wants_request_notifications is False


def test_saving_the_settings(member_client, member):
    response = member_client.post(SETTINGS, settings_data())
    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    member.refresh_from_db()
    assert member.display_name == "Alice A."
    assert member.pronouns == "she/her"
    assert member.time_zone == "Europe/Berlin"
    assert member.wants_announcements is True
    assert member.wants_meeting_reminders is False
    assert member.wants_topic_news is True
    assert "Your settings are saved." in member_client.get(SETTINGS).content.decode()


def test_an_empty_time_zone_means_the_clubs(member_client, member):
    member_client.post(SETTINGS, settings_data(time_zone=""))
    member.refresh_from_db()
    assert member.time_zone == ""


def test_a_member_cannot_grant_themselves_anything(member_client, member):
    member_client.post(
        SETTINGS, settings_data(is_staff="on", wants_request_notifications="off", email="x@example.org")
    )
    member.refresh_from_db()
    assert not member.is_staff
    assert member.email == "alice@example.org"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"display_name": "x" * 101}, "display_name"),
        ({"pronouns": "x" * 41}, "pronouns"),
    ],
)
def test_bad_settings_get_a_field_error(member_client, member, changes, field):
    response = member_client.post(SETTINGS, settings_data(**changes))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    member.refresh_from_db()
    assert member.display_name == "Alice"


def test_other_apps_add_their_sections(member_client):
    def section(sender, request, **kwargs):
        return Template("<section><h2>Calendar for {{ request.user.display_name }}</h2></section>")

    collect_settings_sections.connect(section, dispatch_uid="test-section")
    try:
        html = member_client.get(SETTINGS).content.decode()
    finally:
        collect_settings_sections.disconnect(dispatch_uid="test-section")
    assert "<h2>Calendar for Alice</h2>" in html


# --- taking a break -------------------------------------------------------------


def test_taking_a_break_until_i_come_back(member_client, member):
    response = member_client.post(reverse("members:take-break"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_on_break
    assert member.break_until is None
    assert not may_take_part(member)
    assert not User.objects.in_good_standing().filter(pk=member.pk).exists()
    html = member_client.get(SETTINGS).content.decode()
    assert "Come back now" in html


def test_taking_a_break_until_a_date_ends_by_itself(member_client, member):
    until = timezone.localdate() + timedelta(days=10)
    member_client.post(reverse("members:take-break"), {"until": until.isoformat()})
    member.refresh_from_db()
    assert member.break_until == until
    assert member.is_on_break
    member.break_until = timezone.localdate() - timedelta(days=1)
    member.save()
    assert not member.is_on_break
    assert may_take_part(member)


def test_a_break_cannot_end_in_the_past(member_client, member):
    response = member_client.post(
        reverse("members:take-break"), {"until": (timezone.localdate() - timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 400
    assert "today or a day in the future" in response.content.decode()
    member.refresh_from_db()
    assert not member.is_on_break


def test_a_break_form_from_an_older_tab_changes_nothing_and_says_why(break_client, member_on_break):
    """Found by an outsider: a 400 with the settings page and no error (the page shows no break form)."""
    until = member_on_break.break_until
    response = break_client.post(reverse("members:take-break"), {"until": "2001-01-01"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "You are already on a break. Come back first if you would like to change it."
    ]
    member_on_break.refresh_from_db()
    assert member_on_break.is_on_break
    assert member_on_break.break_until == until


def test_coming_back_is_one_click(break_client, member_on_break):
    response = break_client.post(reverse("members:come-back"))
    assert response.status_code == 302
    member_on_break.refresh_from_db()
    assert not member_on_break.is_on_break
    assert member_on_break.break_since is None
    assert may_take_part(member_on_break)


def test_a_break_the_organizers_advised_holds_until_its_date(member_client, member, organizer):
    member.advise_break(
        until=timezone.localdate() + timedelta(days=14), note="Let's talk in two weeks.", by=organizer
    )
    html = member_client.get(SETTINGS).content.decode()
    assert "Let&#x27;s talk in two weeks." in html
    assert "Come back now" not in html
    member_client.post(reverse("members:come-back"))
    member_client.post(reverse("members:take-break"))
    member.refresh_from_db()
    assert member.is_on_break
    assert member.break_note == "Let's talk in two weeks."


# --- leaving --------------------------------------------------------------------


def test_the_leave_page_asks_first_and_offers_a_break_instead(member_client, member):
    response = member_client.get(reverse("members:leave"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Also erase my personal data" in html
    assert "take a break" in html
    member.refresh_from_db()
    assert member.is_active


def test_leaving_deactivates_the_account_and_signs_out_everywhere(member_client, member):
    elsewhere = Client()
    elsewhere.force_login(member)
    response = member_client.post(reverse("members:leave"))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:left")
    member.refresh_from_db()
    assert not member.is_active
    assert member.left_at is not None
    assert member.email == "alice@example.org"  # kept: they may come back
    assert member.public_name == "a former member"
    assert SESSION_KEY not in member_client.session
    assert not elsewhere.get("/").wsgi_request.user.is_authenticated
    assert not Client().login(email="alice@example.org", password=PASSWORD)
    assert "Goodbye" in member_client.get(reverse("members:left")).content.decode()


def test_leaving_and_erasing_blanks_the_personal_data(member_client, member):
    AccessRequest.objects.create(
        name="Alice", email="Alice@example.org", motivation="x" * 30, status="approved", member=member
    )
    member.take_break()
    member_client.post(reverse("members:leave"), {"erase": "on"})
    member.refresh_from_db()
    assert not member.is_active
    assert member.erased_at is not None
    assert member.email == f"former-member-{member.pk}@invalid"
    assert member.display_name == member.pronouns == member.time_zone == ""
    assert not member.has_usable_password()
    assert not member.is_on_break
    assert member.public_name == "a former member"
    assert str(member) == f"former-member-{member.pk}@invalid"
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not AccessRequest.objects.exists()
    assert "personal data is erased" in member_client.get(reverse("members:left")).content.decode()


def test_an_erased_address_can_ask_to_join_again(member_client, member):
    member_client.post(reverse("members:leave"), {"erase": "on"})
    assert not User.objects.filter(email__iexact="alice@example.org").exists()
    other = create_member("alice@example.org")
    assert other.pk != member.pk


def test_public_names(member, organizer):
    assert member.public_name == "Alice"
    assert create_member("nameless@example.org").public_name == "nameless"


# --- download my data ------------------------------------------------------------


def test_download_my_data_as_json(member_client, member):
    AccessRequest.objects.create(
        name="Alice",
        email="alice@example.org",
        motivation="Why I came, in my words.",
        status="approved",
        member=member,
    )

    def topics(sender, user, **kwargs):
        return {"topics": [{"title": f"A topic by {user.display_name}"}]}

    collect_personal_data.connect(topics, dispatch_uid="test-topics")
    try:
        response = member_client.get(reverse("members:my-data"))
    finally:
        collect_personal_data.disconnect(dispatch_uid="test-topics")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="solidarity-club-my-data.json"'
    data = json.loads(response.content)
    assert data["profile"]["email"] == "alice@example.org"
    assert data["profile"]["display_name"] == "Alice"
    assert data["emails_wanted"] == {
        "announcements": True,
        "meeting_reminders": True,
        "topic_news": True,
        "decision_notices": True,
        "weekly_digest_instead": False,
    }
    assert data["break"]["since"] is None
    assert data["email_addresses"] == [{"email": "alice@example.org", "verified": True, "primary": True}]
    assert data["access_requests"][0]["what_draws_you_to_this_work"] == "Why I came, in my words."
    assert data["topics"] == [{"title": "A topic by Alice"}]
    assert member.feed_token not in response.content.decode()


# --- who may do what ----------------------------------------------------------------

ROLES = ["visitor", "member", "member_on_break", "organizer"]
SIGNED_IN_PAGES = ["members:settings", "members:leave", "members:my-data"]
SIGNED_IN_POSTS = ["members:take-break", "members:come-back"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_pages_permission_matrix(client_for, role, name):
    response = client_for(role).get(reverse(name))
    if role == "visitor":
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={reverse(name)}"
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", SIGNED_IN_POSTS)
def test_break_actions_permission_matrix(client_for, role, name):
    client = client_for(role)
    response = client.post(reverse(name))
    assert response.status_code == 302
    # A visitor (a session that expired) comes back to the page with the form, not to the POST-only URL.
    expected = f"/accounts/login/?next={SETTINGS}" if role == "visitor" else SETTINGS
    assert response["Location"] == expected
    if role != "visitor":
        assert client.get(reverse(name)).status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_my_data_is_only_ever_read(client_for, role):
    # The method is checked before signing in: a visitor's POST is refused too.
    assert client_for(role).post(reverse("members:my-data")).status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_goodbye_page_permission_matrix(client_for, role):
    assert client_for(role).get(reverse("members:left")).status_code == 200


# --- the banner -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"), [("visitor", False), ("member", False), ("member_on_break", True)]
)
def test_a_kind_banner_shows_on_every_page_during_a_break(client_for, role, shown):
    client = client_for(role)
    for path in ["/", "/about/", SETTINGS if role != "visitor" else "/join/"]:
        html = client.get(path).content.decode()
        assert ('aria-label="Your break"' in html) == shown, path
    if shown:
        assert f'action="{reverse("members:come-back")}"' in html


def test_the_banner_says_until_when(client, member):
    member.take_break(until=timezone.localdate() + timedelta(days=5))
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "You are on a break until" in html
