"""A member's language where no view of theirs runs, and what people wrote marked with its language.

Found by an outsider reading the site in Spanish with an English browser: the pages Django
answers before a view (a 404, a CSRF refusal, the admin's second-factor prompt) and the
goodbye page after leaving spoke English; standard agenda items stayed English on the live
page; English text with no language set was marked Spanish on Spanish pages.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from meetings import live
from members.accounts import create_member
from tests.conftest import PASSWORD
from tests.factories import make_meeting
from tests.test_i18n import html_lang

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"accept-language": "en"}


@pytest.fixture
def rosa():
    return create_member("rosa@example.org", password=PASSWORD, display_name="Rosa", language="es")


def test_a_page_that_does_not_exist_speaks_the_members_language(client, rosa):
    client.force_login(rosa)
    response = client.get("/no-such-page/", headers=ENGLISH_BROWSER)
    assert response.status_code == 404
    assert html_lang(response) == "es"
    assert "No encontramos esa página" in response.content.decode()


def test_a_refused_form_speaks_the_members_language(rosa):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rosa)
    response = client.post(reverse("members:settings"), {"display_name": "R"}, headers=ENGLISH_BROWSER)
    assert response.status_code == 403
    assert html_lang(response) == "es"
    assert "Please try that again" not in response.content.decode()


def test_the_admins_second_factor_prompt_speaks_the_organizers_language(client, settings):
    settings.CLUB_REQUIRE_ORGANIZER_2FA = True
    olga = create_member("olga@example.org", password=PASSWORD, is_staff=True, language="es")
    client.force_login(olga)
    response = client.get("/admin/", headers=ENGLISH_BROWSER, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1
    assert shown[0].startswith("Las personas organizadoras entran con un segundo factor"), shown


def test_a_refused_upload_speaks_the_members_language(client, rosa):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(rosa)
    response = client.post(
        reverse("members:settings"), {"file": SimpleUploadedFile("a.txt", b"x")}, headers=ENGLISH_BROWSER
    )
    assert response.status_code == 415
    assert "takes no file uploads" not in response.content.decode()


@pytest.mark.parametrize("erase", [False, True])
def test_the_goodbye_page_speaks_the_language_of_who_left(client, rosa, erase):
    client.force_login(rosa)
    data = {"erase": "on"} if erase else {}
    response = client.post(reverse("members:leave"), data, headers=ENGLISH_BROWSER, follow=True)
    assert response.redirect_chain[-1][0] == reverse("members:left")
    assert html_lang(response) == "es"


def test_english_text_with_no_language_set_is_marked_english_on_a_spanish_page(client):
    post = Post.objects.create(title="Welcome", body="Hello all.", status=Post.Status.PUBLISHED)
    meeting = make_meeting(title="Reading club")
    for path, marked in [
        (post.get_absolute_url(), '<h1 lang="en">Welcome</h1>'),
        (reverse("blog:list"), f'lang="en"><a href="{post.get_absolute_url()}">Welcome</a>'),
        (reverse("home"), 'lang="en">Welcome</a>'),
        (meeting.get_absolute_url(), '<span lang="en">Reading club</span>'),
        (reverse("meetings:list"), '<span lang="en">Reading club</span>'),
        (reverse("home"), 'lang="en">Reading club</a>'),
    ]:
        response = client.get(path, headers={"accept-language": "es"})
        assert html_lang(response) == "es"
        assert marked in response.content.decode(), path


def test_a_meetings_title_says_its_language_wherever_an_organizer_reads_it(client, organizer):
    from tests.factories import make_decision

    meeting = make_meeting(timezone.now() + timedelta(minutes=5), title="Reading club")
    decision = make_decision(organizer, "Shall we?", meeting=meeting)
    client.force_login(organizer)
    marked = '<span lang="en">Reading club</span>'
    for path in [
        reverse("meetings:live", args=[meeting.pk]),
        reverse("topics:gather", args=[meeting.pk]),
        reverse("decisions:list"),
        reverse("decisions:detail", args=[decision.pk]),
    ]:
        html = client.get(path, headers={"accept-language": "es"}).content.decode()
        assert marked in html, path


def test_the_standard_agenda_reads_in_spanish_on_the_live_page(client, rosa):
    meeting = make_meeting(timezone.now() + timedelta(minutes=5), title="Chit chat")
    rosa.is_staff = True
    rosa.save()
    client.force_login(rosa)
    page = client.get(reverse("meetings:live", args=[meeting.pk]), headers=ENGLISH_BROWSER).content.decode()
    assert "Intro, check-in and welcome" not in page  # "First: …" before the start
    live.start(meeting)
    page = client.get(reverse("meetings:live", args=[meeting.pk]), headers=ENGLISH_BROWSER).content.decode()
    state = client.get(
        reverse("meetings:live-state", args=[meeting.pk]),
        headers={**ENGLISH_BROWSER, "accept": "application/json"},
    ).json()
    for english in ("Intro, check-in and welcome", "Meeting (60", "Process, check-out"):
        assert english not in page
    assert "check-in and welcome" not in state["item"]["title"]
    live.close(meeting)
    page = client.get(meeting.get_absolute_url(), headers=ENGLISH_BROWSER).content.decode()
    assert "Intro, check-in and welcome:" not in page  # the pacing after the meeting
    gather = client.get(reverse("topics:gather", args=[meeting.pk]), headers=ENGLISH_BROWSER)
    assert "Meeting: 60" not in gather.content.decode()
