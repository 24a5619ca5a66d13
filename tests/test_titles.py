"""Every page's <title> reads "Page · W.O.R.K. Solidarity Club" (home: the club's name alone)."""

import html
import re

import pytest
from django.conf import settings

from tests.test_times import demo, fetch_pages  # noqa: F401 (the seeded club)

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def title_of(response):
    return html.unescape(" ".join(TITLE.search(response.content.decode()).group(1).split()))


@pytest.mark.parametrize("role", ["visitor", "member", "organizer"])
def test_every_page_has_a_title_then_the_club(client, demo, role):  # noqa: F811
    wrong = {}
    pages = list(fetch_pages(client, demo, role))
    assert len(pages) > 40  # every named URL that answers a GET with a page
    for path, response in [*pages, ("/no-such-page/", client.get("/no-such-page/"))]:
        title = title_of(response)
        page, sep, club = title.rpartition(" · ")
        if response.request["PATH_INFO"] == "/" and title == settings.CLUB_NAME:
            continue
        if not (sep and page.strip() and club == settings.CLUB_NAME) or settings.CLUB_NAME in page:
            wrong[path] = title
    assert wrong == {}


def test_titles_are_not_glued_to_the_club_name(client, db):
    assert title_of(client.get("/blog/")) == f"Blog · {settings.CLUB_NAME}"
    assert title_of(client.get("/")) == settings.CLUB_NAME
    assert title_of(client.get("/accounts/login/")).endswith(f" · {settings.CLUB_NAME}")
