"""What the database itself guarantees about topics and supports, and the backlog functions."""

import pytest
from django.db import IntegrityError, transaction

from members.accounts import create_member
from tests.conftest import PASSWORD
from tests.factories import make_meeting, make_topic
from topics import backlog
from topics.backlog import BacklogError, Pick
from topics.models import Support, Topic, public_name


@pytest.fixture
def carol(db):
    return create_member("carol@example.org", password=PASSWORD, display_name="Carol")


@pytest.fixture
def topic(carol):
    return make_topic(carol, "Reading “Mutual Aid”")


def test_the_database_refuses_a_second_support_by_the_same_member(topic, member):
    Support.objects.create(topic=topic, user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(topic=topic, user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.bulk_create([Support(topic=topic, user=member)])
    assert Support.objects.count() == 1


def test_the_database_refuses_two_open_topics_with_the_same_title_in_any_case(carol, topic):
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(title=topic.title.upper(), description="Again", proposer=carol)
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.bulk_create([Topic(title="reading “mutual aid”", description="Again")])


def test_titles_differing_only_in_spacing_are_the_same_topic(carol, topic):
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(title="  Reading   “Mutual Aid”  ", description="Again", proposer=carol)


def test_topics_no_longer_open_may_share_a_title(carol, topic):
    backlog.withdraw(topic, carol)
    again = make_topic(carol, topic.title)
    backlog.withdraw(again, carol)
    third = make_topic(carol, topic.title)
    assert third.status == "open"
    assert Topic.objects.filter(title=topic.title).count() == 3


def test_a_gathered_topic_must_name_its_meeting_and_minutes(topic):
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(status="gathered")


def test_an_open_topic_is_on_no_meetings_agenda(topic):
    meeting = make_meeting()
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(meeting=meeting, gathered_minutes=10)


def test_support_counts_follow_real_rows_only(topic, member, carol):
    assert backlog.add_support(topic, member) is True
    assert backlog.add_support(topic, member) is False
    assert backlog.add_support(topic, carol) is True
    topic.refresh_from_db()
    assert topic.support_count == 2
    assert backlog.remove_support(topic, member) is True
    assert backlog.remove_support(topic, member) is False
    topic.refresh_from_db()
    assert topic.support_count == 1


def test_deleting_an_account_takes_its_supports_off_the_counts(topic, member, carol):
    other = make_topic(carol, "Other")
    backlog.add_support(topic, member)
    backlog.add_support(other, member)
    backlog.add_support(topic, carol)
    member.delete()
    topic.refresh_from_db()
    other.refresh_from_db()
    assert (topic.support_count, other.support_count) == (1, 0)
    assert Support.objects.count() == 1


def test_a_deleted_proposer_shows_as_a_former_member(topic, carol):
    carol.delete()
    topic.refresh_from_db()
    assert topic.proposer is None
    assert topic.proposer_name == "a former member"
    assert public_name(None) == "a former member"


def test_the_description_is_rendered_sanitized_on_save(carol):
    topic = make_topic(
        carol, "XSS", description="[click](javascript:alert(1)) <img src=x onerror=alert(1)> **ok**"
    )
    assert "javascript:" not in topic.description_html
    assert "onerror" not in topic.description_html
    assert "<strong>ok</strong>" in topic.description_html
    assert Topic.MARKDOWN_FIELDS == {"description": "description_html"}


def test_merge_moves_supports_without_counting_anyone_twice(carol, organizer):
    target = make_topic(carol, "Mutual aid reading")
    first = make_topic(carol, "Reading Spade")
    second = make_topic(carol, "Spade's Mutual Aid")
    people = [create_member(f"p{i}@example.org") for i in range(5)]
    # p0 supports all three, p1 the target and the first, p2 both duplicates, p3 only the first, p4 only the second.
    for person, topics in [
        (people[0], [target, first, second]),
        (people[1], [target, first]),
        (people[2], [first, second]),
        (people[3], [first]),
        (people[4], [second]),
    ]:
        for t in topics:
            backlog.add_support(t, person)
    backlog.merge([first, second], target, organizer)
    target.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    supporters = list(Support.objects.filter(topic=target).values_list("user", flat=True))
    assert sorted(supporters) == sorted(p.pk for p in people)
    assert target.support_count == 5
    assert (first.status, first.merged_into, first.support_count) == ("merged", target, 0)
    assert (second.status, second.merged_into) == ("merged", target)
    assert not Support.objects.filter(topic__in=[first, second]).exists()
    assert [e.kind for e in target.events.all()] == ["proposed", "absorbed", "absorbed"]


def test_merge_refuses_nonsense(carol, organizer, topic):
    other = make_topic(carol, "Other")
    with pytest.raises(BacklogError, match="into itself"):
        backlog.merge([topic], topic, organizer)
    backlog.withdraw(other, carol)
    with pytest.raises(BacklogError, match="merge into an open topic"):
        backlog.merge([topic], other, organizer)
    meeting = make_meeting()
    third = make_topic(carol, "Third")
    backlog.gather(meeting, [Pick(third.pk, 10)], organizer)
    with pytest.raises(BacklogError, match="cannot be merged"):
        backlog.merge([third], topic, organizer)


def test_a_chain_of_merges_points_at_the_last_target(carol, organizer, topic):
    middle = make_topic(carol, "Middle")
    last = make_topic(carol, "Last")
    backlog.merge([topic], middle, organizer)
    backlog.merge([middle], last, organizer)
    topic.refresh_from_db()
    assert topic.merged_into == last


def test_hiding_and_showing_again(carol, organizer, topic):
    backlog.hide(topic, organizer, "Duplicate of a past meeting.")
    topic.refresh_from_db()
    assert (topic.status, topic.hidden_reason) == ("hidden", "Duplicate of a past meeting.")
    make_topic(carol, topic.title)
    with pytest.raises(BacklogError, match="already called"):
        backlog.show_again(topic, organizer)
    Topic.objects.filter(title=topic.title, status="open").update(status="withdrawn")
    backlog.show_again(topic, organizer)
    topic.refresh_from_db()
    assert topic.status == "open"


def test_a_hiding_reason_stays_between_the_organizers_and_the_proposer(
    client, carol, member, organizer, topic
):
    backlog.hide(topic, organizer, "Please rephrase.")
    backlog.show_again(topic, organizer)
    url = topic.get_absolute_url()
    client.force_login(member)
    html = client.get(url).content.decode()
    assert "hidden by the organizers" in html
    assert "Please rephrase." not in html
    client.force_login(carol)
    assert "Please rephrase." in client.get(url).content.decode()


def test_hiding_a_gathered_topic_takes_it_off_the_agenda(carol, organizer, topic):
    meeting = make_meeting()
    backlog.gather(meeting, [Pick(topic.pk, 10)], organizer)
    backlog.hide(topic, organizer, "Not for this club.")
    topic.refresh_from_db()
    assert topic.meeting is None
    assert backlog.minutes_taken(meeting) == 0
