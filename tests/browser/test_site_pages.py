from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

NAV = [
    ("Main", "Meetings", "/meetings/"),
    ("Main", "Blog", "/blog/"),
    ("Main", "Topics", "/topics/"),
    ("Your account", "Join", "/join/"),
    ("Your account", "Sign in", "/accounts/login/"),
    ("Main", "Home", "/"),
]


def test_home_renders_and_the_navigation_reaches_every_page(watched):
    page = watched.page
    page.goto("/")
    assert page.locator("h1").inner_text() == "W.O.R.K. Solidarity Club"
    assert page.get_by_role("link", name="Request meeting access").first.is_visible()
    for nav, label, path in NAV:
        page.get_by_role("navigation", name=nav).get_by_role("link", name=label, exact=True).click()
        page.wait_for_url(f"**{path}")
        assert page.locator("h1").count() == 1
    page.get_by_role("link", name="Code of conduct").click()
    page.wait_for_url("**/code-of-conduct/")
    page.get_by_role("link", name="Format & process").click()
    page.wait_for_url("**/about/")
    watched.assert_clean()


def test_the_stylesheet_loads_and_nothing_leaves_the_site(watched):
    page = watched.page
    response = page.goto("/")
    assert response.status == 200
    header_colour = page.eval_on_selector(".site-header", "el => getComputedStyle(el).backgroundColor")
    assert header_colour == "rgb(47, 93, 80)"
    watched.assert_clean()


def test_phone_width_has_no_horizontal_scroll(new_page):
    watched = new_page(viewport={"width": 320, "height": 640})
    for path in ["/", "/about/", "/code-of-conduct/", "/accounts/login/"]:
        watched.page.goto(path)
        overflow = watched.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, path
    watched.assert_clean()


def test_a_member_signs_in_through_the_real_form(watched, member):
    sign_in(watched.page, member.email, PASSWORD)
    assert watched.page.get_by_role("button", name="Sign out").is_visible()
    watched.assert_clean()
