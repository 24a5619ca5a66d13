"""Seed the benchmark's large club, or (--pages) list the pages to drive.

2,000 members, 1,000 meetings with their agendas and RSVPs, 5,000 posts,
10,000 topics and 100,000 supports, written with bulk_create in batches.
Run by tests/bench/run.py against its own PostgreSQL database.
"""

import json
import os
import random
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarityclub.settings")
django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from blog.models import Kind, Post  # noqa: E402
from meetings.models import RSVP, AgendaItem, Format, Meeting  # noqa: E402
from members.accounts import create_member  # noqa: E402
from members.models import User  # noqa: E402
from solidarityclub.markdown import render_markdown  # noqa: E402
from topics.models import Status as TopicStatus  # noqa: E402
from topics.models import Support, Topic  # noqa: E402

MEMBERS, MEETINGS, POSTS, TOPICS, SUPPORTS = 2_000, 1_000, 5_000, 10_000, 100_000
BENCH_MEMBER = "bench-member@example.org"
BENCH_ZONED_MEMBER = "bench-zoned@example.org"  # sees every time in their own zone too
BATCH = 2_000
BODY = """We met to read and talk about **mutual aid**: what it asks of us, and what it gives.

- Bring a question
- Bring a snack
- Bring a friend

| part | minutes |
| --- | ---: |
| check-in | 20 |
| meeting | 60 |

> Solidarity is rooted in equality and autonomy for all.

See [the reading](https://example.org/reading) before we meet.
"""
FRAME = [("Intro, check-in and welcome", 20, False), ("Meeting", 60, True), ("Process, check-out", 15, False)]


def seed(verbose=True):
    rng = random.Random(7)
    now = timezone.now()
    body_html = render_markdown(BODY)
    password = make_password("bench-password")
    with transaction.atomic():
        create_member(BENCH_MEMBER, password="bench-password", display_name="Bench Member")
        create_member(
            BENCH_ZONED_MEMBER,
            password="bench-password",
            display_name="Zoned Member",
            time_zone="Europe/Berlin",
        )
        User.objects.bulk_create(
            (
                User(email=f"member{i}@example.org", display_name=f"Member {i}", password=password)
                for i in range(MEMBERS - 2)
            ),
            batch_size=BATCH,
        )
        users = list(User.objects.values_list("pk", flat=True))

        formats = [choice for choice, _ in Format.choices]
        meetings = Meeting.objects.bulk_create(
            (
                Meeting(
                    title=f"Meeting {i}",
                    format=formats[i % len(formats)],
                    starts_at=(start := now + timedelta(days=7 * (i - MEETINGS + 50), hours=1)),
                    ends_at=start + timedelta(minutes=95),
                    description=BODY,
                    description_html=body_html,
                    notes=BODY,
                    notes_html=body_html,
                    video_link="https://meet.example.org/solidarity",
                )
                for i in range(MEETINGS)
            ),
            batch_size=BATCH,
        )
        AgendaItem.objects.bulk_create(
            (
                AgendaItem(meeting=m, position=p, title=t, minutes=mins, holds_topics=h)
                for m in meetings
                for p, (t, mins, h) in enumerate(FRAME)
            ),
            batch_size=BATCH,
        )
        RSVP.objects.bulk_create(
            (
                RSVP(meeting=m, user_id=u, answer=rng.choice(["going", "maybe", "cant"]))
                for m in meetings
                for u in rng.sample(users, 10)
            ),
            batch_size=BATCH,
        )

        Post.objects.bulk_create(
            (
                Post(
                    title=f"Post number {i}",
                    slug=f"post-number-{i}",
                    kind=Kind.ANNOUNCEMENT if i % 3 else Kind.PROJECT,
                    summary="What we did and what comes next.",
                    body=BODY,
                    body_html=body_html,
                    author_id=users[0],
                    status=Post.Status.PUBLISHED,
                    publish_at=now - timedelta(hours=i),
                    meeting=meetings[i % MEETINGS] if i % 5 == 0 else None,
                )
                for i in range(POSTS)
            ),
            batch_size=BATCH,
        )

        past = [m for m in meetings if m.starts_at < now]
        topics = Topic.objects.bulk_create(
            (
                Topic(
                    title=f"Topic {i}: organizing where we work",
                    description=BODY,
                    description_html=body_html,
                    format=formats[i % len(formats)],
                    proposer_id=users[i % len(users)],
                    status=TopicStatus.OPEN if i % 5 else TopicStatus.DISCUSSED,
                    meeting=None if i % 5 else past[i % len(past)],
                    gathered_minutes=None if i % 5 else 20,
                )
                for i in range(TOPICS)
            ),
            batch_size=BATCH,
        )
        supports = set()
        while len(supports) < SUPPORTS:
            supports.add((rng.randrange(len(topics)), rng.choice(users)))
        Support.objects.bulk_create(
            (Support(topic=topics[t], user_id=u) for t, u in supports), batch_size=BATCH * 5
        )
        counts = {}
        for t, _ in supports:
            counts[t] = counts.get(t, 0) + 1
        for index, topic in enumerate(topics):
            topic.support_count = counts.get(index, 0)
        Topic.objects.bulk_update(topics, ["support_count"], batch_size=BATCH)
    if verbose:
        print(
            f"Seeded {User.objects.count()} members, {Meeting.objects.count()} meetings, "
            f"{Post.objects.count()} posts, {Topic.objects.count()} topics, {Support.objects.count()} supports."
        )


