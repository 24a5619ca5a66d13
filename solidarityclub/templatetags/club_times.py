"""The `when` filter: every time on a page or in an email is written by it.

    {{ meeting.starts_at|when:meeting.ends_at }}  Thursday, December 3 · 18:00–19:35 PST
    {{ post.published_at|when }}                  Thursday, December 3 · 09:12 PST
    {{ member.break_until|day }}                  Thursday, December 3

The time is shown in the template's active zone (the club's, or the one a
`{% timezone %}` block sets, e.g. a member's own in their emails).
"""

from django import template

from solidarityclub.times import format_clock, format_day, format_when

register = template.Library()


@register.filter(expects_localtime=True)
def when(value, end=None):
    zone = getattr(value, "tzinfo", None)
    return format_when(value, end if end not in ("", None) else None, zone)


@register.filter(expects_localtime=True)
def day(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return format_day(value, value.tzinfo)
    return format_day(value)


@register.filter(expects_localtime=True)
def clock(value):
    """ "18:00 PST": a clock time next to a day already written (agenda rows)."""
    return format_clock(value)
