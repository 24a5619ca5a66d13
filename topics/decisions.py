"""Work on decisions that touches several rows: each function is one transaction.

Opening, voting, closing and deciding lock the decision's row first
(`select_for_update`), so a ballot cast at the closing moment is either in the
count or refused, never lost between the two, and two organizers closing at
once count once. Emails are queued in the same transaction as the
DecisionNotice row that says they were sent, so each goes out once.
"""

import hashlib
import logging
import random
import secrets
from base64 import b32encode
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import live
from meetings.models import Meeting
from members import email_kinds
from members.standing import is_organizer, may_take_part
from solidarityclub.emails import absolute_url, build_email, language_for
from solidarityclub.pagecache import bump_content_version, cached
from solidarityclub.signals import publish_post

from . import counting
from .decision_models import (
    MAX_OPTIONS,
    OPTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Ballot,
    Decision,
    DecisionNotice,
    DecisionOption,
    Method,
    Participation,
    Status,
)

logger = logging.getLogger(__name__)

Kind = DecisionNotice.Kind
CODE_GROUPS = 4


class DecisionError(Exception):
    """Something the person asked for cannot happen; the message says why, for them."""


# --- Who may do what -------------------------------------------------------------


def may_vote(user, decision):
    return decision.is_open and may_take_part(user)


def may_run(user, decision):
    """Organizers, and the decision's facilitator, close it and write its outcome (if not on a break)."""
    if not may_take_part(user):
        return False
    return is_organizer(user) or (decision.facilitator_id is not None and decision.facilitator_id == user.pk)


def results_visible(decision):
    """The running count is hidden when asked, and always on a secret decision.

    On a secret decision a count that moves just after someone votes would tell
    what they chose, so it shows only once the decision is counted.
    """
    return decision.is_counted or not (decision.hide_results_until_close or decision.is_secret)


# --- Opening ----------------------------------------------------------------------


def clean_option_labels(lines):
    """One option a line: blank lines dropped, spaces tidied, duplicates refused."""
    labels = []
    for line in lines:
        label = " ".join(line.split())
        if not label:
            continue
        if len(label) > OPTION_MAX_LENGTH:
            raise ValidationError(_("Keep each option to %(n)s characters.") % {"n": OPTION_MAX_LENGTH})
        if label.casefold() in (known.casefold() for known in labels):
            raise ValidationError(_("“%(label)s” is listed twice.") % {"label": label})
        labels.append(label)
    if len(labels) > MAX_OPTIONS:
        raise ValidationError(_("Give at most %(n)s options.") % {"n": MAX_OPTIONS})
    return labels


def create(decision, option_labels, by, *, open_now):
    """Save a new decision with its options: opened (organizers) or proposed (members)."""
    if decision.method in (Method.RANKED, Method.DOTS, Method.SCORE) and len(option_labels) < 2:
        raise ValidationError(_("This method needs at least two options."))
    with transaction.atomic():
        decision.proposed_by = by
        decision.status = Status.PROPOSED
        decision.full_clean()
        try:
            with transaction.atomic():
                decision.save()
        except IntegrityError:  # the same question a moment ago (a double submit)
            raise ValidationError(_("A proposed or open decision already asks this question.")) from None
        if decision.has_options:
            DecisionOption.objects.bulk_create(
                DecisionOption(decision=decision, label=label, position=position)
                for position, label in enumerate(option_labels, start=1)
            )
        if open_now:
            open_decision(decision, by)
    return decision


def replace_options(decision, option_labels):
    decision.options.all().delete()
    if decision.has_options:
        DecisionOption.objects.bulk_create(
            DecisionOption(decision=decision, label=label, position=position)
            for position, label in enumerate(option_labels, start=1)
        )


def open_decision(decision, by, *, notify=True, now=None):
    """Open a proposed decision for votes and tell the members; refused unless still proposed."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.status != Status.PROPOSED:
            raise DecisionError(_("This decision is no longer waiting to be opened."))
        if decision.closes_at is None or decision.closes_at <= now:
            raise DecisionError(_("Choose a closing time in the future."))
        if decision.has_options and decision.options.count() < 2:
            raise DecisionError(_("This method needs at least two options."))
        decision.status = Status.OPEN
        decision.opened_by = by
        decision.opened_at = now
        decision.facilitator = decision.facilitator or by
        decision.tie_seed = secrets.randbelow(2**31)
        decision.full_clean()
        decision.save()
        _tell_live_meeting(decision)
        if notify:
            send_notices(decision, Kind.OPENED)
    return decision


def _tell_live_meeting(decision):
    """A decision of a meeting changed: the members following it live see it at their next poll,
    and its meeting's page at its next view (some changes are updates, which send no signal)."""
    if decision.meeting_id:
        live.changed(decision.meeting_id)
        bump_content_version(Decision)


