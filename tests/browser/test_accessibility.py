"""axe-core audit of the main pages, as each role, at desktop and phone widths."""

import pytest

from tests.browser.axe import axe_violations
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

PUBLIC_PAGES = ["/", "/about/", "/code-of-conduct/", "/accounts/login/", "/join/"]
WIDTHS = [{"width": 1200, "height": 900}, {"width": 320, "height": 700}]


@pytest.mark.parametrize("viewport", WIDTHS, ids=["desktop", "phone"])
def test_public_pages_have_no_violations_for_a_visitor(new_page, viewport):
    watched = new_page(viewport=viewport, bypass_csp=True)
    for path in PUBLIC_PAGES:
        watched.page.goto(path)
        assert axe_violations(watched.page) == [], path


@pytest.mark.parametrize("role", ["member", "organizer"])
def test_pages_have_no_violations_when_signed_in(new_page, role, request):
    user = request.getfixturevalue(role)
    watched = new_page(bypass_csp=True)
    sign_in(watched.page, user.email, PASSWORD)
    for path in ["/", "/about/", "/members/settings/"]:
        watched.page.goto(path)
        assert axe_violations(watched.page) == [], path
