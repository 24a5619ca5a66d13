"""Running a meeting live: the state machine, its clock and the extension point for panels.

The state is one LiveMeeting row per meeting and one LiveItem row per agenda
item (its planned and actual time); no web process keeps anything of its own,
so any number of them behind a balancer show the same meeting. Each verb is one
transaction that locks the meeting's row (select_for_update) and checks the
`step` the facilitator saw: two facilitators pressing "next" at once move one
step, and the second hears that someone was quicker.

Time left is computed, never stored: an item's budget (planned plus extra
minutes) minus the seconds spent in it — earlier visits plus the current one
from its start, pauses excluded. Browsers get the seconds left and count down
on their own, so everyone agrees without the server sending every second.

Other apps add to the live page through `collect_live_panels` (topics adds the
dot-vote at check-in and the gathered topics in the main block; decisions will
add theirs), and tell followers about their own changes with `changed()`.
"""

import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from members.standing import is_organizer, may_take_part

from .models import LiveItem, LiveMeeting, Meeting

Phase = LiveMeeting.Phase

# When a meeting shows its video link at any time, its live page opens this long before the start.
OPENS_MINUTES_BEFORE = 30
EXTEND_MINUTES = 5
CUE_SECONDS = 120  # the "2 minutes left" cue

collect_live_panels = Signal()
"""Sent while building the live page and each of its updates.

kwargs: meeting, live (a LiveMeeting, maybe unsaved), user, request, clock (a Clock).
Receivers return a LivePanel, or None when they have nothing to show to this
person right now. Panels are rendered inside the page and re-rendered with each
update, so a panel's template must read only its own context (plus `request`,
`user`, `meeting`, `live` and `clock`, which every panel gets).
"""


@dataclass
class LivePanel:
    key: str  # used in element ids: live-panel-<key>
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50
    html: str = ""  # filled by the live views


class LiveError(Exception):
    """The move cannot happen; the message says why, for the facilitator."""


# --- Who and when -----------------------------------------------------------------


def may_follow(user, meeting):
    """Members in good standing (organizers included) follow a live meeting."""
    return may_take_part(user)


def may_facilitate(user, meeting):
    """Organizers and the meeting's own facilitator run it, unless they are on a break (as gathering)."""
    if not may_take_part(user):
        return False
    return is_organizer(user) or (meeting.facilitator_id is not None and meeting.facilitator_id == user.pk)


def opens_at(meeting):
    """The live page opens with the video link (or a while before the start if the link always shows)."""
    return meeting.link_opens_at or meeting.starts_at - timedelta(minutes=OPENS_MINUTES_BEFORE)


def availability(meeting, live, now=None):
    """ "open", or why not: "cancelled", "not-yet", "closed" (by the facilitator) or "over" (never started)."""
    now = now or timezone.now()
    if meeting.is_cancelled:
        return "cancelled"
    if live.phase == Phase.CLOSED:
        return "closed"
    if live.phase == Phase.WAITING:
        if now < opens_at(meeting):
            return "not-yet"
        if meeting.has_ended(now):
            return "over"
    return "open"


def live_of(meeting):
    """The meeting's live row, or an unsaved one in its waiting state (a GET writes nothing)."""
    try:
        return meeting.live
    except LiveMeeting.DoesNotExist:
        return LiveMeeting(meeting=meeting)


# --- The clock --------------------------------------------------------------------


@dataclass
class Clock:
    """Where the meeting stands at one moment: the current item, what comes next, the time left."""

    live: LiveMeeting
    items: list
    now: object
    current: LiveItem | None = None
    index: int | None = None

    def __post_init__(self):
        for index, item in enumerate(self.items):
            if self.live.current_item_id is not None and item.pk == self.live.current_item_id:
                self.current, self.index = item, index

    @property
    def running(self):
        return self.live.phase == Phase.RUNNING

    def visit_seconds(self):
        """Seconds of the current item's present visit, pauses excluded."""
        live = self.live
        if not live.is_started or live.item_started_at is None:
            return 0
        until = live.paused_at if live.phase == Phase.PAUSED and live.paused_at else self.now
        return max(0, int((until - live.item_started_at).total_seconds()) - live.paused_seconds)

    def spent(self, item):
        return item.actual_seconds + (self.visit_seconds() if item is self.current else 0)

    def item_left(self):
        return self.current.budget_seconds - self.spent(self.current) if self.current else None

    def meeting_left(self):
        if not self.items:
            return None
        budget = sum(item.budget_seconds for item in self.items)
        return budget - sum(self.spent(item) for item in self.items)

    @property
    def next_item(self):
        if self.index is None:
            return self.items[0] if self.items and self.live.phase == Phase.WAITING else None
        return self.items[self.index + 1] if self.index + 1 < len(self.items) else None

    @property
    def previous_item(self):
        return self.items[self.index - 1] if self.index else None

    @property
    def is_before_main_block(self):
        """Intro and check-in: before the item that holds the topics (or not started yet)."""
        if self.live.phase == Phase.WAITING:
            return True
        if self.current is None:
            return False
        return not any(item.holds_topics for item in self.items[: self.index + 1])

    @property
    def in_main_block(self):
        return self.current is not None and self.current.holds_topics

    def rows(self):
        """Each item with its state for the agenda list: done, current or ahead."""
        for index, item in enumerate(self.items):
            if self.index is None:
                state = "done" if self.live.phase == Phase.CLOSED else "ahead"
            else:
                state = "done" if index < self.index else "current" if index == self.index else "ahead"
            yield {"item": item, "state": state, "spent": self.spent(item)}


