"""A member's pages kept whole (solidarityclub/memberpages.py), in a real browser.

What a member does with the scripts on (an RSVP, a support) changes the page in place;
a reload afterwards must show it, never the copy kept from before.
"""

import pytest
from playwright.sync_api import expect

from members.accounts import create_member
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.factories import make_meeting, make_topic


@pytest.fixture(autouse=True)
def cache_on(settings):
    from django.core.cache import cache

    from solidarityclub import pagecache

    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_HEADER = True
    cache.clear()
    pagecache.reset_process_cache()


def open_twice(page, path):
    """The second load is the kept copy."""
    page.goto(path)
    response = page.goto(path)
    assert response.headers["x-cache"] == "hit"
    return response


@pytest.mark.parametrize("width", [375, 1280])
def test_a_reload_after_an_rsvp_or_a_support_shows_it(new_page, member, width):
    meeting = make_meeting(days=3, title="Mutual aid reading")
    topic = make_topic(create_member("carol@example.org", password=PASSWORD), "Walk together")
    watched = new_page(viewport={"width": width, "height": 900})
    page = watched.page
    sign_in(page, member.email, PASSWORD)

    open_twice(page, meeting.get_absolute_url())
    page.get_by_role("button", name="Going").click()
    expect(page.get_by_role("button", name="Going")).to_have_attribute("aria-pressed", "true")
    response = page.reload()
    assert response.headers["x-cache"] == "miss"  # their answer moved their version on
    expect(page.get_by_role("button", name="Going")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".meeting-rsvp")).to_contain_text("Alice")
    assert page.reload().headers["x-cache"] == "hit"
    expect(page.get_by_role("button", name="Going")).to_have_attribute("aria-pressed", "true")
    screenshot(page, f"member-kept-meeting-{width}")

    open_twice(page, "/topics/")
    button = page.locator(f"form.js-support[data-topic='{topic.pk}'] button")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.locator(f"form.js-support[data-topic='{topic.pk}'] button")).to_have_attribute(
        "aria-pressed", "true"
    )
    screenshot(page, f"member-kept-topics-{width}")

    for path, name in [("/", "home"), ("/meetings/", "meetings")]:
        open_twice(page, path)
        expect(page.locator(".nav-name")).to_have_text("Alice")
        screenshot(page, f"member-kept-{name}-{width}")
    watched.assert_clean()
