"""Every main page needs a bounded number of queries with the benchmark's large club.

2,000 members, 1,000 meetings, 5,000 posts, 10,000 topics and 100,000 supports
(tests/bench/seed.py, the same data `make bench` drives). Each page has its own
budget, rendered from scratch (cache off, as in every other test), and again with
the cache on and warm: visitors then cost no query at all, members only what is
their own (their session, their account, their marks).
"""

import time

import pytest
import time_machine
from django.urls import reverse

from meetings.models import Meeting
from members.models import User
from solidarityclub import pagecache
from solidarityclub.pagecache import reset_process_cache
from tests.bench.seed import VISITOR, bench_pages, seed
from topics.models import Topic

# Page name -> (queries rendered from scratch, queries with a warm cache). A member's
# page kept whole for them (solidarityclub/memberpages.py): the session and the member's
# version, read together from the database cache here (one query). Other members' pages: the session,
# the account, and at most one query for their own state (supports, RSVP).
BUDGETS = {
    "trivial view (/robots.txt)": (0, 0),
    "home": (3, 0),  # the next meeting, its agenda (the 20/60/15 bar), the latest posts
    "blog list": (2, 0),
    "a post": (1, 0),
    "meetings list": (2, 0),
    "a meeting page": (3, 0),
    "public calendar feed": (2, 0),
    # cold: the body is kept under its ETag even with the page cache off (a database-cache write is 5-7 queries)
    "private feed": (12, 1),
    "home (signed in)": (7, 1),  # cold: + the RSVP; for organizers the requests waiting (never kept)
    "meetings list (signed in)": (4, 1),
    # + the member's RSVP, who is coming, the meeting's decisions and topic history
    "a meeting page (signed in)": (8, 1),
    "topics (signed in)": (5, 1),  # cold: + which topics on the page the member supports
    "meetings list (own time zone)": (4, 1),
    "past meetings": (3, 0),
    "blog feed": (2, 0),
    "a topic (signed in)": (5, 5),  # + the topic's decisions
    "gather (organizer)": (7, 7),  # + the meeting's dot-vote, if one was held
    "settings (signed in)": (3, 3),  # + whether the member is listed in the directory
}


@pytest.fixture
def large_club(db):
    seed(verbose=False)
    member = User.objects.get(email="bench-member@example.org")
    meeting = Meeting.objects.upcoming().first()
    topic = Topic.objects.backlog().first()
    pages = [(name, path, who) for name, path, who, _goal in bench_pages()]
    pages += [
        ("past meetings", reverse("meetings:past"), VISITOR),
        ("blog feed", reverse("blog:feed"), VISITOR),
        ("a topic (signed in)", reverse("topics:detail", args=[topic.pk]), member.email),
        ("gather (organizer)", reverse("topics:gather", args=[meeting.pk]), "organizer"),
        ("settings (signed in)", reverse("members:settings"), member.email),
    ]
    return pages


def sign_in(client, who):
    client.logout()
    client.cookies.clear()
    if who == "organizer":
        organizer, _created = User.objects.get_or_create(
            email="bench-organizer@example.org", defaults={"display_name": "Organizer", "is_staff": True}
        )
        client.force_login(organizer)
    elif who != VISITOR:
        client.force_login(User.objects.get(email=who))


def test_every_page_stays_within_its_query_budget_with_a_large_club(
    client, large_club, settings, django_assert_max_num_queries
):
    assert {name for name, _path, _who in large_club} == set(BUDGETS)
    # The clock stands still, so the area versions are read once, up front.
    with time_machine.travel(time.time(), tick=False):
        pagecache.versions.current()
        for name, path, who in large_club:
            sign_in(client, who)
            with django_assert_max_num_queries(BUDGETS[name][0], info=name):
                response = client.get(path)
            assert response.status_code == 200, name

        settings.PAGE_CACHE_SECONDS = 60
        reset_process_cache()
        pagecache.versions.current()
        for name, path, who in large_club:
            sign_in(client, who)
            # Warms the cache: the first page sets the CSRF cookie, the second is kept for a member.
            for _warm in range(2):
                assert client.get(path).status_code == 200, name
            with django_assert_max_num_queries(BUDGETS[name][1], info=name):
                response = client.get(path)
            assert response.status_code == 200, name
