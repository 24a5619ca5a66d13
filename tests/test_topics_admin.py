"""Moderation in the admin: the backlog with filters, hiding with a reason, merging duplicates."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from members.accounts import create_member
from tests.conftest import PASSWORD
from tests.factories import make_topic
from topics import backlog
from topics.models import Support

CHANGELIST = reverse("admin:topics_topic_changelist")


@pytest.fixture
def carol(db):
    return create_member("carol@example.org", password=PASSWORD, display_name="Carol")


@pytest.fixture
def topic(carol):
    return make_topic(carol, "Reading “Mutual Aid”", description="Chapters 1–3.")


@pytest.mark.parametrize(
    ("role", "expected"), [("visitor", 302), ("member", 302), ("member_on_break", 302), ("organizer", 200)]
)
def test_only_organizers_see_the_topics_in_the_admin(client, request, topic, role, expected):
    if role != "visitor":
        client.force_login(request.getfixturevalue(role))
    response = client.get(CHANGELIST)
    assert response.status_code == expected
    if expected == 200:
        assert topic.title in response.content.decode()


def test_the_changelist_filters_by_status_and_format_and_searches(organizer_client, carol, topic):
    film = make_topic(carol, "Harlan County, USA", format="movie_night", description="Miners on strike.")
    backlog.withdraw(film, carol)
    html = organizer_client.get(CHANGELIST, {"status__exact": "withdrawn"}).content.decode()
    assert "Harlan County" in html
    assert topic.title not in html
    html = organizer_client.get(CHANGELIST, {"format__exact": "reading_club"}).content.decode()
    assert topic.title not in html  # its format is the default, chit chat
    html = organizer_client.get(CHANGELIST, {"q": "strike"}).content.decode()
    assert "Harlan County" in html
    assert topic.title not in html


def test_the_changelist_needs_few_queries(organizer_client, carol, django_assert_max_num_queries):
    for i in range(60):
        make_topic(carol, f"Topic {i}")
    with django_assert_max_num_queries(15):
        assert organizer_client.get(CHANGELIST).status_code == 200


def test_hiding_asks_for_a_reason_then_the_proposer_sees_it(organizer_client, client, carol, topic):
    data = {"action": "hide_topics", ACTION_CHECKBOX_NAME: [topic.pk]}
    page = organizer_client.post(CHANGELIST, {**data, "index": 0})
    assert page.status_code == 200
    assert "The proposer sees this on the topic page." in page.content.decode()
    topic.refresh_from_db()
    assert topic.status == "open"

    refused = organizer_client.post(CHANGELIST, {**data, "apply": "1", "reason": ""})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()

    done = organizer_client.post(
        CHANGELIST, {**data, "apply": "1", "reason": "We discussed this last month."}, follow=True
    )
    assert "Hid 1 topic. Its proposer sees the reason." in done.content.decode()
    topic.refresh_from_db()
    assert topic.status == "hidden"
    assert topic.hidden_reason == "We discussed this last month."

    client.force_login(carol)
    html = client.get(reverse("topics:detail", args=[topic.pk])).content.decode()
    assert "We discussed this last month." in html
    assert topic.title not in client.get(reverse("topics:list")).content.decode()


def test_merging_chooses_a_target_and_counts_everyone_once(organizer_client, carol, topic):
    duplicate = make_topic(carol, "Mutual Aid by Dean Spade")
    both, only_dup = create_member("both@example.org"), create_member("dup@example.org")
    backlog.add_support(topic, both)
    backlog.add_support(duplicate, both)
    backlog.add_support(duplicate, only_dup)
    data = {"action": "merge_topics", ACTION_CHECKBOX_NAME: [duplicate.pk]}

    page = organizer_client.post(CHANGELIST, {**data, "index": 0})
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{topic.pk}">' in html
    assert f'<option value="{duplicate.pk}">' not in html  # not into itself

    done = organizer_client.post(CHANGELIST, {**data, "apply": "1", "target": topic.pk}, follow=True)
    assert "it now has 2 supporters, each counted once" in done.content.decode()
    topic.refresh_from_db()
    duplicate.refresh_from_db()
    assert topic.support_count == 2
    assert Support.objects.filter(topic=topic).count() == 2
    assert duplicate.status == "merged"
    assert duplicate.merged_into == topic


def test_showing_a_hidden_topic_again(organizer_client, organizer, topic):
    backlog.hide(topic, organizer, "Oops")
    organizer_client.post(
        CHANGELIST, {"action": "show_topics_again", ACTION_CHECKBOX_NAME: [topic.pk], "index": 0}
    )
    topic.refresh_from_db()
    assert topic.status == "open"


def test_an_organizer_edit_in_the_admin_is_recorded_in_the_history(organizer_client, topic):
    url = reverse("admin:topics_topic_change", args=[topic.pk])
    assert organizer_client.get(url).status_code == 200
    response = organizer_client.post(
        url,
        {
            "title": "Reading “Mutual Aid” (chapters 1–3)",
            "description": "Chapters 1–3.",
            "format": "reading_club",
            "link_1": "",
            "link_2": "",
            "link_3": "",
            "proposer": topic.proposer_id,
            "hidden_reason": "",
            "gathered_minutes": "",
            "discussed_note": "",
            "events-TOTAL_FORMS": "1",
            "events-INITIAL_FORMS": "1",
            "events-MIN_NUM_FORMS": "0",
            "events-MAX_NUM_FORMS": "1000",
            "events-0-id": topic.events.get().pk,
            "events-0-topic": topic.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    topic.refresh_from_db()
    assert topic.title == "Reading “Mutual Aid” (chapters 1–3)"
    assert topic.events.last().kind == "edited"
