"""Demo decisions for `manage.py seed_demo` (called from topics/demo.py): idempotent, found by question.

One decided consent proposal, one ranked-choice decision counted in three
rounds, and one dot vote still open (for the next meeting, when there is one).
"""

from datetime import timedelta

from django.utils import timezone

from meetings.models import Meeting
from members.accounts import create_member
from members.models import User

from . import decisions
from .decision_models import Decision

DEMO_PASSWORD = "solidarity-demo"  # noqa: S105 (the members demo's password, printed for demo logins)
# Ranked choice needs more voters than the members demo has, to show three rounds.
EXTRA_VOTERS = [
    ("lin@example.org", "Lin"),
    ("noor@example.org", "Noor"),
    ("tomas@example.org", "Tomás"),
    ("ivy@example.org", "Ivy"),
]

CONSENT_QUESTION = "Shall we decide important things by consent?"
RANKED_QUESTION = "Which format for our next project night?"
DOTS_QUESTION = "Where should the club put its energy this season?"


def seed(stdout, organizer, people):
    for email, name in EXTRA_VOTERS:
        if not User.objects.filter(email=email).exists():
            create_member(email, password=DEMO_PASSWORD, display_name=name)
    voters = list(User.objects.in_good_standing().filter(email__endswith="@example.org").order_by("pk"))
    if len(voters) < 8:
        stdout.write("Decisions: fewer than eight demo members in good standing; no demo decisions.")
        return
    now = timezone.now()
    _consent(organizer, voters, now)
    _ranked(organizer, voters, now)
    _dots(organizer, voters, now)
    stdout.write(f"Decisions: {Decision.objects.count()} in the register.")


def _backdate(decision, days_ago):
    """Demo history: the decision ran some weeks ago."""
    closed = timezone.now() - timedelta(days=days_ago)
    Decision.objects.filter(pk=decision.pk).update(
        created_at=closed - timedelta(days=7),
        opened_at=closed - timedelta(days=7),
        closes_at=closed,
        closed_at=closed,
        decided_at=closed + timedelta(days=1),
    )


def _consent(organizer, voters, now):
    if Decision.objects.filter(question=CONSENT_QUESTION).exists():
        return
    decision = Decision(
        question=CONSENT_QUESTION,
        context=(
            "Our code says we will *figure out some democratic method* when we have to decide something "
            "of importance. This proposal: important decisions are made **by consent** here in the "
            "register, open for at least a week, and announced at the next meeting."
        ),
        method=Decision.Method.CONSENT,
        closes_at=now + timedelta(days=5),
    )
    decisions.create(decision, [], organizer, open_now=False)
    decisions.open_decision(decision, organizer, notify=False)
    answers = ["agree", "agree", "agree", "stand_aside", "agree", "agree", "abstain", "agree"]
    for voter, answer in zip(voters, answers, strict=False):
        reason = (
            "I trust the group on this; I'd rather not take part in every vote."
            if answer == "stand_aside"
            else ""
        )
        decisions.cast(decision, voter, {"answer": answer, "reason": reason})
    decisions.close(decision)
    decisions.decide(
        decision,
        organizer,
        "We decide important things by consent, in this register, open for at least a week. "
        "An objection needs a reason; the facilitator reaches out to the objector before the close.",
        notify=False,
    )
    _backdate(decision, 30)


def _ranked(organizer, voters, now):
    if Decision.objects.filter(question=RANKED_QUESTION).exists():
        return
    decision = Decision(
        question=RANKED_QUESTION,
        context="Rank the formats you would enjoy; leave out any you would rather skip.",
        method=Decision.Method.RANKED,
        is_secret=True,
        closes_at=now + timedelta(days=5),
    )
    labels = ["Reading club", "Movie night", "Member-led workshop", "Guest speaker"]
    decisions.create(decision, labels, organizer, open_now=False)
    decisions.open_decision(decision, organizer, notify=False)
    reading, movie, workshop, guest = [option.key for option in decision.options.all()]
    # Round 1: reading 3, movie 2, workshop 2, guest 1 → guest out, to workshop.
    # Round 2: reading 3, workshop 3, movie 2 → movie out, to workshop. Round 3: workshop 5 to 3.
    rankings = [
        [reading, guest],
        [reading],
        [reading, movie],
        [movie, workshop],
        [movie, workshop, reading],
        [workshop, movie],
        [workshop],
        [guest, workshop],
    ]
    for voter, ranking in zip(voters, rankings, strict=False):
        decisions.cast(decision, voter, {"ranking": ranking})
    decisions.close(decision)
    decisions.decide(
        decision,
        organizer,
        "Our next project night is a **member-led workshop**. Kofi offered the one-on-one "
        "conversations workshop from the backlog.",
        notify=False,
    )
    _backdate(decision, 10)


def _dots(organizer, voters, now):
    if Decision.objects.filter(question=DOTS_QUESTION).exists():
        return
    meeting = Meeting.objects.upcoming().scheduled().first()
    decision = Decision(
        question=DOTS_QUESTION,
        context="Spread your three dots over what you would most like us to work on together.",
        method=Decision.Method.DOTS,
        dots_per_member=3,
        meeting=meeting,
        closes_at=now + timedelta(days=6),
    )
    labels = ["A map of worker centers in LA", "A reading series on care work", "Skill-shares on organizing"]
    decisions.create(decision, labels, organizer, open_now=False)
    decisions.open_decision(decision, organizer, notify=False)
    first, second, third = [option.key for option in decision.options.all()]
    for voter, dots in zip(
        voters[:4],
        [{first: 2, third: 1}, {second: 3}, {first: 1, second: 1, third: 1}, {first: 3}],
        strict=False,
    ):
        decisions.cast(decision, voter, {"dots": dots})
