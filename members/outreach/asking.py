"""/members/help/: ask the organizers for help, in confidence (members on a break too)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from . import help as help_requests
from .forms import HelpForm
from .models import HelpRequest
from .relay import LimitReachedError


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ask(request):
    form = HelpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            help_requests.submit(
                request.user,
                to=form.organizer(),
                about=form.cleaned_data["about"],
                body=form.cleaned_data["body"],
                anonymous=form.cleaned_data["anonymous"],
                request=request,
            )
        except LimitReachedError:
            form.add_error(
                None,
                _("You have sent %(count)s requests today. For anything urgent, write to %(address)s.")
                % {"count": help_requests.HELP_REQUESTS_PER_DAY, "address": settings.CLUB_CONTACT_EMAIL},
            )
        else:
            # No flash message: nothing about it is stored in the session.
            return redirect("members:help-sent")
    own = HelpRequest.objects.filter(sender=request.user).select_related("handled_by", "addressed_to")[:20]
    return render(
        request,
        "members/outreach/help.html",
        {"form": form, "own_requests": own},
        status=400 if form.errors else 200,
    )


@require_safe
@login_required
def sent(request):
    return render(request, "members/outreach/help_sent.html")
