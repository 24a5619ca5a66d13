"""What a newcomer and a member meet first, in Chromium at 375 px and 1280 px.

Screenshots of home, the meeting page, sign-in and gather at both widths are
written to tests/browser/screenshots/ (git-ignored) for review.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from meetings.models import RSVP, Meeting
from members.demo import DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOTS, screenshot, sign_in
from tests.conftest import seed_demo
from tests.factories import ensure_standard_template

WIDTHS = {"375": {"width": 375, "height": 667}, "1280": {"width": 1280, "height": 800}}
MEMBER = "ana@example.org"


@pytest.fixture
def club(transactional_db):
    ensure_standard_template()  # browser tests flush the database, data migrations included
    seed_demo()
    return Meeting.objects.next_meeting()


def inside_first_viewport(page, locator):
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= height, f"{box} is below the first {height} px"
    return True


@pytest.mark.parametrize("width", WIDTHS)
def test_home_leads_with_the_next_meeting_and_its_button(new_page, club, width):
    visitor = new_page(viewport=WIDTHS[width])
    page = visitor.page
    page.goto("/")
    screenshot(page, f"home-visitor-{width}")
    card = page.locator(".next-meeting")
    assert inside_first_viewport(page, card.get_by_role("heading", name=club.title))
    assert inside_first_viewport(page, card.get_by_role("link", name="Request meeting access"))
    assert inside_first_viewport(page, card.locator(".frame-bar"))
    assert "PST" in card.inner_text() or "PDT" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    visitor.assert_clean()

    member = new_page(viewport=WIDTHS[width])
    sign_in(member.page, MEMBER, DEMO_PASSWORD)
    page = member.page
    page.goto("/")
    screenshot(page, f"home-member-{width}")
    going = page.locator(".next-meeting").get_by_role("button", name="Going")
    assert inside_first_viewport(page, going)
    expect(page.get_by_role("heading", name="What’s next for you")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"\d+ open topics?: help choose what we talk about"))
    ).to_be_visible()
    member.assert_clean()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_rsvp_is_one_tap(new_page, club, javascript):
    watched = new_page(viewport=WIDTHS["375"], javascript=javascript)
    page = watched.page
    sign_in(page, MEMBER, DEMO_PASSWORD)
    RSVP.objects.filter(meeting=club).delete()
    page.goto(club.get_absolute_url())
    page.get_by_role("button", name="Maybe").click()
    expect(page.get_by_role("button", name="Maybe")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Going")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".meeting-coming")).to_contain_text("1 maybe")
    assert RSVP.objects.get(meeting=club, user__email=MEMBER).answer == "maybe"
    assert page.url.endswith(club.get_absolute_url())
    watched.assert_clean()


def test_a_visitor_clicking_topics_gets_the_explanation(watched, club):
    page = watched.page
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Topics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Topics: what we talk about next")
    expect(page.get_by_role("link", name="Request meeting access")).to_be_visible()
    assert page.locator("input[type=password]").count() == 0
    watched.assert_clean()


def test_the_supported_state_looks_different(watched, club):
    page = watched.page
    sign_in(page, MEMBER, DEMO_PASSWORD)
    page.goto("/topics/")
    buttons = page.locator(".support-button")
    colours = {
        pressed: buttons.and_(page.locator(f'[aria-pressed="{pressed}"]')).first.evaluate(
            "el => getComputedStyle(el).backgroundColor + ' ' + getComputedStyle(el).color"
        )
        for pressed in ("true", "false")
    }
    assert colours["true"] != colours["false"]
    watched.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_meeting_page_sign_in_and_gather(new_page, club, width):
    visitor = new_page(viewport=WIDTHS[width])
    visitor.page.goto("/accounts/login/")
    expect(visitor.page.get_by_role("button", name="Email me a sign-in code")).to_be_visible()
    screenshot(visitor.page, f"sign-in-{width}")
    visitor.page.goto(club.get_absolute_url())
    screenshot(visitor.page, f"meeting-visitor-{width}")

    member = new_page(viewport=WIDTHS[width])
    sign_in(member.page, MEMBER, DEMO_PASSWORD)
    member.page.goto(club.get_absolute_url())
    expect(member.page.get_by_role("button", name="Going")).to_be_visible()
    screenshot(member.page, f"meeting-member-{width}")

    organizer = new_page(viewport=WIDTHS[width])
    sign_in(organizer.page, DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD)
    page = organizer.page
    page.goto(f"/meetings/{club.pk}/gather/")
    screenshot(page, f"gather-{width}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    minutes = page.locator("input[name^=minutes]").first
    box = minutes.bounding_box()
    assert box["x"] + box["width"] <= WIDTHS[width]["width"]
    # Too many minutes: "10 minutes over" next to the button, never "-10".
    minutes.fill("70")
    minutes.dispatch_event("change")
    submit_bar = page.locator(".gather-submit")
    expect(submit_bar).to_contain_text("10 minutes over")
    assert "-10" not in submit_bar.inner_text()
    screenshot(page, f"gather-over-{width}")
    for watched in (visitor, member, organizer):
        watched.assert_clean()


@pytest.mark.parametrize("role", ["visitor", "member", "organizer"])
def test_the_phone_header_takes_two_rows_at_most_and_the_footer_stays_at_the_bottom(new_page, club, role):
    watched = new_page(viewport=WIDTHS["375"])
    page = watched.page
    if role != "visitor":
        sign_in(page, MEMBER if role == "member" else DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD)
    page.goto("/about/")
    assert page.evaluate(HEADER_ROWS) <= 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # A short page: the footer sits at the bottom of the window, not halfway up.
    short = new_page(viewport=WIDTHS["1280"])
    short.page.goto("/no-such-page/")
    bottom = short.page.locator(".site-footer").evaluate("el => el.getBoundingClientRect().bottom")
    assert abs(bottom - WIDTHS["1280"]["height"]) < 2
    # The header mark is the site's icon, not an emoji.
    assert page.locator(".brand img.brand-mark").get_attribute("src").endswith(".svg")
    assert "✊" not in page.locator(".site-header").inner_text()


# Rows of the header's links: items whose vertical centres lie within 12 px share a row.
HEADER_ROWS = """() => {
    const centres = [...document.querySelectorAll('.site-header a, .site-header button')]
        .filter(el => el.offsetParent !== null)
        .map(el => { const box = el.getBoundingClientRect(); return box.top + box.height / 2; })
        .sort((a, b) => a - b);
    let rows = 0, first = -Infinity;
    for (const centre of centres) if (centre - first > 12) { rows += 1; first = centre; }
    return rows;
}"""

CLIPPED_HEADER_ITEMS = """() => [...document.querySelectorAll('.site-header a, .site-header button')]
    .filter(el => el.offsetParent !== null)
    .filter(el => {
        const box = el.getBoundingClientRect();
        const clipped = el.scrollWidth > el.clientWidth
            || box.left < 0 || box.right > window.innerWidth || box.top < 0;
        // An ancestor that scrolls or hides its overflow cuts the item off too.
        let parent = el.parentElement;
        while (parent && !clipped) {
            const style = getComputedStyle(parent);
            if (style.overflowX !== 'visible') {
                const frame = parent.getBoundingClientRect();
                if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5) return true;
            }
            parent = parent.parentElement;
        }
        return clipped;
    })
    .map(el => el.textContent.trim() || el.outerHTML.slice(0, 60))"""


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("role", ["member", "organizer"])
@pytest.mark.parametrize("width", WIDTHS)
def test_every_header_item_is_whole_on_a_phone_and_a_laptop(
    new_page, live_server, club, role, width, language
):
    watched = new_page(viewport=WIDTHS[width])
    page = watched.page
    sign_in(page, MEMBER if role == "member" else DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/about/")
    assert page.locator("html").get_attribute("lang") == language
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.locator(".site-header").screenshot(
        path=os.path.join(SCREENSHOTS, f"header-{role}-{width}-{language}.png")
    )
    # Whole: no ellipsis (scrollWidth > clientWidth), nothing past the window or a scrolling nav's edge.
    assert page.evaluate(CLIPPED_HEADER_ITEMS) == []
    expect(page.locator(".nav-name")).to_have_text("Demo Organizer" if role == "organizer" else "Ana")
    if role == "organizer":
        expect(page.get_by_role("link", name="Admin", exact=True)).to_be_visible()
    assert page.evaluate(HEADER_ROWS) <= (2 if width == "375" else 1)
    watched.assert_clean()
