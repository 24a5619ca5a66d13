"""The rules of members/standing.py and User, each written once: organizer, break, former member."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from members import accounts
from members.accounts import create_member
from members.models import FORMER_MEMBER, NO_BREAK, User
from members.standing import is_organizer, may_take_part

pytestmark = pytest.mark.django_db


def test_organizer_is_one_rule_for_a_person_and_for_a_query():
    olga = create_member("olga@example.org", is_staff=True)
    rest = create_member("rest@example.org", is_staff=True, break_since=timezone.now())
    left = create_member("left@example.org", is_staff=True)
    accounts.leave(left)
    alice = create_member("alice@example.org")
    people = [olga, rest, left, alice]
    assert [is_organizer(person) for person in people] == [True, True, False, False]
    assert set(User.objects.organizers()) == {olga, rest}
    assert list(User.objects.in_good_standing().organizers()) == [olga]
    assert not is_organizer(AnonymousUser())


def break_of(member):
    member.refresh_from_db()
    return {name: getattr(member, name) for name in NO_BREAK}


def test_a_break_is_set_and_cleared_as_a_whole():
    olga = create_member("olga@example.org", is_staff=True)
    alice = create_member("alice@example.org")
    alice.advise_break(until=timezone.localdate() + timedelta(days=7), note="Rest.", by=olga)
    assert not may_take_part(alice)
    alice.end_break()
    assert break_of(alice) == NO_BREAK
    assert may_take_part(alice)
    alice.take_break()
    accounts.leave(alice)
    assert break_of(alice) == NO_BREAK
    assert alice.public_name == str(FORMER_MEMBER)
