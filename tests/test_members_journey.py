"""The whole journey of a newcomer, through real views and the test mail outbox.

submit → confirm from the emailed link → organizer email with Reply-To → approve →
welcome email → sign in from it → the member sees the next meeting's video link.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import AccessRequest, User
from tests.factories import make_meeting, make_topic
from tests.members_support import html_body, join_data, link_in, sent_to
from topics.models import Support, Topic

VIDEO_LINK = "https://video.example.org/solidarity-reading-club"


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def next_meeting(db):
    meeting = make_meeting(title="Reading club: Mutual Aid", days=3, video_link=VIDEO_LINK)
    return meeting


def test_a_newcomer_becomes_a_member_and_sees_the_video_link(organizer, next_meeting, capture):
    newcomer = Client()
    meeting_page = reverse("meetings:detail", args=[next_meeting.pk])
    assert VIDEO_LINK not in newcomer.get(meeting_page).content.decode()

    # 1. The request.
    assert newcomer.get("/join/").status_code == 200
    with capture(execute=True):
        response = newcomer.post("/join/", join_data())
    assert response["Location"] == "/join/thanks/"
    [confirmation] = mail.outbox
    assert confirmation.to == ["nia@example.org"]

    # 2. Confirming from the emailed link (a GET asks, the POST confirms).
    confirm_link = link_in(confirmation, r"/join/confirm/[^/\s\"]+/")
    assert "Confirm my request" in newcomer.get(confirm_link).content.decode()
    with capture(execute=True):
        response = newcomer.post(confirm_link)
    assert response["Location"] == "/join/confirmed/"
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING

    # 3. The organizers hear of it and can simply reply to the newcomer.
    [to_club] = sent_to("us@solidarityclub.org")
    [to_olga] = sent_to("olga@example.org")
    for message in [to_club, to_olga]:
        assert message.reply_to == ["nia@example.org"]
        assert "how to build solidarity where I work" in message.body
    decide_link = link_in(to_olga, r"/members/requests/[^/\s\"]+/decide/")

    # 4. Olga approves from the link, signed in.
    olga = Client()
    assert olga.get(decide_link)["Location"].startswith("/accounts/login/")
    olga.force_login(organizer)
    assert "Nia Newcomer" in olga.get(decide_link).content.decode()
    with capture(execute=True):
        olga.post(decide_link, {"decision": "approve", "message": "So glad you found us!"})
    assert AccessRequest.objects.get().status == AccessRequest.Status.APPROVED

    # 5. The welcome email: a one-time sign-in link, the next meeting, the calendar.
    [welcome] = [m for m in sent_to("nia@example.org") if m is not confirmation]
    user = User.objects.get(email="nia@example.org")
    for body in [welcome.body, html_body(welcome)]:
        assert "So glad you found us!" in body
        assert f"http://testserver{meeting_page}" in body
        assert "Reading club: Mutual Aid" in body
        assert f"/meetings/calendar/{user.feed_token}.ics" in body
    sign_in_link = link_in(welcome, r"/members/welcome/[^/\s\"]+/[^/\s\"]+/")

    # 6. Signing in from it.
    assert "Sign in" in newcomer.get(sign_in_link).content.decode()
    response = newcomer.post(sign_in_link)
    assert response["Location"] == reverse("members:start")
    landing = newcomer.get(response["Location"]).content.decode()
    assert "Subscribe to your calendar" in landing
    settings_page = newcomer.get(reverse("members:settings")).content.decode()
    assert "Your private calendar feed" in settings_page

    # 7. The member sees the next meeting's video link.
    assert VIDEO_LINK in newcomer.get(meeting_page).content.decode()
    # And the sign-in link has done its job.
    newcomer.logout()
    assert newcomer.get(sign_in_link).status_code == 400


def test_a_break_hides_the_video_link_and_coming_back_shows_it(member_client, member, next_meeting):
    meeting_page = reverse("meetings:detail", args=[next_meeting.pk])
    assert VIDEO_LINK in member_client.get(meeting_page).content.decode()
    member_client.post(reverse("members:take-break"))
    html = member_client.get(meeting_page).content.decode()
    assert VIDEO_LINK not in html
    assert "You are on a break" in html  # the banner, on every page
    member_client.post(reverse("members:come-back"))
    html = member_client.get(meeting_page).content.decode()
    assert VIDEO_LINK in html
    assert "You are on a break" not in html


def test_an_advised_break_shows_the_organizers_note_everywhere(
    member_client, member, organizer, next_meeting
):
    member.advise_break(
        until=timezone.localdate() + timedelta(days=7), note="Rest up; see you soon.", by=organizer
    )
    html = member_client.get(reverse("meetings:detail", args=[next_meeting.pk])).content.decode()
    assert VIDEO_LINK not in html
    assert "Rest up; see you soon." in html
    assert "Come back now" not in html


def test_leaving_hides_the_video_link(member_client, member, next_meeting):
    member_client.post(reverse("members:leave"))
    assert VIDEO_LINK not in Client().get(reverse("meetings:detail", args=[next_meeting.pk])).content.decode()
    member_client.force_login(member)  # an inactive account is not signed in
    assert (
        VIDEO_LINK
        not in member_client.get(reverse("meetings:detail", args=[next_meeting.pk])).content.decode()
    )


def test_a_break_blocks_topic_actions_and_coming_back_allows_them(member_client, member, organizer):
    topic = make_topic(organizer, title="Reading Mutual Aid")
    support = reverse("topics:support", args=[topic.pk])
    new = {"title": "Worker co-ops", "description": "How do they start?", "format": "chit_chat"}
    member_client.post(reverse("members:take-break"))
    assert member_client.post(support, {"action": "support"}).status_code == 403
    assert member_client.post(reverse("topics:new"), new).status_code == 403
    assert not Support.objects.filter(user=member).exists()
    assert not Topic.objects.filter(proposer=member).exists()
    member_client.post(reverse("members:come-back"))
    assert member_client.post(support, {"action": "support"}).status_code == 302
    assert member_client.post(reverse("topics:new"), new).status_code == 302
    assert Support.objects.filter(user=member, topic=topic).exists()
    assert Topic.objects.filter(proposer=member, title="Worker co-ops").exists()


def test_topics_of_an_erased_member_stay_attributed_to_a_former_member(member_client, member, organizer):
    organizer_client = Client()  # member_client and organizer_client would be one client
    organizer_client.force_login(organizer)
    topic = make_topic(member, title="Reading Mutual Aid")
    assert "Alice" in organizer_client.get(topic.get_absolute_url()).content.decode()
    member_client.post(reverse("members:leave"), {"erase": "on"})
    page = organizer_client.get(topic.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "a former member" in html
    assert "Alice" not in html
    assert "alice@example.org" not in html
