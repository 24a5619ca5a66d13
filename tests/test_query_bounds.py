"""Every main page needs a bounded number of queries with the benchmark's large club.

2,000 members, 1,000 meetings, 5,000 posts, 10,000 topics and 100,000 supports
(tests/bench/seed.py, the same data `make bench` drives). The visitor page
cache is off in tests, so each page is really rendered.
"""

from django.urls import reverse

from meetings.models import Meeting
from members.models import User
from tests.bench.seed import bench_pages, seed
from topics.models import Topic

MAX_QUERIES = 15  # the database cache alone takes up to 6 when a feed body is stored


def test_every_page_stays_within_its_query_budget_with_a_large_club(
    client, db, django_assert_max_num_queries
):
    seed(verbose=False)
    member = User.objects.get(email="bench-member@example.org")
    organizer = User.objects.filter(pk=member.pk)
    organizer.update(is_staff=True)
    meeting = Meeting.objects.upcoming().first()
    topic = Topic.objects.backlog().first()
    pages = [(path, signed_in) for _name, path, signed_in in bench_pages()]
    pages += [
        (reverse("meetings:past"), False),
        (reverse("blog:feed"), False),
        (reverse("topics:detail", args=[topic.pk]), True),
        (reverse("topics:gather", args=[meeting.pk]), True),
        (reverse("members:settings"), True),
    ]
    for path, signed_in in pages:
        client.logout()
        if signed_in:
            client.force_login(member)
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(path)
        assert response.status_code == 200, path
