from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from meetings.models import Meeting
from members.standing import may_take_part
from solidarityclub.memberpages import cache_per_member
from solidarityclub.pagecache import OMIT, fragment, optional, slot
from solidarityclub.pagination import page_or_404

from . import backlog, dotvote
from .backlog import BacklogError, may_gather, meeting_page_path
from .forms import BacklogFilterForm, DiscussedForm, GatherForm, TopicForm
from .models import NOTE_MAX_LENGTH, Support, Topic

PAGE_SIZE = 25
GATHER_ROWS = 50


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def taking_part_required(view):
    """Members on a break (or who left) may read the backlog but not add to it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_take_part(request.user):
            if wants_json(request):
                return JsonResponse(
                    {"error": gettext("Members on a break can read topics but not support them.")}, status=403
                )
            return render(request, "topics/on_break.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def signed_in_or_back_to_topic(view):
    """For POST-only views: a visitor signs in and lands on the topic page, not on a POST URL."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("topics:detail", args=[pk]))
        return view(request, pk, *args, **kwargs)

    return wrapper


def safe_next(request, default):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- The backlog -------------------------------------------------------------------


def _backlog_fragment(request, taking_part):
    """The backlog's page as every member sees it (its filter form too), with slots for a member's own marks.

    Cached under the topics, supports and members versions (a support empties it, a
    post does not), per query string and per "may take part"; its data is the ids
    of the topics on the page.
    """

    def render_backlog():
        filters = BacklogFilterForm(request.GET)
        topics = filters.filter(Topic.objects.backlog().select_related("proposer"))
        page = page_or_404(request, topics, PAGE_SIZE)
        # URLs built once per page, not once per topic.
        detail, support = reverse("topics:detail", args=[0]), reverse("topics:support", args=[0])
        for topic in page.object_list:
            topic.url = detail.replace("/0/", f"/{topic.pk}/")
            topic.support_url = support.replace("/0/", f"/{topic.pk}/")
            for mark in ("action", "class", "pressed", "label"):
                setattr(topic, f"slot_{mark}", slot(f"{mark}:{topic.pk}"))
            # A proposer gets their topic's count, not an invitation to support it.
            topic.slot_invite, topic.slot_invite_end = optional(f"invite:{topic.pk}")
            topic.slot_own, topic.slot_own_end = optional(f"own:{topic.pk}")
        html = render_to_string(
            "topics/_backlog.html",
            {
                "page": page,
                "filters": filters,
                "is_filtered": filters.is_filtered(),
                "may_take_part": taking_part,
                "next": request.get_full_path(),
                "slot": {"csrf": slot("csrf")},
                "list_url": reverse("topics:list"),
                "new_url": reverse("topics:new"),
            },
            request,
        )
        return html, [(topic.pk, topic.proposer_id) for topic in page.object_list]

    query = sorted(request.GET.lists())
    return fragment("topics:backlog", ["topics", "supports", "members"], [taking_part, query], render_backlog)


@require_safe
@cache_per_member
def topic_list(request):
    if not request.user.is_authenticated:
        # Visitors who click "Topics" learn what the backlog is and how to join,
        # rather than meeting a bare sign-in form.
        return render(request, "topics/for_visitors.html")
    taking_part = may_take_part(request.user)
    backlog_part = _backlog_fragment(request, taking_part)
    values = {}
    if taking_part:
        # The member's own marks: one small query for the topics on this page.
        on_page = [pk for pk, _proposer in backlog_part.data]
        mine = set(
            Support.objects.filter(user=request.user, topic_id__in=on_page).values_list("topic_id", flat=True)
        )
        marks = {
            True: {
                "action": "unsupport",
                "class": " is-supported",
                "pressed": "true",
                "label": gettext("Supported ✓"),
            },
            False: {"action": "support", "class": "", "pressed": "false", "label": gettext("Support")},
        }
        for pk, proposer_id in backlog_part.data:
            for mark, value in marks[pk in mine].items():
                values[f"{mark}:{pk}"] = value
            own = proposer_id == request.user.pk
            values[f"invite:{pk}"] = OMIT if own else ""
            values[f"own:{pk}"] = "" if own else OMIT
        values["csrf"] = get_token(request)
    return render(
        request,
        "topics/list.html",
        {
            "backlog": mark_safe(backlog_part.fill(values)),  # noqa: S308 (rendered by our template)
            "may_take_part": taking_part,
        },
    )


