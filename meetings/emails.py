"""The meetings' emails: reminders before a meeting, notices when one moves or is cancelled.

Each is three templates under templates/meetings/emails/ and goes out through
solidarityclub.emails after the database commit. Only members in good standing
(members.User.objects.in_good_standing) ever get one. Links are absolute,
built from settings.SITE_URL, because reminders are sent outside a request.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from members import email_kinds
from solidarityclub.emails import send_email_after_commit


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def _context(meeting, user):
    from .templatetags.meetings_tags import club_time, in_zone

    member_zone = user.time_zone if user.time_zone and user.time_zone != settings.CLUB_TIME_ZONE else ""
    return {
        "meeting": meeting,
        "user": user,
        "meeting_url": absolute_url(meeting.get_absolute_url()),
        "settings_url": absolute_url(reverse("members:settings")),
        "meetings_url": absolute_url(reverse("meetings:list")),
        "starts_at": club_time(meeting.starts_at),
        "ends_at": club_time(meeting.ends_at),
        "member_starts_at": in_zone(meeting.starts_at, member_zone) if member_zone else None,
        "agenda": meeting.agenda_schedule(),
    }


def _rsvped_members(meeting):
    """Members in good standing who said they are going or might come."""
    return (
        get_user_model()
        .objects.in_good_standing()
        .filter(meeting_rsvps__meeting=meeting, meeting_rsvps__answer__in=("going", "maybe"))
    )


def send_reminder(meeting, user, now=None):
    context = _context(meeting, user)
    context["video_link"] = meeting.video_link_for(user, now)
    send_email_after_commit(
        "meetings/emails/reminder",
        [user.email],
        context,
        unsubscribe=email_kinds.unsubscribe(user, "reminders"),
    )


def send_cancelled_notices(meeting):
    for user in _rsvped_members(meeting):
        send_email_after_commit("meetings/emails/cancelled", [user.email], _context(meeting, user))


def send_time_changed_notices(meeting, previous_start):
    from .templatetags.meetings_tags import club_time

    for user in _rsvped_members(meeting):
        context = _context(meeting, user)
        context["previous_starts_at"] = club_time(previous_start)
        send_email_after_commit("meetings/emails/time_changed", [user.email], context)
