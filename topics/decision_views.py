"""The decision register: /decisions/ and /decisions/<id>/ with its actions."""

import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from meetings.models import Meeting
from members.standing import is_organizer, may_take_part
from solidarityclub.pagination import page_or_404

from . import decisions
from .decision_forms import BallotForm, DecisionForm, DeclineForm, OutcomeForm
from .decision_models import Decision, Participation, Status
from .decisions import DecisionError
from .models import Topic

PAGE_SIZE = 25
CODE_COOKIE_DAYS = 30


def code_cookie_name(decision):
    return f"ballot-{decision.pk}"


def taking_part_required(view):
    """Members on a break (or who left) may read the register but not add to it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_take_part(request.user):
            return render(request, "topics/decisions/on_break.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def signed_in_or_back_to_decision(view):
    """For POST-only views: a visitor signs in and lands on the decision page, not on a POST URL."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("decisions:detail", args=[pk]))
        return view(request, pk, *args, **kwargs)

    return wrapper


def _visible(request, pk):
    return get_object_or_404(Decision.objects.visible_to(request.user), pk=pk)


def _organizer_only(request):
    if not (is_organizer(request.user) and may_take_part(request.user)):
        raise PermissionDenied(_("Only organizers do this."))


@require_safe
@login_required
def decision_list(request):
    register = (
        Decision.objects.visible_to(request.user)
        .register()
        .select_related("meeting")
        .only(
            "question",
            "method",
            "status",
            "closes_at",
            "created_at",
            "decided_at",
            "result",
            "hide_results_until_close",
            "is_secret",
            "meeting__title",
            "meeting__language",
            "meeting__starts_at",
        )
    )
    page = page_or_404(request, register, PAGE_SIZE)
    rows = [{"decision": d, "summary": decisions.summary(d.result) if d.is_counted else ""} for d in page]
    return render(
        request,
        "topics/decisions/list.html",
        {"page": page, "rows": rows, "may_take_part": may_take_part(request.user)},
    )


def _pk(value):
    """A row id from a query string: ASCII digits within the database's integer range, else None."""
    if re.fullmatch(r"[0-9]{1,10}", value or "") and int(value) <= 2147483647:
        return int(value)
    return None


def _prefill(request):
    """?topic=, ?meeting= and ?corrects= start a decision from a topic, a meeting or a decided decision."""
    initial, links = {}, {}
    raw = {name: _pk(request.GET.get(name, "")) for name in ("topic", "meeting", "corrects")}
    if raw["corrects"]:
        corrected = Decision.objects.filter(pk=raw["corrects"], status=Status.DECIDED).first()
        if corrected is not None:
            draft = decisions.start_correction(corrected)
            initial.update(
                question=draft.question,
                context=draft.context,
                method=draft.method,
                is_secret=draft.is_secret,
                hide_results_until_close=draft.hide_results_until_close,
                quorum_percent=draft.quorum_percent,
                dots_per_member=draft.dots_per_member,
                meeting=draft.meeting_id,
                options_text="\n".join(option.label for option in corrected.options.all()),
            )
            links["corrects"] = corrected
            if corrected.topic_id:
                links["topic"] = corrected.topic
    if raw["topic"]:
        topic = Topic.objects.visible_to(request.user).filter(pk=raw["topic"]).first()
        if topic is not None:
            links["topic"] = topic
            initial.setdefault("question", topic.title[:200])
    if raw["meeting"]:
        meeting = Meeting.objects.filter(pk=raw["meeting"]).first()
        if meeting is not None:
            initial["meeting"] = meeting.pk
    return initial, links


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@taking_part_required
def decision_new(request):
    organizer = is_organizer(request.user)
    initial, links = _prefill(request)
    form = DecisionForm(request.POST or None, initial=initial, organizer=organizer)
    if request.method == "POST" and form.is_valid():
        decision = form.save(commit=False)
        decision.topic = links.get("topic")
        decision.corrects = links.get("corrects")
        try:
            decisions.create(decision, form.option_labels, request.user, open_now=organizer)
        except (ValidationError, DecisionError) as error:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        else:
            if organizer:
                messages.success(
                    request, _("The decision is open for votes. Members who want to know were emailed.")
                )
            else:
                messages.success(
                    request, _("Your proposal is with the organizers, who will open or decline it.")
                )
            return redirect(decision)
    return render(
        request,
        "topics/decisions/form.html",
        {"form": form, "links": links, "organizer": organizer},
    )


@require_safe
@login_required
def decision_detail(request, pk):
    return _render_detail(request, pk)


def _render_detail(request, pk, ballot_form=None, decline_form=None, outcome_form=None):
    decision = get_object_or_404(
        Decision.objects.visible_to(request.user).select_related(
            "topic", "meeting", "corrects", "proposed_by", "facilitator"
        ),
        pk=pk,
    )
    options = list(decision.options.all())
    code = request.COOKIES.get(code_cookie_name(decision), "")
    own = decisions.own_ballot(decision, request.user, code)
    took_part = (
        request.user.is_authenticated
        and Participation.objects.filter(decision=decision, user=request.user).exists()
    )
    if ballot_form is None and decisions.may_vote(request.user, decision):
        ballot_form = BallotForm(
            initial=BallotForm.initial_from(decision, own.choices if own else None),
            decision=decision,
            options=options,
        )
    context = {
        "decision": decision,
        "options": options,
        "ballot_form": ballot_form,
        "own_ballot": own,
        "own_code": decisions.normalize_code(code) if own else "",
        "own_receipt": decisions.receipt(own.key_hash) if own else "",
        "took_part": took_part,
        "may_take_part": may_take_part(request.user),
        "may_run": decisions.may_run(request.user, decision),
        "is_organizer": is_organizer(request.user) and may_take_part(request.user),
        "may_publish": decisions.may_publish(decision) and is_organizer(request.user),
        "corrections": list(decision.corrections.only("pk", "question", "status")),
        "outcome_form": outcome_form or OutcomeForm(),
        "decline_form": decline_form or DeclineForm(),
        "turnout": decision.turnout if decision.is_counted else decision.ballots.count(),
    }
    context.update(_result_context(decision, options))
    return render(request, "topics/decisions/detail.html", context)