@transaction.atomic
def decline(decision, by, note):
    changed = Decision.objects.filter(pk=decision.pk, status=Status.PROPOSED).update(
        status=Status.DECLINED, decline_note=note, opened_by=by, updated_at=timezone.now()
    )
    if not changed:
        raise DecisionError(_("This decision is no longer waiting to be opened."))
    decision.refresh_from_db()


# --- Ballots ----------------------------------------------------------------------


def new_ballot_code():
    """A code for the voter alone: 80 random bits, written as four groups of four letters and digits."""
    raw = b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, 4 * CODE_GROUPS, 4))


def normalize_code(code):
    code = "".join(ch for ch in (code or "").upper() if ch.isascii() and ch.isalnum())
    if len(code) != 4 * CODE_GROUPS:
        return ""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def code_hash(decision, code):
    return hashlib.sha256(f"{decision.pk}:{normalize_code(code)}".encode()).hexdigest()


def receipt(key_hash):
    """What a voter and everyone else see of a secret ballot's key: enough to find one's own."""
    return key_hash[:10].upper() if key_hash else ""


def validate_choices(decision, options, choices):
    """Check a ballot's `choices` against the decision's method; returns them tidied."""
    keys = [option.key for option in options]
    method = decision.method
    if method == Method.CONSENT:
        answer = choices.get("answer")
        reason = " ".join((choices.get("reason") or "").split())
        if answer not in counting.CONSENT_ANSWERS:
            raise ValidationError(_("Choose agree, abstain, stand aside or object."))
        if answer == "object" and not reason:
            raise ValidationError(_("An objection needs a reason: say what would have to change."))
        if len(reason) > REASON_MAX_LENGTH:
            raise ValidationError(_("Keep the reason to %(n)s characters.") % {"n": REASON_MAX_LENGTH})
        return {"answer": answer, "reason": reason if answer in ("object", "stand_aside") else ""}
    if method == Method.MAJORITY:
        if choices.get("answer") not in counting.MAJORITY_ANSWERS:
            raise ValidationError(_("Choose yes, no or abstain."))
        return {"answer": choices["answer"]}
    if method == Method.RANKED:
        ranking = choices.get("ranking") or []
        if not ranking:
            raise ValidationError(_("Rank at least one option."))
        if len(set(ranking)) != len(ranking) or not set(ranking) <= set(keys):
            raise ValidationError(_("Give each option one rank at most."))
        return {"ranking": list(ranking)}
    if method == Method.DOTS:
        dots = {key: n for key, n in (choices.get("dots") or {}).items() if n}
        if not set(dots) <= set(keys) or any(not isinstance(n, int) or n < 0 for n in dots.values()):
            raise ValidationError(_("Put a whole number of dots on each option."))
        total = sum(dots.values())
        if total < 1:
            raise ValidationError(_("Put at least one dot on an option."))
        if total > decision.dots_per_member:
            raise ValidationError(
                _("You have %(n)s dots; you placed %(total)s.")
                % {"n": decision.dots_per_member, "total": total}
            )
        return {"dots": dots}
    if method == Method.SCORE:
        scores = choices.get("scores") or {}
        if not set(scores) <= set(keys) or any(
            not isinstance(n, int) or not counting.SCORE_MIN <= n <= counting.SCORE_MAX
            for n in scores.values()
        ):
            raise ValidationError(_("Give each option a score from 0 to 5."))
        if not scores:
            raise ValidationError(_("Score at least one option."))
        return {"scores": dict(scores)}
    raise ValidationError(_("Unknown method."))


