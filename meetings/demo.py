"""Demo content for `manage.py seed_demo`: a series of upcoming meetings and a few past ones.

Runs after members' demo, so the demo members RSVP when they exist. Safe to run
again: once the demo series exists nothing more is added.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from solidarityclub.times import club_zone

from .models import RSVP, Format, Meeting, Series, Weekday

DEMO_SERIES_TITLE = "Solidarity Club meeting"
DEMO_MEMBER_EMAILS = ["ana@example.org", "kofi@example.org", "rue@example.org"]

UPCOMING = [
    (Format.READING_CLUB, "Reading club: The Dawn of Everything, chapters 1–2"),
    (Format.CHIT_CHAT, "Chit chat: how is everyone doing?"),
    (Format.WORKSHOP, "Workshop: mapping our mutual aid networks"),
    (Format.MOVIE_NIGHT, "Movie night: Harlan County, USA"),
]

PAST = [
    (
        70,
        Format.GUEST_SPEAKER,
        "Guest speaker: organizing a tenants' union",
        "A tenant organizer from Los Angeles told us how their building organized.",
        "Notes: we heard how the union started with one potluck. **Check-out:** people felt "
        "hopeful and want a follow-up on rent strikes.",
    ),
    (
        56,
        Format.PROJECT_WORK,
        "Project work: the club's reading list on Are.na",
        "We sort and annotate the reading list together.",
        "Notes: the list now has five channels. **Check-out:** good to make something together; "
        "next time shorter breakout rooms.",
    ),
    (
        42,
        Format.READING_CLUB,
        "Reading club: Emergent Strategy",
        "Bring a passage that stayed with you.",
        "Notes: we read the chapter on fractals. **Check-out:** the 20-minute check-in felt too short.",
    ),
    (
        28,
        Format.CHIT_CHAT,
        "Chit chat: work beyond capitalism",
        "",
        "Notes: a loose conversation about cooperatives. **Check-out:** calm and warm.",
    ),
    (
        14,
        Format.MOVIE_NIGHT,
        "Movie night: Salt of the Earth",
        "We watch separately and talk together.",
        "Notes: the strike scenes led to a long talk about solidarity across households. "
        "**Check-out:** tired but glad.",
    ),
]


def _past_start(days_ago):
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(day, time(18, 0), tzinfo=club_zone())


LIVE_DEMO_TITLE = "Live demo: check-in and dot-vote"
LIVE_DEMO_STARTS_IN = timedelta(minutes=10)


def seed_live_demo(stdout, now=None):
    """A meeting starting within the hour, so the live page can be tried at once after `make run`.

    Added again on a later run when no demo meeting is about to start or in progress.
    """
    now = now or timezone.now()
    soon = Meeting.objects.scheduled().filter(
        title=LIVE_DEMO_TITLE, starts_at__lte=now + timedelta(hours=1), ends_at__gt=now
    )
    if soon.exists():
        return None
    organizer = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    meeting = Meeting.objects.create(
        title=LIVE_DEMO_TITLE,
        format=Format.CHIT_CHAT,
        starts_at=(now + LIVE_DEMO_STARTS_IN).replace(second=0, microsecond=0),
        description=(
            "Open **Follow the meeting live** on this page: the facilitator starts the meeting, "
            "opens a dot-vote on the backlog during check-in and moves through the agenda."
        ),
        video_link="https://meet.example.org/solidarity-club",
        link_visible_minutes_before=60,
        facilitator=organizer,
    )
    meeting.apply_agenda_template()
    stdout.write(f"Live demo meeting at /meetings/{meeting.pk}/live/ (starts in 10 minutes).")
    return meeting


def seed(stdout):
    seed_live_demo(stdout)
    if Series.objects.filter(title=DEMO_SERIES_TITLE).exists():
        stdout.write("Demo meetings are already there.")
        return
    series = Series.objects.create(
        title=DEMO_SERIES_TITLE,
        format=Format.CHIT_CHAT,
        weekday=Weekday.THURSDAY,
        ordinals=[1, 3],
        local_time=time(18, 0),
        description="Once or twice a month, online. Bring yourself and a cup of something.",
        video_link="https://meet.example.org/solidarity-club",
        link_visible_minutes_before=30,
    )
    upcoming = series.generate(len(UPCOMING))
    for meeting, (format_, title) in zip(upcoming, UPCOMING, strict=False):
        meeting.format, meeting.title = format_, title
        meeting.save()
    past = []
    for days_ago, format_, title, description, notes in PAST:
        meeting = Meeting.objects.create(
            title=title,
            format=format_,
            starts_at=_past_start(days_ago),
            description=description,
            notes=notes,
            video_link="https://meet.example.org/solidarity-club",
        )
        meeting.apply_agenda_template()
        past.append(meeting)
    members = list(get_user_model().objects.filter(email__in=DEMO_MEMBER_EMAILS).order_by("email"))
    answers = [RSVP.Answer.GOING, RSVP.Answer.MAYBE, RSVP.Answer.CANT]
    RSVP.objects.bulk_create(
        [
            RSVP(meeting=meeting, user=member, answer=answers[(index + offset) % len(answers)])
            for offset, meeting in enumerate(upcoming + past)
            for index, member in enumerate(members)
        ],
        ignore_conflicts=True,
    )
    stdout.write(f"Demo meetings: {len(upcoming)} upcoming ({series.rule_text}), {len(past)} past.")
