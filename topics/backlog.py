"""Work on the backlog that touches several rows: each function is one transaction.

Races are settled by the database: the unique Support row, conditional
UPDATEs (`... WHERE status = 'open'`, then a rows-affected check) and row locks
on the meeting being gathered into.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext

from meetings import live
from meetings.models import Meeting
from members import email_kinds
from members.standing import is_organizer, may_take_part
from solidarityclub.emails import absolute_url, language_for, send_email, send_email_after_commit
from solidarityclub.times import format_when

from .models import ReturnedBecause, Status, Support, Topic, TopicEvent

Kind = TopicEvent.Kind


class BacklogError(Exception):
    """Something the person asked for cannot happen; the message says why, for them."""


# --- Support ------------------------------------------------------------------


def add_support(topic, user):
    """Support a topic; True if a support was really added (a repeat adds nothing)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                Support.objects.create(topic=topic, user=user)
        except IntegrityError:
            return False
        Topic.objects.filter(pk=topic.pk).update(support_count=F("support_count") + 1)
    return True


def remove_support(topic, user):
    """Take support back; True if a support was really removed."""
    with transaction.atomic():
        deleted, _ = Support.objects.filter(topic=topic, user=user).delete()
        if deleted:
            Topic.objects.filter(pk=topic.pk).update(support_count=F("support_count") - 1)
    return bool(deleted)


def recount_supports(topics):
    for topic in topics:
        topic.support_count = Support.objects.filter(topic=topic).count()
        Topic.objects.filter(pk=topic.pk).update(support_count=topic.support_count)


def forget_supports_of(user):
    """Before a member's account is deleted: their supports go, so the counts must drop."""
    Topic.objects.filter(supports__user=user).update(support_count=F("support_count") - 1)


# --- Proposing, editing, withdrawing ---------------------------------------------


def record(topic, kind, actor=None, **fields):
    return TopicEvent.objects.create(topic=topic, kind=kind, actor=actor, **fields)


@transaction.atomic
def propose(topic, user):
    """Save a new topic; IntegrityError if an open topic took the title meanwhile."""
    topic.proposer = user
    topic.status = Status.OPEN
    with transaction.atomic():
        topic.save()
    record(topic, Kind.PROPOSED, user)
    return topic


@transaction.atomic
def save_edit(topic, user):
    with transaction.atomic():
        topic.save()
    record(topic, Kind.EDITED, user)
    return topic


@transaction.atomic
def withdraw(topic, user):
    changed = Topic.objects.filter(pk=topic.pk, status=Status.OPEN).update(
        status=Status.WITHDRAWN, updated_at=timezone.now()
    )
    if not changed:
        raise BacklogError(gettext("This topic has already left the backlog."))
    topic.status = Status.WITHDRAWN
    record(topic, Kind.WITHDRAWN, user)


# --- Gathering ------------------------------------------------------------------


def may_gather(user, meeting):
    """Organizers and the meeting's own facilitator run its agenda, if not on a break."""
    if not may_take_part(user):
        return False
    return is_organizer(user) or (meeting.facilitator_id is not None and meeting.facilitator_id == user.pk)


def main_block(meeting):
    """The agenda item that gathered topics go into (the 60-minute 'Meeting' block)."""
    return meeting.agenda_items.filter(holds_topics=True).order_by("position", "id").first()


def on_agenda(meeting):
    """The topics gathered into a meeting (discussed ones too), in agenda order."""
    return list(meeting.gathered_topics.select_related("proposer").order_by("agenda_position", "id"))


def minutes_left(block, agenda):
    """The minutes of the main `block` (None: there is none) that the topics on the `agenda` leave."""
    return (block.minutes if block else 0) - sum(topic.gathered_minutes or 0 for topic in agenda)


def minutes_taken(meeting):
    taken = meeting.gathered_topics.filter(status__in=[Status.GATHERED, Status.DISCUSSED]).aggregate(
        total=Sum("gathered_minutes")
    )["total"]
    return taken or 0


@dataclass
class Pick:
    topic_id: int
    minutes: int


def meeting_page_path(meeting):
    try:
        return reverse("meetings:detail", args=[meeting.pk])
    except NoReverseMatch:  # until the meetings app serves its detail page
        return reverse("topics:gather", args=[meeting.pk])


