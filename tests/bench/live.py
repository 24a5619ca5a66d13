"""The live meeting in `make bench`: 100 members following one meeting, one poll each, as the page does.

As a script (`python -m tests.bench.live`) it starts a live meeting in the bench
database, if none runs yet, and prints: path, session cookie, ETag — what a
follower's page sends every second. `follower_rows` drives that endpoint with
100 connections (If-None-Match: nothing changes, so every answer is a 304) and
the trivial view at the same concurrency, for their ratio.
"""

import os
import sys
from datetime import timedelta

FOLLOWERS = int(os.environ.get("BENCH_FOLLOWERS", "100"))
TITLE = "Bench: a live meeting"


def prepare():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarityclub.settings")
    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse
    from django.utils import timezone

    from meetings import live
    from meetings.live_views import _etag, _version_row
    from meetings.models import Meeting
    from tests.bench.seed import bench_member

    member = bench_member()
    meeting = Meeting.objects.filter(title=TITLE).first()
    if meeting is None:
        meeting = Meeting.objects.create(title=TITLE, starts_at=timezone.now() + timedelta(minutes=5))
        meeting.apply_agenda_template()
        live.start(meeting)
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    etag = _etag(meeting.pk, _version_row(meeting.pk), member.pk)
    print(
        "\t".join(
            [reverse("meetings:live-state", args=[meeting.pk]), f"sessionid={session.session_key}", etag]
        )
    )


def follower_rows(base, run_wrk, python):
    """[(connections, name, result, ratio, goal)] for the trivial view and the unchanged live state."""
    out = python("-m", "tests.bench.live", capture_output=True, text=True).stdout.strip()
    path, cookie, etag = out.split("\t")
    trivial = run_wrk(base + "/robots.txt", FOLLOWERS)
    followers = run_wrk(base + path, FOLLOWERS, cookie, extra_headers=[f"If-None-Match: {etag}"])
    ratio = followers["rps"] / trivial["rps"] if trivial["rps"] else 0
    return [
        (FOLLOWERS, "trivial view (/robots.txt)", trivial, 1.0, None),
        (FOLLOWERS, "live meeting, unchanged (304)", followers, ratio, None),
    ]


if __name__ == "__main__":
    sys.exit(prepare())
