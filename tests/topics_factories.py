"""Helpers for the topics tests: meetings with the standard agenda, topics, facilitators, big backlogs."""

from datetime import timedelta

from django.utils import timezone

from meetings.models import Format, Meeting
from members.accounts import create_member
from members.models import User
from tests.conftest import PASSWORD
from tests.meetings_factories import ensure_standard_template
from topics import backlog
from topics.models import Support, Topic


def make_meeting(title="Reading club", *, days=7, facilitator=None, **fields):
    ensure_standard_template()
    meeting = Meeting.objects.create(
        title=title,
        format=fields.pop("format", Format.READING_CLUB),
        starts_at=timezone.now() + timedelta(days=days),
        facilitator=facilitator,
        **fields,
    )
    meeting.apply_agenda_template()  # the standard 20/60/15 frame
    return meeting


def make_topic(proposer, title="Reading “Mutual Aid”", *, description="Let us read it.", **fields):
    return backlog.propose(Topic(title=title, description=description, **fields), proposer)


def make_facilitator(email="fran@example.org", **fields):
    return create_member(email, password=PASSWORD, display_name="Fran", **fields)


def make_members(count, prefix="m"):
    """Many plain accounts at once (no password hashing): supporters for big backlogs."""
    return User.objects.bulk_create(
        User(email=f"{prefix}{i}@example.org", password="!unusable")
        for i in range(count)  # noqa: S106
    )


def bulk_backlog(proposer, supporters, topics=5000, supports=50000):
    """`topics` open topics and `supports` Support rows spread over them, counts kept true."""
    rows = Topic.objects.bulk_create(
        Topic(
            title=f"Topic number {i}",
            description=f"About thing {i}.",
            description_html=f"<p>About thing {i}.</p>",
            proposer=proposer,
            format=Format.values[i % len(Format.values)],
        )
        for i in range(topics)
    )
    per_user = supports // len(supporters)
    support_rows = []
    counts = dict.fromkeys(topic.pk for topic in rows)
    for u, user in enumerate(supporters):
        for j in range(per_user):
            topic = rows[(u * 7 + j * 13) % len(rows)]
            support_rows.append(Support(topic=topic, user=user))
    # The same (topic, user) never repeats: j * 13 mod 5000 is distinct for j < 5000.
    Support.objects.bulk_create(support_rows, batch_size=5000)
    for support in support_rows:
        counts[support.topic_id] = (counts[support.topic_id] or 0) + 1
    by_count = {}
    for topic_id, count in counts.items():
        by_count.setdefault(count or 0, []).append(topic_id)
    for count, ids in by_count.items():
        for start in range(0, len(ids), 500):
            Topic.objects.filter(pk__in=ids[start : start + 500]).update(support_count=count)
    return rows