def gather(meeting, picks, actor, *, request=None, notify=True):
    """Put the picked topics into the meeting's main block, all or none.

    Raises BacklogError when the block would overflow or a topic is no longer
    open (for instance because another organizer gathered it a moment ago).
    The emails' links are built from `request` (settings.SITE_URL without one); the
    proposers hear about it unless `notify` is off (demo content).
    """
    if not picks:
        raise BacklogError(gettext("Pick at least one topic."))
    with transaction.atomic():
        # One gathering per meeting at a time, so the minutes left stay true.
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        block = main_block(meeting)
        if block is None:
            raise BacklogError(gettext("This meeting's agenda has no main block to gather topics into."))
        if meeting.status == Meeting.Status.CANCELLED:
            raise BacklogError(gettext("This meeting is cancelled."))
        left = block.minutes - minutes_taken(meeting)
        wanted = sum(pick.minutes for pick in picks)
        if wanted > left:
            raise BacklogError(
                gettext(
                    "That is %(wanted)s minutes, but only %(left)s of the %(minutes)s minutes "
                    "in “%(block)s” are left. Give fewer minutes or pick fewer topics."
                )
                % {"wanted": wanted, "left": left, "minutes": block.minutes, "block": block.title}
            )
        ids = [pick.topic_id for pick in picks]
        locked = Topic.objects.select_for_update(of=("self",)).select_related("meeting", "proposer")
        topics = {topic.pk: topic for topic in locked.filter(pk__in=ids)}
        problems = []
        for pick in picks:
            topic = topics.get(pick.topic_id)
            if topic is None:
                problems.append(gettext("One of the picked topics no longer exists."))
            elif topic.status == Status.GATHERED and topic.meeting_id:
                problems.append(
                    gettext("“%(topic)s” was already gathered into %(meeting)s.")
                    % {"topic": topic, "meeting": _meeting_name(topic.meeting_id)}
                )
            elif topic.status != Status.OPEN:
                problems.append(
                    gettext("“%(topic)s” is no longer in the backlog (%(status)s).")
                    % {"topic": topic, "status": topic.get_status_display().lower()}
                )
        if problems:
            raise BacklogError(" ".join(problems))
        now = timezone.now()
        already = meeting.gathered_topics.count()
        for position, pick in enumerate(picks, start=already + 1):
            # The WHERE status='open' is what makes two gatherings at once safe:
            # the second one finds the row already taken and changes nothing.
            changed = Topic.objects.filter(pk=pick.topic_id, status=Status.OPEN).update(
                status=Status.GATHERED,
                meeting=meeting,
                gathered_minutes=pick.minutes,
                gathered_at=now,
                agenda_position=position,
                updated_at=now,
            )
            if not changed:
                taken = Topic.objects.filter(pk=pick.topic_id).values_list("meeting_id", flat=True).first()
                topic = topics[pick.topic_id]
                if taken:
                    text = gettext("“%(topic)s” was gathered into %(meeting)s by someone else a moment ago.")
                else:
                    text = gettext("“%(topic)s” was gathered by someone else a moment ago.")
                raise BacklogError(text % {"topic": topic, "meeting": _meeting_name(taken) if taken else ""})
            topic = topics[pick.topic_id]
            record(topic, Kind.GATHERED, actor, meeting=meeting, minutes=pick.minutes)
            if notify:
                _tell_proposer(topic, meeting, pick.minutes, request)
        live.changed(meeting)  # the live page's main block shows the gathered topics
    return [topics[pick.topic_id] for pick in picks]


def _meeting_name(meeting_id):
    """A meeting named by title and date, read afresh: a row locked a moment ago may show a stale join."""
    meeting = Meeting.objects.filter(pk=meeting_id).only("title", "starts_at").first()
    if meeting is None:
        return gettext("another meeting")
    return gettext("“%(title)s” (%(when)s)") % {
        "title": meeting.title,
        "when": format_when(meeting.starts_at),
    }


