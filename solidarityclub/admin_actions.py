"""Admin actions that ask before they act: one page (templates/admin/action_confirmation.html), one flag.

The first press of an action shows the confirmation page for the chosen objects; the page posts
them back with the action and APPLY, and only then the action runs:

    form = CancelForm(confirmed(request))   # unbound on the first ask
    if form.is_valid():
        ...                                 # act, tell the organizer
        return None
    return confirm_action(self, request, meetings, title=..., template=..., action="cancel_meetings", form=form)

An object's own confirmation view (no changelist action) renders the same page with action=None.
"""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse

APPLY = "apply"


def confirmed(request):
    """The posted data once the organizer confirmed on the confirmation page; None on the first ask."""
    return request.POST if APPLY in request.POST else None


def confirm_action(modeladmin, request, objects, *, title, template, action=None, form=None, **extra):
    """The confirmation page: `objects` are listed (and posted back when `action` is a changelist action)."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.opts,
        "objects": objects,
        "form": form,
        "action": action,
        "apply_flag": APPLY,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        **extra,
    }
    return TemplateResponse(request, template, context)