def clock_for(live, now=None):
    items = list(live.items.all()) if live.pk and live.phase != Phase.WAITING else []
    if not items:  # not started: the plan is the meeting's agenda as it stands
        items = [
            LiveItem(
                pk=None,
                position=item.position,
                title=item.title,
                description=item.description,
                holds_topics=item.holds_topics,
                planned_minutes=item.minutes,
            )
            for item in live.meeting.agenda_items.all()
        ]
    return Clock(live, items, now or timezone.now())


# --- Telling followers ------------------------------------------------------------


def changed(meeting):
    """Something followers see changed (a dot, a gathered topic): their next poll gets it.

    Call inside the transaction that made the change.
    """
    meeting_id = getattr(meeting, "pk", meeting)
    if not LiveMeeting.objects.filter(pk=meeting_id).update(version=F("version") + 1):
        try:
            with transaction.atomic():
                LiveMeeting.objects.create(meeting_id=meeting_id, version=1)
        except IntegrityError:  # created by someone else a moment ago
            LiveMeeting.objects.filter(pk=meeting_id).update(version=F("version") + 1)
    forget_version(meeting_id)
    transaction.on_commit(lambda: forget_version(meeting_id))


# Followers poll every second. Each process remembers a meeting's version for up to
# VERSION_MEMO_SECONDS, so that an unchanged poll (a 304) needs no database round trip:
# a change made in this process is seen at once, one made in another within that bound
# (with the poll's second, inside the 2 s the page promises).
VERSION_MEMO_SECONDS = 0.5
VERSION_MEMO_SIZE = 1000  # meetings remembered per process; more and it starts again
_versions = {}


def version_row(meeting_id):
    """(updated_at, live version) of a meeting, None if there is no such meeting."""
    now = time.time()
    memo = _versions.get(meeting_id)
    if memo is not None and 0 <= now - memo[0] < VERSION_MEMO_SECONDS:
        return memo[1]
    row = Meeting.objects.filter(pk=meeting_id).values_list("updated_at", "live__version").first()
    if len(_versions) >= VERSION_MEMO_SIZE:
        _versions.clear()
    _versions[meeting_id] = (now, row)
    return row


def forget_version(meeting_id, **kwargs):
    """A change this process made or saw: the next poll reads the version again."""
    _versions.pop(meeting_id, None)


# --- The facilitator's moves --------------------------------------------------------


def _locked(meeting, step):
    """The meeting's live row, locked for this transaction, after checking the step the facilitator saw.

    Only moves between items pass a step: pressing "next" twice (or two people
    at once) must move once. Pause, resume, start and close are settled by the
    phase itself, and each "+5 minutes" pressed is five minutes more.
    """
    changed(meeting)  # makes sure the row exists; the version rises anyway
    live = LiveMeeting.objects.select_for_update().select_related("meeting").get(pk=meeting.pk)
    if live.meeting.is_cancelled:
        raise LiveError(_("This meeting is cancelled."))
    if live.phase == Phase.CLOSED:
        raise LiveError(_("This meeting is already closed."))
    if step is not None and step != live.step:
        raise LiveError(
            _(
                "Someone else changed the meeting a moment ago, so nothing was changed. Here is where it is now."
            )
        )
    return live


def _save(live, *fields):
    live.step += 1
    live.save(update_fields=["step", *fields])


def _finish_visit(live, now):
    """Add the current visit's seconds to its item's record."""
    if live.current_item_id is None or live.item_started_at is None:
        return
    clock = Clock(live, list(live.items.select_for_update()), now)
    if clock.current is None:
        return
    LiveItem.objects.filter(pk=clock.current.pk).update(
        actual_seconds=F("actual_seconds") + clock.visit_seconds(), last_ended_at=now
    )


def _enter(live, item, now):
    live.current_item = item
    live.item_started_at = now
    live.paused_at = None
    live.paused_seconds = 0
    live.phase = Phase.RUNNING
    LiveItem.objects.filter(pk=item.pk, first_started_at__isnull=True).update(first_started_at=now)