def _tell_proposer(topic, meeting, minutes, request):
    proposer = topic.proposer
    # A member who chose the weekly digest hears of topics there instead.
    if (
        proposer is None
        or not may_take_part(proposer)
        or not email_kinds.gets_separately(proposer, "topic-news")
    ):
        return
    send_email_after_commit(
        "topics/emails/gathered",
        [proposer.email],
        {
            "topic": topic,
            "meeting": meeting,
            "minutes": minutes,
            "proposer": proposer,
            "time_zone": proposer.display_zone,
            "topic_url": absolute_url(topic.get_absolute_url(), request=request),
            "meeting_url": absolute_url(meeting_page_path(meeting), request=request),
            "settings_url": absolute_url(reverse("members:settings"), request=request),
        },
        unsubscribe=email_kinds.unsubscribe(proposer, "topic-news"),
        language=language_for(proposer),
    )


# --- After the meeting ------------------------------------------------------------


def last_meeting_of(topic):
    """The meeting a topic was last gathered into, also once it has left that agenda (or None)."""
    event = (
        TopicEvent.objects.filter(topic=topic, kind__in=[Kind.GATHERED, Kind.RETURNED, Kind.DISCUSSED])
        .exclude(meeting=None)
        .select_related("meeting")
        .order_by("-created_at", "-id")
        .first()
    )
    return event.meeting if event else None


@transaction.atomic
def mark_discussed(topic, actor, note=""):
    changed = Topic.objects.filter(pk=topic.pk, status=Status.GATHERED).update(
        status=Status.DISCUSSED, discussed_note=note, updated_at=timezone.now()
    )
    if not changed:
        raise BacklogError(gettext("Only a gathered topic can be marked discussed."))
    record(topic, Kind.DISCUSSED, actor, meeting=topic.meeting, note=note)
    if topic.meeting_id:
        live.changed(topic.meeting_id)


@transaction.atomic
def return_to_backlog(topic, actor):
    """Back into the backlog with its supports intact."""
    meeting = topic.meeting
    try:
        with transaction.atomic():
            changed = Topic.objects.filter(pk=topic.pk, status=Status.GATHERED).update(
                status=Status.OPEN,
                meeting=None,
                gathered_minutes=None,
                gathered_at=None,
                agenda_position=0,
                updated_at=timezone.now(),
            )
    except IntegrityError:
        raise BacklogError(
            gettext("Another open topic is already called “%(topic)s”; merge the two instead.")
            % {"topic": topic}
        ) from None
    if not changed:
        current = Topic.objects.filter(pk=topic.pk).values_list("status", flat=True).first()
        if current == Status.OPEN:
            raise BacklogError(gettext("“%(topic)s” is already back in the backlog.") % {"topic": topic})
        raise BacklogError(gettext("Only a gathered topic can go back to the backlog."))
    record(topic, Kind.RETURNED, actor, meeting=meeting)
    if meeting is not None:
        live.changed(meeting)


def return_all_gathered(meeting, note, *, notify=False):
    """The topics still gathered into a meeting go back to the backlog, supports intact.

    For a meeting that is deleted, cancelled or over without them being
    discussed. The history line says why, with the meeting's title (the meeting row may be
    about to go). Proposers hear about it when `notify` is on. Returns the topics.
    """
    meeting_id = None if note == DELETED else meeting.pk
    returned = []
    for topic in meeting.gathered_topics.filter(status=Status.GATHERED).select_related("proposer"):
        values = {"meeting": None, "gathered_minutes": None, "gathered_at": None, "agenda_position": 0}
        values["updated_at"] = timezone.now()
        try:
            with transaction.atomic():
                changed = Topic.objects.filter(pk=topic.pk, status=Status.GATHERED).update(
                    status=Status.OPEN, **values
                )
        except IntegrityError:
            # An open topic took the same title meanwhile: this one steps aside.
            changed = Topic.objects.filter(pk=topic.pk, status=Status.GATHERED).update(
                status=Status.WITHDRAWN, **values
            )
        if not changed:
            continue  # marked discussed or returned a moment ago
        record(
            topic, Kind.RETURNED, meeting_id=meeting_id, returned_because=note, meeting_title=meeting.title
        )
        returned.append(topic)
        if notify:
            _tell_proposer_returned(topic, meeting, note)
    return returned


# Why topics went back (the history says it in each reader's language: TopicEvent.note_shown).
DELETED = ReturnedBecause.DELETED
CANCELLED = ReturnedBecause.CANCELLED
NOT_DISCUSSED = ReturnedBecause.NOT_DISCUSSED


