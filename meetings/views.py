"""Meeting pages, RSVPs and calendar feeds.

Who may see a video link is decided by Meeting.video_link_for (which asks
members.standing.may_take_part); no view repeats that rule.
"""

import hashlib
import time
from datetime import UTC
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_POST, require_safe

from members.decorators import login_required_back_to
from members.standing import is_organizer, may_take_part
from solidarityclub import pagecache
from solidarityclub.emails import speaking_to
from solidarityclub.memberpages import cache_per_member, member_version
from solidarityclub.pagecache import cache_for_visitors, cached, fragment, version_tag
from solidarityclub.pagination import page_or_404
from solidarityclub.times import member_zone

from . import ics, live
from .forms import RSVPForm
from .models import RSVP, Meeting

PAGE_SIZE = 20
FEED_CACHE_SECONDS = 60 * 60


def _page(request, queryset):
    return page_or_404(request, queryset, PAGE_SIZE)


@require_safe
@cache_for_visitors("meetings", "rsvps", "members")
@cache_per_member("meetings", "rsvps", "members")
def meeting_list(request):
    zone = member_zone(request.user)
    zone_key = zone.key if zone else ""

    def render_cards():
        meetings = Meeting.objects.upcoming().with_rsvp_counts().select_related("facilitator")
        html = render_to_string("meetings/_list_cards.html", {"page": _page(request, meetings)}, request)
        return html, None

    # The same for everyone who sees times in this zone: members' requests share it too.
    cards = fragment(
        "meetings:list",
        ["meetings", "rsvps", "members"],
        [zone_key, request.GET.get("page", "")],
        render_cards,
    )
    return render(request, "meetings/list.html", {"cards": mark_safe(cards.fill({}))})  # noqa: S308


@require_safe
@cache_for_visitors("meetings", "topics", "members")
def past_list(request):
    meetings = Meeting.objects.past().select_related("facilitator").prefetch_related("gathered_topics")
    return render(request, "meetings/past.html", {"page": _page(request, meetings)})


def _webcal(url):
    return "webcal://" + url.split("://", 1)[1]


@require_safe
@cache_for_visitors("meetings", "rsvps", "topics", "members")
@cache_per_member("meetings", "rsvps", "topics", "members")
def meeting_detail(request, pk):
    def load():
        found = (
            Meeting.objects.with_rsvp_counts()
            .select_related("facilitator", "live")
            .prefetch_related("agenda_items", "gathered_topics")  # gathered_topics: shown by the topics app
            .filter(pk=pk)
            .first()
        )
        return (found,)

    # The meeting with its agenda, counts and topics is the same for everyone: kept under the
    # versions of what it shows, it is only read, never changed, by the requests that share it.
    (meeting,) = cached("meetings:detail", ["meetings", "rsvps", "topics", "members"], [pk], load)
    if meeting is None:
        raise Http404("No such meeting.")
    user = request.user
    my_answer = None
    if user.is_authenticated:
        my_answer = RSVP.objects.filter(meeting=meeting, user=user).values_list("answer", flat=True).first()
    now = timezone.now()
    feed_url = request.build_absolute_uri(reverse("meetings:feed"))
    private_feed_url = ""
    if user.is_authenticated:
        private_feed_url = request.build_absolute_uri(
            reverse("meetings:private-feed", args=[user.feed_token])
        )
    coming = []
    if user.is_authenticated:
        # Members see who is coming by their public names; visitors see counts only.
        # The same list for every member: kept under the RSVPs' and members' versions.
        coming = cached("meetings:coming", ["rsvps", "members"], [meeting.pk], lambda: _coming(meeting))
    context = {
        "meeting": meeting,
        "coming": coming,
        "answers": RSVP.Answer.choices,
        "my_answer": my_answer,
        "schedule": meeting.agenda_schedule(),
        "video_link": meeting.video_link_for(user, now),
        "may_take_part": may_take_part(user),
        "accepts_rsvp": meeting.accepts_rsvp(now),
        "can_rsvp": may_take_part(user) and meeting.accepts_rsvp(now),
        "has_ended": meeting.has_ended(now),
        "rsvp_form": RSVPForm(initial={"answer": my_answer}),
        "my_answer_label": RSVP.Answer(my_answer).label if my_answer else "",
        "feed_webcal": _webcal(feed_url),
        "private_feed_webcal": _webcal(private_feed_url) if private_feed_url else "",
        "google_calendar_url": _google_calendar_url(request, meeting),
        **_live_context(user, meeting, now),
    }
    return render(request, "meetings/detail.html", context)


