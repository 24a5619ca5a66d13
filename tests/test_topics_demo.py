"""`seed_demo` fills the backlog and a past meeting's agenda, and adds nothing the second time."""

import io

from django.utils import timezone

from tests.conftest import seed_demo
from topics.models import Support, Topic, TopicEvent


def counts():
    return (Topic.objects.count(), Support.objects.count(), TopicEvent.objects.count())


def test_the_demo_backlog_has_supported_topics_and_a_past_meeting_with_discussed_ones(db):
    seed_demo(stdout=io.StringIO())
    backlog = list(Topic.objects.backlog())
    assert len(backlog) >= 6
    assert backlog[0].support_count > backlog[-1].support_count
    assert all(topic.proposer is not None for topic in backlog)
    past = Topic.objects.filter(meeting__starts_at__lt=timezone.now())
    assert past.filter(status="discussed").exists()
    # None is stranded: what was not discussed is back in the backlog, and says from where.
    assert not Topic.objects.filter(status="gathered", meeting__ends_at__lte=timezone.now()).exists()
    assert TopicEvent.objects.filter(kind="returned", meeting__starts_at__lt=timezone.now()).exists()
    assert past.filter(status="discussed").exclude(discussed_note="").exists()


def test_seeding_twice_adds_nothing(db):
    seed_demo(stdout=io.StringIO())
    first = counts()
    seed_demo(stdout=io.StringIO())
    assert counts() == first
