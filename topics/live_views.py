"""The dot-vote's forms on the live meeting page (routed under /meetings/<id>/live/dots/).

Plain POST forms that redirect back to the live page; sent by static/js/live.js
they answer with the live state (meetings.live_views.state_response).
"""

import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import live
from meetings.live_views import render_live_page, state_response, wants_json
from meetings.models import Meeting
from members.standing import may_take_part

from . import dotvote
from .forms import DotVoteForm


def _answer(request, meeting, *, error="", success="", status=200):
    if wants_json(request):
        return state_response(request, meeting, error=error, status=status)
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect("meetings:live", pk=meeting.pk)


def _refused(request, meeting, message):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("meetings:live", args=[meeting.pk]))
    if wants_json(request):
        return state_response(request, meeting, error=message, status=403)
    return render(
        request, "meetings/live_members_only.html", {"meeting": meeting, "message": message}, status=403
    )


def _open_meeting(request, meeting_id):
    meeting = get_object_or_404(Meeting.objects.select_related("live"), pk=meeting_id)
    return meeting, live.availability(meeting, live.live_of(meeting)) == "open"


@require_POST
def open_vote(request, meeting_id):
    meeting, is_open = _open_meeting(request, meeting_id)
    if not live.may_facilitate(request.user, meeting):
        return _refused(
            request, meeting, _("Only the meeting's facilitator and organizers open the dot-vote.")
        )
    if not is_open:
        return _answer(request, meeting, error=_("The live page of this meeting is not open."), status=409)
    form = DotVoteForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            errors = " ".join(
                f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
            )
            return state_response(request, meeting, error=errors, status=400)
        request.dot_vote_form = form  # the panel draws it with what was typed and its errors
        return render_live_page(request, meeting, status=400)
    try:
        dotvote.open_vote(meeting, request.user, **form.cleaned_data)
    except dotvote.DotVoteError as error:
        return _answer(request, meeting, error=str(error), status=409)
    return _answer(request, meeting, success=_("The dot-vote is open: everyone can place their dots."))


@require_POST
def close_vote(request, meeting_id):
    meeting, _is_open = _open_meeting(request, meeting_id)
    if not live.may_facilitate(request.user, meeting):
        return _refused(
            request, meeting, _("Only the meeting's facilitator and organizers close the dot-vote.")
        )
    vote = dotvote.vote_of(meeting)
    if vote is None:
        raise Http404("This meeting has no dot-vote.")
    try:
        dotvote.close_vote(vote)
    except dotvote.DotVoteError as error:
        return _answer(request, meeting, error=str(error), status=409)
    return _answer(request, meeting, success=_("The dot-vote is closed; the gather page has its ranking."))


@require_POST
def move_dot(request, meeting_id, topic_id):
    meeting, is_open = _open_meeting(request, meeting_id)
    if not may_take_part(request.user):
        return _refused(
            request, meeting, _("Members in good standing place dots; while you are on a break you can't.")
        )
    raw = request.POST.get("dots", "")
    if not re.fullmatch(r"[0-9]{1,2}", raw) or not re.fullmatch(r"[0-9]{1,9}", str(topic_id)):
        return _answer(request, meeting, error=_("Reload the live page and try again."), status=400)
    vote = dotvote.vote_of(meeting)
    if vote is None:
        raise Http404("This meeting has no dot-vote.")
    if not is_open:
        return _answer(request, meeting, error=_("The live page of this meeting is not open."), status=409)
    try:
        dotvote.set_dots(vote, request.user, topic_id, int(raw))
    except dotvote.DotVoteError as error:
        return _answer(request, meeting, error=str(error), status=409)
    return _answer(request, meeting)
