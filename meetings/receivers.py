"""The meetings app's receivers: its own signals, its Meeting rows, and the members extension points."""

from datetime import timedelta

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.digest import Section
from members.signals import (
    collect_digest_sections,
    collect_personal_data,
    collect_settings_sections,
    collect_welcome_context,
    erase_personal_data,
)
from solidarityclub import pagecache
from solidarityclub.emails import absolute_url
from solidarityclub.times import format_when

from . import emails, live, personal_data
from .models import LINK_REVEAL_MAX_MINUTES, RSVP, Meeting, SkippedDate
from .signals import agenda_updated, notices_cancelled, notices_moved

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


@receiver(collect_welcome_context, dispatch_uid="meetings_welcome_context")
def welcome_context(sender, user, request=None, **kwargs):
    meeting = Meeting.objects.next_meeting()
    return {
        "next_meeting": meeting,
        # The welcome email names it the one way: "Reading club, Thursday, December 3 · 18:00–19:35 PST".
        "next_meeting_label": f"{meeting.title}, {format_when(meeting.starts_at, meeting.ends_at)}"
        if meeting
        else "",
        "next_meeting_url": absolute_url(meeting.get_absolute_url(), request=request) if meeting else "",
        "calendar_help": CALENDAR_HELP,
        "calendar_feed_url": absolute_url(
            reverse("meetings:private-feed", args=[user.feed_token]), request=request
        ),
    }


@receiver(collect_settings_sections, dispatch_uid="meetings_settings_section")
def settings_section(sender, request=None, **kwargs):
    return "meetings/_settings_calendar.html"


@receiver(notices_cancelled, dispatch_uid="meetings_cancelled_notices")
def send_cancelled_notices(sender, meeting, **kwargs):
    """Meeting.cancel(): tell the members who said they would come (in its transaction)."""
    emails.send_cancelled_notices(meeting)


@receiver(notices_moved, dispatch_uid="meetings_time_changed_notices")
def send_time_changed_notices(sender, meeting, previous_start, **kwargs):
    """Meeting.move(): tell the members who said they would come the new time (in its transaction)."""
    emails.send_time_changed_notices(meeting, previous_start=previous_start)


@receiver(post_delete, sender=Meeting, dispatch_uid="meetings_skip_deleted_date")
def remember_deleted_series_date(sender, instance, **kwargs):
    """A generated meeting that is deleted does not come back with the next generate."""
    if instance.series_id is not None and instance.series_date is not None:
        SkippedDate.objects.get_or_create(series_id=instance.series_id, date=instance.series_date)


@receiver(post_save, sender=Meeting, dispatch_uid="meetings_live_saved")
@receiver(post_delete, sender=Meeting, dispatch_uid="meetings_live_deleted")
def forget_live_version(sender, instance, **kwargs):
    """A meeting saved or deleted: its updated_at is in every live follower's ETag."""
    live.forget_version(instance.pk)


@receiver(agenda_updated, dispatch_uid="meetings_live_agenda")
def forget_live_version_of_agenda(sender, meeting, **kwargs):
    live.forget_version(meeting.pk)


@receiver(collect_personal_data, dispatch_uid="meetings_personal_data")
def export_personal_data(sender, user, **kwargs):
    return personal_data.export(user)


@receiver(erase_personal_data, dispatch_uid="meetings_forget_member")
def forget_member(sender, user, **kwargs):
    personal_data.forget(user)


@receiver(collect_digest_sections, dispatch_uid="meetings_digest_section")
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


@pagecache.changes_with_the_clock("meetings")
def meeting_moments(now, until):
    """When a meeting's page changes with the clock: its link and live page open, it starts, it ends."""
    moments = []
    early = timedelta(minutes=max(LINK_REVEAL_MAX_MINUTES, live.OPENS_MINUTES_BEFORE))
    for meeting in Meeting.objects.filter(ends_at__gte=now, starts_at__lte=until + early):
        moments += [live.opens_at(meeting), meeting.starts_at, meeting.ends_at]
    return moments
