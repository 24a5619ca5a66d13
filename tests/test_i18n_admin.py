"""The admin's own parts in each organizer's language: actions, filters and the messages after them."""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from blog.models import Post
from members.accounts import create_member
from tests.conftest import seed_demo

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


# --- Every field's name, as the admin's forms and columns show it -------------------------


def site_models():
    return [model for model in apps.get_models() if model._meta.app_label in SITE_APPS]


def test_every_model_and_field_of_the_site_has_a_spanish_name():
    names = {}
    for model in site_models():
        meta = model._meta
        names[meta.label] = meta.verbose_name
        names[f"{meta.label} (plural)"] = meta.verbose_name_plural
        for field in meta.get_fields():
            if field.concrete and not field.auto_created:
                names[f"{meta.label}.{field.name}"] = field.verbose_name
    assert len(names) > 300
    untranslated = []
    for where, name in names.items():
        with translation.override("en"):
            english = str(name)
        with translation.override("es"):
            spanish = str(name)
        if not isinstance(name, Promise) or spanish == english:
            untranslated.append((where, english))
    assert not untranslated


class AdminLabels(HTMLParser):
    """What names a field on an admin page: labels, column headers, fieldset and filter titles, help."""

    VOID = {"input", "img", "br", "hr", "meta", "link", "wbr", "source"}

    def __init__(self):
        super().__init__()
        self.labels, self._open, self._columns, self._text = [], [], False, []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        # The changelist's column headers, not a table inside what someone wrote.
        self._columns |= tag == "table" and dict(attrs).get("id") == "result_list"
        self._columns &= tag != "tbody"
        names_a_field = (
            tag in ("label", "h2", "h3")
            or (tag == "th" and self._columns)
            or (tag == "div" and "help" in classes)
        )
        if names_a_field and not self._open:
            self._text = []
        if (names_a_field or self._open) and tag not in self.VOID:
            self._open.append(tag)

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()
            if not self._open and (text := " ".join("".join(self._text).split())):
                self.labels.append(text)

    def handle_data(self, data):
        if self._open:
            self._text.append(data)


def admin_labels(html):
    parser = AdminLabels()
    parser.feed(html)
    return parser.labels


def site_admin_pages(organizer):
    request = RequestFactory().get("/admin/")
    request.user = organizer
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in SITE_APPS:
            continue
        info = model._meta.app_label, model._meta.model_name
        yield reverse("admin:{}_{}_changelist".format(*info)), None
        if model_admin.has_add_permission(request):
            yield reverse("admin:{}_{}_add".format(*info)), None
        if first := model.objects.order_by("pk").first():
            yield reverse("admin:{}_{}_change".format(*info), args=[first.pk]), str(first)


# Words that read the same in both languages.
SAME_IN_BOTH = {"Admin", "Markdown", "Agenda", "ID", "Email", "URL", "HTML"}


def one_of_everything_the_demo_lacks(organizer):
    from django.utils import timezone

    from meetings.models import Meeting
    from members import inbox
    from members.outreach.models import HelpRequest, Report
    from topics.models import DotVote

    inbox.take_in(
        b"From: News <news@example.org>\r\nTo: us@solidarityclub.org\r\nSubject: News\r\n"
        b"Message-ID: <a1@example.org>\r\n\r\nHi"
    )
    Report.objects.create(body="Hola.", sent_at=timezone.now())
    HelpRequest.objects.create(sender=organizer, body="Ayuda.")
    DotVote.objects.create(meeting=Meeting.objects.first(), opened_by=organizer)


def test_every_admin_page_of_the_site_names_its_fields_in_spanish(client):
    seed_demo()
    organizer = create_member("admin@example.org", is_staff=True, is_superuser=True)
    one_of_everything_the_demo_lacks(organizer)
    client.force_login(organizer)
    pages, english_left = 0, {}
    for path, title in site_admin_pages(organizer):
        english = client.get(path, headers={"accept-language": "en"})
        spanish = client.get(path, headers={"accept-language": "es"})
        assert english.status_code == spanish.status_code == 200, path
        pages += 1
        same = set(admin_labels(english.content.decode())) & set(admin_labels(spanish.content.decode()))
        if left := sorted(same - SAME_IN_BOTH - {title}):  # the title is what someone wrote
            english_left[path] = left
    assert pages >= 29
    assert not english_left, "\n".join(f"{p}: {v}" for p, v in english_left.items())
