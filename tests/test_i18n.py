"""Spanish as well as English: which language a person gets, and the page cache per language."""

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
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


# --- Emails in each recipient's language ------------------------------------------------


def test_one_announcement_reaches_each_member_in_their_own_language(db, mailoutbox):
    from blog.announcements import send_announcement
    from blog.models import Kind, Post

    create_member("ana@example.org", display_name="Ana", language="es")
    create_member("ed@example.org", display_name="Ed", language="en")
    create_member("bea@example.org", display_name="Bea")  # no preference: the site's language
    post = Post.objects.create(
        title="Reading club", body="Text.", kind=Kind.ANNOUNCEMENT, status=Post.Status.PUBLISHED
    )
    from django.utils import translation

    with translation.override("es"):  # whoever sends it, in whatever language
        send_announcement(post)
    by_address = {message.to[0]: message for message in mailoutbox}
    spanish, english, default = (
        by_address["ana@example.org"],
        by_address["ed@example.org"],
        by_address["bea@example.org"],
    )
    for message in (english, default):
        html = message.alternatives[0][0]
        assert '<html lang="en">' in html
        assert message.body.startswith("Hi ")
    html = spanish.alternatives[0][0]
    assert '<html lang="es">' in html
    assert "Hola" in spanish.body


def test_language_for_is_the_one_rule(db):
    from solidarityclub.emails import language_for

    ana = create_member("ana@example.org", language="es")
    assert language_for(ana) == "es"
    assert language_for("ANA@example.org") == "es"
    assert language_for("nobody@example.org") == "en"
    assert language_for("nobody@example.org", default="es") == "es"
    assert language_for(create_member("ed@example.org")) == "en"
    assert language_for(create_member("eva@example.org"), default="es") == "es"


