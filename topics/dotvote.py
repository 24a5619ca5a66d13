"""The live dot-vote at check-in: open it on the backlog, move dots, close it, hand the ranking to gathering.

Each member in good standing gets the vote's dots (3 by default, at most 2 on one
topic) and may move them until the facilitator closes the vote. Every change
locks the vote's row, so a member's budget holds even when they click twice or
from two devices, and tells the live page's followers (meetings.live.changed).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import live
from meetings.models import Meeting

from .models import Dot, DotVote, DotVoteCandidate, Status, Topic

BALLOT_SIZE = 20


class DotVoteError(Exception):
    """The dot cannot move or the vote cannot change; the message says why, for the person."""


@dataclass
class Result:
    topic: Topic
    dots: int = 0
    voters: int = 0
    mine: int = 0


def vote_of(meeting):
    return DotVote.objects.filter(meeting=meeting).first()


@transaction.atomic
def open_vote(meeting, actor, *, dots_per_member=3, max_per_topic=2, minutes_per_topic=20, now=None):
    """Open the dot-vote on the backlog's most supported open topics (the ballot)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise DotVoteError(_("This meeting is cancelled."))
    if DotVote.objects.filter(meeting=meeting).exists():
        raise DotVoteError(_("This meeting already has its dot-vote."))
    clock = live.clock_for(live.live_of(meeting), now)
    if clock.live.phase == clock.live.Phase.CLOSED or not clock.is_before_main_block:
        raise DotVoteError(_("The dot-vote happens during intro and check-in, before the main block."))
    ballot = list(Topic.objects.backlog()[:BALLOT_SIZE])
    if not ballot:
        raise DotVoteError(_("The backlog is empty: there is nothing to vote on."))
    vote = DotVote(
        meeting=meeting,
        opened_by=actor,
        dots_per_member=dots_per_member,
        max_per_topic=max_per_topic,
        minutes_per_topic=minutes_per_topic,
    )
    vote.full_clean()
    vote.save()
    DotVoteCandidate.objects.bulk_create(
        DotVoteCandidate(vote=vote, topic=topic, position=position) for position, topic in enumerate(ballot)
    )
    live.changed(meeting)
    return vote


@transaction.atomic
def set_dots(vote, user, topic_id, count):
    """Put this member's dots on a topic to `count` (one more or one fewer than the page showed).

    Asking for the count rather than "one more" makes a double submit harmless:
    the second request finds the count already there and changes nothing.
    """
    vote = DotVote.objects.select_for_update().get(pk=vote.pk)
    if not vote.is_open:
        raise DotVoteError(_("The dot-vote is closed."))
    if not DotVoteCandidate.objects.filter(vote=vote, topic_id=topic_id).exists():
        raise DotVoteError(_("That topic is not on this dot-vote."))
    mine = {dot.topic_id: dot for dot in Dot.objects.filter(vote=vote, user=user)}
    current = mine.get(topic_id)
    before = current.count if current else 0
    if count == before:
        return count
    if count > vote.max_per_topic:
        raise DotVoteError(_("At most %(cap)s dots on one topic.") % {"cap": vote.max_per_topic})
    used = sum(dot.count for dot in mine.values())
    if used - before + count > vote.dots_per_member:
        raise DotVoteError(
            _("You have placed all your %(dots)s dots; take one back to move it.")
            % {"dots": vote.dots_per_member}
        )
    if count == 0:
        current.delete()
    elif current is not None:
        Dot.objects.filter(pk=current.pk).update(count=count, updated_at=timezone.now())
    else:
        Dot.objects.create(vote=vote, user=user, topic_id=topic_id, count=count)
    live.changed(vote.meeting_id)
    return count


def move_dot(vote, user, topic_id, delta):
    """One dot more (delta=+1) or one fewer (delta=-1) on a topic."""
    current = (
        Dot.objects.filter(vote=vote, user=user, topic_id=topic_id).values_list("count", flat=True).first()
        or 0
    )
    if current + delta < 0:
        raise DotVoteError(_("You have no dot on this topic."))
    return set_dots(vote, user, topic_id, current + delta)


@transaction.atomic
def close_vote(vote):
    if not DotVote.objects.filter(pk=vote.pk, closed_at__isnull=True).update(closed_at=timezone.now()):
        raise DotVoteError(_("The dot-vote is already closed."))
    live.changed(vote.meeting_id)


def results(vote, user=None):
    """The ballot, most dots first; ties go to the backlog's order (support, then age)."""
    totals = {
        row["topic"]: row
        for row in Dot.objects.filter(vote=vote)
        .values("topic")
        .annotate(dots=Sum("count"), voters=Count("user", distinct=True))
    }
    mine = {}
    if user is not None and user.is_authenticated:
        mine = dict(Dot.objects.filter(vote=vote, user=user).values_list("topic", "count"))
    rows = [
        Result(
            topic=row.topic,
            dots=totals.get(row.topic_id, {}).get("dots", 0),
            voters=totals.get(row.topic_id, {}).get("voters", 0),
            mine=mine.get(row.topic_id, 0),
        )
        for row in vote.candidate_rows.select_related("topic")
    ]
    rows.sort(key=lambda r: (-r.dots, -r.topic.support_count, r.topic.created_at, r.topic.pk))
    return rows


def handover(meeting, minutes_left):
    """What the gather page pre-picks after a closed vote: {topic id: minutes}, in ranked order.

    Topics with at least one dot, still in the backlog, each with the vote's minutes
    per topic, taken in order while they fit in the main block's minutes left.
    """
    vote = vote_of(meeting)
    if vote is None or vote.is_open:
        return {}
    picks = {}
    for row in results(vote):
        if row.dots == 0 or row.topic.status != Status.OPEN:
            continue
        minutes = vote.minutes_per_topic
        if minutes > minutes_left:
            break
        picks[row.topic.pk] = minutes
        minutes_left -= minutes
    return picks


def ranked_open_topics(meeting):
    """A closed vote's ranking, for the gather page: topics with dots that are still in the backlog."""
    vote = vote_of(meeting)
    if vote is None or vote.is_open:
        return []
    return [row for row in results(vote) if row.dots and row.topic.status == Status.OPEN]
