"""Demo content for `manage.py seed_demo`: a backlog with supports, and a past meeting's topics.

Runs after members and meetings (INSTALLED_APPS order). Idempotent: topics are
found by title, supports are unique, and a meeting is gathered into only once.
"""

from datetime import timedelta

from django.utils import timezone

from meetings.models import Format, Meeting
from members.models import User

from . import backlog, decision_demo
from .models import Status, Topic

# (title, format, description, link, proposer index, how many demo members support it)
BACKLOG = [
    (
        "Reading: “Mutual Aid” by Dean Spade",
        Format.READING_CLUB,
        "Spade's short book on building solidarity, not charity. We could read the first three "
        "chapters and talk about which of its **mutual aid** questions fit our club.",
        "https://www.versobooks.com/products/2540-mutual-aid",
        1,
        4,
    ),
    (
        "Movie night: “Harlan County, USA”",
        Format.MOVIE_NIGHT,
        "Barbara Kopple's 1976 documentary about a miners' strike in Kentucky. Watch it beforehand "
        "and bring one scene that stayed with you.",
        "",
        2,
        3,
    ),
    (
        "Workshop: one-on-one organizing conversations",
        Format.WORKSHOP,
        "A member-led practice session: how to start a conversation with a co-worker about what "
        "they would change at work, listen first, and follow up.\n\n- 10 min: the model\n"
        "- 30 min: practice in pairs\n- 20 min: what was hard",
        "",
        3,
        3,
    ),
    (
        "What would a four-day week change for care work?",
        Format.CHIT_CHAT,
        "Four-day-week pilots mostly measure office work. What happens for nurses, teachers and "
        "home carers, whose work cannot simply be compressed?",
        "",
        1,
        2,
    ),
    (
        "Project: a map of worker centers in Los Angeles",
        Format.PROJECT_WORK,
        "Start an open, shared map of worker centers, tenant unions and mutual aid groups around LA, "
        "so newcomers know where to turn.",
        "https://www.openstreetmap.org/",
        2,
        2,
    ),
    (
        "Guest speaker: a platform workers' organizer",
        Format.GUEST_SPEAKER,
        "Invite someone organizing app-based drivers or couriers to tell us what works, what does "
        "not, and how outsiders can help without getting in the way.",
        "",
        3,
        1,
    ),
    (
        "Reading: Kathi Weeks, “The Problem with Work” (introduction)",
        Format.READING_CLUB,
        "The introduction asks why work is treated as a private matter and not a political one. "
        "About 30 pages.",
        "",
        0,
        1,
    ),
    (
        "Check-out formats that are not just a round",
        Format.CHIT_CHAT,
        "Our check-out is always a round. Could we try pairs, a silent minute, or one word each? "
        "Let's collect ideas and try one.",
        "",
        2,
        0,
    ),
]

# Taken up at the past meeting: (title, format, description, minutes, discussed note)
PAST_TOPICS = [
    (
        "Workshopping work beyond capitalism: where we left off",
        Format.CHIT_CHAT,
        "A look back at the Q3 Assembly at NAVEL and which threads we want to keep pulling.",
        30,
        "Three threads kept: care work, platform work, and time. Reading list on Are.na.",
    ),
    (
        "Future of Labor: one year later",
        Format.CHIT_CHAT,
        "What did the Q2 Assembly get right about automation and what did it miss?",
        25,
        "",
    ),
]


def _demo_people():
    people = list(User.objects.in_good_standing().filter(email__endswith="@example.org").order_by("pk"))
    return people or list(User.objects.in_good_standing().order_by("pk")[:5])


def _topic(title, fmt, description, proposer, link=""):
    topic = Topic.objects.filter(title=title).first()
    if topic is None:
        topic = backlog.propose(
            Topic(title=title, format=fmt, description=description, link_1=link), proposer
        )
    return topic


def _past_meeting():
    meeting = Meeting.objects.past().scheduled().first()  # the meetings demo's, when it made one
    if meeting is None:
        starts = timezone.now().replace(hour=2, minute=0, second=0, microsecond=0) - timedelta(days=14)
        meeting = Meeting.objects.create(
            title="Looking back on the assemblies",
            format=Format.CHIT_CHAT,
            starts_at=starts,
            description="Where the club came from, and which threads we keep pulling.",
        )
    meeting.apply_agenda_template()  # does nothing when it has an agenda already
    return meeting


def seed(stdout):
    people = _demo_people()
    if not people:
        stdout.write("Topics: no members to propose topics; run the members seed first.")
        return
    organizer = next((person for person in people if person.is_staff), people[0])
    members = [person for person in people if not person.is_staff] or people

    for title, fmt, description, link, proposer_index, supporters in BACKLOG:
        topic = _topic(title, fmt, description, members[proposer_index % len(members)], link)
        if topic.status == Status.OPEN:
            for person in people[:supporters]:
                backlog.add_support(topic, person)

    meeting = _past_meeting()
    if meeting is not None and not meeting.gathered_topics.exists():
        picks = []
        for index, (title, fmt, description, minutes, _note) in enumerate(PAST_TOPICS):
            topic = _topic(title, fmt, description, members[index % len(members)])
            for person in people[: 3 - index]:
                backlog.add_support(topic, person)
            if topic.status == Status.OPEN:
                picks.append(backlog.Pick(topic.pk, minutes))
        if picks:
            try:
                backlog.gather(meeting, picks, organizer, notify=False)
            except backlog.BacklogError as error:
                stdout.write(f"Topics: nothing gathered into “{meeting}”: {error}")
                return
        for title, _fmt, _description, _minutes, note in PAST_TOPICS:
            topic = Topic.objects.get(title=title)
            if topic.status == Status.GATHERED and note:
                backlog.mark_discussed(topic, organizer, note)
        # What was not discussed goes back to the backlog, as the scheduler does after every meeting.
        backlog.return_all_gathered(meeting, backlog.NOT_DISCUSSED)
    stdout.write(f"Topics: {Topic.objects.backlog().count()} open in the backlog.")
    decision_demo.seed(stdout, organizer, people)
