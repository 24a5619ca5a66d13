"""The extension point for the meeting pages: other apps add sections, the meetings templates name no app.

A meetings template asks for the sections at a place with `{% meeting_sections "place" %}`
(meetings_tags); each receiver of `collect_meeting_sections` answers with the name of a
template to render there, with the page's own context, or None. The places:

- "main-block": on the meeting page, inside the agenda's list, right after the block that holds topics;
- "after-notes": on the meeting page, after the notes;
- "past-meeting": each meeting on the past meetings list, after its notes.
"""

from django.dispatch import Signal

collect_meeting_sections = Signal()
"""kwargs: place. Receivers return a template name, or None when they add nothing there."""


def templates_at(place):
    return [name for _receiver, name in collect_meeting_sections.send(sender=None, place=place) if name]
