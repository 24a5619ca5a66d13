"""What meetings holds about a member: their export and their erasure (members/signals.py)."""

from .models import RSVP, Meeting, ReminderSent


def export(user):
    rsvps = RSVP.objects.filter(user=user).select_related("meeting").order_by("meeting__starts_at")
    facilitated = Meeting.objects.filter(facilitator=user).order_by("starts_at")
    return {
        "meeting_rsvps": [
            {
                "meeting": rsvp.meeting.title,
                "starts_at": rsvp.meeting.starts_at,
                "answer": rsvp.answer,
                "answered_at": rsvp.created_at,
                "changed_at": rsvp.updated_at,
            }
            for rsvp in rsvps
        ],
        "meetings_facilitated": [
            {"meeting": meeting.title, "starts_at": meeting.starts_at, "status": meeting.status}
            for meeting in facilitated
        ],
        "meeting_reminders_sent": [
            {"meeting": reminder.meeting.title, "sent_at": reminder.sent_at}
            for reminder in ReminderSent.objects.filter(user=user).select_related("meeting")
        ],
    }


def forget(user):
    """Whether they would come is theirs: RSVPs and reminders go; a meeting they facilitated stays."""
    RSVP.objects.filter(user=user).delete()
    ReminderSent.objects.filter(user=user).delete()
