"""Time left on the live page, written the same way as static/js/live.js writes it."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def clock_text(seconds):
    """12:03 (minutes:seconds); hours show as 1:02:03."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


@register.filter
def time_left(seconds):
    """ "12:03 left", or "4 min over" once the time is up (a started minute counts)."""
    if seconds is None:
        return ""
    if seconds >= 0:
        return _("%(clock)s left") % {"clock": clock_text(seconds)}
    return _("%(minutes)s min over") % {"minutes": -(seconds // 60)}


@register.filter
def timer_state(seconds, cue_seconds=120):
    """The CSS state of a timer: "over", "cue" (the last two minutes) or ""."""
    if seconds is None:
        return ""
    if seconds < 0:
        return "over"
    return "cue" if seconds <= cue_seconds else ""


@register.filter
def minutes_spent(seconds):
    return round((seconds or 0) / 60)
