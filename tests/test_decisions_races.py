"""Ballot changes and the close at the same moment (PostgreSQL: real row locks, several connections)."""

import threading

import pytest
from django.db import close_old_connections, connection

from members.accounts import create_member
from tests.factories import make_decision
from topics import decisions
from topics.decision_models import Ballot, Decision, Participation
from topics.decisions import DecisionError

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks and concurrent connections"
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", job())
        except DecisionError as error:
            outcomes[index] = ("refused", str(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_a_ballot_cast_at_the_closing_moment_is_counted_or_refused_never_lost():
    organizer = create_member("olga@example.org", is_staff=True)
    voters = [create_member(f"v{n}@example.org") for n in range(6)]
    for _ in range(4):
        decision = make_decision(organizer, method="majority")
        jobs = [
            lambda voter=voter, decision=decision: decisions.cast(decision, voter, {"answer": "yes"})
            for voter in voters
        ]
        jobs.append(lambda decision=decision: decisions.close(decision))
        outcomes = run_together(*jobs)
        decision.refresh_from_db()
        accepted = sum(1 for kind, _ in outcomes[:-1] if kind == "ok")
        assert all(kind == "ok" or "closed" in value for kind, value in outcomes[:-1]), outcomes
        assert decision.status == "closed"
        # Every accepted ballot is in the frozen count, and no ballot came in after it.
        assert decision.turnout == accepted == Ballot.objects.filter(decision=decision).count()
        assert decision.result["counts"]["yes"] == accepted


def test_two_organizers_closing_at_once_count_once():
    organizer = create_member("olga@example.org", is_staff=True)
    other = create_member("omar@example.org", is_staff=True)
    decision = make_decision(organizer)
    outcomes = run_together(
        lambda: decisions.close(decision, organizer), lambda: decisions.close(decision, other)
    )
    assert sorted(value for _kind, value in outcomes) == [False, True]


def test_one_member_changing_a_secret_ballot_twice_at_once_keeps_one_ballot():
    organizer = create_member("olga@example.org", is_staff=True)
    member = create_member("alice@example.org")
    others = [create_member(f"o{n}@example.org") for n in range(3)]
    decision = make_decision(organizer, method="majority", is_secret=True)
    code = decisions.cast(decision, member, {"answer": "yes"})
    outcomes = run_together(
        lambda: decisions.cast(decision, member, {"answer": "no"}, code=code),
        lambda: decisions.cast(decision, member, {"answer": "abstain"}, code=code),
        *[lambda voter=voter: decisions.cast(decision, voter, {"answer": "yes"}) for voter in others],
    )
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert Ballot.objects.filter(decision=decision).count() == 4
    assert Participation.objects.filter(decision=decision).count() == 4
    assert decisions.own_ballot(decision, member, code).choices["answer"] in ("no", "abstain")


def test_a_first_secret_ballot_submitted_twice_at_once_is_one_ballot():
    organizer = create_member("olga@example.org", is_staff=True)
    member = create_member("alice@example.org")
    decision = make_decision(organizer, method="majority", is_secret=True)
    outcomes = run_together(
        lambda: decisions.cast(decision, member, {"answer": "yes"}),
        lambda: decisions.cast(decision, member, {"answer": "no"}),
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert Ballot.objects.filter(decision=decision).count() == 1
    assert Decision.objects.get(pk=decision.pk).status == "open"
