"""Absolute links in emails: one helper builds them (solidarityclub.emails.absolute_url)."""

import re
from pathlib import Path

from django.test import RequestFactory

from solidarityclub import emails
from solidarityclub.emails import absolute_url

ROOT = Path(__file__).resolve().parent.parent


def test_from_the_request_being_answered_else_from_site_url(settings):
    settings.SITE_URL = "https://club.example.org"
    assert absolute_url("/meetings/") == "https://club.example.org/meetings/"
    assert absolute_url("") == "https://club.example.org"
    settings.SITE_URL = "https://club.example.org/"
    assert absolute_url("/meetings/") == "https://club.example.org/meetings/"
    request = RequestFactory().get("/join/")
    assert absolute_url("/meetings/", request=request) == "http://testserver/meetings/"


def test_every_email_knows_the_sites_root(settings, monkeypatch):
    settings.SITE_URL = "https://club.example.org"
    contexts = []

    def render(name, context):
        contexts.append(context)
        return name

    monkeypatch.setattr(emails, "render_to_string", render)
    emails.build_email("members/emails/welcome", ["nia@example.org"], {"user": None}, language="en")
    assert [context["SITE_URL"] for context in contexts] == ["https://club.example.org"] * 3
    # A context of its own may still say otherwise.
    contexts.clear()
    emails.build_email("members/emails/welcome", ["nia@example.org"], {"SITE_URL": "x"}, language="en")
    assert {context["SITE_URL"] for context in contexts} == {"x"}


def test_no_other_module_builds_links_from_site_url():
    offenders = []
    for app in ["solidarityclub", "members", "meetings", "topics", "blog"]:
        for path in (ROOT / app).rglob("*.py"):
            if path == ROOT / "solidarityclub" / "emails.py" or path.name == "settings.py":
                continue
            if re.search(r"SITE_URL(\.rstrip\([^)]*\))?\s*\+", path.read_text()):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
