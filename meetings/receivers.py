"""What meetings adds to the members app's extension points (members/signals.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.digest import Section
from solidarityclub.times import format_when

from . import emails
from .emails import absolute_url
from .models import RSVP, Meeting, SkippedDate

# The weekly digest lists the scheduled meetings of the next five weeks, at most this many.
DIGEST_MEETINGS = 5

CALENDAR_HELP = _(
    "Subscribe to your private calendar address in your calendar app (Google Calendar: "
    "'Other calendars' → 'From URL'; Apple Calendar: File → New Calendar Subscription) and "
    "every meeting shows up by itself, with its video link. Keep the address to yourself; "
    "you can reset it in your settings. When a meeting shows its video link only shortly before the "
    "start, find the link on the meeting's page: calendar apps refresh a subscription hourly or less "
    "often, so the copy in your calendar may not have it yet."
)


def _absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else absolute_url(path)


def welcome_context(sender, user, request=None, **kwargs):
    meeting = Meeting.objects.next_meeting()
    return {
        "next_meeting": meeting,
        # The welcome email names it the one way: "Reading club, Thursday, December 3 · 18:00–19:35 PST".
        "next_meeting_label": f"{meeting.title}, {format_when(meeting.starts_at, meeting.ends_at)}"
        if meeting
        else "",
        "next_meeting_url": _absolute(request, meeting.get_absolute_url()) if meeting else "",
        "calendar_help": CALENDAR_HELP,
        "calendar_feed_url": _absolute(request, reverse("meetings:private-feed", args=[user.feed_token])),
    }


def settings_section(sender, request=None, **kwargs):
    return "meetings/_settings_calendar.html"


def send_cancelled_notices(sender, meeting, **kwargs):
    """Meeting.cancel(): tell the members who said they would come (in its transaction)."""
    emails.send_cancelled_notices(meeting)


def send_time_changed_notices(sender, meeting, previous_start, **kwargs):
    """Meeting.move(): tell the members who said they would come the new time (in its transaction)."""
    emails.send_time_changed_notices(meeting, previous_start=previous_start)


def remember_deleted_series_date(sender, instance, **kwargs):
    """A generated meeting that is deleted does not come back with the next generate."""
    if instance.series_id is not None and instance.series_date is not None:
        SkippedDate.objects.get_or_create(series_id=instance.series_id, date=instance.series_date)


def digest_section(sender, user, since, now, absolute_url, **kwargs):
    """The next meetings, each with this member's RSVP (two queries)."""
    upcoming = Meeting.objects.scheduled().upcoming(now).filter(starts_at__lte=now + timedelta(days=35))
    meetings = list(upcoming[:DIGEST_MEETINGS])
    if not meetings:
        return None
    answers = dict(RSVP.objects.filter(user=user, meeting__in=meetings).values_list("meeting_id", "answer"))
    labels = dict(RSVP.Answer.choices)
    return Section(
        key="meetings",
        order=10,
        title=_("The next meetings"),
        template="meetings/digest/_meetings",
        items=[
            {
                "meeting": meeting,
                "answer": labels.get(answers.get(meeting.pk), ""),
                "url": absolute_url(meeting.get_absolute_url()),
            }
            for meeting in meetings
        ],
        url=absolute_url(reverse("meetings:list")),
        url_label=_("See all meetings"),
    )
