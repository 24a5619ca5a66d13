"""Spanish in a real browser: the switcher is a plain form, and Spanish pages pass axe-core."""

import pytest

from members.demo import DEMO_PASSWORD
from members.models import User
from tests.browser.axe import axe_violations
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import main_pages  # noqa: F401 (a fixture)


def switch_to_spanish(page):
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()


def test_the_switcher_works_without_javascript_and_keeps_the_page(new_page, main_pages):  # noqa: F811
    watched = new_page(javascript=False)
    watched.page.goto("/about/")
    switch_to_spanish(watched.page)
    assert watched.page.url.endswith("/about/")
    assert watched.page.locator("html").get_attribute("lang") == "es"
    assert watched.page.get_by_role("heading", level=1).inner_text() == "Formato y proceso"
    watched.page.get_by_label("Idioma").select_option("en")
    watched.page.get_by_role("button", name="Cambiar idioma").click()
    assert watched.page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("role", ["visitor", "member"])
def test_every_main_page_in_spanish_has_no_violations(new_page, main_pages, role):  # noqa: F811
    watched = new_page(bypass_csp=True)
    if role == "member":
        sign_in(watched.page, "ana@example.org", DEMO_PASSWORD)
    watched.page.goto("/")
    switch_to_spanish(watched.page)
    if role == "member":
        assert User.objects.get(email="ana@example.org").language == "es"  # the switch is their preference
    failures = {}
    for path in main_pages:
        watched.page.goto(path)
        assert watched.page.locator("html").get_attribute("lang") == "es", path
        if violations := axe_violations(watched.page):
            failures[path] = violations
    assert failures == {}
