"""One stylesheet: every page links static/css/site.css from base.html, and nothing else.

The apps' rules live in site.css (one section each); a rule that held only on an app's own
pages is scoped there under the app's class on <body>. The CSP allows no inline styles.
"""

import io
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.templatetags.static import static

from blog.models import Post
from meetings.models import Meeting
from members.demo import DEMO_ORGANIZER_EMAIL
from members.email_kinds import stop_url
from members.models import AccessRequest, User
from members.outreach.models import Conversation
from members.tokens import confirm_token, decide_token
from tests.conftest import seed_demo
from topics.decision_models import Decision
from topics.models import Topic

ROLE_EMAILS = {
    "visitor": None,
    "member": "ana@example.org",
    "member_on_break": "sam@example.org",
    "organizer": DEMO_ORGANIZER_EMAIL,
}


class Styles(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stylesheets, self.style_elements, self.style_attributes = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.stylesheets.append(attrs.get("href"))
        if tag == "style":
            self.style_elements += 1
        if "style" in attrs:
            self.style_attributes.append(tag)


@pytest.fixture
def main_pages(db):
    seed_demo(stdout=io.StringIO())
    upcoming = Meeting.objects.upcoming().first()
    past = Meeting.objects.past().first()
    conversation = Conversation.objects.first()
    pending = AccessRequest.objects.filter(status="pending").first()
    return [
        "/",
        "/about/",
        "/code-of-conduct/",
        "/blog/",
        Post.objects.published().first().get_absolute_url(),
        "/meetings/",
        "/meetings/past/",
        f"/meetings/{upcoming.pk}/",
        f"/meetings/{past.pk}/",
        f"/meetings/{Meeting.objects.get(title__startswith='Live demo').pk}/live/",
        f"/meetings/{upcoming.pk}/live/",
        f"/meetings/{upcoming.pk}/gather/",
        "/topics/",
        f"/topics/{Topic.objects.backlog().first().pk}/",
        "/topics/new/",
        "/decisions/",
        f"/decisions/{Decision.objects.first().pk}/",
        "/decisions/new/",
        "/join/",
        "/join/thanks/",
        f"/join/confirm/{confirm_token(pending)}/",
        f"/members/requests/{decide_token(pending)}/decide/",
        "/accounts/login/",
        "/members/welcome/",
        "/members/settings/",
        "/members/settings/leave/",
        "/members/settings/directory/",
        "/members/",
        f"/members/{User.objects.get(email='kofi@example.org').pk}/",
        "/members/help/",
        "/members/messages/",
        f"/members/messages/{conversation.pk}/",
        f"/members/messages/{conversation.pk}/report/{conversation.messages.first().pk}/",
        stop_url(User.objects.get(email=DEMO_ORGANIZER_EMAIL), "announcements").removeprefix(
            settings.SITE_URL
        ),
        "/no-such-page/",
    ]


@pytest.mark.parametrize("role", list(ROLE_EMAILS))
def test_every_main_page_links_the_one_stylesheet(client, main_pages, role):
    if ROLE_EMAILS[role]:
        client.force_login(User.objects.get(email=ROLE_EMAILS[role]))
    wrong = {}
    for path in main_pages:
        response = client.get(path, follow=True)  # a page a role may not open answers with the sign-in page
        body = b"".join(response.streaming_content) if response.streaming else response.content
        found = Styles()
        found.feed(body.decode())
        if found.stylesheets != [static("css/site.css")] or found.style_elements or found.style_attributes:
            wrong[path] = (found.stylesheets, found.style_elements, found.style_attributes)
    assert wrong == {}


def test_the_error_pages_link_the_one_stylesheet_too():
    from django.template.loader import render_to_string

    for name in ["500.html", "503.html"]:
        found = Styles()
        found.feed(render_to_string(name))
        assert found.stylesheets == [static("css/site.css")]