def _coming(meeting):
    return [
        {"name": rsvp.user.public_name, "answer": rsvp.answer}
        for rsvp in meeting.rsvps.filter(answer__in=RSVP.COMING, user__is_active=True)
        .select_related("user")
        .order_by("answer", "created_at", "pk")[:200]
    ]


def _live_context(user, meeting, now):
    """The live page's link while it is open, and the pacing record once the meeting was closed."""
    state = live.live_of(meeting)
    return {
        "live_is_open": live.may_follow(user, meeting) and live.availability(meeting, state, now) == "open",
        "pacing": live.pacing(meeting) if state.phase == state.Phase.CLOSED else [],
        "may_write_notes": is_organizer(user),
    }


def _google_calendar_url(request, meeting):
    def stamp(moment):
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    details = f"{meeting.get_format_display()}\n{request.build_absolute_uri(meeting.get_absolute_url())}"
    query = urlencode(
        {
            "action": "TEMPLATE",
            "text": meeting.title,
            "dates": f"{stamp(meeting.starts_at)}/{stamp(meeting.ends_at)}",
            "details": details,
            "location": gettext("Online"),
        }
    )
    return f"https://calendar.google.com/calendar/render?{query}"


def _back(request, meeting):
    """Where an RSVP returns to: the page it was sent from (home, the meeting), never another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(meeting)


@require_POST
@login_required_back_to(lambda pk: reverse("meetings:detail", args=[pk]))
def rsvp(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    if not may_take_part(request.user):
        return HttpResponseForbidden(_("Only members in good standing can RSVP."))
    form = RSVPForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose going, maybe or can't."))
    if not meeting.accepts_rsvp():
        messages.error(request, _("This meeting is cancelled or over; RSVPs are closed."))
        return redirect(meeting)
    answer = form.cleaned_data["answer"]
    RSVP.objects.update_or_create(meeting=meeting, user=request.user, defaults={"answer": answer})
    if "application/json" in request.headers.get("Accept", ""):
        counts = (
            Meeting.objects.with_rsvp_counts().values("going_count", "maybe_count", "cant_count").get(pk=pk)
        )
        return JsonResponse({"answer": answer, **counts})
    messages.success(request, RSVP_SAVED[answer])
    return _back(request, meeting)


RSVP_SAVED = {
    RSVP.Answer.GOING: _("Thanks! You're going: see you there."),
    RSVP.Answer.MAYBE: _("Thanks! You might come: we'll remind you before the meeting."),
    RSVP.Answer.CANT: _("Thanks for telling us you can't make it. Maybe next time!"),
}


@require_POST
@login_required
def reset_feed(request):
    request.user.reset_feed_token()
    messages.success(
        request,
        gettext(
            "Your private calendar address is new; the old one no longer works. Subscribe again with it."
        ),
    )
    return redirect("members:settings")


# --- iCalendar ----------------------------------------------------------------


def _etag(*parts):
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]


def _calendar_response(body, *, private=False, filename=None):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        patch_cache_control(response, private=True, no_cache=True)
        response["X-Robots-Tag"] = "noindex"
    else:
        patch_cache_control(response, public=True, max_age=300)
    return response


# ETags come from the meetings' content version (solidarityclub/pagecache.py): no query
# runs before the cache is looked at, and any change to a meeting or its agenda moves them.


def _meeting_etag(request, pk):
    return _etag("meeting", pk, version_tag("meetings"))


@require_safe
@condition(etag_func=_meeting_etag)
@cache_for_visitors("meetings")
def meeting_ics(request, pk):
    meeting = get_object_or_404(Meeting.objects.prefetch_related("agenda_items"), pk=pk)
    body = ics.build_calendar(
        [meeting],
        name=meeting.title,
        uid=f"meeting-{meeting.pk}-calendar",
        description=gettext("%(title)s: one meeting of W.O.R.K. Solidarity Club") % {"title": meeting.title},
        source_path=reverse("meetings:ics", args=[meeting.pk]),
    )
    return _calendar_response(body, filename=f"meeting-{meeting.pk}.ics")


def _feed_meetings(now=None):
    return Meeting.objects.in_feed(now)


def _public_feed_etag(request):
    # The feed's window moves daily, so the date is part of the version.
    return _etag("public", timezone.localdate(), version_tag("meetings"))


@require_safe
@condition(etag_func=_public_feed_etag)
@cache_for_visitors("meetings")
def public_feed(request):
    body = ics.build_calendar(
        _feed_meetings().prefetch_related("agenda_items"),
        name=gettext("W.O.R.K. Solidarity Club meetings"),
        uid="meetings-public",
        description=gettext("Meetings of W.O.R.K. Solidarity Club. Video links are for members."),
        source_path=reverse("meetings:feed"),
    )
    return _calendar_response(body)


def _feed_owner(request, token):
    """The active member whose private feed this is (a member on a break gets it without links).

    Looked up once per request: the ETag and the view both need it.
    """
    if not hasattr(request, "feed_owner"):
        request.feed_owner = _remembered_feed_owner(token)
    return request.feed_owner


_feed_owner_ids = {}  # token -> member id, in this process: only tokens that found an active member


def _remembered_feed_owner(token):
    """The feed's owner from this process's memory while the member's own version stands.

    Calendar apps poll: one read of the member's version (memberpages.member_version, bumped
    by every save of their account, a new token included) instead of the account's query.
    """
    owner_id = _feed_owner_ids.get(token)
    if owner_id is not None:
        owner = pagecache.local.get(_feed_owner_key(owner_id))
        if owner is not None:
            return owner if owner.feed_token == token and owner.is_active else None
    owner = get_user_model().objects.filter(feed_token=token, is_active=True).first()
    if owner is not None:
        _feed_owner_ids[token] = owner.pk
        pagecache.local.set(_feed_owner_key(owner.pk), owner, time.time() + FEED_CACHE_SECONDS, 2048)
    return owner


def _feed_owner_key(owner_id):
    # The members' area too: when Redis comes back after an outage every area moves on
    # (pagecache.shared_cache_back), so an owner remembered from before is read again.
    members = pagecache.versions.current()["members"]
    return f"pagecache:feed-owner:{owner_id}:{member_version(owner_id)}:{members}"


def _meetings_with_links(now):
    """The feed's meetings that may still reveal a link, with what Meeting.video_link_for reads.

    Kept in memory under the meetings' version, so the ETag of a private feed needs
    no query but the owner's.
    """

    def load():
        fields = ("pk", "starts_at", "ends_at", "status", "video_link", "link_visible_minutes_before")
        return list(_feed_meetings(now).filter(video_link__gt="", ends_at__gt=now).only(*fields))

    return cached(
        "meetings:with-links",
        ["meetings"],
        [timezone.localdate(now)],
        load,
        size=lambda m: 200 * len(m) + 100,
    )


def _private_feed_etag(request, token):
    user = _feed_owner(request, token)
    if user is None:
        return None
    now = timezone.now()
    # Which links show right now: who the member is, and which reveal windows have opened.
    revealed = [meeting.pk for meeting in _meetings_with_links(now) if meeting.video_link_for(user, now)]
    # Kept on the request so that the view can reuse the body rendered for this version.
    # In the member's language (version_tag names it), whatever the calendar app sends.
    with speaking_to(user):
        request.private_feed_etag = _etag(
            "private", user.pk, token, timezone.localdate(now), version_tag("meetings"), revealed
        )
    return request.private_feed_etag


@require_safe
@condition(etag_func=_private_feed_etag)
def private_feed(request, token):
    user = _feed_owner(request, token)
    if user is None:
        raise Http404("No such calendar.")

    def build():
        with speaking_to(user):
            return ics.build_calendar(
                _feed_meetings().prefetch_related("agenda_items"),
                name=gettext("W.O.R.K. Solidarity Club meetings (private)"),
                uid=f"meetings-private-{user.pk}",
                description=gettext(
                    "Meetings of W.O.R.K. Solidarity Club with their video links. Keep this address to yourself."
                ),
                source_path=reverse("meetings:private-feed", args=[token]),
                user=user,
            )

    # Calendar apps poll often; the ETag already names everything the body shows.
    body = cached(
        "meetings:private-feed",
        ["meetings"],
        [request.private_feed_etag],
        build,
        seconds=FEED_CACHE_SECONDS,
        size=len,
    )
    return _calendar_response(body, private=True)