def cast(decision, user, choices, *, code="", now=None):
    """Cast or change `user`'s ballot. Returns the ballot code on a secret decision ("" otherwise).

    Raises DecisionError when voting is closed or the member may not vote, and
    ValidationError when the choices do not fit the method.
    """
    now = now or timezone.now()
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != Status.OPEN or decision.closes_at <= now:
            raise DecisionError(_("Voting on this decision has closed."))
        if not may_take_part(user):
            raise DecisionError(_("Members on a break, or who left, can’t vote."))
        options = list(decision.options.all())
        choices = validate_choices(decision, options, choices)
        took_part = Participation.objects.filter(decision=decision, user=user).exists()
        if not decision.is_secret:
            Ballot.objects.update_or_create(decision=decision, voter=user, defaults={"choices": choices})
            if not took_part:
                Participation.objects.create(decision=decision, user=user)
            return ""
        if took_part:
            key_hash = code_hash(decision, code)
            if (
                not normalize_code(code)
                or not Ballot.objects.filter(decision=decision, key_hash=key_hash).exists()
            ):
                raise DecisionError(
                    _(
                        "You have already voted. To change a secret ballot, enter the ballot code you were given."
                    )
                )
            Ballot.objects.filter(decision=decision, key_hash=key_hash).update(choices=choices)
        else:
            code = new_ballot_code()
            try:
                with transaction.atomic():
                    Participation.objects.create(decision=decision, user=user)
            except IntegrityError:  # a second submission at the same moment
                raise DecisionError(_("You have already voted.")) from None
            Ballot.objects.create(decision=decision, key_hash=code_hash(decision, code), choices=choices)
        _shuffle_secret_ballots(decision)
        return normalize_code(code)


def _shuffle_secret_ballots(decision):
    """Write the decision's ballots again in a random order, with new random ids.

    Rows sit on disk (and in SQLite's rowid) in the order they were written;
    without this, the n-th ballot would belong to the n-th participation.
    """
    rows = list(Ballot.objects.filter(decision=decision).values_list("key_hash", "choices"))
    random.SystemRandom().shuffle(rows)
    Ballot.objects.filter(decision=decision).delete()
    Ballot.objects.bulk_create(
        Ballot(decision=decision, key_hash=key, choices=choices) for key, choices in rows
    )


def own_ballot(decision, user, code=""):
    """The member's ballot: by name on a named decision, by their code on a secret one."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not decision.is_secret:
        return Ballot.objects.filter(decision=decision, voter=user).first()
    if not normalize_code(code):
        return None
    return Ballot.objects.filter(decision=decision, key_hash=code_hash(decision, code)).first()


# --- Counting, closing and deciding ---------------------------------------------------


def tally(decision, ballots=None, *, eligible=None, options=None):
    """The full count of `decision`'s ballots, as stored at the close."""
    options = list(decision.options.all()) if options is None else options
    keys = [option.key for option in options]
    choices = [ballot.choices for ballot in (decision.ballots.all() if ballots is None else ballots)]
    if eligible is None:
        eligible = get_user_model().objects.in_good_standing().count()
    method = decision.method
    if method == Method.CONSENT:
        count = counting.count_consent([(c.get("answer"), c.get("reason", "")) for c in choices])
    elif method == Method.MAJORITY:
        count = counting.count_majority([c.get("answer") for c in choices])
    elif method == Method.RANKED:
        count = counting.count_ranked([c.get("ranking", []) for c in choices], keys, seed=decision.tie_seed)
    elif method == Method.DOTS:
        count = counting.count_dots([c.get("dots", {}) for c in choices], keys)
    else:
        count = counting.count_score([c.get("scores", {}) for c in choices], keys)
    turnout = len(choices)
    return {
        "method": method,
        "turnout": turnout,
        "eligible": eligible,
        "quorum": counting.quorum(turnout, eligible, decision.quorum_percent),
        "options": {option.key: option.label for option in options},
        **count,
    }


def close(decision, by=None, *, now=None):
    """Stop the voting and freeze the count; True if this call closed it (False: already closed)."""
    now = now or timezone.now()
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != Status.OPEN:
            return False
        result = tally(decision)
        Decision.objects.filter(pk=decision.pk).update(
            status=Status.CLOSED,
            closed_at=now,
            result=result,
            turnout=result["turnout"],
            eligible_count=result["eligible"],
            updated_at=now,
        )
        _tell_live_meeting(decision)
    return True


def close_due(now=None):
    """Close every decision whose time has come (the scheduler runs this); returns how many."""
    now = now or timezone.now()
    closed = 0
    for decision in Decision.objects.due(now).order_by("closes_at", "pk"):
        closed += close(decision, now=now)
    return closed


