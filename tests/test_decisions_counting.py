"""Counting every method against worked examples (topics/counting.py: pure, no database)."""

from topics import counting


def ballots(*groups):
    """groups of (how many, ranking) → the list of rankings."""
    return [list(ranking) for count, ranking in groups for _ in range(count)]


# --- Ranked choice: instant runoff --------------------------------------------------------

# The worked example of Wikipedia's "Instant-runoff voting" article: Tennessee chooses its
# capital. 100 voters: 42 % Memphis > Nashville > Chattanooga > Knoxville, 26 % Nashville >
# Chattanooga > Knoxville > Memphis, 15 % Chattanooga > Knoxville > Nashville > Memphis,
# 17 % Knoxville > Chattanooga > Nashville > Memphis. Chattanooga goes first, then
# Nashville, and Knoxville wins 58 to 42.
TENNESSEE = ballots(
    (42, ["M", "N", "C", "K"]),
    (26, ["N", "C", "K", "M"]),
    (15, ["C", "K", "N", "M"]),
    (17, ["K", "C", "N", "M"]),
)


def test_it_chooses_knoxville_as_tennessees_capital_in_three_rounds():
    result = counting.count_ranked(TENNESSEE, ["M", "N", "C", "K"])
    rounds = result["rounds"]
    assert result["winner"] == "K"
    assert len(rounds) == 3
    assert rounds[0]["counts"] == {"M": 42, "N": 26, "C": 15, "K": 17}
    assert rounds[0]["eliminated"] == "C"
    assert rounds[0]["transfers"] == {"K": 15}
    assert rounds[1]["counts"] == {"M": 42, "N": 26, "K": 32}
    assert rounds[1]["eliminated"] == "N"
    # Nashville's voters ranked Chattanooga next, who is out: their ballots go on to Knoxville.
    assert rounds[1]["transfers"] == {"K": 26}
    assert rounds[2]["counts"] == {"M": 42, "K": 58}
    assert "eliminated" not in rounds[2]
    assert all(r["exhausted"] == 0 for r in rounds)


def test_a_first_round_majority_wins_at_once():
    result = counting.count_ranked(ballots((3, "A"), (2, "B")), ["A", "B", "C"])
    assert result["winner"] == "A"
    assert len(result["rounds"]) == 1


def test_exhausted_ballots_stop_counting_and_the_majority_is_of_ballots_still_counting():
    # 4 A, 3 B, 2 C-only: C goes, both C ballots have no next choice. A wins 4 to 3 of 7
    # ballots still counting, although 4 is not more than half of all 9 ballots.
    result = counting.count_ranked(ballots((4, "A"), (3, "B"), (2, "C")), ["A", "B", "C"])
    first, second = result["rounds"]
    assert first["eliminated"] == "C"
    assert first["transfers"] == {"exhausted": 2}
    assert second["exhausted"] == 2
    assert second["active"] == 7
    assert result["winner"] == "A"


def test_a_tie_for_fewest_is_broken_by_the_earlier_rounds():
    # Round 1: A 6, B 3, C 4, D 1 → D goes, to B → round 2: B 4, C 4 tie for fewest;
    # round 1 had B 3 < C 4, so B goes.
    votes = ballots((6, "A"), (3, "BA"), (4, "CA"), (1, "DB"))
    result = counting.count_ranked(votes, ["A", "B", "C", "D"])
    second = result["rounds"][1]
    assert second["counts"] == {"A": 6, "B": 4, "C": 4}
    assert second["eliminated"] == "B"
    assert second["tie_break"] == "earlier_rounds"
    assert result["winner"] == "A"


def test_a_tie_that_no_round_breaks_is_drawn_by_lot_from_the_recorded_seed():
    votes = ballots((4, "A"), (3, "B"), (3, "C"))
    first = counting.count_ranked(votes, ["A", "B", "C"], seed=7)
    again = counting.count_ranked(votes, ["A", "B", "C"], seed=7)
    assert first == again  # anyone repeating the count with the seed gets the same draw
    assert first["rounds"][0]["tie_break"] == "lot"
    assert sorted(first["rounds"][0]["tied"]) == ["B", "C"]
    assert first["winner"] == "A"
    eliminated = {
        counting.count_ranked(votes, ["A", "B", "C"], seed=s)["rounds"][0]["eliminated"] for s in range(20)
    }
    assert eliminated == {"B", "C"}