def _result_context(decision, options):
    if decision.status in (Status.PROPOSED, Status.DECLINED):
        return {"result": None, "ballots": []}
    if not decisions.results_visible(decision):
        return {"result": None, "ballots": [], "results_hidden": True}
    result = decision.result if decision.is_counted else decisions.tally(decision, options=options)
    labels = {option.key: option.label for option in options} or result.get("options", {})
    ballots = []
    # Named: who chose what, for members to see. Secret: only after the close, with receipts, in no order.
    if not decision.is_secret:
        for ballot in decision.ballots.select_related("voter").order_by(
            "voter__display_name", "voter__email"
        ):
            ballots.append((ballot.voter_name, decisions.describe_choices(decision, ballot.choices, labels)))
    elif decision.is_counted:
        for ballot in decision.ballots.order_by("key_hash"):
            ballots.append(
                (
                    decisions.receipt(ballot.key_hash),
                    decisions.describe_choices(decision, ballot.choices, labels),
                )
            )
    return {"result": decisions.presented(result), "ballots": ballots}


@require_POST
@signed_in_or_back_to_decision
@taking_part_required
def decision_vote(request, pk):
    decision = _visible(request, pk)
    if not decisions.may_vote(request.user, decision):
        messages.error(request, _("Voting on this decision has closed."))
        return redirect(decision)
    options = list(decision.options.all())
    form = BallotForm(request.POST, decision=decision, options=options)
    cookie_name = code_cookie_name(decision)
    if not form.is_valid():
        # The page again, with what was typed and what is wrong with it.
        return _render_detail(request, pk, ballot_form=form)
    code = form.cleaned_data.get("code") or request.COOKIES.get(cookie_name, "")
    try:
        new_code = decisions.cast(decision, request.user, form.cleaned_choices, code=code)
    except DecisionError as error:
        messages.error(request, str(error))
        return redirect(decision)
    messages.success(request, _("Your ballot is saved. You can change it until the decision closes."))
    response = redirect(decision)
    if new_code:
        # The code lives in the voter's browser only: never in the database, an email or a message.
        response.set_cookie(
            cookie_name,
            new_code,
            max_age=max(0, int((decision.closes_at - timezone.now()).total_seconds()))
            + CODE_COOKIE_DAYS * 86400,
            path=decision.get_absolute_url(),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def decision_open(request, pk):
    """An organizer reviews a member's proposal, sets its closing time and opens it."""
    _organizer_only(request)
    decision = get_object_or_404(Decision, pk=pk)
    if decision.status != Status.PROPOSED:
        messages.error(request, _("This decision is no longer waiting to be opened."))
        return redirect(decision)
    form = DecisionForm(request.POST or None, instance=decision, organizer=True)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                decision = form.save()
                decisions.replace_options(decision, form.option_labels)
                decisions.open_decision(decision, request.user)
        except DecisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision is open for votes."))
            return redirect(decision)
    return render(
        request,
        "topics/decisions/form.html",
        {
            "form": form,
            "decision": decision,
            "organizer": True,
            "links": {},
        },
    )


@require_POST
@signed_in_or_back_to_decision
def decision_decline(request, pk):
    _organizer_only(request)
    decision = get_object_or_404(Decision, pk=pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        # The page again, with the error summary on top of the note.
        return _render_detail(request, pk, decline_form=form)
    try:
        decisions.decline(decision, request.user, form.cleaned_data["note"])
    except DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The proposal is declined; the member sees your note on its page."))
    return redirect(decision)


@require_POST
@signed_in_or_back_to_decision
def decision_close(request, pk):
    decision = _visible(request, pk)
    if not decisions.may_run(request.user, decision):
        raise PermissionDenied(_("Only organizers and the facilitator close a decision."))
    if decisions.close(decision, request.user):
        messages.success(request, _("Voting is closed and the ballots are counted. Now write the outcome."))
    else:
        messages.error(request, _("This decision is not open."))
    return redirect(decision)


@require_POST
@signed_in_or_back_to_decision
def decision_outcome(request, pk):
    decision = _visible(request, pk)
    if not decisions.may_run(request.user, decision):
        raise PermissionDenied(_("Only organizers and the facilitator write the outcome."))
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, pk, outcome_form=form)
    try:
        decisions.decide(decision, request.user, form.cleaned_data["outcome"])
    except DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The outcome is in the register. Members who want to know were emailed."))
    return redirect(decision)


@require_POST
@signed_in_or_back_to_decision
def decision_publish(request, pk):
    _organizer_only(request)
    decision = get_object_or_404(Decision, pk=pk)
    try:
        url = decisions.publish(decision, request.user)
    except (DecisionError, ValidationError) as error:
        messages.error(
            request, str(error) if isinstance(error, DecisionError) else _("The post could not be saved.")
        )
        return redirect(decision)
    messages.success(request, _("The outcome is published on the blog."))
    return redirect(url)
