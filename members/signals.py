"""Extension points for apps that build on members (members itself knows none of them).

collect_welcome_context: sent while composing the welcome email of a newly
    approved member (kwargs: user, request). Receivers return a dict merged into
    the email's context, e.g. the next meeting and how to subscribe to the calendar.
collect_settings_sections: sent while rendering the member settings page
    (kwargs: request). Receivers return a template name included as a section,
    e.g. the private calendar feed with its reset button.
collect_digest_sections: sent while composing a member's weekly digest (kwargs: user,
    since, now, absolute_url). Receivers return None when they have nothing to tell,
    else a members.digest.Section (or a dict of its fields): a title, a template name
    rendered as <name>.txt and <name>.html with the section as `section`, and
    whatever the template needs, e.g. the next meetings with the member's RSVP.
collect_personal_data: sent while assembling a member's "download my data" file
    (kwargs: user). Receivers return a dict of JSON-serializable sections, e.g.
    {"topics": [...]}, merged into the file next to the members app's own.
erase_personal_data: sent when a member leaves and asks for their personal data
    to be erased, inside the same transaction and before the account itself is
    blanked (kwargs: user). Receivers delete or unlink what they hold about them.
"""

from django.dispatch import Signal

collect_welcome_context = Signal()
collect_settings_sections = Signal()
collect_personal_data = Signal()
erase_personal_data = Signal()
collect_digest_sections = Signal()
