"""In Chromium: opt in to the directory, find a member by words, write to them, they reply and block; ask for help."""

from django.core import mail

from members.models import User
from members.outreach.models import Block, Conversation, HelpRequest, RelayedMessage
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.outreach_support import listed

SHOTS = {"phone": {"width": 375, "height": 800}, "desktop": {"width": 1280, "height": 900}}


def test_writing_to_a_member_found_in_the_directory(new_page, member, organizer, tmp_path):
    nia = listed(
        "nia.private@example.org", "Nia", pronouns="she/her", languages="Spanish", ask_me_about="bike repair"
    )

    alice = new_page()
    page = alice.page
    sign_in(page, member.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    page.wait_for_url("**/members/")
    page.get_by_label("Search by words").fill("bike")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Nia", exact=True).click()
    page.get_by_label("Your message").fill("Hello Nia, could you help me fix my bike?")
    page.get_by_label("Let them reply to my email address").uncheck()
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/members/messages/*/")
    assert "Your message was sent to Nia." in page.content()
    assert "nia.private" not in page.content()
    alice.assert_clean()
    [email] = mail.outbox
    assert email.to == ["nia.private@example.org"]
    assert email.reply_to == []

    nia_view = new_page()
    sign_in(nia_view.page, nia.email, PASSWORD)
    nia_view.page.goto(page.url.replace(page.url.split("/members/")[0], ""))
    assert "could you help me fix my bike?" in nia_view.page.content()
    nia_view.page.get_by_label("Your message").fill("Sure, bring it on Saturday.")
    nia_view.page.get_by_role("button", name="Send").click()
    nia_view.page.get_by_role("button", name="Block Alice").click()
    assert "You blocked Alice" in nia_view.page.content()
    assert Block.objects.filter(blocker=nia, blocked=member).exists()
    nia_view.assert_clean()

    page.reload()
    assert "Sure, bring it on Saturday." in page.content()
    assert "blocked" not in page.content().lower()
    page.get_by_label("Your message").fill("Thanks!")
    page.get_by_role("button", name="Send").click()
    assert "Your message was sent to Nia." in page.content()
    assert RelayedMessage.objects.get(body="Thanks!").withheld

    page.goto("/members/help/")
    page.get_by_label("Who should read it?").select_option(label="Olga")
    page.get_by_label("What is it about?").select_option(label="A code-of-conduct concern")
    page.get_by_label("Your request").fill("Something at the last meeting worried me.")
    page.get_by_label("Send it anonymously").check()
    page.get_by_role("button", name="Send to the organizers").click()
    page.wait_for_url("**/members/help/sent/")
    assert HelpRequest.objects.get().sender is None
    alice.assert_clean()


def test_screenshots_of_the_reach_out_pages(new_page, member, organizer, tmp_path, settings):
    """Pages at phone and desktop width, kept in the test's temporary folder for a person to look at."""
    listed(
        "nia@example.org",
        "Nia Moreno-Castillo",
        pronouns="she/her",
        languages="Spanish, English",
        ask_me_about="Bike repair, tenant organizing, reading groups about cooperatives",
    )
    nia = User.objects.get(email="nia@example.org")
    conversation = Conversation.objects.create(starter=nia, recipient=member)
    RelayedMessage.objects.create(
        conversation=conversation,
        sender=nia,
        body="A long first line without spaces: " + "x" * 80 + "\n\nSecond paragraph.",
    )
    Block.objects.create(blocker=member, blocked=nia)
    paths = [
        "/members/",
        f"/members/{nia.pk}/",
        "/members/settings/directory/",
        "/members/help/",
        "/members/messages/",
        f"/members/messages/{conversation.pk}/",
        "/members/settings/",
    ]
    for name, viewport in SHOTS.items():
        watched = new_page(viewport=viewport)
        sign_in(watched.page, member.email, PASSWORD)
        for path in paths:
            watched.page.goto(path)
            overflow = watched.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, (name, path)
            watched.page.screenshot(
                path=str(tmp_path / f"{name}{path.replace('/', '_')}.png"), full_page=True
            )
        watched.assert_clean()
    if settings.DEBUG is False and (shots := __import__("os").environ.get("I18_SHOTS")):
        import shutil

        shutil.copytree(tmp_path, shots, dirs_exist_ok=True)
