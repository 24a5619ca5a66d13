"""What topics adds to the live meeting page (meetings.live.collect_live_panels).

During intro and check-in: the dot-vote on the backlog (the facilitator's form to
open it, then the ballot with everyone's totals, then the ranking). In the main
block: the topics gathered into it, with their minutes.
"""

from meetings.live import LivePanel, may_facilitate
from members.standing import may_take_part

from . import decisions, dotvote
from .forms import DotVoteForm
from .models import Status


def dot_vote_panel(*, request, meeting, live, user, clock):
    vote = dotvote.vote_of(meeting)
    facilitating = may_facilitate(user, meeting)
    if vote is None:
        if facilitating and clock.is_before_main_block:
            # A refused form comes back with what was typed and its errors (live_views.open_vote).
            form = getattr(request, "dot_vote_form", None) or DotVoteForm()
            return LivePanel("dotvote", "topics/_live_dotvote.html", {"vote": None, "form": form}, order=10)
        return None
    if not vote.is_open and not clock.is_before_main_block:
        return None  # the ranking went to the gather page; the main block shows its topics
    rows = dotvote.results(vote, user)
    used = sum(row.mine for row in rows)
    return LivePanel(
        "dotvote",
        "topics/_live_dotvote.html",
        {
            "vote": vote,
            "rows": rows,
            "used": used,
            "dots_left": max(0, vote.dots_per_member - used),
            "may_vote": may_take_part(user) and vote.is_open,
            "facilitating": facilitating,
        },
        order=10,
    )


def agenda_topics_panel(*, meeting, clock):
    if not clock.in_main_block:
        return None
    topics = (
        meeting.gathered_topics.filter(status__in=[Status.GATHERED, Status.DISCUSSED])
        .select_related("proposer")
        .order_by("agenda_position", "id")
    )
    return LivePanel("topics", "topics/_live_topics.html", {"topics": list(topics)}, order=20)


def decisions_panel(*, meeting, user):
    """The meeting's decisions, as on its page: open ones with a link to vote, decided ones with the outcome."""
    context = decisions.meeting_panel(meeting, user)
    if not context["show"]:
        return None
    return LivePanel("decisions", "topics/decisions/_meeting_decisions.html", context, order=30)
