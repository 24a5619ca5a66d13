"""The topics app's receivers: keeping topics true when rows they depend on are deleted, topics in
the weekly digest and the live meeting page, and a member's topics in "download my data" and erasing."""

from django.conf import settings
from django.db.models import Min
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings import live
from meetings.live import collect_live_panels
from meetings.models import Meeting
from meetings.sections import collect_meeting_sections
from meetings.signals import meeting_cancelled
from members.digest import Section
from members.signals import collect_digest_sections, collect_personal_data, erase_personal_data
from solidarityclub import pagecache

from . import backlog, decisions, live_panels, meeting_sections, personal_data
from .models import DotVote, Status, Topic, TopicEvent

DIGEST_TOPICS = 5


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="topics_forget_supports")
def forget_supports(sender, instance, **kwargs):
    # The member's Support rows are deleted with the account; the counts must drop with them.
    backlog.forget_supports_of(instance)


@receiver(pre_delete, sender=Meeting, dispatch_uid="topics_return_gathered")
def return_gathered_topics(sender, instance, **kwargs):
    backlog.return_all_gathered(instance, backlog.DELETED)


@receiver(meeting_cancelled, dispatch_uid="topics_return_when_cancelled")
def return_topics_of_cancelled_meeting(sender, meeting, **kwargs):
    # Inside Meeting.cancel()'s transaction: the proposers' emails are queued with it.
    backlog.return_all_gathered(meeting, backlog.CANCELLED, notify=True)


@receiver(collect_personal_data, dispatch_uid="topics_decisions_personal_data")
def decisions_personal_data(sender, user, **kwargs):
    return {"decisions": decisions.personal_data(user)}


@receiver(erase_personal_data, dispatch_uid="topics_decisions_erase")
def erase_decisions_data(sender, user, **kwargs):
    decisions.erase(user)


@receiver(collect_digest_sections, dispatch_uid="topics_digest_waiting")
def digest_waiting_for_support(sender, user, since, now, absolute_url, **kwargs):
    """Open topics this member neither proposed nor supports, most supported first."""
    waiting = Topic.objects.backlog().exclude(proposer=user).exclude(supports__user=user)
    shown = list(waiting.select_related("proposer")[:DIGEST_TOPICS])
    if not shown:
        return None
    return Section(
        key="topics",
        order=30,
        title=_("Topics waiting for support"),
        template="topics/digest/_waiting",
        items=[{"topic": topic, "url": absolute_url(topic.get_absolute_url())} for topic in shown],
        total=waiting.count() if len(shown) == DIGEST_TOPICS else len(shown),
        url=absolute_url(reverse("topics:list")),
        url_label=_("See all topics"),
    )


@receiver(collect_digest_sections, dispatch_uid="topics_digest_mine")
def digest_my_gathered_topics(sender, user, since, now, absolute_url, **kwargs):
    """The news a member would otherwise get by email: their topics gathered into a meeting."""
    all_gathered = Topic.objects.filter(
        proposer=user, status=Status.GATHERED, gathered_at__gt=since, gathered_at__lte=now
    )
    gathered = list(all_gathered.select_related("meeting").order_by("gathered_at", "id")[:DIGEST_TOPICS])
    if not gathered:
        return None
    return Section(
        key="my-topics",
        order=25,
        title=_("Your topics on an agenda"),
        template="topics/digest/_gathered",
        items=[
            {
                "topic": topic,
                "url": absolute_url(topic.get_absolute_url()),
                "meeting_url": absolute_url(topic.meeting.get_absolute_url()) if topic.meeting else "",
            }
            for topic in gathered
        ],
        total=all_gathered.count() if len(gathered) == DIGEST_TOPICS else len(gathered),
    )


