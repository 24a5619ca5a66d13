"""The whole journey in Chromium, through real pages only.

A newcomer requests access and confirms it, an organizer approves in the admin,
the new member signs in from the welcome email, RSVPs and proposes a topic,
another member supports it, the organizer gathers it into the meeting and
publishes an announcement that a visitor then reads. Every browser context is
watched: no console error and no request to another host, anywhere.
"""

import re

from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from blog.models import Post
from meetings.models import RSVP
from members.models import AccessRequest, User
from solidarityclub.pagecache import reset_process_cache
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import make_meeting
from topics.models import Support, Topic

TOPIC = "Reading “Mutual Aid” together"


def path_in(message, pattern):
    """The path of the first link in an email's text that matches `pattern`."""
    return re.search(rf"https?://[^/\s]+({pattern})", message.body).group(1)


def emails_to(address, subject_start):
    return [m for m in mail.outbox if address in m.to and m.subject.startswith(subject_start)]


def test_a_newcomer_becomes_a_member_whose_topic_is_gathered_and_announced(
    new_page, member, organizer, settings
):
    # Visitors' pages are cached as in production: what changes must still show at once.
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    reset_process_cache()
    meeting = make_meeting(title="Reading club: Mutual Aid", video_link="https://meet.example.org/mutual-aid")

    # 1. Nia asks for access from the home page and confirms from the emailed link.
    nia = new_page()
    page = nia.page
    page.goto("/")
    page.get_by_role("link", name="Request meeting access").first.click()
    page.wait_for_url("**/join/")
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("What draws you to this work?").fill("Learning with others how to build solidarity.")
    page.get_by_label("I have read the code of conduct and agree to it").check()
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url("**/join/thanks/")
    [confirmation] = emails_to("nia@example.org", "")
    page.goto(path_in(confirmation, r"/join/confirm/[^/\s]+/"))
    page.get_by_role("button", name="Confirm my request").click()
    page.wait_for_url("**/join/confirmed/")
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING

    # 2. Olga approves the request in the admin (whose pages ask for /favicon.ico).
    olga = new_page()
    admin = olga.page
    sign_in(admin, organizer.email, PASSWORD)
    admin.goto("/admin/members/accessrequest/?status__exact=pending")
    admin.get_by_role("link", name="Nia Newcomer").click()
    admin.get_by_role("link", name="Approve…").click()
    admin.get_by_role("button", name="Approve").click()
    admin.wait_for_url(re.compile(r".*/admin/members/accessrequest/\d+/change/$"))
    assert "Approved 1 request." in admin.locator(".messagelist").inner_text()

    # 3. Nia signs in from the welcome email's one-time link, follows it to the next
    #    meeting, sees the video link and says she is going.
    [welcome] = emails_to("nia@example.org", "Welcome")
    page.goto(path_in(welcome, r"/members/welcome/[^/\s]+/[^/\s]+/"))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/members/welcome/")
    newcomer = User.objects.get(email="nia@example.org")
    assert path_in(welcome, r"/meetings/\d+/") == meeting.get_absolute_url()
    page.goto(meeting.get_absolute_url())
    video = page.get_by_role("link", name="Join the video call")
    assert video.get_attribute("href") == "https://meet.example.org/mutual-aid"
    page.get_by_role("button", name="Going").click()
    expect(page.get_by_role("button", name="Going")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".meeting-rsvp")).to_contain_text("1 going")
    assert RSVP.objects.get(meeting=meeting).user == newcomer

    # 4. She proposes a topic.
    page.goto("/topics/")
    page.get_by_role("link", name="Propose a topic").click()
    page.wait_for_url("**/topics/new/")
    page.get_by_label("Title").fill(TOPIC)
    page.get_by_label("Description").fill("Dean Spade's *Mutual Aid*, chapters 1–2.")
    page.get_by_label("Suggested format").select_option("reading_club")
    page.get_by_role("button", name="Propose this topic").click()
    page.wait_for_url(re.compile(r"/topics/\d+/$"))
    assert page.locator("h1").inner_text() == TOPIC
    topic = Topic.objects.get()
    assert topic.proposer == newcomer

    # 5. Alice supports it from the backlog.
    alice = new_page()
    sign_in(alice.page, member.email, PASSWORD)
    alice.page.goto("/topics/")
    alice.page.get_by_role("button", name=f"Support “{TOPIC}”").click()
    alice.page.locator(".js-count").get_by_text("1").wait_for()
    alice.page.wait_for_load_state("networkidle")
    assert list(Support.objects.values_list("topic", "user")) == [(topic.pk, member.pk)]

    # 6. At the start of the meeting Olga gathers it into the main block.
    admin.goto(f"/meetings/{meeting.pk}/gather/")
    admin.get_by_label(f"Pick “{TOPIC}”").check()
    admin.get_by_label(f"Minutes for “{TOPIC}”").fill("40")
    admin.get_by_role("button", name="Gather the picked topics").click()
    admin.wait_for_url(f"**{meeting.get_absolute_url()}")
    main_block = admin.locator(".meeting-agenda > li.holds-topics")
    assert "Meeting" in main_block.inner_text()
    gathered = admin.locator(".meeting-agenda > li.holds-topics + li.meeting-topics .meeting-topic-list li")
    assert [" ".join(text.split()) for text in gathered.all_inner_texts()] == [f"40 min {TOPIC}"]
    page.goto(meeting.get_absolute_url())
    assert TOPIC in page.locator(".meeting-topics").inner_text()
    assert emails_to("nia@example.org", "")[-1].subject != welcome.subject  # told that it was gathered

    # 7. Olga writes an announcement as a draft, and a visitor does not see it yet.
    admin.goto("/admin/blog/post/add/")
    admin.get_by_label("Title").fill("Our next reading: Mutual Aid")
    admin.get_by_label("Summary").fill("We read Dean Spade's book together.")
    admin.get_by_label("Body").fill("Bring the *first two chapters*.\n\n- RSVP on the meeting page")
    admin.get_by_role("button", name="Save", exact=True).click()
    admin.wait_for_url("**/admin/blog/post/")
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT
    visitor = new_page()
    reader = visitor.page
    reader.goto("/")
    assert "Our next reading" not in reader.locator("main").inner_text()
    reader.goto("/blog/")
    assert "Our next reading" not in reader.locator("main").inner_text()

    # 8. Olga publishes it with the admin action; the visitor sees it on home and on the blog.
    admin.get_by_role(
        "checkbox", name="Select this object for an action - Our next reading: Mutual Aid"
    ).check()
    admin.get_by_label("Action:").select_option("publish")
    admin.get_by_role("button", name="Go").click()
    admin.wait_for_load_state()
    assert "1 post published." in admin.locator(".messagelist").inner_text()
    reader.goto("/")
    reader.get_by_role("link", name="Our next reading: Mutual Aid").click()
    reader.wait_for_url(f"**{post.get_absolute_url()}")
    assert reader.locator(".post-body em").inner_text() == "first two chapters"
    reader.goto("/blog/")
    assert reader.locator("article h2").all_inner_texts() == ["Our next reading: Mutual Aid"]
    reader.goto(meeting.get_absolute_url())
    assert TOPIC in reader.locator(".meeting-topics").inner_text()
    assert reader.get_by_role("link", name="Join the video call").count() == 0

    for watched in [nia, olga, alice, visitor]:
        watched.assert_clean()
