"""Organizers' bad input on the topics side: odd digits on the gather page, merging what is out of sight."""

import pytest
from django.urls import reverse

from members.accounts import create_member
from tests.conftest import PASSWORD
from tests.factories import make_meeting, make_topic
from topics import backlog
from topics.models import Topic


@pytest.fixture
def carol(db):
    return create_member("carol@example.org", password=PASSWORD, display_name="Carol")


@pytest.mark.parametrize("minutes", ["²", "٣", "1²", "99999999999999999999", "2147483648", "½"])
def test_odd_digits_in_the_minutes_get_a_clear_message(organizer_client, carol, minutes):
    meeting = make_meeting()
    topic = make_topic(carol, "Cooperatives")
    organizer_client.raise_request_exception = False
    response = organizer_client.post(
        reverse("topics:gather", args=[meeting.pk]), {"pick": [topic.pk], f"minutes-{topic.pk}": minutes}
    )
    assert response.status_code == 200
    assert "Give a whole number of minutes from 1 to" in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == "open"


@pytest.mark.parametrize("pick", ["²", "٣", "99999999999999999999"])
def test_odd_digits_in_a_pick_get_a_clear_message(organizer_client, carol, pick):
    meeting = make_meeting()
    make_topic(carol, "Cooperatives")  # the form, and its errors, show with a backlog
    organizer_client.raise_request_exception = False
    response = organizer_client.post(reverse("topics:gather", args=[meeting.pk]), {"pick": [pick]})
    assert response.status_code < 500
    assert "That pick was not a topic" in response.content.decode()


@pytest.mark.parametrize("how", ["hidden", "withdrawn"])
def test_merging_a_topic_out_of_sight_keeps_it_out_of_sight(client, carol, member, organizer, how):
    target = make_topic(carol, "Cooperatives")
    duplicate = make_topic(carol, "Something the organizers hid", description="Not for everyone's eyes.")
    backlog.add_support(duplicate, member)
    Topic.objects.filter(pk=duplicate.pk).update(status=how)
    backlog.merge([duplicate], target, organizer)
    duplicate.refresh_from_db()
    target.refresh_from_db()
    assert duplicate.status == how
    assert duplicate.merged_into == target
    assert target.support_count == 1  # the support moved over
    client.force_login(member)
    assert client.get(reverse("topics:detail", args=[duplicate.pk])).status_code == 404
    for path in [reverse("topics:list"), reverse("topics:detail", args=[target.pk])]:
        assert "Something the organizers hid" not in client.get(path).content.decode(), path


def test_merging_an_open_duplicate_still_shows_where_it_went(client, carol, member, organizer):
    target = make_topic(carol, "Cooperatives")
    duplicate = make_topic(carol, "Co-ops")
    backlog.merge([duplicate], target, organizer)
    duplicate.refresh_from_db()
    assert duplicate.status == "merged"
    client.force_login(member)
    assert "Co-ops" in client.get(reverse("topics:detail", args=[target.pk])).content.decode()