@receiver(collect_digest_sections, dispatch_uid="topics_digest_decisions")
def digest_open_decisions(sender, user, since, now, absolute_url, **kwargs):
    """Decisions open for votes that this member has not voted in yet, closing soonest first."""
    from .decision_models import Decision
    from .decision_models import Status as DecisionStatus

    waiting = (
        Decision.objects.filter(status=DecisionStatus.OPEN, closes_at__gt=now)
        .exclude(participations__user=user)
        .order_by("closes_at", "pk")
    )
    shown = list(waiting[:DIGEST_TOPICS])
    if not shown:
        return None
    return Section(
        key="decisions",
        order=20,
        title=_("Decisions open for your vote"),
        template="topics/digest/_decisions",
        items=[
            {"decision": decision, "url": absolute_url(decision.get_absolute_url())} for decision in shown
        ],
        total=waiting.count() if len(shown) == DIGEST_TOPICS else len(shown),
        url=absolute_url(reverse("decisions:list")),
        url_label=_("See all decisions"),
    )


@receiver(collect_digest_sections, dispatch_uid="topics_digest_returned")
def digest_my_returned_topics(sender, user, since, now, absolute_url, **kwargs):
    """The other topic news: this member's topics that came back to the backlog (the email they would get)."""
    # One line a topic, however often it came back: the first return of each orders them.
    returned = (
        Topic.objects.filter(
            proposer=user,
            status=Status.OPEN,
            events__kind=TopicEvent.Kind.RETURNED,
            events__created_at__gt=since,
            events__created_at__lte=now,
        )
        .annotate(returned_at=Min("events__created_at"))
        .order_by("returned_at", "id")
    )
    topics = list(returned[:DIGEST_TOPICS])
    if not topics:
        return None
    return Section(
        key="my-returned-topics",
        order=26,
        title=_("Your topics back in the backlog"),
        template="topics/digest/_returned",
        items=[{"topic": topic, "url": absolute_url(topic.get_absolute_url())} for topic in topics],
        # Counted as topics, not returns: one that came back three times is one more.
        total=returned.count() if len(topics) == DIGEST_TOPICS else len(topics),
    )


@receiver(collect_personal_data, dispatch_uid="topics_personal_data")
def export_personal_data(sender, user, **kwargs):
    return personal_data.export(user)


@receiver(erase_personal_data, dispatch_uid="topics_forget_member")
def forget_member(sender, user, **kwargs):
    personal_data.forget(user)


@receiver(post_save, sender=Topic, dispatch_uid="topics_live_topic_saved")
def tell_live_meetings_showing(sender, instance, **kwargs):
    """A topic edited (in the admin, by its proposer) while a live page shows it: on the ballot of
    an open dot-vote, or gathered into a meeting. Its followers see the new text at their next poll."""
    meetings = set(
        DotVote.objects.filter(closed_at__isnull=True, candidates=instance).values_list(
            "meeting_id", flat=True
        )
    )
    if instance.meeting_id:
        meetings.add(instance.meeting_id)
    for meeting_id in meetings:
        live.changed(meeting_id)


@receiver(collect_live_panels, dispatch_uid="topics_live_dot_vote")
def dot_vote_panel(sender, request, meeting, live, user, clock, **kwargs):
    return live_panels.dot_vote_panel(request=request, meeting=meeting, live=live, user=user, clock=clock)


@receiver(collect_live_panels, dispatch_uid="topics_live_agenda_topics")
def agenda_topics_panel(sender, meeting, clock, **kwargs):
    return live_panels.agenda_topics_panel(meeting=meeting, clock=clock)


@receiver(collect_live_panels, dispatch_uid="topics_live_decisions")
def decisions_panel(sender, meeting, user, **kwargs):
    return live_panels.decisions_panel(meeting=meeting, user=user)


@receiver(collect_meeting_sections, dispatch_uid="topics_meeting_sections")
def meeting_section(sender, place, **kwargs):
    return meeting_sections.meeting_section(sender, place, **kwargs)


@pagecache.changes_with_the_clock("topics")
def decision_moments(now, until):
    """When a decision stops taking votes with the clock alone: its closing time."""
    from .decision_models import Decision
    from .decision_models import Status as DecisionStatus

    closing = Decision.objects.filter(status=DecisionStatus.OPEN, closes_at__gt=now, closes_at__lte=until)
    return list(closing.values_list("closes_at", flat=True))