@require_safe
@login_required
def topic_detail(request, pk):
    topic = get_object_or_404(
        Topic.objects.visible_to(request.user)
        .select_related("proposer", "meeting", "merged_into")
        .with_supported_by(request.user),
        pk=pk,
    )
    events = topic.events.select_related("actor", "meeting", "other_topic")
    return render(
        request,
        "topics/detail.html",
        {
            "topic": topic,
            "events": events,
            "may_take_part": may_take_part(request.user),
            "is_proposer": topic.proposer_id == request.user.pk,
            "may_run_agenda": topic.meeting is not None and may_gather(request.user, topic.meeting),
            "discussed_form": DiscussedForm(),
            "meeting_url": meeting_page_path(topic.meeting) if topic.meeting else "",
            "decisions": topic.decisions.visible_to(request.user).order_by("-created_at", "-pk"),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@taking_part_required
def topic_new(request):
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = backlog.propose(form.save(commit=False), request.user)
        except IntegrityError:
            form.add_duplicate_error()
        else:
            messages.success(request, gettext("Your topic is in the backlog. Members can now support it."))
            return redirect(topic)
    return render(request, "topics/form.html", {"form": form, "is_new": True})


def _own_open_topic(request, pk):
    topic = get_object_or_404(Topic.objects.visible_to(request.user), pk=pk)
    if topic.proposer_id != request.user.pk:
        raise PermissionDenied(gettext("Only the member who proposed a topic can change it."))
    return topic


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@taking_part_required
def topic_edit(request, pk):
    topic = _own_open_topic(request, pk)
    if not topic.is_open:
        messages.error(request, gettext("This topic has left the backlog, so it can no longer be edited."))
        return redirect(topic)
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            backlog.save_edit(form.save(commit=False), request.user)
        except IntegrityError:
            form.add_duplicate_error()
        else:
            messages.success(request, gettext("Your changes are saved."))
            return redirect(topic)
    return render(request, "topics/form.html", {"form": form, "topic": topic, "is_new": False})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def topic_withdraw(request, pk):
    # Withdrawing is allowed on a break too: stepping back is never refused.
    topic = _own_open_topic(request, pk)
    if not topic.is_open:
        messages.error(request, gettext("This topic has already left the backlog."))
        return redirect(topic)
    if request.method == "POST":
        try:
            backlog.withdraw(topic, request.user)
        except BacklogError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("You withdrew “%(topic)s”.") % {"topic": topic})
        return redirect(topic)
    return render(request, "topics/withdraw.html", {"topic": topic})


@require_POST
@signed_in_or_back_to_topic
@taking_part_required
def topic_support(request, pk):
    topic = get_object_or_404(Topic.objects.visible_to(request.user), pk=pk)
    action = request.POST.get("action", "support")
    if action not in ("support", "unsupport"):
        return HttpResponseBadRequest(gettext("Unknown action."))
    if not topic.is_open:
        message = gettext("This topic is no longer in the backlog, so its support can’t change.")
        if wants_json(request):
            return JsonResponse({"error": message}, status=409)
        messages.error(request, message)
        return redirect(safe_next(request, topic.get_absolute_url()))
    if action == "support":
        backlog.add_support(topic, request.user)
    else:
        backlog.remove_support(topic, request.user)
    supported = Support.objects.filter(topic=topic, user=request.user).exists()
    count = Topic.objects.values_list("support_count", flat=True).get(pk=topic.pk)
    if wants_json(request):
        return JsonResponse({"supported": supported, "support_count": count})
    if supported:
        messages.success(request, gettext("You support “%(topic)s”.") % {"topic": topic})
    else:
        messages.success(request, gettext("You no longer support “%(topic)s”.") % {"topic": topic})
    return redirect(safe_next(request, topic.get_absolute_url()))


# --- Gathering and after the meeting -------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def gather(request, meeting_id):
    meeting = get_object_or_404(Meeting.objects.select_related("facilitator"), pk=meeting_id)
    if not may_gather(request.user, meeting):
        raise PermissionDenied(gettext("Only organizers and this meeting's facilitator gather topics."))
    block = backlog.main_block(meeting)
    filters = BacklogFilterForm(request.GET)
    on_agenda = backlog.on_agenda(meeting)
    # A closed dot-vote hands over its ranking: those topics come first, pre-picked while they fit.
    ranked = [] if filters.is_filtered() else dotvote.ranked_open_topics(meeting)
    form = GatherForm(
        request.POST if request.method == "POST" else None,
        block_minutes=block.minutes if block else 0,
        initial=dotvote.handover(meeting, backlog.minutes_left(block, on_agenda)) if ranked else None,
    )
    if request.method == "POST" and block is not None and form.is_valid():
        try:
            gathered = backlog.gather(meeting, form.picks, request.user, request=request)
        except BacklogError as error:
            form.add_error(str(error))
        else:
            titles = ", ".join(f"“{topic}”" for topic in gathered)
            messages.success(
                request,
                gettext("Gathered into %(meeting)s: %(titles)s.") % {"meeting": meeting, "titles": titles},
            )
            return redirect(meeting_page_path(meeting))
    if request.method == "POST" and form.errors:
        on_agenda = backlog.on_agenda(meeting)  # refused: read the agenda again after the refusal
    candidates = filters.filter(Topic.objects.backlog().select_related("proposer"))
    rows, more_topics = form.rows(ranked, candidates, GATHER_ROWS)
    return render(
        request,
        "topics/gather.html",
        _gather_context(meeting, block, on_agenda, rows, more_topics, form, filters),
    )


def _gather_context(meeting, block, on_agenda, rows, more_topics, form, filters):
    return {
        "meeting": meeting,
        "meeting_url": meeting_page_path(meeting),
        "main_block": block,
        "block_minutes": block.minutes if block else 0,
        "minutes_left": backlog.minutes_left(block, on_agenda),
        "on_agenda": on_agenda,
        "rows": rows,
        "more_topics": more_topics,
        "gather_rows": GATHER_ROWS,
        "form": form,
        "filters": filters,
        "discussed_form": DiscussedForm(),
        "is_cancelled": meeting.status == Meeting.Status.CANCELLED,
    }


def _gathered_topic_for_agenda(request, pk):
    """The topic, if this person runs the agenda it is (or, a moment ago, was) on."""
    topic = get_object_or_404(Topic.objects.select_related("meeting"), pk=pk)
    meeting = topic.meeting or backlog.last_meeting_of(topic)
    if meeting is None or not may_gather(request.user, meeting):
        raise PermissionDenied(gettext("Only organizers and the meeting's facilitator change its agenda."))
    return topic


@require_POST
@signed_in_or_back_to_topic
def topic_discussed(request, pk):
    topic = _gathered_topic_for_agenda(request, pk)
    form = DiscussedForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Keep the note to %(most)s characters.") % {"most": NOTE_MAX_LENGTH})
    else:
        try:
            backlog.mark_discussed(topic, request.user, form.cleaned_data["note"])
        except BacklogError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("“%(topic)s” is marked discussed.") % {"topic": topic})
    return redirect(safe_next(request, topic.get_absolute_url()))


@require_POST
@signed_in_or_back_to_topic
def topic_return(request, pk):
    topic = _gathered_topic_for_agenda(request, pk)
    try:
        backlog.return_to_backlog(topic, request.user)
    except BacklogError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, gettext("“%(topic)s” is back in the backlog, with its supports.") % {"topic": topic}
        )
    return redirect(safe_next(request, topic.get_absolute_url()))
