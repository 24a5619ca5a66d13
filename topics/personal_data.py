"""What topics holds about a member: their export and their erasure (members/signals.py)."""

from . import backlog
from .models import Support, Topic, TopicEvent


def export(user):
    topics = Topic.objects.filter(proposer=user).select_related("meeting").order_by("created_at")
    supports = Support.objects.filter(user=user).select_related("topic").order_by("created_at")
    events = TopicEvent.objects.filter(actor=user).select_related("topic", "meeting")
    return {
        "topics_proposed": [
            {
                "title": topic.title,
                "description": topic.description,
                "format": topic.format,
                "links": topic.links,
                "status": topic.status,
                "hidden_reason": topic.hidden_reason,
                "support_count": topic.support_count,
                "meeting": topic.meeting.title if topic.meeting else None,
                "discussed_note": topic.discussed_note,
                "created_at": topic.created_at,
                "updated_at": topic.updated_at,
            }
            for topic in topics
        ],
        "topics_supported": [
            {"topic": support.topic.title, "supported_at": support.created_at} for support in supports
        ],
        "topic_history": [
            {
                "topic": event.topic.title,
                "what": event.kind,
                "meeting": event.meeting.title if event.meeting else None,
                "minutes": event.minutes,
                "note": str(event.note_shown),
                "at": event.created_at,
            }
            for event in events
        ],
    }


def forget(user):
    """Supports of a member who erased their data stop counting; topics stay, by "a former member"."""
    backlog.forget_supports_of(user)
    Support.objects.filter(user=user).delete()
