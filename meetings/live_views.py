"""The live meeting's page, its updates (conditional GET) and the facilitator's controls.

The page works without JavaScript (the state at load, a refresh link, plain
POST forms). static/js/live.js polls `live-state` with the ETag it was given:
an unchanged meeting costs one indexed query and a 304, without loading the
session (see docs/live-meetings.md for why polling and not server-sent events).
"""

import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from members.standing import is_organizer
from solidarityclub.middleware import language_once_user_is_read

from . import live
from .models import Meeting

POLL_SECONDS = 1
STEP_PATTERN = re.compile(r"[0-9]{1,9}")
REGIONS = {
    "live-now": "meetings/_live_now.html",
    "live-agenda": "meetings/_live_agenda.html",
    "live-controls": "meetings/_live_controls.html",
    "live-panels": "meetings/_live_panels.html",
}


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _meeting(pk):
    return get_object_or_404(Meeting.objects.select_related("facilitator", "live"), pk=pk)


# --- ETag: one query, no session ----------------------------------------------------


def _version_row(pk):
    return live.version_row(pk)


def _etag(pk, row, user_id):
    updated_at, version = row
    base = f"{pk}.{version or 0}.{int(updated_at.timestamp() * 1000)}.{user_id}"
    return f'"{base}.{salted_hmac("meetings.live.state", base).hexdigest()[:16]}"'


def _unchanged(request, pk, row):
    """Whether the browser already has this version; its user id is in the (signed) ETag it sends.

    Answering 304 reveals only "nothing changed" to someone who was shown this
    version, so it needs neither the session nor the user: that keeps the
    answer that 100 followers get every second as cheap as a trivial view.
    """
    sent = request.headers.get("If-None-Match", "").strip()
    parts = sent.strip('"').split(".")
    if len(parts) != 5 or not STEP_PATTERN.fullmatch(parts[3]):
        return False
    return constant_time_compare(sent, _etag(pk, row, parts[3]))


def _not_modified(etag):
    response = HttpResponse(status=304)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Building what followers see ----------------------------------------------------


def _context(request, meeting, now=None):
    now = now or timezone.now()
    state = live.live_of(meeting)
    clock = live.clock_for(state, now)
    base = {"request": request, "user": request.user, "meeting": meeting, "live": state, "clock": clock}
    panels = []
    for _receiver, panel in live.collect_live_panels.send(sender=Meeting, **base):
        if panel is not None:
            panels.append(panel)
    panels.sort(key=lambda panel: (panel.order, panel.key))
    for panel in panels:
        panel.html = render_to_string(panel.template, {**base, **panel.context}, request=request)
    item_left = clock.item_left()
    return {
        **base,
        "panels": panels,
        "may_facilitate": live.may_facilitate(request.user, meeting),
        "item_left": item_left,
        "meeting_left": clock.meeting_left(),
        "cue_seconds": live.CUE_SECONDS,
        "extend_minutes": live.EXTEND_MINUTES,
        "availability": live.availability(meeting, state, now),
        "etag": _etag(meeting.pk, (meeting.updated_at, state.version), request.user.pk),
        "state_url": reverse("meetings:live-state", args=[meeting.pk]),
        "poll_seconds": POLL_SECONDS,
    }


def _payload(request, context):
    clock = context["clock"]
    return {
        "etag": context["etag"],
        "phase": context["live"].phase,
        "availability": context["availability"],
        "step": context["live"].step,
        "item": {"id": clock.current.pk, "title": _(clock.current.title)} if clock.current else None,
        "item_left": context["item_left"],
        "meeting_left": context["meeting_left"],
        "running": clock.running,
        "regions": {
            region: render_to_string(template, context, request=request)
            for region, template in REGIONS.items()
        },
    }


def _refusal(request, meeting):
    """Visitors sign in; members on a break (or anyone else) get the members-only page."""
    if not request.user.is_authenticated:
        if wants_json(request):
            return JsonResponse({"error": _("Sign in to follow the meeting."), "reload": True}, status=403)
        return redirect_to_login(reverse("meetings:live", args=[meeting.pk]))
    if wants_json(request):
        return JsonResponse(
            {"error": _("Only members in good standing follow the meeting."), "reload": True}, status=403
        )
    return render(request, "meetings/live_members_only.html", {"meeting": meeting}, status=403)


