"""What topics adds to the meeting pages (meetings.sections): gathered topics and decisions."""

TEMPLATES = {
    "main-block": "topics/_meeting_topics.html",
    "after-notes": "topics/decisions/_meeting_section.html",
    "past-meeting": "topics/_past_meeting_topics.html",
}


def meeting_section(sender, place, **kwargs):
    return TEMPLATES.get(place)
