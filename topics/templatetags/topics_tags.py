from django import template

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
    """{% meeting_decisions meeting %}: the decisions opened for a meeting, for members (one query)."""
    from topics import decisions

    request = context.get("request")
    return decisions.meeting_panel(meeting, getattr(request, "user", None))


@register.simple_tag
def returned_topics(meeting):
    """{% returned_topics meeting as returned %}: topics that left this meeting's agenda for the backlog."""
    from topics.models import TopicEvent

    events = TopicEvent.objects.filter(meeting=meeting, kind=TopicEvent.Kind.RETURNED).select_related("topic")
    return [event.topic for event in events.order_by("created_at", "id")]


@register.simple_tag
def open_topic_count():
    """{% open_topic_count as count %}: topics in the backlog, waiting for support."""
    from solidarityclub.pagecache import cached
    from topics.models import Topic

    return cached("topics:open-count", ["topics"], [], lambda: Topic.objects.backlog().count())
