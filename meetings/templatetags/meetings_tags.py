"""Showing meeting times in the club's zone (and the member's own), and the home page's next meeting."""

from django import template
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from meetings import sections
from meetings.models import RSVP, Meeting
from members.standing import may_take_part
from solidarityclub import times
from solidarityclub.pagecache import cached

register = template.Library()

# The one time-zone module's helpers, as filters: {{ meeting.starts_at|club_time }}, {{ value|in_zone:zone }}.
register.filter("in_zone", times.in_zone)
register.filter("club_time", times.club_time)


@register.filter
def tzabbr(value):
    """PST / PDT — also right for the repeated hour of a fall-back night (Django's "T" is blank there)."""
    return value.tzname() if value else ""


@register.inclusion_tag("meetings/_when.html", takes_context=True)
def meeting_when(context, meeting, show_end=True):
    request = context.get("request")
    zone = times.member_zone(getattr(request, "user", None))
    return {
        "meeting": meeting,
        "start": times.club_time(meeting.starts_at),
        "end": times.club_time(meeting.ends_at) if show_end else None,
        "member_start": times.in_zone(meeting.starts_at, zone) if zone else None,
        "member_zone": zone,
    }


# The standard 20/60/15 frame, for pages about meetings in general (and meetings without an agenda).
STANDARD_FRAME = [
    (_("Intro, check-in and welcome"), 20),
    (_("Meeting"), 60),
    (_("Process, check-out"), 15),
]


@register.inclusion_tag("meetings/_frame.html")
def frame_bar(meeting=None):
    """The meeting's agenda (or the standard frame) as a proportional three-part bar with its legend."""
    items = [(item.title, item.minutes) for item in meeting.agenda_items.all()] if meeting else []
    items = [(title, minutes) for title, minutes in items if minutes and minutes > 0] or STANDARD_FRAME
    total = sum(minutes for _title, minutes in items)
    parts, x = [], 0.0
    for position, (title, minutes) in enumerate(items):
        width = 100.0 * minutes / total
        parts.append(
            {"title": title, "minutes": minutes, "x": f"{x:.3f}", "width": f"{width:.3f}", "n": position % 3}
        )
        x += width
    return {"parts": parts, "total": total}


@register.simple_tag
def get_next_meeting():
    """{% get_next_meeting as meeting %}: the next scheduled meeting, or None."""

    def next_with_agenda():
        meeting = Meeting.objects.next_meeting()
        if meeting is not None:
            prefetch_related_objects([meeting], "agenda_items")  # the frame bar reads them
        return [meeting]  # a cached value is never None

    # Shared by every page view for a second or a minute, like the visitors' pages.
    return cached("meetings:next", ["meetings"], [], next_with_agenda)[0]


@register.inclusion_tag("meetings/_next_meeting.html", takes_context=True)
def next_meeting(context, meeting=""):
    """Home's lead: the next meeting with its date block, time, frame and the one button for this person."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if meeting == "":
        meeting = Meeting.objects.next_meeting()
    answer = None
    if meeting and getattr(user, "is_authenticated", False):
        answer = RSVP.objects.filter(meeting=meeting, user=user).values_list("answer", flat=True).first()
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "meeting": meeting,
        "start": times.club_time(meeting.starts_at) if meeting else None,
        "my_answer": answer,
        "answers": RSVP.Answer.choices,
        "can_rsvp": bool(meeting) and may_take_part(user) and meeting.accepts_rsvp(),
    }


@register.simple_tag
def club_zone_name():
    return settings.CLUB_TIME_ZONE


@register.filter
def webcal(url):
    """The same address with the webcal:// scheme calendar apps subscribe to."""
    return "webcal://" + url.split("://", 1)[-1] if url else ""


@register.simple_tag(takes_context=True)
def private_feed_url(context):
    """The signed-in member's private calendar feed, as an absolute address."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return ""
    return request.build_absolute_uri(reverse("meetings:private-feed", args=[user.feed_token]))


@register.simple_tag(takes_context=True)
def meeting_sections(context, place):
    """What other apps show at `place` on a meeting page (meetings.sections), rendered as an include would."""
    engine = context.template.engine
    rendered = [engine.get_template(name).render(context) for name in sections.templates_at(place)]
    return format_html_join("", "{}", ((html,) for html in rendered))  # each is already safe HTML
