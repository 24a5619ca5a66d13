"""The admin's own parts in each organizer's language: actions, filters and the messages after them."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.utils import translation

from blog.models import Post
from members.accounts import create_member

pytestmark = pytest.mark.django_db

# Django's own actions and filters come with its catalog; these are the site's.
SITE_APPS = {"blog", "meetings", "members", "topics"}


@pytest.fixture
def olga(db):
    return create_member(
        "olga@example.org", display_name="Olga", is_staff=True, is_superuser=True, language="es"
    )


def site_model_admins():
    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in SITE_APPS
    ]


def action_descriptions(request, language):
    with translation.override(language):
        return {
            (type(model_admin).__name__, name): str(description)
            for model_admin in site_model_admins()
            for name, description in model_admin.get_action_choices(request)[1:]  # after "---------"
            if name != "delete_selected" or type(model_admin).__name__ == "MeetingAdmin"
        }


def test_every_action_of_the_site_reads_in_spanish(olga):
    # Written once at import, in English, they stayed English: each is looked up per request now.
    request = RequestFactory().get("/admin/")
    request.user = olga
    english, spanish = action_descriptions(request, "en"), action_descriptions(request, "es")
    assert english.keys() == spanish.keys()
    untranslated = {key: text for key, text in spanish.items() if text == english[key]}
    assert not untranslated
    assert len(spanish) >= 10


def test_every_list_filter_title_of_the_site_reads_in_spanish():
    filters = {
        list_filter
        for model_admin in site_model_admins()
        for list_filter in model_admin.list_filter
        if isinstance(list_filter, type) and list_filter.__module__.split(".")[0] in SITE_APPS
    }
    assert len(filters) >= 3
    for list_filter in filters:
        with translation.override("en"):
            english = str(list_filter.title)
        with translation.override("es"):
            assert str(list_filter.title) != english, list_filter


def test_the_changelist_and_the_message_after_an_action_are_in_the_organizers_language(client, olga):
    client.force_login(olga)
    post = Post.objects.create(title="Una idea", body="Texto.", status=Post.Status.DRAFT)
    page = client.get("/admin/blog/post/").content.decode()
    assert "Publicar las publicaciones seleccionadas" in page
    assert "Publish the selected posts" not in page
    response = client.post(
        "/admin/blog/post/", {"action": "publish", ACTION_CHECKBOX_NAME: [post.pk]}, follow=True
    )
    assert [str(message) for message in response.context["messages"]] == ["Se publicó 1 publicación."]
    response = client.post(
        "/admin/blog/post/", {"action": "unpublish", ACTION_CHECKBOX_NAME: [post.pk]}, follow=True
    )
    assert [str(message) for message in response.context["messages"]] == [
        "1 publicación vuelve a ser borrador."
    ]


def test_the_club_inbox_says_why_a_message_was_set_aside_in_the_organizers_language(client, olga):
    from members import inbox

    headers = "To: us@solidarityclub.org\r\nSubject: News\r\nMIME-Version: 1.0\r\n"
    listed, _ = inbox.take_in(
        f"From: News <news@example.org>\r\n{headers}Message-ID: <l1@example.org>\r\nList-Id: <n.example.org>\r\n\r\nHi".encode()
    )
    nameless, _ = inbox.take_in(f"From: nobody\r\n{headers}Message-ID: <l2@example.org>\r\n\r\nHi".encode())
    assert (listed.reason, nameless.reason) == (
        "mailing list (List-Id)",  # the record is kept in English, with what it takes to say it again
        "no sender address to answer (From: nobody)",
    )
    client.force_login(olga)
    page = client.get("/admin/members/inboxmessage/").content.decode()
    assert "lista de correo (List-Id)" in page
    assert "no hay dirección a la cual responder (From: nobody)" in page
    assert "mailing list" not in page