def decide(decision, by, outcome, *, notify=True, now=None):
    """Record the outcome statement of a closed decision; from then on it never changes."""
    now = now or timezone.now()
    outcome = (outcome or "").strip()
    if not outcome:
        raise DecisionError(_("Write the outcome: what was decided, and what happens next."))
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.status != Status.CLOSED:
            raise DecisionError(_("Only a closed decision can be documented; a decided one never changes."))
        locked.outcome = outcome
        locked.status = Status.DECIDED
        locked.decided_at = now
        locked.save()
        _tell_live_meeting(locked)
        if notify:
            send_notices(locked, Kind.DECIDED)
    decision.refresh_from_db()
    return decision


def start_correction(decision):
    """A correction is a new decision, proposed with the same question and options, linked back."""
    if decision.status != Status.DECIDED:
        raise DecisionError(_("Only a decided decision can be corrected."))
    return Decision(
        question=decision.question,
        context=decision.context,
        method=decision.method,
        is_secret=decision.is_secret,
        hide_results_until_close=decision.hide_results_until_close,
        quorum_percent=decision.quorum_percent,
        dots_per_member=decision.dots_per_member,
        topic=decision.topic,
        meeting=decision.meeting,
        corrects=decision,
    )


# --- Publishing -------------------------------------------------------------------------


def may_publish(decision):
    return decision.status == Status.DECIDED and not decision.published_post_url and publish_post.receivers


def publish(decision, by):
    """Publish the outcome as a blog post (whichever app answers the signal); returns the post's path."""
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.status != Status.DECIDED:
            raise DecisionError(_("Only a decided decision can be published."))
        if locked.published_post_url:
            return locked.published_post_url
        body = "\n\n".join(
            part
            for part in [
                locked.outcome,
                _("**How we decided:** %(method)s, %(turnout)s of %(eligible)s members voted.")
                % {
                    "method": locked.get_method_display().lower(),
                    "turnout": locked.turnout or 0,
                    "eligible": locked.eligible_count or 0,
                },
                locked.context,
            ]
            if part
        )
        answers = publish_post.send(
            sender=Decision,
            title=_("Decided: %(question)s") % {"question": locked.question},
            summary=(_("The club’s decision on “%(question)s”.") % {"question": locked.question})[:300],
            body=body,
            author=by,
        )
        url = next((response for _receiver, response in answers if response), "")
        if not url:
            raise DecisionError(_("The blog could not publish this outcome."))
        locked.published_post_url = url[:300]
        locked.save(update_fields=["published_post_url"])
    decision.published_post_url = locked.published_post_url
    return locked.published_post_url


# --- Emails -------------------------------------------------------------------------------


def notice_recipients(decision, kind):
    return (
        get_user_model()
        .objects.in_good_standing()
        .filter(wants_decision_notices=True)
        .exclude(pk__in=DecisionNotice.objects.filter(decision=decision, kind=kind).values("user"))
        .only("pk", "email", "display_name", "time_zone", "language")
        .order_by("pk")
    )


def send_notices(decision, kind):
    """Queue the `kind` email to every member who wants it and has not had it; call inside atomic()."""
    name = f"topics/emails/decision_{kind}"
    context = {
        "decision": decision,
        "decision_url": absolute_url(decision.get_absolute_url()),
        "settings_url": absolute_url(reverse("members:settings")),
    }
    queued = 0
    for user in list(notice_recipients(decision, kind)):
        message = build_email(
            name,
            [user.email],
            {**context, "user": user, "time_zone": user.display_zone},
            unsubscribe=email_kinds.unsubscribe(user, "decision-notices"),
            language=language_for(user),
        )
        try:
            message.message()  # a broken address fails here, before any row is written
        except ValueError:
            logger.warning(
                "Decision %s: no %s notice for member %s (broken address)", decision.pk, kind, user.pk
            )
            continue
        try:
            with transaction.atomic():
                DecisionNotice.objects.create(decision=decision, user=user, kind=kind)
                message.send()
        except IntegrityError:
            continue  # another run told this member a moment ago
        queued += 1
    return queued


# --- Personal data ----------------------------------------------------------------------------


