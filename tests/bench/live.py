"""The live meeting in `make bench`: 100 members following one meeting, one poll each, as the page does.

As a script (`python -m tests.bench.live`) it starts a live meeting in the bench
database, if none runs yet, and prints its state's path, then for each of 100
members a session cookie and the ETag their page holds — what each follower's page
sends every second. `follower_rows` drives that endpoint with 100 connections, each
request the next member's poll (If-None-Match: nothing changes, so every answer is a
304), and the trivial view at the same concurrency, for their ratio.
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
    from members.models import User

    meeting = Meeting.objects.filter(title=TITLE).first()
    if meeting is None:
        meeting = Meeting.objects.create(title=TITLE, starts_at=timezone.now() + timedelta(minutes=5))
        meeting.apply_agenda_template()
        live.start(meeting)
    # Each follower is a member of their own: a session and an ETag each, as their pages hold.
    followers = list(User.objects.in_good_standing().order_by("pk")[:FOLLOWERS])
    if len(followers) < FOLLOWERS:
        raise SystemExit(f"the bench database has {len(followers)} members in good standing, not {FOLLOWERS}")
    version = _version_row(meeting.pk)
    print(reverse("meetings:live-state", args=[meeting.pk]))
    for member in followers:
        session = SessionStore()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.create()
        print(f"sessionid={session.session_key}\t{_etag(meeting.pk, version, member.pk)}")


# Each request is the next follower's poll: their cookie and the ETag their page holds.
FOLLOWERS_LUA = """
local path = %(path)s
local as_followers = %(as_followers)s
local followers = %(followers)s
counter, changed = 0, 0  -- globals: done() reads each thread's count
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  counter = math.random(#followers)
end
function response(status, headers, body)
  if status ~= 304 then changed = changed + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("changed") end
  io.write(string.format('MIXED {"not_304": %%d}\\n', total))
end
function request()
  counter = counter %% #followers + 1
  local follower = followers[counter]
  local headers = {["X-Forwarded-Proto"] = "https"}
  if as_followers then
    headers["Cookie"] = follower[1]
    headers["If-None-Match"] = follower[2]
  end
  return wrk.format("GET", path, headers)
end
"""


def follower_rows(base, run_wrk, python):
    """[(connections, name, result, ratio, goal)] for the trivial view and the unchanged live state."""
    import json
    import tempfile

    path, *lines = python("-m", "tests.bench.live", capture_output=True, text=True).stdout.split("\n")
    followers = [line.split("\t") for line in lines if line.strip()]
    pairs = (
        "{" + ", ".join(f"{{{json.dumps(cookie)}, {json.dumps(etag)}}}" for cookie, etag in followers) + "}"
    )
    # The trivial view (a visitor's) is driven by the same script, each request built in Lua,
    # so that the ratio compares the two answers, not two ways of sending requests.
    scripts = {}
    for name, target, as_followers in (("trivial", "/robots.txt", "false"), ("polls", path, "true")):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(
                FOLLOWERS_LUA % {"path": json.dumps(target), "followers": pairs, "as_followers": as_followers}
            )
        scripts[name] = script.name
    try:
        trivial = run_wrk(base + "/robots.txt", FOLLOWERS, script=scripts["trivial"])
        polls = run_wrk(base + path, FOLLOWERS, script=scripts["polls"])
    finally:
        for name in scripts.values():
            os.unlink(name)
    if polls.get("not_304"):
        raise SystemExit(
            f"{polls['not_304']} polls of an unchanged live meeting were answered in full, not 304"
        )
    ratio = polls["rps"] / trivial["rps"] if trivial["rps"] else 0
    return [
        (FOLLOWERS, "trivial view (/robots.txt), same script", trivial, 1.0, 1.0),
        (FOLLOWERS, f"live meeting, unchanged (304), {len(followers)} members", polls, ratio, 0.8),
    ]


if __name__ == "__main__":
    sys.exit(prepare())
