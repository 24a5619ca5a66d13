"""What people wrote, marked with the language it is written in (solidarityclub/written.py)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def in_its_language(thing):
    """A post's or meeting's title in a span saying its language: `{{ meeting|in_its_language }}`.

    Safe to pass into {% blocktranslate with title=… %}: the title itself is escaped here.
    """
    return format_html('<span lang="{}">{}</span>', thing.written_in, thing.title)
