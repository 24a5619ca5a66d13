"""Counting a decision's ballots: pure functions, no database, no Django.

Each function takes plain values (answers, rankings, dots, scores, option keys)
and returns a plain dict that is stored as the decision's result when it closes,
so the register shows exactly what was counted then, round by round.

Why not a library: the ranked-choice libraries on PyPI are either no longer
maintained (pyrankvote, last release 2022) or research toolkits that pull in
numpy, scipy and networkx (pref-voting, votekit) without reporting where each
eliminated option's ballots went. Instant runoff is forty lines; it is tested
here against published worked examples (tests/test_decisions_counting.py).

Rules, in plain words (the decision page says the same):

- Consent: any standing objection blocks; otherwise the proposal is consented
  to, unless nobody agreed at all.
- Majority: yes wins when it has more votes than no; abstentions count towards
  the quorum but not towards the majority. Equal yes and no is a tie (not carried).
- Ranked choice (instant runoff): each round counts every ballot for its
  highest-ranked option still in the race. An option with more than half of
  the ballots still counting wins. Otherwise the option with the fewest votes
  is eliminated and its ballots move to their next choice; a ballot with no
  choice left is "exhausted". A tie for fewest is broken by the earlier rounds
  (fewest there goes), then by lot, drawn from the decision's recorded seed so
  anyone can repeat the count. Two options tied at the end is a tie.
- Dot vote: the most dots wins; equal most dots is a tie.
- Score (0–5): the highest mean wins; the spread (standard deviation) shows how
  much members agreed. Equal highest means is a tie.
- Quorum (any method): when set, at least that share of the members in good
  standing must cast a ballot, otherwise nothing is decided.
"""

import math
import random
from collections import Counter
from statistics import mean, pstdev

CONSENT_ANSWERS = ("agree", "abstain", "stand_aside", "object")
MAJORITY_ANSWERS = ("yes", "no", "abstain")
SCORE_MIN, SCORE_MAX = 0, 5


def quorum_needed(eligible, quorum_percent):
    """How many ballots the quorum asks for: the percentage of `eligible`, rounded up."""
    if not quorum_percent:
        return 0
    return math.ceil(eligible * quorum_percent / 100)


def quorum(turnout, eligible, quorum_percent):
    needed = quorum_needed(eligible, quorum_percent)
    return {"percent": quorum_percent or 0, "needed": needed, "met": turnout >= needed}


def count_consent(answers):
    """`answers`: (answer, reason) pairs. Any objection blocks."""
    counts = Counter(answer for answer, _reason in answers)
    objections = [reason for answer, reason in answers if answer == "object"]
    if not answers:
        outcome = "no_ballots"
    elif objections:
        outcome = "blocked"
    elif counts["agree"] == 0:
        outcome = "not_consented"  # nobody agreed: only abstentions and stand-asides
    else:
        outcome = "consented"
    return {
        "counts": {answer: counts[answer] for answer in CONSENT_ANSWERS},
        "objections": sorted(objections),
        "outcome": outcome,
    }


def count_majority(answers):
    """`answers`: "yes" / "no" / "abstain". Carried when yes outnumbers no."""
    counts = Counter(answers)
    yes, no = counts["yes"], counts["no"]
    if not answers:
        outcome = "no_ballots"
    elif yes > no:
        outcome = "carried"
    elif yes == no:
        outcome = "tied"
    else:
        outcome = "defeated"
    return {"counts": {answer: counts[answer] for answer in MAJORITY_ANSWERS}, "outcome": outcome}