def _tell_proposer_returned(topic, meeting, note):
    proposer = topic.proposer
    # A digest reader reads it in the digest (topics.receivers.digest_my_returned_topics).
    if (
        proposer is None
        or not may_take_part(proposer)
        or not email_kinds.gets_separately(proposer, "topic-news")
    ):
        return
    send_email(
        "topics/emails/returned",
        [proposer.email],
        {
            "topic": topic,
            "meeting": meeting,
            "cancelled": note == CANCELLED,
            "proposer": proposer,
            "time_zone": proposer.display_zone,
            "topic_url": absolute_url(topic.get_absolute_url()),
            "backlog_url": absolute_url(reverse("topics:list")),
            "settings_url": absolute_url(reverse("members:settings")),
        },
        unsubscribe=email_kinds.unsubscribe(proposer, "topic-news"),
        language=language_for(proposer),
    )


def return_stranded(now=None):
    """Topics still gathered into meetings that are over go back to the backlog; returns them.

    `manage.py return_stranded_topics` (the scheduler) runs it: what was not
    marked discussed was not discussed, and waits in the backlog again.
    """
    now = now or timezone.now()
    meetings = Meeting.objects.filter(ends_at__lte=now, gathered_topics__status=Status.GATHERED).distinct()
    returned = []
    for meeting in meetings:
        with transaction.atomic():
            returned += return_all_gathered(meeting, NOT_DISCUSSED, notify=True)
    return returned


# --- Moderation -------------------------------------------------------------------


@transaction.atomic
def hide(topic, actor, reason):
    meeting = topic.meeting
    Topic.objects.filter(pk=topic.pk).update(
        status=Status.HIDDEN,
        hidden_reason=reason,
        meeting=None,
        gathered_minutes=None,
        gathered_at=None,
        updated_at=timezone.now(),
    )
    record(topic, Kind.HIDDEN, actor, note=reason, meeting=meeting)


@transaction.atomic
def show_again(topic, actor):
    """Back into the backlog; refused if an open topic now has the same title."""
    try:
        with transaction.atomic():
            changed = Topic.objects.filter(pk=topic.pk, status=Status.HIDDEN).update(
                status=Status.OPEN, updated_at=timezone.now()
            )
    except IntegrityError:
        raise BacklogError(
            gettext("An open topic is already called “%(topic)s”.") % {"topic": topic}
        ) from None
    if not changed:
        raise BacklogError(gettext("“%(topic)s” is not hidden.") % {"topic": topic})
    record(topic, Kind.SHOWN, actor)


MERGEABLE = [Status.OPEN, Status.HIDDEN, Status.WITHDRAWN]


@transaction.atomic
def merge(sources, target, actor):
    """Merge duplicate topics into `target`: supports move over, nobody is counted twice."""
    target = Topic.objects.select_for_update().get(pk=target.pk)
    if target.status not in (Status.OPEN, Status.GATHERED):
        raise BacklogError(
            gettext("“%(topic)s” is %(status)s; merge into an open topic.")
            % {"topic": target, "status": target.get_status_display().lower()}
        )
    sources = list(Topic.objects.select_for_update().filter(pk__in=[s.pk for s in sources]).order_by("pk"))
    for source in sources:
        if source.pk == target.pk:
            raise BacklogError(gettext("“%(topic)s” cannot be merged into itself.") % {"topic": source})
        if source.status not in MERGEABLE:
            raise BacklogError(
                gettext("“%(topic)s” is %(status)s and cannot be merged.")
                % {"topic": source, "status": source.get_status_display().lower()}
            )
    for source in sources:
        # Whoever already supports the target keeps that one support; the rest move over.
        Support.objects.filter(
            topic=source, user__in=Support.objects.filter(topic=target).values("user")
        ).delete()
        Support.objects.filter(topic=source).update(topic=target)
        Topic.objects.filter(merged_into=source).update(merged_into=target)
        # A hidden or withdrawn duplicate stays out of sight: only an open one becomes "merged"
        # (which members see), and the target's history does not name it.
        hidden = source.status != Status.OPEN
        Topic.objects.filter(pk=source.pk).update(
            status=source.status if hidden else Status.MERGED,
            merged_into=target,
            support_count=0,
            updated_at=timezone.now(),
        )
        record(source, Kind.MERGED, actor, other_topic=target)
        record(target, Kind.ABSORBED, actor, other_topic=None if hidden else source)
    recount_supports([target])
    return target