def personal_data(user):
    """What the register holds about a member. Secret ballots cannot be found, by design."""
    proposed = Decision.objects.filter(proposed_by=user).order_by("created_at", "pk")
    took_part = Decision.objects.filter(participations__user=user).order_by("created_at", "pk").distinct()
    named = Ballot.objects.filter(voter=user).select_related("decision").order_by("decision__created_at")
    return {
        "decisions_proposed": [
            {"question": d.question, "status": d.status, "created_at": d.created_at} for d in proposed
        ],
        "decisions_voted_in": [{"question": d.question, "secret": d.is_secret} for d in took_part],
        "named_ballots": [{"question": b.decision.question, "choices": b.choices} for b in named],
        "secret_ballots": _(
            "What you chose in secret decisions is stored without your name, so it cannot be listed here."
        ),
    }


def latest_close(now=None):
    return (now or timezone.now()) + timedelta(days=365 * 2)


# --- Reading a result ----------------------------------------------------------------------------

CONSENT_LABELS = {
    "agree": gettext_lazy("agree"),
    "abstain": gettext_lazy("abstain"),
    "stand_aside": gettext_lazy("stand aside"),
    "object": gettext_lazy("object"),
}
MAJORITY_LABELS = {"yes": gettext_lazy("yes"), "no": gettext_lazy("no"), "abstain": gettext_lazy("abstain")}


def summary(result):
    """One line saying what a count came to, for the register and the emails."""
    if not result:
        return ""
    label = result.get("options", {}).get
    if not result.get("turnout"):
        return _("No ballots were cast.")
    if not result.get("quorum", {}).get("met", True):
        return _("Quorum not reached: %(turnout)s of the %(needed)s ballots needed.") % {
            "turnout": result["turnout"],
            "needed": result["quorum"]["needed"],
        }
    method = result.get("method")
    if method == Method.CONSENT:
        counts = result["counts"]
        if result["outcome"] == "blocked":
            return _("Blocked by %(n)s objection(s).") % {"n": counts["object"]}
        if result["outcome"] == "consented":
            return _("Consented: %(agree)s agree, %(aside)s stand aside, %(abstain)s abstain.") % {
                "agree": counts["agree"],
                "aside": counts["stand_aside"],
                "abstain": counts["abstain"],
            }
        return _("Not consented: nobody agreed.")
    if method == Method.MAJORITY:
        counts = result["counts"]
        words = {"carried": _("Carried"), "defeated": _("Defeated"), "tied": _("Tied")}
        return _("%(outcome)s: %(yes)s yes, %(no)s no, %(abstain)s abstain.") % {
            "outcome": words.get(result["outcome"], ""),
            "yes": counts["yes"],
            "no": counts["no"],
            "abstain": counts["abstain"],
        }
    if result.get("winner"):
        if method == Method.RANKED:
            return _("%(winner)s won in round %(n)s.") % {
                "winner": label(result["winner"], "?"),
                "n": len(result["rounds"]),
            }
        return _("%(winner)s came first.") % {"winner": label(result["winner"], "?")}
    if result.get("tie"):
        return _("A tie between %(names)s.") % {"names": ", ".join(label(key, "?") for key in result["tie"])}
    return _("Nothing was chosen.")


def presented(result):
    """The stored result with labels in place of keys, ready for a template."""
    if not result:
        return None
    labels = result.get("options", {})
    view = dict(result)
    view["summary"] = summary(result)
    method = result.get("method")
    if method == Method.CONSENT:
        view["rows"] = [
            (CONSENT_LABELS[key], result["counts"].get(key, 0)) for key in counting.CONSENT_ANSWERS
        ]
    elif method == Method.MAJORITY:
        view["rows"] = [
            (MAJORITY_LABELS[key], result["counts"].get(key, 0)) for key in counting.MAJORITY_ANSWERS
        ]
    elif method == Method.RANKED:
        rounds = []
        for number, one in enumerate(result["rounds"], start=1):
            rounds.append(
                {
                    "number": number,
                    "rows": sorted(
                        ((labels.get(key, "?"), votes) for key, votes in one["counts"].items()),
                        key=lambda row: -row[1],
                    ),
                    "exhausted": one["exhausted"],
                    "active": one["active"],
                    "eliminated": labels.get(one.get("eliminated"), ""),
                    "tie_break": one.get("tie_break", ""),
                    "tied": [labels.get(key, "?") for key in one.get("tied", [])],
                    "tie": [labels.get(key, "?") for key in one.get("tie", [])],
                    "transfers": sorted(
                        (
                            (
                                _("exhausted (no choice left)")
                                if key == "exhausted"
                                else labels.get(key, "?"),
                                n,
                            )
                            for key, n in one.get("transfers", {}).items()
                        ),
                        key=lambda row: -row[1],
                    ),
                }
            )
        view["rounds"] = rounds
    elif method == Method.DOTS:
        view["rows"] = sorted(
            ((labels.get(key, "?"), n) for key, n in result["totals"].items()), key=lambda row: -row[1]
        )
    elif method == Method.SCORE:
        view["score_rows"] = sorted(
            ({"label": labels.get(key, "?"), **scores} for key, scores in result["scores"].items()),
            key=lambda row: -(row["mean"] if row["mean"] is not None else -1),
        )
    return view