def count_ranked(rankings, options, seed=0):
    """Instant runoff. `rankings`: lists of option keys, most wanted first; `options`: every key.

    Returns every round: the votes each continuing option holds, the exhausted
    ballots, who was eliminated, how the tie (if any) was broken, and where the
    eliminated option's ballots went.
    """
    options = list(options)
    known = set(options)
    # A ranking keeps known options only, each once, in order.
    ballots = []
    for ranking in rankings:
        seen = []
        for key in ranking:
            if key in known and key not in seen:
                seen.append(key)
        ballots.append(seen)
    continuing = list(options)
    rounds = []
    history = []  # each round's counts, for breaking ties backwards
    draw = random.Random(seed)
    winner = None
    tie = []
    while continuing:
        counts = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ballot in ballots:
            top = next((key for key in ballot if key in counts), None)
            if top is None:
                exhausted += 1
            else:
                counts[top] += 1
        active = sum(counts.values())
        history.append(counts)
        this_round = {"counts": counts, "exhausted": exhausted, "active": active}
        rounds.append(this_round)
        leader = max(counts.values()) if counts else 0
        if active and leader * 2 > active:
            winner = next(key for key in continuing if counts[key] == leader)
            break
        if len(continuing) == 1 or not active:
            if active:
                winner = continuing[0]
            break
        fewest = min(counts.values())
        lowest = [key for key in continuing if counts[key] == fewest]
        if len(lowest) == len(continuing):
            # Everyone left has the same votes: no rule can fairly pick one, so it is a tie.
            tie = list(continuing)
            this_round["tie"] = tie
            break
        loser, how = _break_tie(lowest, history[:-1], draw)
        this_round["eliminated"] = loser
        if how:
            this_round["tie_break"] = how
            this_round["tied"] = lowest
        continuing.remove(loser)
        transfers = Counter()
        for ballot in ballots:
            # Ballots counting for the loser this round move to their next continuing choice.
            earlier = next((key for key in ballot if key in counts), None)
            if earlier == loser:
                after = next((key for key in ballot if key in continuing), None)
                transfers[after or "exhausted"] += 1
        this_round["transfers"] = dict(sorted(transfers.items(), key=lambda item: -item[1]))
    return {"rounds": rounds, "winner": winner, "tie": tie, "seed": seed}


def _break_tie(lowest, earlier_rounds, draw):
    """Among options tied for fewest, the one with fewest in the latest earlier round that tells them apart."""
    if len(lowest) == 1:
        return lowest[0], ""
    for counts in reversed(earlier_rounds):
        fewest = min(counts[key] for key in lowest)
        still = [key for key in lowest if counts[key] == fewest]
        if len(still) == 1:
            return still[0], "earlier_rounds"
        lowest = still
    return draw.choice(sorted(lowest)), "lot"


def count_dots(allocations, options):
    """`allocations`: {option key: dots} per ballot. Most dots wins."""
    totals = dict.fromkeys(options, 0)
    for allocation in allocations:
        for key, dots in allocation.items():
            if key in totals and dots > 0:
                totals[key] += dots
    if not any(totals.values()):
        return {"totals": totals, "winner": None, "tie": []}
    return {"totals": totals, **_top(totals)}


def count_score(score_sheets, options):
    """`score_sheets`: {option key: 0–5} per ballot (an option left out is not scored). Highest mean wins."""
    per_option = {}
    means = {}
    for key in options:
        scores = [sheet[key] for sheet in score_sheets if key in sheet]
        distribution = Counter(scores)
        if scores:
            average = round(mean(scores), 2)
            means[key] = average
        else:
            average = None
        per_option[key] = {
            "count": len(scores),
            "mean": average,
            "spread": round(pstdev(scores), 2) if scores else None,
            "min": min(scores) if scores else None,
            "max": max(scores) if scores else None,
            "distribution": [distribution[score] for score in range(SCORE_MIN, SCORE_MAX + 1)],
        }
    return {"scores": per_option, **_top(means)}


def _top(values):
    """The one key with the highest value, or the keys tied for it."""
    if not values:
        return {"winner": None, "tie": []}
    best = max(values.values())
    leaders = [key for key, value in values.items() if value == best]
    if len(leaders) == 1:
        return {"winner": leaders[0], "tie": []}
    return {"winner": None, "tie": leaders}