def test_a_newcomer_hears_in_the_language_they_asked_in_and_keeps_it(
    client, mailoutbox, organizer, django_capture_on_commit_callbacks
):
    from members import access
    from members.models import AccessRequest

    organizer.language = "en"
    organizer.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:join"),
            {
                "name": "Rosa",
                "email": "rosa@example.org",
                "motivation": "Quiero aprender con el club y compartir lo que sé.",
                "agreed_to_code_of_conduct": "on",
            },
            headers={"accept-language": "es"},
        )
    assert response.status_code == 302, response.content[:2000]
    access_request = AccessRequest.objects.get()
    assert access_request.language == "es"
    [confirm] = mailoutbox
    assert '<html lang="es">' in confirm.alternatives[0][0]
    mailoutbox.clear()
    from django.test import RequestFactory

    request = RequestFactory().get("/", headers={"accept-language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        access.confirm(access_request, request=request)
    notices = {message.to[0]: message for message in mailoutbox}
    assert '<html lang="en">' in notices["olga@example.org"].alternatives[0][0]
    # The club's own address is no member: it hears in the site's language, not the newcomer's.
    assert '<html lang="en">' in notices[settings.CLUB_CONTACT_EMAIL].alternatives[0][0]
    mailoutbox.clear()
    access_request.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        access.decide(access_request, approve=True, by=organizer, request=request)
    [welcome] = mailoutbox
    assert '<html lang="es">' in welcome.alternatives[0][0]
    assert access_request.__class__.objects.get().member.language == "es"


# --- Dates -----------------------------------------------------------------------------


def test_times_read_naturally_in_spanish():
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from solidarityclub.times import format_day, format_when

    start = datetime(2026, 12, 3, 18, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    now = datetime(2026, 11, 1, tzinfo=ZoneInfo("UTC"))
    with translation.override("es"):
        assert (
            format_when(start, start + timedelta(minutes=95), now=now)
            == "jueves, 3 de diciembre · 18:00–19:35 PST"
        )
        assert format_day(start.replace(year=2027), now=now) == "viernes, 3 de diciembre de 2027"
    with translation.override("en"):
        assert (
            format_when(start, start + timedelta(minutes=95), now=now)
            == "Thursday, December 3 · 18:00–19:35 PST"
        )


def test_a_meeting_page_and_its_calendar_in_spanish(client):
    from tests.factories import club, make_meeting

    meeting = make_meeting(club(2030, 12, 5))
    page = client.get(meeting.get_absolute_url(), headers={"accept-language": "es"}).content.decode()
    assert "jueves, 5 de diciembre de 2030" in page
    ics = client.get(
        reverse("meetings:ics", args=[meeting.pk]), headers={"accept-language": "es"}
    ).content.decode()
    assert "Página de la reunión" in ics.replace("\r\n ", "")
    english = client.get(reverse("meetings:ics", args=[meeting.pk]), headers={"accept-language": "en"})
    assert "Meeting page" in english.content.decode().replace("\r\n ", "")


def test_a_members_private_feed_is_in_their_language(client):
    ana = create_member("ana@example.org", language="es")
    from tests.factories import club, make_meeting

    make_meeting(club(2030, 12, 5))
    body = client.get(
        reverse("meetings:private-feed", args=[ana.feed_token]), headers={"accept-language": "en"}
    )
    assert "Página de la reunión" in body.content.decode().replace("\r\n ", "")


# --- Content written by people keeps its own language ----------------------------------


def test_a_post_and_a_meeting_carry_the_language_they_are_written_in(client):
    from blog.models import Post
    from tests.factories import club, make_meeting

    post = Post.objects.create(
        title="Leemos juntos", body="Texto.", status=Post.Status.PUBLISHED, language="es"
    )
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<h1 lang="es">Leemos juntos</h1>' in page
    assert '<div class="prose post-body" lang="es">' in page
    assert '<h2 lang="es">' in client.get(reverse("blog:list")).content.decode()
    meeting = make_meeting(club(2030, 12, 5), description="Hablamos de *cooperativas*.", language="es")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert '<div class="prose" lang="es"><p>Hablamos de <em>cooperativas</em>.</p>' in page
    # No language set: the site's own, said as such (tests/test_i18n_before_a_view.py).
    unmarked = Post.objects.create(title="Plain", slug="plain", body="Text.", status=Post.Status.PUBLISHED)
    assert '<h1 lang="en">Plain</h1>' in client.get(unmarked.get_absolute_url()).content.decode()


# --- The catalog: complete, nothing fuzzy, nothing in code left out ----------------------

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def read_po(path):
    """Each entry of a .po file as {"flags": set, "msgid": …, "msgid_plural": …, "msgstr": [...]}."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry, field = {"flags": set(), "msgstr": []}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line):
                field = match.group(1)
                value = json.loads(match.group(2))
                if field.startswith("msgstr"):
                    entry["msgstr"].append(value)
                    field = ("msgstr", len(entry["msgstr"]) - 1)
                else:
                    entry[field] = value
            elif line.startswith('"'):
                value = json.loads(line)
                if isinstance(field, tuple):
                    entry["msgstr"][field[1]] += value
                else:
                    entry[field] += value
        if entry.get("msgid"):  # the header has an empty msgid
            entries.append(entry)
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\w*\}|</?[a-z]+")


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_message_of_the_spanish_catalog_is_translated(domain):
    entries = read_po(LOCALE / "es" / "LC_MESSAGES" / f"{domain}.po")
    assert entries
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        assert entry["msgstr"], f"untranslated: {entry['msgid']!r}"
        assert all(entry["msgstr"]), f"untranslated: {entry['msgid']!r}"
        # Placeholders and tags survive the translation: the singular's in the first form, the plural's in the others.
        for form, translation_ in enumerate(entry["msgstr"]):
            source = entry["msgid"] if form == 0 else entry.get("msgid_plural", entry["msgid"])
            assert sorted(PLACEHOLDER.findall(translation_)) == sorted(PLACEHOLDER.findall(source)), (
                source,
                translation_,
            )


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs gettext's xgettext (apt-get install gettext)")
def test_every_string_in_the_code_is_in_the_catalog(tmp_path):
    """makemessages on a copy of the project adds nothing: a new string must be translated first."""
    root = Path(__file__).resolve().parent.parent
    copy = tmp_path / "project"
    copy.mkdir()
    for name in [
        "manage.py",
        "blog",
        "meetings",
        "members",
        "topics",
        "solidarityclub",
        "templates",
        "static",
        "locale",
    ]:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
        else:
            shutil.copy(source, copy / name)
    catalog = copy / "locale" / "es" / "LC_MESSAGES"
    before = {domain: {entry["msgid"] for entry in read_po(catalog / f"{domain}.po")} for domain in DOMAINS}
    for domain in DOMAINS:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "es",
                "-d",
                domain,
                "--no-obsolete",
                "-v",
                "0",
            ],
            cwd=copy,
            env={**os.environ, "DJANGO_DEBUG": "true"},
            check=True,
            capture_output=True,
        )
    for domain in DOMAINS:
        after = read_po(catalog / f"{domain}.po")
        missing = sorted(
            e["msgid"] for e in after if e["msgid"] not in before[domain] or not all(e["msgstr"])
        )
        assert not missing, f"{domain}: strings in the code without a Spanish translation: {missing}"
        gone = before[domain] - {entry["msgid"] for entry in after}
        assert not gone, (
            f"{domain}: translations no string in the code uses any more (run makemessages): {gone}"
        )


DOMAINS = ["django", "djangojs"]


# --- Every main page in Spanish, for every role: no English sentence left ------------------

# What reads the same in both languages and is not the site's English: names, brands,
# and what people wrote (titles, descriptions) in the test data below.
SAME_IN_BOTH = {
    "W.O.R.K. Solidarity Club",
    "Solidarity Club",
    "W.O.R.K.",
    "Google Calendar",
    "Are.na",
    "NAVEL",
    "Workshopping Work Beyond Capitalism",
    "Future of Labor",
    "Blog",
    "Admin",
    "Markdown",
    "Agenda",
    "English",
    "Español",
    "Círculo de lectura",
    "Leemos juntas",
    "Una tarde de lectura.",
    "Cooperativas de vivienda",
    "¿Nos reunimos dos veces al mes?",
    "Nia",
    "Alice",
    "Olga",
}


class VisibleText(HTMLParser):
    """The sentences a person reads: text, and the labels of aria-label, title, alt, placeholder."""

    SKIP = {"script", "style"}

    def __init__(self):
        super().__init__()
        self.sentences, self._skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "alt", "placeholder") and value:
                self.sentences.append(" ".join(value.split()))
            if tag == "input" and name == "value" and ("type", "submit") in attrs and value:
                self.sentences.append(" ".join(value.split()))

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skipping -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skipping:
            self.sentences.append(text)


def sentences(html):
    parser = VisibleText()
    parser.feed(html)
    return parser.sentences


def is_words(text):
    """Something a translation would change: letters, not only a name, number or address."""
    if text in SAME_IN_BOTH or "@" in text or text.startswith(("http://", "https://", "/")):
        return False
    if re.fullmatch(r"\(?[\d:–.,+ ]*(min|PST|PDT|UTC)?\)?", text) or re.fullmatch(
        r"[\w+-]+(/[\w+-]+)+", text
    ):
        return False  # "(20 min)", "18:00", a time zone's name: the same in both languages
    stripped = text
    for name in sorted(SAME_IN_BOTH, key=len, reverse=True):
        stripped = stripped.replace(name, "")
    return len(re.findall(r"[A-Za-z]{2,}", stripped)) >= 1 and re.search(r"[a-z]{2,}", stripped) is not None


@pytest.fixture
def club(organizer):
    """A little of everything the main pages show, written by people in one language."""
    from blog.models import Post
    from tests.factories import club as club_time
    from tests.factories import make_decision, make_meeting
    from tests.outreach_support import listed
    from topics.models import Topic

    meeting = make_meeting(
        club_time(2030, 12, 5), title="Círculo de lectura", description="Una tarde de lectura.", language="es"
    )
    Post.objects.create(
        title="Leemos juntas", body="Una tarde de lectura.", status=Post.Status.PUBLISHED, language="es"
    )
    Topic.objects.create(
        title="Cooperativas de vivienda", description="Una tarde de lectura.", proposer=organizer
    )
    make_decision(organizer, question="¿Nos reunimos dos veces al mes?")
    listed("nia@example.org", "Nia")
    return meeting


MAIN_PAGES = [
    "/",
    "/about/",
    "/code-of-conduct/",
    "/blog/",
    "/meetings/",
    "meeting",
    "/topics/",
    "/join/",
    "/accounts/login/",
    "/members/settings/",
    "/decisions/",
    "/members/",
    "/admin/",
]


@pytest.mark.parametrize("role", ["visitor", "member", "organizer"])
def test_every_main_page_reads_in_spanish(client, club, organizer, role):
    if role == "member":
        client.force_login(create_member("alice@example.org", password=PASSWORD, display_name="Alice"))
    elif role == "organizer":
        client.force_login(organizer)
    left_behind = {}
    for path in MAIN_PAGES:
        path = club.get_absolute_url() if path == "meeting" else path
        english = client.get(path, headers={"accept-language": "en"})
        spanish = client.get(path, headers={"accept-language": "es"})
        assert english.status_code == spanish.status_code, path
        if spanish.status_code != 200:
            continue  # not a page for this role (a redirect to sign in)
        html = spanish.content.decode()
        assert html_lang(spanish) == "es", path
        same = set(sentences(english.content.decode())) & set(sentences(html))
        english_left = sorted(text for text in same if is_words(text))
        if english_left:
            left_behind[path] = english_left
    assert not left_behind, left_behind


# --- What the site writes in a topic's history is said in each reader's language ----------


def test_a_topic_returned_by_the_site_says_why_in_the_readers_language(client):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ensure_standard_template, make_meeting
    from topics import backlog
    from topics.models import Topic

    ensure_standard_template()
    olga = create_member("olga@example.org", display_name="Olga", is_staff=True)
    rosa = create_member("rosa@example.org", display_name="Rosa", language="es")
    topic = backlog.propose(Topic(title="Tema uno", description="x"), rosa)
    meeting = make_meeting(timezone.now() + timedelta(days=2), title="Círculo de lectura")
    backlog.gather(meeting, [backlog.Pick(topic.pk, 20)], olga)
    meeting.cancel("Nieve")  # by an organizer reading English, or by the scheduler
    client.force_login(rosa)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "La reunión “Círculo de lectura” se canceló." in page
    client.force_login(olga)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "The meeting “Círculo de lectura” was cancelled." in page
