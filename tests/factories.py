"""The test suite's one set of factories: posts, meetings, topics, decisions, members.

Import from here (`from tests.factories import make_meeting`) rather than writing a
local `make_*`: where a test needs other defaults, pass them as keyword arguments.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from blog.models import Post
from meetings.models import Format, Meeting
from members.accounts import create_member
from members.models import AccessRequest, User
from tests.conftest import PASSWORD
from topics import backlog, decisions
from topics.decision_models import Decision
from topics.models import Support, Topic

LA = ZoneInfo("America/Los_Angeles")
UTC = ZoneInfo("UTC")


# --- Blog ---------------------------------------------------------------------


def make_post(title="A post", publish_at=None, **fields):
    """A published post (published now, unless `publish_at` or `status` say otherwise)."""
    fields.setdefault("body", "Text.")
    fields.setdefault("status", Post.Status.PUBLISHED)
    if publish_at is not None:
        fields["publish_at"] = publish_at
    return Post.objects.create(title=title, **fields)


# --- Meetings -----------------------------------------------------------------


def club(year, month, day, hour=18, minute=0, fold=0):
    """An aware datetime on the club's wall clock."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(settings.CLUB_TIME_ZONE), fold=fold)


def make_meeting(starts_at=None, *, title="Reading club", days=7, agenda=True, **fields):
    """A reading club meeting at `starts_at` (or `days` from now), with the default agenda unless `agenda=False`."""
    if starts_at is None:
        starts_at = timezone.now() + timedelta(days=days)
    fields.setdefault("format", Format.READING_CLUB)
    meeting = Meeting.objects.create(title=title, starts_at=starts_at, **fields)
    if agenda:
        meeting.apply_agenda_template()  # the standard 20/60/15 frame unless a test changed the templates
    return meeting


def ensure_standard_template():
    """Browser tests run with a flushed database, which drops the data migration's template."""
    from meetings.models import AgendaTemplate

    return AgendaTemplate.objects.default_or_standard()


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def admin_add_data(**overrides):
    """What the admin's add page posts for a new meeting on 7 March 2030 at 18:00, with no inline rows."""
    return {
        "title": "Reading club: Kindred",
        "format": "reading_club",
        "starts_at_0": "2030-03-07",
        "starts_at_1": "18:00",
        "description": "Chapters 1–3.",
        "video_link": "https://meet.example.org/room",
        "status": "scheduled",
        **inline_management("agenda_items"),
        **inline_management("rsvps"),
        **overrides,
    }


def admin_change_data(meeting, **overrides):
    """What the admin's change page posts for this meeting as it is, agenda and RSVP inlines included.

    `overrides` replace fields; keys such as "agenda_items-1-minutes" reach into the inline.
    """
    from solidarityclub.times import club_time

    local = club_time(meeting.starts_at)
    data = {
        "title": meeting.title,
        "format": meeting.format,
        "starts_at_0": f"{local:%Y-%m-%d}",
        "starts_at_1": f"{local:%H:%M}",
        "facilitator": str(meeting.facilitator_id or ""),
        "description": meeting.description,
        "video_link": meeting.video_link,
        "link_visible_minutes_before": ""
        if meeting.link_visible_minutes_before is None
        else str(meeting.link_visible_minutes_before),
        "status": meeting.status,
        "cancellation_reason": meeting.cancellation_reason,
        "notes": meeting.notes,
    }
    items = list(meeting.agenda_items.all())
    data.update(inline_management("agenda_items", total=len(items), initial=len(items)))
    for n, item in enumerate(items):
        data.update(
            {
                f"agenda_items-{n}-id": str(item.pk),
                f"agenda_items-{n}-meeting": str(meeting.pk),
                f"agenda_items-{n}-position": str(item.position),
                f"agenda_items-{n}-title": item.title,
                f"agenda_items-{n}-minutes": str(item.minutes),
                f"agenda_items-{n}-description": item.description,
            }
        )
        if item.holds_topics:
            data[f"agenda_items-{n}-holds_topics"] = "on"
    rsvps = list(meeting.rsvps.all())
    data.update(inline_management("rsvps", total=len(rsvps), initial=len(rsvps)))
    for n, rsvp in enumerate(rsvps):
        data.update({f"rsvps-{n}-id": str(rsvp.pk), f"rsvps-{n}-meeting": str(meeting.pk)})
    data.update(overrides)
    return data


# --- Topics and members -------------------------------------------------------


def make_topic(proposer, title="Reading “Mutual Aid”", *, description="Let us read it.", **fields):
    return backlog.propose(Topic(title=title, description=description, **fields), proposer)


def make_facilitator(email="fran@example.org", **fields):
    return create_member(email, password=PASSWORD, display_name="Fran", **fields)


def make_members(count, prefix="m", display_name=""):
    """Many plain accounts at once (no password hashing): supporters for big backlogs.

    `display_name` may hold `{i}`, the account's number: "Member {i}".
    """
    return User.objects.bulk_create(
        User(email=f"{prefix}{i}@example.org", password="!unusable", display_name=display_name.format(i=i))
        for i in range(count)  # noqa: S106
    )


def bulk_backlog(proposer, supporters, topics=5000, supports=50000):
    """`topics` open topics and `supports` Support rows spread over them, counts kept true."""
    rows = Topic.objects.bulk_create(
        Topic(
            title=f"Topic number {i}",
            description=f"About thing {i}.",
            description_html=f"<p>About thing {i}.</p>",
            proposer=proposer,
            format=Format.values[i % len(Format.values)],
        )
        for i in range(topics)
    )
    per_user = supports // len(supporters)
    support_rows = []
    counts = dict.fromkeys(topic.pk for topic in rows)
    for u, user in enumerate(supporters):
        for j in range(per_user):
            topic = rows[(u * 7 + j * 13) % len(rows)]
            support_rows.append(Support(topic=topic, user=user))
    # The same (topic, user) never repeats: j * 13 mod 5000 is distinct for j < 5000.
    Support.objects.bulk_create(support_rows, batch_size=5000)
    for support in support_rows:
        counts[support.topic_id] = (counts[support.topic_id] or 0) + 1
    by_count = {}
    for topic_id, count in counts.items():
        by_count.setdefault(count or 0, []).append(topic_id)
    for count, ids in by_count.items():
        for start in range(0, len(ids), 500):
            Topic.objects.filter(pk__in=ids[start : start + 500]).update(support_count=count)
    return rows


def make_access_request(
    email="nia@example.org", name="Nia Newcomer", status=AccessRequest.Status.PENDING, *, days_old=0, **fields
):
    """A request to join (pending unless `status` says otherwise), made `days_old` days ago."""
    fields.setdefault("pronouns", "she/her")
    fields.setdefault("motivation", "I want to learn with others how to build solidarity.")
    access_request = AccessRequest.objects.create(
        name=name, email=email, status=status, agreed_to_code_of_conduct=True, **fields
    )
    if days_old:
        moment = timezone.now() - timedelta(days=days_old)
        AccessRequest.objects.filter(pk=access_request.pk).update(created_at=moment, updated_at=moment)
        access_request.refresh_from_db()
    return access_request


# --- Decisions ----------------------------------------------------------------


def make_decision(
    by, question="Shall we meet twice a month?", *, method="consent", options=(), open_now=True, **fields
):
    fields.setdefault("closes_at", timezone.now() + timedelta(days=7))
    decision = Decision(question=question, method=method, **fields)
    return decisions.create(decision, list(options), by, open_now=open_now)


def option_keys(decision):
    return [option.key for option in decision.options.all()]
