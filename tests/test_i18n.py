"""Spanish as well as English: which language a person gets, and the page cache per language."""

import re

import pytest
from django.urls import reverse

from members.accounts import create_member
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def html_lang(response):
    return re.search(rb'<html lang="([^"]+)"', response.content).group(1).decode()


# --- Which language: preference > switcher's cookie > Accept-Language --------------------


def test_it_follows_the_browser_for_a_visitor(client):
    assert html_lang(client.get("/")) == "en"
    response = client.get("/", headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    assert html_lang(response) == "es"
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]


def test_the_switcher_wins_over_the_browser(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/about/"})
    assert response.status_code == 302
    assert response["Location"] == "/about/"
    assert html_lang(client.get("/about/", headers={"accept-language": "en"})) == "es"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert html_lang(client.get("/", headers={"accept-language": "es"})) == "en"


def test_the_switcher_works_for_a_visitor_without_a_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert strict.cookies["django_language"].value == "es"


def test_a_members_preference_wins_over_the_switcher_and_the_browser(client):
    member = create_member("alice@example.org", password=PASSWORD, display_name="Alice", language="es")
    client.force_login(member)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("members:settings"), headers={"accept-language": "en"})
    assert html_lang(response) == "es"
    assert response["Content-Language"] == "es"


def test_a_member_without_a_preference_follows_the_switcher_then_the_browser(client):
    member = create_member("alice@example.org", password=PASSWORD, display_name="Alice")
    client.force_login(member)
    assert html_lang(client.get("/", headers={"accept-language": "es"})) == "es"
    client.cookies["django_language"] = "en"
    assert html_lang(client.get("/", headers={"accept-language": "es"})) == "en"


def test_a_member_switching_saves_their_preference(client):
    member = create_member("alice@example.org", password=PASSWORD, display_name="Alice")
    client.force_login(member)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/blog/"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "es"
    # From another browser, with another header, the preference still wins.
    client.cookies.clear()
    client.force_login(member)
    assert html_lang(client.get("/", headers={"accept-language": "en"})) == "es"


def test_a_members_switch_is_checked_for_csrf():
    from django.test import Client

    member = create_member("alice@example.org", password=PASSWORD, display_name="Alice")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    response = strict.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.language == ""


def test_the_settings_page_saves_the_language(client):
    member = create_member("alice@example.org", password=PASSWORD, display_name="Alice")
    client.force_login(member)
    page = client.get(reverse("members:settings"))
    assert b'name="language"' in page.content
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update(display_name="Alice", language="es")
    response = client.post(reverse("members:settings"), data)
    assert response.status_code == 302, getattr(response, "context", None) and response.context["form"].errors
    member.refresh_from_db()
    assert member.language == "es"
    assert html_lang(client.get("/")) == "es"


def test_the_switcher_is_a_plain_labelled_form_on_every_page(client):
    content = client.get("/meetings/", headers={"accept-language": "es"}).content.decode()
    form = re.search(r'<form class="language-form".*?</form>', content, re.S).group(0)
    assert 'method="post"' in form
    assert f'action="{reverse("set_language")}"' in form
    assert '<label for="language-select">' in form
    assert 'name="next" value="/meetings/"' in form
    assert '<option value="es" lang="es" selected>' in form
    assert "csrfmiddlewaretoken" not in form  # a visitor's page stays cacheable


# --- The visitors' page cache keys on the language ---------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_HEADER = True


@pytest.mark.parametrize("path", ["/", "/about/", "/code-of-conduct/", "/blog/", "/meetings/"])
def test_the_page_cache_never_serves_one_languages_page_to_another(client, page_cache, path):
    english = client.get(path, headers={"accept-language": "en"})
    spanish = client.get(path, headers={"accept-language": "es"})
    assert (html_lang(english), html_lang(spanish)) == ("en", "es")
    assert spanish["X-Cache"] == "miss"
    assert html_lang(client.get(path, headers={"accept-language": "es"})) == "es"
    again = client.get(path, headers={"accept-language": "en"})
    assert (again["X-Cache"], html_lang(again)) == ("hit", "en")
    # After the switcher: the cookie, not the header, decides, and the cache follows it.
    client.post(reverse("set_language"), {"language": "es", "next": path})
    switched = client.get(path, headers={"accept-language": "en"})
    assert (switched["X-Cache"], html_lang(switched)) == ("hit", "es")
    assert switched.content == client.get(path, headers={"accept-language": "es"}).content
    client.post(reverse("set_language"), {"language": "en", "next": path})
    back = client.get(path, headers={"accept-language": "es"})
    assert (back["X-Cache"], html_lang(back)) == ("hit", "en")
