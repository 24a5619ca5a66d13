"""First impressions: one primary action a screen, quiet buttons for quiet actions, and the meeting page's invitation."""

import re

from django.test import Client

from members.models import AccessRequest
from tests.factories import make_access_request, make_meeting
from tests.test_members_decide import decide_link


def buttons(html):
    """(classes, text) of every button on the page."""
    found = []
    for attributes, text in re.findall(r"<button([^>]*)>(.*?)</button>", html, re.S):
        classes = re.search(r'class="([^"]*)"', attributes)
        found.append((classes.group(1) if classes else "", " ".join(re.sub(r"<[^>]+>", " ", text).split())))
    return found


def test_deciding_a_request_has_one_primary_action_and_declining_is_marked_as_the_risky_one(
    organizer_client, db
):
    access_request = make_access_request(AccessRequest.Status.PENDING)
    html = organizer_client.get(decide_link(access_request)).content.decode()
    found = {text: classes for classes, text in buttons(html)}
    assert "button-primary" in found["Approve and send the welcome email"]
    assert "button-danger" in found["Decline"]
    assert "button-primary" not in found["Decline"]
    assert sum("button-primary" in classes for classes, _text in buttons(html)) == 1


def test_taking_a_break_and_resetting_the_calendar_address_are_not_styled_as_the_main_action(member_client):
    html = member_client.get("/members/settings/").content.decode()
    found = {text: classes for classes, text in buttons(html)}
    assert "button-primary" not in found["Take a break"]
    assert "button-primary" not in found["Reset the address"]


def test_the_next_meeting_invites_members_to_support_topics_for_its_main_block(member_client):
    meeting = make_meeting(days=3)
    html = member_client.get(meeting.get_absolute_url()).content.decode()
    invite = html.split('class="meeting-topics-invite', 1)[1].split("</p>", 1)[0]
    assert 'href="/topics/"' in invite
    assert "support" in invite


def test_visitors_learn_how_topics_reach_the_meeting(db):
    meeting = make_meeting(days=3)
    html = Client().get(meeting.get_absolute_url()).content.decode()
    invite = html.split('class="meeting-topics-invite', 1)[1].split("</p>", 1)[0]
    assert "Members propose and support" in invite
    assert 'href="/topics/"' in invite


def test_a_past_or_cancelled_meeting_invites_nobody(member_client):
    cancelled = make_meeting(days=3)
    cancelled.cancel("The facilitator is ill.")
    assert "meeting-topics-invite" not in member_client.get(cancelled.get_absolute_url()).content.decode()
