"""The opt-in members' directory: who appears, searching, the entry settings, my data and erasing."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.accounts import create_member, leave
from members.outreach.models import DirectoryProfile
from tests.conftest import PASSWORD
from tests.outreach_support import listed

DIRECTORY = "/members/"
ENTRY_SETTINGS = "/members/settings/directory/"


def test_the_urls_keep_their_names():
    assert reverse("members:directory") == DIRECTORY
    assert reverse("members:directory-settings") == ENTRY_SETTINGS
    assert reverse("members:entry", args=[7]) == "/members/7/"


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 200), ("member_on_break", 403), ("left_member", 302), ("organizer", 200)],
)
def test_permission_matrix_of_the_directory(client_for, role, status):
    nia = listed("nia@example.org", "Nia")
    client = client_for(role)
    for path in [DIRECTORY, f"/members/{nia.pk}/"]:
        response = client.get(path)
        assert response.status_code == status, path
        if status == 302:
            assert response["Location"].startswith("/accounts/login/")
        if status == 403:
            assert "You are on a break" in response.content.decode()
    assert client.post(DIRECTORY).status_code == 405  # the method is checked before signing in


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 302), ("member", 200), ("member_on_break", 200), ("left_member", 302), ("organizer", 200)],
)
def test_permission_matrix_of_the_entry_settings(client_for, role, status):
    client = client_for(role)
    assert client.get(ENTRY_SETTINGS).status_code == status
    assert client.delete(ENTRY_SETTINGS).status_code == 405  # the method is checked before signing in


def test_no_one_is_listed_until_they_opt_in(member_client, member):
    create_member("nia@example.org", password=PASSWORD, display_name="Nia")
    html = member_client.get(DIRECTORY).content.decode()
    assert "Nia" not in html
    assert "No one is listed yet." in html
    assert not DirectoryProfile.objects.exists()


def test_opting_in_and_out_on_the_entry_page(member_client, member):
    nia = create_member("nia@example.org", password=PASSWORD, display_name="Nia")
    client = Client()
    page = member_client.get(ENTRY_SETTINGS).content.decode()
    assert 'name="listed"' in page
    assert "checked" not in page.split('name="listed"')[1].split(">")[0]
    response = member_client.post(
        ENTRY_SETTINGS,
        {
            "listed": "on",
            "display_name": "Alice A.",
            "languages": "English, Español",
            "ask_me_about": "tenant unions",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Alice A."
    assert member.directory_profile.listed is True

    client.force_login(nia)
    html = client.get(DIRECTORY).content.decode()
    assert "Alice A." in html
    assert "English, Español" in html
    assert "tenant unions" in html
    assert "alice@example.org" not in html
    assert f'href="/members/{member.pk}/"' in html

    member_client.post(ENTRY_SETTINGS, {"display_name": "Alice A.", "languages": "", "ask_me_about": ""})
    html = client.get(DIRECTORY).content.decode()
    assert "Alice A.</a></h2>" not in html
    assert client.get(f"/members/{member.pk}/").status_code == 404


def test_a_listed_entry_needs_a_public_name(member_client, member):
    member.display_name = ""
    member.save()
    response = member_client.post(ENTRY_SETTINGS, {"listed": "on", "display_name": "   "})
    assert response.status_code == 200
    assert "Choose the name your entry is listed under." in response.content.decode()
    assert not DirectoryProfile.objects.filter(listed=True).exists()


def test_a_nameless_listed_member_never_shows_their_address(member_client, member):
    nia = listed("nia.secret@example.org", "Nia")
    nia.display_name = ""  # e.g. blanked in the admin
    nia.save()
    html = member_client.get(DIRECTORY).content.decode()
    assert "nia.secret" not in html
    assert member_client.get(f"/members/{nia.pk}/").status_code == 404


def test_limits_of_the_entry_fields(member_client, member):
    response = member_client.post(
        ENTRY_SETTINGS,
        {"listed": "on", "display_name": "A" * 101, "languages": "x" * 101, "ask_me_about": "y" * 201},
    )
    assert response.status_code == 200
    assert response.content.decode().count('class="errorlist') >= 3
    response = member_client.post(ENTRY_SETTINGS, {"listed": "on", "display_name": "Al\x00ice"})
    assert response.status_code == 400  # refused site-wide (solidarityclub.middleware)
    assert not DirectoryProfile.objects.exists()


def test_a_break_or_leaving_hides_the_entry(member_client, member):
    nia = listed("nia@example.org", "Nia")
    assert "Nia" in member_client.get(DIRECTORY).content.decode()

    nia.take_break()
    assert "Nia" not in member_client.get(DIRECTORY).content.decode()
    assert member_client.get(f"/members/{nia.pk}/").status_code == 404

    nia.end_break()
    assert "Nia" in member_client.get(DIRECTORY).content.decode()

    nia.advise_break(until=timezone.localdate(), note="Rest", by=member)
    assert "Nia" not in member_client.get(DIRECTORY).content.decode()
    nia.end_break()

    leave(nia)
    assert "Nia" not in member_client.get(DIRECTORY).content.decode()
    assert member_client.get(f"/members/{nia.pk}/").status_code == 404


def test_search_by_words(member_client, member):
    listed("nia@example.org", "Nia Moreno", languages="Spanish", ask_me_about="bike repair")
    listed("omar@example.org", "Omar", pronouns="he/him", ask_me_about="tenant organizing")
    listed("pat@example.org", "Pat", languages="English", ask_me_about="bikes and tenant law")

    def names(query):
        html = member_client.get(DIRECTORY, {"q": query}).content.decode()
        return {name for name in ["Nia Moreno", "Omar", "Pat"] if f">{name}</a>" in html}

    assert names("") == {"Nia Moreno", "Omar", "Pat"}
    assert names("bike") == {"Nia Moreno", "Pat"}
    assert names("TENANT bike") == {"Pat"}
    assert names("spanish") == {"Nia Moreno"}
    assert names("he/him") == {"Omar"}
    assert names("moreno") == {"Nia Moreno"}
    assert names("nothing-like-this") == set()
    # Nonsense never ends in an error.
    assert member_client.get(DIRECTORY, {"q": "a\x00b"}).status_code == 400  # refused site-wide
    assert member_client.get(DIRECTORY, {"q": "x" * 5000}).status_code == 200
    assert member_client.get(DIRECTORY, {"q": "²%_'\""}).status_code == 200
    assert member_client.get(DIRECTORY, {"page": "2147483648"}).status_code == 404  # tests/test_pagination.py
    assert member_client.get(DIRECTORY, {"page": "nope"}).status_code == 404


def test_an_unknown_entry_is_a_404(member_client, member):
    assert member_client.get("/members/2147483647/").status_code == 404
    assert member_client.get("/members/99999999999999999999/").status_code == 404


def test_the_directory_pages_2000_members_with_bounded_queries(
    member_client, member, django_assert_max_num_queries
):
    from members.models import User

    users = User.objects.bulk_create(
        [User(email=f"m{i}@example.org", display_name=f"Member {i:04}", password="!") for i in range(2000)]
    )
    DirectoryProfile.objects.bulk_create(
        [
            DirectoryProfile(user=user, listed=True, languages="English", ask_me_about=f"topic {i}")
            for i, user in enumerate(users)
        ]
    )
    with django_assert_max_num_queries(8):
        response = member_client.get(DIRECTORY)
    html = response.content.decode()
    assert "2000 members are listed." in html
    assert html.count('class="card directory-entry"') == 50
    with django_assert_max_num_queries(8):
        response = member_client.get(DIRECTORY, {"q": "member topic", "page": "40"})
    assert response.content.decode().count('class="card directory-entry"') == 50
    assert 'rel="prev"' in response.content.decode()
    assert "q=member+topic&amp;page=39" in response.content.decode()


def test_the_settings_page_links_the_entry_and_says_whether_one_is_listed(member_client, member):
    html = member_client.get("/members/settings/").content.decode()
    assert "You are not listed in the members' directory" in html
    assert f'href="{ENTRY_SETTINGS}"' in html
    DirectoryProfile.objects.create(user=member, listed=True)
    assert (
        "You are listed in the members' directory."
        in member_client.get("/members/settings/").content.decode()
    )


def test_my_data_holds_the_entry_and_erasing_removes_it(member_client, member):
    DirectoryProfile.objects.create(user=member, listed=True, languages="English", ask_me_about="knitting")
    data = json.loads(member_client.get("/members/settings/my-data.json").content)
    assert data["directory_entry"]["listed"] is True
    assert data["directory_entry"]["ask_me_about"] == "knitting"
    leave(member, erase=True)
    assert not DirectoryProfile.objects.exists()
