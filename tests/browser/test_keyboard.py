"""Keyboard only: joining from the home page, and proposing a topic from the backlog.

Only Tab, Space, Enter and typing: no click, no fill. At every stop the focused
element must be on screen, not covered, and show a focus ring (an outline of at
least 2px) that stands out 3:1 from what surrounds it (WCAG 2.4.7, 1.4.11).
"""

import re

from django.core.cache import cache

from members.models import AccessRequest
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from topics.models import Topic

# What the browser knows about the focused element and its focus ring.
FOCUS = """() => {
  const el = document.activeElement;
  const parse = (color) => {
    const parts = (color.match(/rgba?\\(([^)]*)\\)/) || [, ""])[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return parts.length < 3 ? null : {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  };
  const luminance = ({r, g, b}) => {
    const f = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const backgroundOf = (node) => {
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color && color.a >= 0.5) return color;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const ring = parseFloat(style.outlineWidth) + Math.max(0, parseFloat(style.outlineOffset) || 0);
  // What lies just outside the ring, on whichever side is on screen.
  const y = rect.top + rect.height / 2;
  const x = rect.left - ring - 2 >= 0 ? rect.left - ring - 2 : rect.right + ring + 2;
  const around = document.elementsFromPoint(x, y).find((node) => node !== el && !el.contains(node));
  const outline = parse(style.outlineColor);
  const [light, dark] = [luminance(outline), luminance(backgroundOf(around))].sort((a, b) => b - a);
  const center = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    className: el.className,
    name: (el.getAttribute("aria-label") || el.innerText || el.value || "").trim().replace(/\\s+/g, " "),
    labels: el.labels ? Array.from(el.labels, (label) => label.innerText.trim().replace(/:$/, "")) : [],
    focusVisible: el.matches(":focus-visible"),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    contrast: (light + 0.05) / (dark + 0.05),
    width: rect.width,
    height: rect.height,
    onScreen: rect.top >= -1 && rect.left >= -1 && rect.bottom <= innerHeight + 1 && rect.right <= innerWidth + 1,  // sub-pixel
    onTop: center === el || el.contains(center),
    visibility: style.visibility,
    opacity: parseFloat(style.opacity),
  };
}"""


def focused(page):
    """The focused element, after checking that a keyboard user can see it and its focus ring."""
    info = page.evaluate(FOCUS)
    where = f"{info['tag']}#{info['id']} “{info['name'][:60]}” on {page.url}"
    assert min(info["width"], info["height"]) > 1, f"too small to see: {where}"
    assert info["visibility"] == "visible", f"invisible: {where}"
    assert info["opacity"] > 0.5, f"transparent: {where}"
    assert info["onScreen"], f"scrolled out of view: {where}"
    assert info["onTop"], f"covered by another element: {where}"
    assert info["focusVisible"], f"not :focus-visible: {where}"
    assert info["outlineStyle"] != "none", f"no focus ring: {where}"
    assert info["outlineWidth"] >= 2, f"focus ring thinner than 2px: {where}"
    assert info["contrast"] >= 3, f"focus ring contrast {info['contrast']:.2f}:1: {where}"
    return info


def tab(page, key="Tab"):
    page.keyboard.press(key)
    return focused(page)


def tab_until(page, matches, most=25):
    """Tab on, checking every stop, until `matches(info)`; returns that stop."""
    for _ in range(most):
        info = tab(page)
        if matches(info):
            return info
    raise AssertionError(f"not reached in {most} Tab presses")


def skip_to_main(page):
    """The skip link is the first Tab stop and moves focus to <main>."""
    info = tab(page)
    assert (info["tag"], info["name"]) == ("a", "Skip to content")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


def test_a_newcomer_asks_for_access_with_the_keyboard_alone(watched):
    cache.clear()  # join requests are counted per address in the cache, which a flush keeps
    page = watched.page
    page.goto("/")
    skip_to_main(page)
    # The first stop in <main> on the home page is the invitation.
    assert tab(page)["name"] == "Request meeting access"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/join/")

    skip_to_main(page)
    for label, text in [
        ("Your name", "Nia Newcomer"),
        ("Email address", "nia@example.org"),
        ("Pronouns (optional)", "she/her"),
        ("What draws you to this work?", "Learning with others how to build solidarity at work."),
        ("How did you hear of the club? (optional)", "A friend"),
    ]:
        assert tab(page)["labels"] == [label]
        page.keyboard.type(text)
    assert tab(page)["name"] == "code of conduct"
    checkbox = tab(page)
    assert checkbox["labels"] == ["I have read the code of conduct and agree to it"]
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") is True
    # The honeypot is out of the Tab order: next comes the button.
    assert tab(page)["name"] == "Send my request"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/join/thanks/")
    assert page.locator("h1").inner_text() == "Check your inbox"

    request = AccessRequest.objects.get()
    assert (request.name, request.email, request.pronouns, request.heard_from) == (
        "Nia Newcomer",
        "nia@example.org",
        "she/her",
        "A friend",
    )
    assert request.agreed_to_code_of_conduct
    watched.assert_clean()


def test_a_member_proposes_a_topic_with_the_keyboard_alone(watched, member):
    page = watched.page
    sign_in(page, member.email, PASSWORD)
    page.goto("/topics/")
    # Through the header (white rings on green), skip link first, to the page's action.
    assert tab(page)["name"] == "Skip to content"
    assert tab(page)["className"] == "brand"  # the club's name, a link home
    stops = [tab(page)["name"]]
    while stops[-1] != "Propose a topic":
        stops.append(tab(page)["name"])
        assert len(stops) < 15, stops
    assert stops == [
        "Home",
        "Meetings",
        "Blog",
        "Topics",
        "Members",
        "Decisions",
        member.get_short_name(),
        "Sign out",
        "Propose a topic",
    ]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/topics/new/")

    skip_to_main(page)
    assert tab(page)["name"] == "← All topics"
    assert tab(page)["labels"] == ["Title"]
    page.keyboard.type("Mutual aid in the workplace")
    assert tab(page)["labels"] == ["Description"]
    page.keyboard.type("Dean Spade's *Mutual Aid*, chapter 2.")
    page.keyboard.press("Enter")
    page.keyboard.type("About 30 pages.")
    assert tab(page)["labels"] == ["Suggested format"]
    page.keyboard.type("Movie")  # a closed <select> picks the option that starts with what is typed
    assert page.evaluate("document.activeElement.value") == "movie_night"
    assert tab(page)["labels"] == ["First link"]
    page.keyboard.type("https://example.org/mutual-aid")
    assert tab(page)["labels"] == ["Second link"]
    assert tab(page)["labels"] == ["Third link"]
    assert tab(page)["name"] == "Propose this topic"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/topics/\d+/(#main)?$", page.url)  # a redirect keeps the skip link's #main
    assert page.locator("h1").inner_text() == "Mutual aid in the workplace"

    topic = Topic.objects.get()
    assert (topic.proposer, topic.format, topic.link_1) == (
        member,
        "movie_night",
        "https://example.org/mutual-aid",
    )
    assert topic.description.splitlines() == ["Dean Spade's *Mutual Aid*, chapter 2.", "About 30 pages."]
    # The redirect kept #main, so the next Tab starts in <main> of the new topic's page.
    assert tab(page)["name"] == "← All topics"
    watched.assert_clean()