def test_two_options_with_equal_votes_at_the_end_are_a_tie():
    result = counting.count_ranked(ballots((2, "AB"), (2, "BA")), ["A", "B"])
    assert result["winner"] is None
    assert result["tie"] == ["A", "B"]


def test_rankings_ignore_unknown_and_repeated_options_and_no_ballots_decide_nothing():
    result = counting.count_ranked([["X", "A", "A", "B"]], ["A", "B"])
    assert result["rounds"][0]["counts"] == {"A": 1, "B": 0}
    assert result["winner"] == "A"
    empty = counting.count_ranked([], ["A", "B"])
    assert empty["winner"] is None
    assert empty["tie"] == []


# --- Consent ------------------------------------------------------------------------------


def test_one_objection_blocks_a_proposal():
    result = counting.count_consent(
        [("agree", ""), ("agree", ""), ("stand_aside", "busy"), ("object", "We can't afford it yet.")]
    )
    assert result["outcome"] == "blocked"
    assert result["objections"] == ["We can't afford it yet."]
    assert result["counts"] == {"agree": 2, "abstain": 0, "stand_aside": 1, "object": 1}


def test_consent_without_objection_is_given_and_without_agreement_is_not():
    assert (
        counting.count_consent([("agree", ""), ("abstain", ""), ("stand_aside", "")])["outcome"]
        == "consented"
    )
    assert counting.count_consent([("abstain", ""), ("stand_aside", "")])["outcome"] == "not_consented"
    assert counting.count_consent([])["outcome"] == "no_ballots"


# --- Majority and quorum ---------------------------------------------------------------------


def test_majority_counts_yes_against_no_and_leaves_abstentions_out():
    assert counting.count_majority(["yes", "yes", "no", "abstain", "abstain"])["outcome"] == "carried"
    assert counting.count_majority(["yes", "no", "no"])["outcome"] == "defeated"
    assert counting.count_majority(["yes", "no", "abstain"])["outcome"] == "tied"
    assert counting.count_majority([])["outcome"] == "no_ballots"


def test_a_quorum_not_reached():
    # 40 % of 12 members is 4.8, so 5 ballots are needed; 4 were cast.
    assert counting.quorum(4, 12, 40) == {"percent": 40, "needed": 5, "met": False}
    assert counting.quorum(5, 12, 40)["met"] is True
    assert counting.quorum(0, 12, None) == {"percent": 0, "needed": 0, "met": True}
    assert counting.quorum(0, 0, 50)["met"] is True


# --- Dot vote and score -----------------------------------------------------------------------


def test_dots_add_up_and_the_most_wins_or_ties():
    result = counting.count_dots([{"A": 2, "B": 1}, {"B": 3}, {"C": 1, "A": 1}], ["A", "B", "C"])
    assert result["totals"] == {"A": 3, "B": 4, "C": 1}
    assert result["winner"] == "B"
    tied = counting.count_dots([{"A": 2}, {"B": 2}], ["A", "B", "C"])
    assert tied["winner"] is None
    assert tied["tie"] == ["A", "B"]
    assert counting.count_dots([], ["A", "B"])["winner"] is None


def test_score_shows_mean_and_spread():
    sheets = [{"A": 5, "B": 3}, {"A": 1, "B": 3}, {"A": 3, "B": 3}]
    result = counting.count_score(sheets, ["A", "B", "C"])
    assert result["scores"]["A"]["mean"] == 3
    assert result["scores"]["A"]["spread"] == 1.63  # population standard deviation of 5, 1, 3
    assert result["scores"]["B"]["spread"] == 0
    assert result["scores"]["A"]["distribution"] == [0, 1, 0, 1, 0, 1]
    assert result["scores"]["C"] == {
        "count": 0,
        "mean": None,
        "spread": None,
        "min": None,
        "max": None,
        "distribution": [0] * 6,
    }
    assert result["winner"] is None
    assert result["tie"] == ["A", "B"]
    assert counting.count_score([{"A": 4}, {"B": 2}], ["A", "B"])["winner"] == "A"
