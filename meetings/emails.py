"""The meetings' emails: reminders before a meeting, notices when one moves or is cancelled.

Each is three templates under templates/meetings/emails/ and joins the mail
queue (django-mailer, in the same database) inside the caller's transaction:
what an email is about and the email itself commit together, or not at all. Only members in good standing
(members.User.objects.in_good_standing) ever get one. Links are absolute,
built from settings.SITE_URL, because reminders are sent outside a request.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from members import email_kinds
from solidarityclub.emails import absolute_url, language_for, send_email, speaking_to
from solidarityclub.times import club_time, in_zone, member_zone


def _context(meeting, user):
    own_zone = member_zone(user)
    return {
        "meeting": meeting,
        "user": user,
        "meeting_url": absolute_url(meeting.get_absolute_url()),
        "settings_url": absolute_url(reverse("members:settings")),
        "meetings_url": absolute_url(reverse("meetings:list")),
        "starts_at": club_time(meeting.starts_at),
        "ends_at": club_time(meeting.ends_at),
        "member_starts_at": in_zone(meeting.starts_at, own_zone) if own_zone else None,
        "agenda": meeting.agenda_schedule(),
    }


def _rsvps_to_tell(meeting):
    """The answers of members in good standing who said they are going or might come."""
    members = get_user_model().objects.in_good_standing()
    return (
        meeting.rsvps.filter(answer__in=("going", "maybe"), user__in=members)
        .select_related("user")
        .order_by("user_id")
    )


def _you_said(answer):
    return _("you said you were going") if answer == "going" else _("you said you might come")


def send_reminder(meeting, user, now=None):
    with speaking_to(user):  # the times and phrases in the context too
        context = _context(meeting, user)
        context["video_link"] = meeting.video_link_for(user, now)
        send_email(
            "meetings/emails/reminder",
            [user.email],
            context,
            unsubscribe=email_kinds.unsubscribe(user, "reminders"),
            language=language_for(user),
        )


def send_cancelled_notices(meeting):
    """Queue the cancellation notices (in the caller's transaction)."""
    for rsvp in _rsvps_to_tell(meeting):
        with speaking_to(rsvp.user):
            context = {
                **_context(meeting, rsvp.user),
                "answer": rsvp.answer,
                "you_said": _you_said(rsvp.answer),
            }
            send_email(
                "meetings/emails/cancelled", [rsvp.user.email], context, language=language_for(rsvp.user)
            )


def send_time_changed_notices(meeting, previous_start):
    """Queue the new-time notices (in the caller's transaction)."""
    for rsvp in _rsvps_to_tell(meeting):
        with speaking_to(rsvp.user):
            context = {
                **_context(meeting, rsvp.user),
                "answer": rsvp.answer,
                "you_said": _you_said(rsvp.answer),
            }
            context["previous_starts_at"] = club_time(previous_start)
            send_email(
                "meetings/emails/time_changed", [rsvp.user.email], context, language=language_for(rsvp.user)
            )
