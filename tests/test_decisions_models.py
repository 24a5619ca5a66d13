"""Decisions: opening, ballots (named and secret), closing, deciding, correcting."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from members.accounts import create_member
from tests.conftest import PASSWORD
from tests.factories import make_decision, option_keys
from topics import decisions
from topics.decision_models import Ballot, Decision, Participation
from topics.decisions import DecisionError


@pytest.fixture
def carol(db):
    return create_member("carol@example.org", password=PASSWORD, display_name="Carol")


def test_an_organizer_opens_a_decision_with_a_seed_and_a_facilitator(organizer):
    decision = make_decision(organizer)
    assert decision.status == Decision.Status.OPEN
    assert decision.facilitator == organizer
    assert decision.opened_at is not None


def test_a_member_proposes_and_an_organizer_opens_or_declines(member, organizer):
    proposal = make_decision(member, open_now=False, closes_at=None)
    assert proposal.status == Decision.Status.PROPOSED
    with pytest.raises(DecisionError):
        decisions.open_decision(proposal, organizer)  # no closing time yet
    proposal.closes_at = timezone.now() + timedelta(days=2)
    decisions.open_decision(proposal, organizer)
    assert proposal.status == Decision.Status.OPEN
    other = make_decision(member, "Buy a projector?", open_now=False, closes_at=None)
    decisions.decline(other, organizer, "We meet online.")
    assert other.status == Decision.Status.DECLINED
    assert other.decline_note == "We meet online."
    with pytest.raises(DecisionError):
        decisions.decline(other, organizer, "again")


def test_methods_with_options_need_two(organizer):
    with pytest.raises(ValidationError):
        make_decision(organizer, method="ranked", options=["Only one"])


def test_a_named_ballot_changes_until_the_close_and_one_per_member(member, organizer):
    decision = make_decision(organizer, method="majority")
    assert decisions.cast(decision, member, {"answer": "yes"}) == ""
    decisions.cast(decision, member, {"answer": "no"})
    assert Ballot.objects.get(decision=decision, voter=member).choices == {"answer": "no"}
    assert Participation.objects.filter(decision=decision).count() == 1
    decisions.close(decision)
    with pytest.raises(DecisionError, match="closed"):
        decisions.cast(decision, member, {"answer": "yes"})


def test_members_on_a_break_cannot_vote(member_on_break, organizer):
    decision = make_decision(organizer, method="majority")
    with pytest.raises(DecisionError):
        decisions.cast(decision, member_on_break, {"answer": "yes"})
    assert not Ballot.objects.exists()


def test_an_objection_needs_a_reason(member, organizer):
    decision = make_decision(organizer)
    with pytest.raises(ValidationError):
        decisions.cast(decision, member, {"answer": "object", "reason": "   "})
    decisions.cast(decision, member, {"answer": "object", "reason": "Too often for carers."})


def test_ballot_choices_are_checked_against_the_method(member, organizer):
    ranked = make_decision(organizer, "Which book?", method="ranked", options=["A", "B", "C"])
    a, b, c = option_keys(ranked)
    for bad in [{"ranking": []}, {"ranking": [a, a]}, {"ranking": ["999"]}, {"dots": {a: 1}}]:
        with pytest.raises(ValidationError):
            decisions.cast(ranked, member, bad)
    dots = make_decision(organizer, "Where?", method="dots", options=["A", "B"], dots_per_member=3)
    x, y = option_keys(dots)
    for bad in [{"dots": {x: 4}}, {"dots": {x: 2, y: 2}}, {"dots": {}}, {"dots": {x: -1, y: 2}}]:
        with pytest.raises(ValidationError):
            decisions.cast(dots, member, bad)
    decisions.cast(dots, member, {"dots": {x: 2, y: 1}})
    score = make_decision(organizer, "Which?", method="score", options=["A", "B"])
    s, t = option_keys(score)
    for bad in [{"scores": {s: 6}}, {"scores": {s: -1}}, {"scores": {}}, {"scores": {"0": 3}}]:
        with pytest.raises(ValidationError):
            decisions.cast(score, member, bad)


def test_a_secret_ballot_keeps_no_voter_and_changes_only_with_its_code(member, organizer):
    decision = make_decision(organizer, method="majority", is_secret=True)
    code = decisions.cast(decision, member, {"answer": "yes"})
    assert decisions.normalize_code(code) == code
    assert len(code) == 19
    ballot = Ballot.objects.get(decision=decision)
    assert ballot.voter is None
    assert ballot.key_hash
    assert code not in ballot.key_hash
    assert Participation.objects.filter(decision=decision, user=member).exists()
    with pytest.raises(DecisionError, match="ballot code"):
        decisions.cast(decision, member, {"answer": "no"})  # no code: refused, and no second ballot
    with pytest.raises(DecisionError, match="ballot code"):
        decisions.cast(decision, member, {"answer": "no"}, code="AAAA-AAAA-AAAA-AAAA")
    decisions.cast(decision, member, {"answer": "no"}, code=code.lower().replace("-", " "))
    assert [b.choices for b in Ballot.objects.filter(decision=decision)] == [{"answer": "no"}]
    assert decisions.own_ballot(decision, member, code).choices == {"answer": "no"}
    assert decisions.own_ballot(decision, organizer, "") is None


def test_secret_ballots_get_new_random_ids_at_every_ballot(member, organizer, carol):
    decision = make_decision(organizer, method="majority", is_secret=True)
    decisions.cast(decision, member, {"answer": "yes"})
    first_ids = set(Ballot.objects.values_list("id", flat=True))
    decisions.cast(decision, carol, {"answer": "no"})
    assert not first_ids & set(Ballot.objects.values_list("id", flat=True))
    # No column on either table could order or join the two.
    ballot_columns = {field.column for field in Ballot._meta.local_fields}
    assert ballot_columns == {"id", "decision_id", "voter_id", "key_hash", "choices"}
    participation_columns = {field.column for field in Participation._meta.local_fields}
    assert participation_columns == {"id", "decision_id", "user_id"}


def test_no_query_joins_a_secret_ballot_to_its_voter(member, organizer, carol):
    decision = make_decision(organizer, method="majority", is_secret=True)
    decisions.cast(decision, member, {"answer": "yes"})
    decisions.cast(decision, carol, {"answer": "no"})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM topics_ballot b WHERE b.voter_id IS NOT NULL AND b.decision_id = %s",
            [decision.pk],
        )
        assert cursor.fetchone()[0] == 0
    # What the member's own data export says: that they voted, never what.
    data = decisions.personal_data(member)
    assert data["decisions_voted_in"] == [{"question": decision.question, "secret": True}]
    assert data["named_ballots"] == []
    assert "yes" not in str(data)


def test_closing_freezes_the_count_once(member, organizer):
    decision = make_decision(organizer, method="majority", quorum_percent=50)
    decisions.cast(decision, member, {"answer": "yes"})
    assert decisions.close(decision) is True
    assert decisions.close(decision) is False
    decision.refresh_from_db()
    assert decision.status == Decision.Status.CLOSED
    assert decision.turnout == 1
    assert decision.eligible_count == 2
    assert decision.result["outcome"] == "carried"
    assert decision.result["quorum"] == {"percent": 50, "needed": 1, "met": True}


def test_close_due_closes_what_is_due_only(organizer):
    due = make_decision(organizer)
    later = make_decision(organizer, "Later?")
    Decision.objects.filter(pk=due.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert decisions.close_due() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == "closed"
    assert later.status == "open"


def test_a_decided_decision_never_changes_and_is_corrected_by_a_new_one(member, organizer):
    decision = make_decision(organizer)
    decisions.cast(decision, member, {"answer": "agree"})
    with pytest.raises(DecisionError):
        decisions.decide(decision, organizer, "Too early")  # still open
    decisions.close(decision)
    with pytest.raises(DecisionError):
        decisions.decide(decision, organizer, "  ")
    decisions.decide(decision, organizer, "We meet twice a month from March.")
    assert decision.status == Decision.Status.DECIDED
    assert "<p>We meet twice a month" in decision.outcome_html
    with pytest.raises(DecisionError):
        decisions.decide(decision, organizer, "Something else")
    decision.question = "Changed?"
    with pytest.raises(ValidationError):
        decision.save()
    correction = decisions.start_correction(Decision.objects.get(pk=decision.pk))
    assert correction.corrects_id == decision.pk
    assert correction.pk is None


def test_publishing_makes_one_blog_post(member, organizer):
    from blog.models import Post

    decision = make_decision(organizer)
    decisions.cast(decision, member, {"answer": "agree"})
    decisions.close(decision)
    decisions.decide(decision, organizer, "We meet twice a month.")
    path = decisions.publish(decision, organizer)
    assert decisions.publish(decision, organizer) == path
    post = Post.objects.get()
    assert post.get_absolute_url() == path
    assert post.is_visible
    assert "We meet twice a month." in post.body_html
    assert post.title == "Decided: Shall we meet twice a month?"


def test_download_my_data_lists_proposals_and_named_ballots(member, organizer):
    named = make_decision(organizer, "Named?", method="majority")
    decisions.cast(named, member, {"answer": "yes"})
    make_decision(member, "My idea?", open_now=False, closes_at=None)
    from members.accounts import personal_data

    data = personal_data(member)["decisions"]
    assert [d["question"] for d in data["decisions_proposed"]] == ["My idea?"]
    assert data["named_ballots"] == [{"question": "Named?", "choices": {"answer": "yes"}}]


def test_erasing_a_member_keeps_their_choices_unnamed(member, organizer):
    from members.accounts import leave

    named = make_decision(organizer, "Named?", method="majority")
    decisions.cast(named, member, {"answer": "yes"})
    proposal = make_decision(member, "My idea?", open_now=False, closes_at=None)
    leave(member, erase=True)
    ballot = Ballot.objects.get(decision=named)
    assert ballot.voter is None
    assert ballot.choices == {"answer": "yes"}
    assert not Participation.objects.filter(user=member).exists()
    proposal.refresh_from_db()
    assert proposal.proposed_by is None
    assert decisions.tally(named)["counts"]["yes"] == 1


@pytest.mark.parametrize("quorum", [0, 101, 2147483647])
def test_a_quorum_out_of_range_is_said_once(organizer, quorum):
    """Found by an outsider: the field's validators and clean() both said it, two lines for one field."""
    decision = make_decision(organizer, method="majority")
    decision.quorum_percent = quorum
    with pytest.raises(ValidationError) as refused:
        decision.full_clean()
    assert len(refused.value.message_dict["quorum_percent"]) == 1
