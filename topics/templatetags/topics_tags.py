from django import template

from members.standing import is_organizer, may_take_part
from topics.backlog import may_gather

register = template.Library()


@register.simple_tag
def may_gather_topics(user, meeting):
    """{% may_gather_topics user meeting as can_gather %}: may this person run the meeting's agenda?"""
    return may_gather(user, meeting)


@register.filter
def on_agenda(topics):
    """The gathered and discussed topics, in agenda order, from an already fetched list."""
    shown = [topic for topic in topics if topic.status in ("gathered", "discussed")]
    return sorted(shown, key=lambda topic: (topic.agenda_position, topic.pk))


@register.inclusion_tag("topics/decisions/_meeting_decisions.html", takes_context=True)
def meeting_decisions(context, meeting):
    """{% meeting_decisions meeting %}: the decisions opened for a meeting, for members (one query).

    The meeting page and the live meeting page show it; visitors see nothing,
    as the register is for members.
    """
    from topics import decisions
    from topics.decision_models import Decision, Status

    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {"show": False}
    rows = [
        {"decision": decision, "summary": decisions.summary(decision.result) if decision.is_counted else ""}
        for decision in Decision.objects.filter(
            meeting=meeting, status__in=[Status.OPEN, Status.CLOSED, Status.DECIDED]
        ).order_by("created_at", "pk")
    ]
    may_open = may_take_part(user) and is_organizer(user)
    return {"show": bool(rows) or may_open, "rows": rows, "may_open": may_open, "meeting": meeting}