@require_safe
def live_page(request, pk):
    meeting = _meeting(pk)
    if not live.may_follow(request.user, meeting):
        return _refusal(request, meeting)
    context = _context(request, meeting)
    if context["availability"] == "closed":
        messages.info(request, _("This meeting is closed; its pacing record is below."))
        return redirect(meeting)
    return _render_live(request, context)


def render_live_page(request, meeting, *, status=200):
    """The live page as this person sees it; a form refused on it is drawn again with its errors (400)."""
    return _render_live(request, _context(request, meeting), status=status)


def _render_live(request, context, status=200):
    template = "meetings/live.html" if context["availability"] == "open" else "meetings/live_unavailable.html"
    context["opens_at"] = live.opens_at(context["meeting"])
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "private, no-cache"
    return response


@language_once_user_is_read  # a 304 reads no session
@require_safe
def live_state(request, pk):
    row = _version_row(pk)
    if row is None:
        raise Http404("No such meeting.")
    if _unchanged(request, pk, row):
        return _not_modified(request.headers["If-None-Match"].strip())
    meeting = _meeting(pk)
    if not live.may_follow(request.user, meeting):
        return JsonResponse(
            {"error": _("Only members in good standing follow the meeting."), "reload": True}, status=403
        )
    context = _context(request, meeting)
    response = JsonResponse(_payload(request, context))
    response["ETag"] = context["etag"]
    response["Cache-Control"] = "private, no-cache"
    return response


def state_response(request, meeting, *, error="", status=200):
    """The live state as JSON, for a form sent from the page (controls here, panels of other apps)."""
    meeting = _meeting(meeting.pk)
    payload = _payload(request, _context(request, meeting))
    payload["error"] = error
    response = JsonResponse(payload, status=status)
    response["Cache-Control"] = "private, no-cache"
    return response


# --- The facilitator's controls -----------------------------------------------------


@require_POST
def live_control(request, pk, action):
    if action not in live.ACTIONS:
        raise Http404("No such control.")
    meeting = _meeting(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("meetings:live", args=[meeting.pk]))
    if not live.may_facilitate(request.user, meeting):
        message = _("Only the meeting's facilitator and organizers run the meeting.")
        if wants_json(request):
            return JsonResponse({"error": message}, status=403)
        return render(
            request, "meetings/live_members_only.html", {"meeting": meeting, "message": message}, status=403
        )
    raw_step = request.POST.get("step", "")
    if not STEP_PATTERN.fullmatch(raw_step):
        return HttpResponseBadRequest(_("Reload the live page and try again."))
    status, error = 200, ""
    if live.availability(meeting, live.live_of(meeting)) not in ("open", "closed"):
        status, error = 409, _("The live page of this meeting is not open.")
    else:
        try:
            live.ACTIONS[action](meeting, step=int(raw_step))
        except live.LiveError as refusal:
            status, error = 409, str(refusal)
    meeting = _meeting(pk)  # with its new live state
    if wants_json(request):
        return state_response(request, meeting, error=error, status=status)
    if error:
        messages.error(request, error)
    if action == "close" and not error:
        messages.success(request, _("The meeting is closed. Its pacing record is below."))
        return redirect(meeting)
    return redirect("meetings:live", pk=meeting.pk)


@require_POST
def pacing_to_notes(request, pk):
    """Organizers start the meeting's notes from its pacing record (only while the notes are empty)."""
    meeting = get_object_or_404(Meeting, pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(meeting.get_absolute_url())
    if not is_organizer(request.user):
        return render(request, "meetings/live_members_only.html", {"meeting": meeting}, status=403)
    items = live.pacing(meeting)
    if not items:
        messages.error(request, _("This meeting has no pacing record."))
        return redirect(meeting)
    meeting.refresh_from_db()
    if meeting.notes.strip():
        messages.error(request, _("This meeting already has notes; copy the record into them in the admin."))
        return redirect(meeting)
    meeting.notes = live.pacing_markdown(items)
    meeting.save()
    messages.success(request, _("The notes now start with the pacing record; add the rest here."))
    return redirect("admin:meetings_meeting_change", meeting.pk)
