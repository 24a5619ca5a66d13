"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers here, so the system Chromium is
launched through `executable_path`. A missing browser fails the run; it never skips.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM guard
# would otherwise refuse the test's own database calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium is required for browser tests (apt-get install chromium); not found at {CHROMIUM}"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A page plus what it did that it should not: console errors and requests to other hosts."""

    def __init__(self, page, origin):
        self.page = page
        self.origin = origin
        self.console_errors = []
        self.foreign_requests = []
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        page.on("request", self._check_request)

    def _check_request(self, request):
        url = urlsplit(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if url.netloc != self.origin:
            self.foreign_requests.append(request.url)

    def assert_clean(self):
        assert self.console_errors == []
        assert self.foreign_requests == []


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    """new_page() → a Watched page in a fresh browser context (its own cookies)."""
    contexts = []

    def make(viewport=None, bypass_csp=False, javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or {"width": 1200, "height": 900},
            bypass_csp=bypass_csp,  # only the accessibility audit injects a script
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Watched(context.new_page(), urlsplit(live_server.url).netloc)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def watched(new_page):
    return new_page()


SCREENSHOTS = os.path.join(os.path.dirname(__file__), "screenshots")


def screenshot(page, name):
    """Written for review to tests/browser/screenshots/ (git-ignored)."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_text("Sign in with a password instead").click()  # the emailed code comes first
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    # Wait for the answer to the POST itself: a page.goto() right after a bare click could
    # cancel the sign-in before its session cookie arrives (seen on a loaded machine).
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in with my password").click()
    page.wait_for_load_state()