MOVE_FIELDS = ["current_item", "item_started_at", "paused_at", "paused_seconds", "phase"]


@transaction.atomic
def start(meeting, *, step=None, now=None):
    now = now or timezone.now()
    live = _locked(meeting, None)
    if live.phase != Phase.WAITING:
        raise LiveError(_("The meeting has already started."))
    agenda = list(meeting.agenda_items.all())
    if not agenda:
        raise LiveError(_("This meeting has no agenda to run."))
    LiveItem.objects.bulk_create(
        LiveItem(
            live=live,
            agenda_item=item,
            position=index,
            title=item.title,
            description=item.description,
            holds_topics=item.holds_topics,
            planned_minutes=item.minutes,
        )
        for index, item in enumerate(agenda)
    )
    _enter(live, live.items.order_by("position", "id").first(), now)
    live.started_at = now
    _save(live, "started_at", *MOVE_FIELDS)
    return live


def _move(meeting, offset, step, now):
    now = now or timezone.now()
    live = _locked(meeting, step)
    if not live.is_started:
        raise LiveError(_("Start the meeting first."))
    items = list(live.items.all())
    clock = Clock(live, items, now)
    target = (clock.index or 0) + offset
    if not 0 <= target < len(items):
        raise LiveError(
            _("This is the last item: close the meeting when it is over.")
            if offset > 0
            else _("This is the first item.")
        )
    _finish_visit(live, now)
    _enter(live, items[target], now)
    _save(live, *MOVE_FIELDS)
    return live


@transaction.atomic
def next_item(meeting, *, step=None, now=None):
    return _move(meeting, +1, step, now)


@transaction.atomic
def previous_item(meeting, *, step=None, now=None):
    return _move(meeting, -1, step, now)


@transaction.atomic
def pause(meeting, *, step=None, now=None):
    live = _locked(meeting, None)
    if live.phase != Phase.RUNNING:
        raise LiveError(_("The meeting is not running."))
    live.phase = Phase.PAUSED
    live.paused_at = now or timezone.now()
    _save(live, "phase", "paused_at")
    return live


@transaction.atomic
def resume(meeting, *, step=None, now=None):
    now = now or timezone.now()
    live = _locked(meeting, None)
    if live.phase != Phase.PAUSED:
        raise LiveError(_("The meeting is not paused."))
    live.paused_seconds += max(0, int((now - live.paused_at).total_seconds()))
    live.paused_at = None
    live.phase = Phase.RUNNING
    _save(live, "phase", "paused_at", "paused_seconds")
    return live


@transaction.atomic
def extend(meeting, *, step=None, now=None, minutes=EXTEND_MINUTES):
    live = _locked(meeting, None)
    if not live.is_started or live.current_item_id is None:
        raise LiveError(_("Start the meeting first."))
    limit = LiveItem.MAX_EXTRA_MINUTES - minutes
    if not LiveItem.objects.filter(pk=live.current_item_id, extra_minutes__lte=limit).update(
        extra_minutes=F("extra_minutes") + minutes
    ):
        raise LiveError(
            _("This item already has %(minutes)s extra minutes; that is the most it can get.")
            % {"minutes": LiveItem.MAX_EXTRA_MINUTES}
        )
    _save(live)
    return live


@transaction.atomic
def close(meeting, *, step=None, now=None):
    now = now or timezone.now()
    live = _locked(meeting, None)
    _finish_visit(live, now)
    live.phase = Phase.CLOSED
    live.closed_at = now
    live.current_item = None
    live.item_started_at = live.paused_at = None
    live.paused_seconds = 0
    _save(live, "phase", "closed_at", "current_item", "item_started_at", "paused_at", "paused_seconds")
    return live


ACTIONS = {
    "start": start,
    "next": next_item,
    "previous": previous_item,
    "pause": pause,
    "resume": resume,
    "extend": extend,
    "close": close,
}


# --- The pacing record ------------------------------------------------------------


def pacing(meeting):
    """The closed meeting's items with planned and actual minutes, or [] if it never ran live."""
    state = live_of(meeting)
    if state.phase != Phase.CLOSED:
        return []
    return [item for item in state.items.all() if item.first_started_at is not None]


def pacing_markdown(items):
    """The record as Markdown: a starting point for the meeting's notes."""
    lines = [_("Pacing (planned and actual minutes):"), ""]
    for item in items:
        planned = item.planned_minutes + item.extra_minutes
        line = _("- %(title)s: %(actual)s of %(planned)s minutes") % {
            "title": item.title,
            "actual": item.actual_minutes,
            "planned": planned,
        }
        if item.extra_minutes:
            line += " " + _("(%(extra)s added during the meeting)") % {"extra": item.extra_minutes}
        lines.append(line)
    return "\n".join(lines) + "\n"