def describe_choices(decision, choices, labels):
    """A ballot in words, for the list of ballots."""
    method = decision.method
    if method == Method.CONSENT:
        text = str(CONSENT_LABELS.get(choices.get("answer"), "?"))
        return f"{text}: {choices['reason']}" if choices.get("reason") else text
    if method == Method.MAJORITY:
        return str(MAJORITY_LABELS.get(choices.get("answer"), "?"))
    if method == Method.RANKED:
        return " › ".join(labels.get(key, "?") for key in choices.get("ranking", []))
    if method == Method.DOTS:
        return ", ".join(f"{labels.get(key, '?')} ×{n}" for key, n in choices.get("dots", {}).items())
    return ", ".join(f"{labels.get(key, '?')}: {n}" for key, n in choices.get("scores", {}).items())


def erase(user):
    """A member who leaves and asks to be erased: their choices stay in the register, unnamed.

    Named ballots lose their voter, as secret ones never had one; the record of
    who voted and of the emails they were sent goes; decisions they proposed,
    opened or facilitated no longer point to them.
    """
    Ballot.objects.filter(voter=user).update(voter=None)
    Participation.objects.filter(user=user).delete()
    DecisionNotice.objects.filter(user=user).delete()
    Decision.objects.filter(proposed_by=user).update(proposed_by=None)
    Decision.objects.filter(opened_by=user).update(opened_by=None)
    Decision.objects.filter(facilitator=user).update(facilitator=None)


# --- In a meeting ------------------------------------------------------------------------------


# A decision can be "for" a scheduled meeting of the last month or the coming year.
MEETINGS_FROM = timedelta(days=31)
MEETINGS_UNTIL = timedelta(days=366)


def meetings_taking_decisions(now=None):
    """The meetings a new decision can be for (the form's choices)."""
    now = now or timezone.now()
    return Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        starts_at__gte=now - MEETINGS_FROM,
        starts_at__lte=now + MEETINGS_UNTIL,
    )


def takes_decisions(meeting, now=None):
    """Whether a new decision can be for `meeting`: the same rule as meetings_taking_decisions, no query."""
    now = now or timezone.now()
    return (
        meeting.status == Meeting.Status.SCHEDULED
        and now - MEETINGS_FROM <= meeting.starts_at <= now + MEETINGS_UNTIL
    )


def meeting_panel(meeting, user):
    """What the meeting page shows of its decisions (topics/decisions/_meeting_decisions.html).

    The same context serves the live meeting page's panel: open decisions with a
    link to vote, decided ones with their outcome, and for organizers a way to
    open one for this meeting. Visitors get nothing: the register is for members.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {"show": False}

    def load():
        return [
            {"decision": decision, "summary": summary(decision.result) if decision.is_counted else ""}
            for decision in Decision.objects.filter(
                meeting=meeting, status__in=[Status.OPEN, Status.CLOSED, Status.DECIDED]
            ).order_by("created_at", "pk")
        ]

    # The same for every member (what differs, voting and opening, is decided below and in the
    # template): kept under the topics version, which every decision and ballot saved moves on.
    rows = cached("topics:meeting-decisions", ["topics"], [meeting.pk], load)
    # Offered only where the form takes this meeting: not on a cancelled one, nor one long past.
    may_open = may_take_part(user) and is_organizer(user) and takes_decisions(meeting)
    return {"show": bool(rows) or may_open, "rows": rows, "may_open": may_open, "meeting": meeting}