def bench_member(email=BENCH_MEMBER):
    return User.objects.get(email=email)


# Who asks: a visitor, the bench member, or the member with their own time zone.
VISITOR, MEMBER, ZONED = "visitor", BENCH_MEMBER, BENCH_ZONED_MEMBER


def bench_pages():
    """(name, path, who, goal) for every page the benchmark drives; the query-bound test reuses it.

    `goal`: the throughput to reach as a share of the trivial view's in the same run (issue 14).
    """
    member = bench_member()
    post = Post.objects.published().first()
    meeting = Meeting.objects.upcoming().first()
    meeting_path = reverse("meetings:detail", args=[meeting.pk])
    return [
        ("trivial view (/robots.txt)", "/robots.txt", VISITOR, 1.0),
        ("home", "/", VISITOR, 0.9),
        ("blog list", reverse("blog:list"), VISITOR, 0.9),
        ("a post", post.get_absolute_url(), VISITOR, 0.9),
        ("meetings list", reverse("meetings:list"), VISITOR, 0.9),
        ("a meeting page", meeting_path, VISITOR, 0.9),
        ("public calendar feed", reverse("meetings:feed"), VISITOR, 0.7),
        ("private feed", reverse("meetings:private-feed", args=[member.feed_token]), VISITOR, 0.5),
        ("home (signed in)", "/", MEMBER, 0.5),
        ("meetings list (signed in)", reverse("meetings:list"), MEMBER, 0.5),
        ("a meeting page (signed in)", meeting_path, MEMBER, 0.5),
        ("topics (signed in)", reverse("topics:list"), MEMBER, 0.5),
        ("meetings list (own time zone)", reverse("meetings:list"), ZONED, 0.5),
    ]


def session_cookie(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def pages():
    """Tab-separated: name, path, cookie (empty for visitors), goal."""
    cookies = {VISITOR: ""}
    for name, path, who, goal in bench_pages():
        if who not in cookies:
            cookies[who] = session_cookie(bench_member(who))
        print("\t".join([name, path, cookies[who], str(goal)]))
    # What the mixed run writes to: open topics and upcoming meetings (supports and RSVPs).
    topics = list(Topic.objects.backlog().values_list("pk", flat=True)[:200])
    meetings = list(Meeting.objects.upcoming().values_list("pk", flat=True)[:20])
    print(json.dumps({"topics": topics, "meetings": meetings}))


if __name__ == "__main__":
    pages() if "--pages" in sys.argv else seed()
