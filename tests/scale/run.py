"""`make scale-test`: several web processes behind a real balancer, shared PostgreSQL and Redis, faults under load.

Not part of `make test`. On loopback it starts its own PostgreSQL cluster and Redis (so
it may restart and stop them), 3 gunicorn processes with production settings, HAProxy
in front with health checks on /healthz, 2 mailers and 2 schedulers at once, and a
real SMTP server (tests/smtp_sink.py) that records every delivered message. Then:

1. throughput through the balancer with 1 and with 3 web processes (wrk, mixed visitors
   and signed-in members);
2. what must be shared is shared: a session made on one process works on the others,
   a post published through one process shows to visitors on every process within 1 s,
   the access-request rate limit counts across processes;
3. faults under load: kill -9 of one web process, a PostgreSQL restart, Redis stopped;
4. nothing twice: 200 emails (access requests, an announcement to 150 members,
   reminders) queued while two mailers and two schedulers run arrive exactly once.

It prints every figure and exits non-zero when any check fails.
Environment: SCALE_BASE_PORT (default 18300: balancer; +1…+3 web; +10 SMTP; +20 Redis;
+30 PostgreSQL), SCALE_DURATION seconds of load per run (default 20), SCALE_CONNECTIONS
(default 32).
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
BASE_PORT = int(os.environ.get("SCALE_BASE_PORT", "18300"))
DURATION = int(os.environ.get("SCALE_DURATION", "20"))
CONNECTIONS = int(os.environ.get("SCALE_CONNECTIONS", "32"))
BALANCER = BASE_PORT
WEB_PORTS = [BASE_PORT + i for i in (1, 2, 3)]
SMTP_PORT = BASE_PORT + 10
REDIS_PORT = BASE_PORT + 20
PG_PORT = BASE_PORT + 30
PG_CLUSTER = "scaletest"
DATABASE = "solidarityclub_scale"
MEMBER = ("ana@example.org", "solidarity-demo")  # from seed_demo
ORGANIZER = ("organizer@example.org", "solidarity-demo")
WORK = Path(tempfile.mkdtemp(prefix="scale-test-"))

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "solidarityclub.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "scale-test-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_STATIC_MANIFEST": "true",
    "DJANGO_LOG_LEVEL": "ERROR",
    "DJANGO_TRUSTED_PROXY_COUNT": "1",  # HAProxy appends the client's address
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}",
    "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": str(SMTP_PORT),
    "EMAIL_USE_TLS": "false",
    "SITE_URL": f"https://127.0.0.1:{BALANCER}",
    "CLUB_REQUIRE_ORGANIZER_2FA": "false",  # the check signs an organizer in with a password
    "DJANGO_PAGE_CACHE_SECONDS": "60",
}
for name in ("DJANGO_DB_CONNECT_TIMEOUT", "DJANGO_DB_STATEMENT_TIMEOUT"):
    ENV.pop(name, None)

failures = []
figures = []


def check(ok, what):
    print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
    if not ok:
        failures.append(what)


def figure(line):
    print(f"  {line}", flush=True)
    figures.append(line)


def run(*args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)


def manage(*args, env=None, **kwargs):
    return run(sys.executable, "manage.py", *args, cwd=PROJECT, env=env or ENV, **kwargs)


def wait_for_port(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


# --- Services ---------------------------------------------------------------------------


def pg_version():
    return sorted(os.listdir("/etc/postgresql"))[-1]


def pg(action):
    run(
        "pg_ctlcluster",
        "--skip-systemctl-redirect",
        pg_version(),
        PG_CLUSTER,
        action,
        stdout=subprocess.DEVNULL,
    )


def start_postgres():
    version = pg_version()
    if not Path(f"/etc/postgresql/{version}/{PG_CLUSTER}").exists():
        run(
            "pg_createcluster", "-p", str(PG_PORT), version, PG_CLUSTER, "--",
            "--auth=trust", stdout=subprocess.DEVNULL,
        )  # fmt: skip
        conf = Path(f"/etc/postgresql/{version}/{PG_CLUSTER}/postgresql.conf")
        conf.write_text(conf.read_text() + "\nmax_connections = 200\nfsync = off\n")
    status = subprocess.run(["pg_ctlcluster", version, PG_CLUSTER, "status"], capture_output=True)
    if status.returncode != 0:
        pg("start")
    if not wait_for_port(PG_PORT):
        raise SystemExit("the scale test's PostgreSQL did not start")
    admin = f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres"
    run("psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    run("psql", admin, "-qc", f'CREATE DATABASE "{DATABASE}"')


def start_redis():
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    if not wait_for_port(REDIS_PORT):
        raise SystemExit("the scale test's Redis did not start")
    return process


class Processes:
    """Every process the test starts, stopped at the end whatever happens."""

    def __init__(self):
        self.running = {}

    def start(self, name, args, **kwargs):
        log = open(WORK / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        self.running[name] = subprocess.Popen(
            args, cwd=PROJECT, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )
        return self.running[name]

    def kill(self, name, sig=signal.SIGTERM):
        process = self.running.pop(name, None)
        if process and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def stop_all(self):
        for name in list(self.running):
            self.kill(name)


def start_web(processes, index):
    port = WEB_PORTS[index]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    processes.start(
        f"web{index + 1}",
        [gunicorn, "solidarityclub.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "--log-level", "warning"],
    )  # fmt: skip
    if not wait_for_port(port, 60):
        raise SystemExit(f"web process {index + 1} did not start (see {WORK}/web{index + 1}.log)")


def haproxy_config():
    servers = "\n".join(
        # A loaded process may take a second to answer /healthz: only three misses in a row
        # (a killed process refuses at once, so it is out within about 3 s) take it out.
        f"    server web{i + 1} 127.0.0.1:{port} check inter 1s fall 3 rise 2"
        for i, port in enumerate(WEB_PORTS)
    )
    return (
        textwrap.dedent(f"""\
        global
            maxconn 2000
            stats socket {WORK}/haproxy.sock mode 600 level admin
        defaults
            mode http
            timeout connect 2s
            timeout client 30s
            timeout server 30s
            timeout check 3s
            option forwardfor
            option redispatch 1
            retries 3
            retry-on conn-failure empty-response response-timeout
        frontend site
            bind 127.0.0.1:{BALANCER}
            http-request set-header X-Forwarded-Proto https
            default_backend web
        backend web
            balance roundrobin
            option httpchk GET /healthz
            http-check expect status 200
        """)
        + servers
        + "\n"
    )


def haproxy_command(command):
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(WORK / "haproxy.sock"))
        sock.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def servers_up():
    stat = haproxy_command("show stat")
    return {
        row.split(",")[1]: row.split(",")[17]
        for row in stat.splitlines()
        if row.startswith("web,") and not row.startswith("web,BACKEND")
    }


def wait_until(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


# --- HTTP as a browser would ----------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Browser:
    """Cookies by hand: the site's cookies are Secure, and the test speaks plain HTTP to loopback."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, path, data=None, port=None):
        port = port or self.port
        headers = {"X-Forwarded-Proto": "https", "Origin": f"https://127.0.0.1:{port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, headers=headers)
        try:
            response = OPENER.open(request, timeout=15)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.read().decode(errors="replace")

    def csrf(self, path, port=None):
        _, html = self.request(path, port=port)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else ""

    def sign_in(self, email, password):
        token = self.csrf("/accounts/login/")
        status, _ = self.request(
            "/accounts/login/", {"csrfmiddlewaretoken": token, "login": email, "password": password}
        )
        return status == 302

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if k != "messages")


# --- Load -----------------------------------------------------------------------------

WRK_SCRIPT = """
local counter = 0
local visitor_paths = {VISITOR}
local member_paths = {MEMBER}
local cookie = {COOKIE}
failures = {}
function request()
  counter = counter + 1
  if counter % 2 == 0 then
    local path = member_paths[(counter / 2) % #member_paths + 1]
    return wrk.format("GET", path, {["Cookie"] = cookie})
  end
  return wrk.format("GET", visitor_paths[(counter - 1) / 2 % #visitor_paths + 1])
end
function response(status, headers, body)
  if status >= 500 then
    local second = os.time()
    failures[second] = (failures[second] or 0) + 1
  end
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for second, count in pairs(thread:get("failures")) do
      merged[second] = (merged[second] or 0) + count
    end
  end
  io.write("FAILURES")
  for second, count in pairs(merged) do io.write(" " .. second .. ":" .. count) end
  io.write("\\n")
  io.write(string.format("SUMMARY %d %d %d %d %d %d\\n", summary.requests, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
  io.write(string.format("P99 %f\\n", latency:percentile(99) / 1000))
end
"""


def lua_list(paths):
    return "{" + ", ".join(json.dumps(path) for path in paths) + "}"


def start_load(visitor_paths, member_paths, cookie, seconds=DURATION):
    script = WORK / "load.lua"
    script.write_text(
        WRK_SCRIPT.replace("{VISITOR}", lua_list(visitor_paths))
        .replace("{MEMBER}", lua_list(member_paths))
        .replace("{COOKIE}", json.dumps(cookie))
    )
    return subprocess.Popen(
        ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(script), f"http://127.0.0.1:{BALANCER}"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def finish_load(process):
    out = process.communicate(timeout=DURATION + 60)[0]
    requests, connect, read, write, timeout, status = map(
        int, re.search(r"^SUMMARY (.*)$", out, re.M).group(1).split()
    )
    per_second = dict(
        tuple(map(int, pair.split(":"))) for pair in re.search(r"^FAILURES(.*)$", out, re.M).group(1).split()
    )
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99_ms": float(re.search(r"^P99 (.*)$", out, re.M).group(1)),
        "socket_errors": connect + read + write + timeout,
        "failed": sum(per_second.values()) + connect + read + write + timeout,
        "failures_at": per_second,
    }


def failed_after(result, moment):
    return sum(count for second, count in result["failures_at"].items() if second > moment)


# --- The checks ---------------------------------------------------------------------------


def seed():
    manage("migrate", "--no-input", "-v0")
    manage("createcachetable")
    manage("collectstatic", "--no-input", "-v0")
    demo_env = {**ENV, "DJANGO_DEBUG": "true"}  # seed_demo refuses production settings
    manage("seed_demo", env=demo_env, stdout=subprocess.DEVNULL)
    manage("shell", "-v0", "-c", SEED_MAIL, stdout=subprocess.DEVNULL)


# 150 members who want announcements (30 want reminders), a meeting in two hours, a draft
# post: what the "nothing twice" and "seen everywhere" checks use.
SEED_MAIL = """
from datetime import timedelta
from django.utils import timezone
from blog.models import Kind, Post
from meetings.models import Meeting
from members.models import User
User.objects.update(wants_meeting_reminders=False, wants_announcements=False, wants_topic_news=False)
User.objects.bulk_create(
    User(email=f"load{i}@example.org", password="!", wants_meeting_reminders=i < 30) for i in range(150)
)
meeting = Meeting.objects.create(title="Scale test meeting", starts_at=timezone.now() + timedelta(hours=2))
meeting.apply_agenda_template()
Post.objects.create(title="Scale draft", slug="scale-draft", body="Seen everywhere?", kind=Kind.PROJECT,
                    status=Post.Status.DRAFT, publish_at=timezone.now() - timedelta(minutes=1))
Post.objects.create(title="Scale announcement", slug="scale-announcement", body="Hello all",
                    kind=Kind.ANNOUNCEMENT, status=Post.Status.PUBLISHED,
                    publish_at=timezone.now() - timedelta(minutes=1))
"""

QUEUE_MAIL = """
from django.test import RequestFactory
from blog.announcements import send_announcement
from blog.models import Post
from members import access
request = RequestFactory(SERVER_NAME="127.0.0.1").post("/join/")
for i in range(20):
    access.submit({"name": f"Newcomer {i}", "email": f"newcomer{i}@example.org",
                   "motivation": "To learn together.", "agreed_to_code_of_conduct": True}, request=request)
print(send_announcement(Post.objects.get(slug="scale-announcement")).queued)
"""


def throughput(processes_up, visitor_paths, member_paths, cookie):
    for i in range(3):
        haproxy_command(f"{'enable' if i < processes_up else 'disable'} server web/web{i + 1}")
    result = finish_load(start_load(visitor_paths, member_paths, cookie))
    figure(
        f"{processes_up} web process{'es' if processes_up > 1 else ''}: {result['rps']:.0f} req/s, "
        f"p99 {result['p99_ms']:.0f} ms, {result['failed']} failed of {result['requests']}"
    )
    check(result["failed"] == 0, f"no failed request with {processes_up} web process(es)")
    return result


def check_shared_state(meeting_path):
    print("Shared state across processes", flush=True)
    member = Browser(WEB_PORTS[0])
    check(member.sign_in(*MEMBER), "a member signs in on process 1")
    for port in WEB_PORTS[1:]:
        status, html = member.request("/members/settings/", port=port)
        check(status == 200 and MEMBER[0] in html, f"the session made on process 1 works on port {port}")

    organizer = Browser(WEB_PORTS[0])
    check(organizer.sign_in(*ORGANIZER), "an organizer signs in on process 1")
    visitors = [Browser(port) for port in WEB_PORTS]
    for visitor in visitors:
        visitor.request("/blog/")  # cached by every process before the change
    post_id = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c",
         "from blog.models import Post; print(Post.objects.get(slug='scale-draft').pk)"],
        cwd=PROJECT, env=ENV, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    token = organizer.csrf("/admin/blog/post/")
    status, _ = organizer.request(
        "/admin/blog/post/",
        {"csrfmiddlewaretoken": token, "action": "publish", "_selected_action": post_id, "index": "0"},
    )
    published = time.monotonic()
    check(status == 302, "the post is published through process 1 (admin action)")
    seen_after = {}

    def watch(visitor):
        if wait_until(lambda: "Scale draft" in visitor.request("/blog/")[1], 5):
            seen_after[visitor.port] = time.monotonic() - published

    watchers = [threading.Thread(target=watch, args=(visitor,)) for visitor in visitors]
    for watcher in watchers:
        watcher.start()
    for watcher in watchers:
        watcher.join()
    for visitor in visitors:
        delay = seen_after.get(visitor.port)
        check(
            delay is not None and delay <= 1.0,
            f"visitors on port {visitor.port} see it after {delay or 5:.2f} s (bound 1 s)",
        )

    # The access-request limit (5 an hour from one address) counts across the processes.
    newcomer = Browser(BALANCER)
    statuses = []
    for i in range(7):
        token = newcomer.csrf("/join/")
        status, _ = newcomer.request(
            "/join/",
            {"csrfmiddlewaretoken": token, "name": f"Limit {i}", "email": f"limit{i}@example.org",
             "motivation": "To learn together with others.", "agreed_to_code_of_conduct": "on"},
        )  # fmt: skip
        statuses.append(status)
    check(
        statuses[:5] == [302] * 5 and statuses[5:] == [429, 429],
        f"join rate limit across processes: {statuses}",
    )

    live = f"{meeting_path}live/state/"
    answers = {Browser(port).request(live)[0] for port in WEB_PORTS}
    if answers != {404}:
        states = set()
        for port in WEB_PORTS:
            member.port = port
            states.add(member.request(live)[1])
        check(len(states) == 1, "the live meeting state is the same on every process")
    return member.cookie_header()


def fault_kill_web(processes, visitor_paths, member_paths, cookie):
    print("Fault: kill -9 of one web process under load", flush=True)
    load = start_load(visitor_paths, member_paths, cookie)
    time.sleep(5)
    killed_at = time.time()
    processes.kill("web2", signal.SIGKILL)
    taken_out = wait_until(lambda: servers_up().get("web2") == "DOWN", 5)
    time.sleep(5)
    start_web(processes, 1)
    back = wait_until(lambda: servers_up().get("web2") == "UP", 30)  # a cold start on a loaded machine
    result = finish_load(load)
    share = result["failed"] / max(result["requests"], 1)
    figure(
        f"kill -9 of a web process: {result['failed']} failed of {result['requests']} "
        f"({share:.3%}), {failed_after(result, killed_at + 5)} after 5 s"
    )
    check(taken_out, "the balancer takes the killed process out")
    check(share < 0.001, "fewer than 0.1% of requests fail")
    check(failed_after(result, killed_at + 5) == 0, "no request fails 5 s after the kill")
    check(back, "the restarted process is back in the balancer")


def fault_restart_postgres(visitor_paths, member_paths, cookie):
    print("Fault: PostgreSQL restarted under load", flush=True)
    load = start_load(visitor_paths, member_paths, cookie)
    time.sleep(5)
    pg("restart")
    answering_again = time.time()
    result = finish_load(load)
    figure(
        f"PostgreSQL restart: {result['failed']} failed of {result['requests']}, "
        f"{failed_after(result, answering_again + 1)} after it answered again"
    )
    check(failed_after(result, answering_again + 1) == 0, "no request fails once the database answers again")


def fault_stop_redis(redis, visitor_paths, member_paths, cookie):
    print("Fault: Redis stopped under load", flush=True)
    load = start_load(visitor_paths, member_paths, cookie)
    time.sleep(5)
    os.killpg(redis.pid, signal.SIGTERM)
    redis.wait(timeout=10)
    stopped = time.time()
    result = finish_load(load)
    figure(
        f"Redis stopped: {result['failed']} failed of {result['requests']}, "
        f"{failed_after(result, stopped + 1)} after the first second"
    )
    check(failed_after(result, stopped + 1) == 0, "pages still answer without Redis")
    status, _ = Browser(BALANCER).request("/")
    check(status == 200, "home answers with Redis down")
    return start_redis()


def shell_value(code):
    return manage("shell", "-v0", "-c", code, capture_output=True, text=True).stdout.strip()


def check_nothing_twice(processes):
    print("Nothing twice: 2 mailers and 2 schedulers", flush=True)
    queued = shell_value(QUEUE_MAIL)
    check(queued == "150", f"the announcement is queued for 150 members ({queued})")
    for i in (1, 2):
        processes.start(f"scheduler{i}", [sys.executable, "manage.py", "run_scheduler"])
    reminders = "from meetings.models import ReminderSent; print(ReminderSent.objects.count())"
    check(wait_until(lambda: int(shell_value(reminders)) >= 30, 60), "two schedulers queue the reminders")
    time.sleep(2)  # both schedulers have made their first pass
    expected = int(shell_value("from mailer.models import Message; print(Message.objects.count())"))
    figure(f"queued before the mailers start: {expected} messages ({shell_value(reminders)} reminders)")
    for i in (1, 2):
        processes.start(f"mailer{i}", [sys.executable, "manage.py", "run_mail_queue"])
    delivered_file = WORK / "delivered.jsonl"

    def delivered():
        return (
            [json.loads(line) for line in delivered_file.read_text().splitlines()]
            if delivered_file.exists()
            else []
        )

    wait_until(lambda: len(delivered()) >= expected, 180)
    time.sleep(5)  # anything sent twice would arrive now
    ids = [line["message_id"] for line in delivered()]
    duplicates = len(ids) - len(set(ids))
    remaining = shell_value("from mailer.models import Message; print(Message.objects.count())")
    figure(f"delivered {len(ids)} messages, {duplicates} duplicates, {remaining} left in the queue")
    check(expected >= 200, f"at least 200 messages were queued ({expected})")
    check(len(ids) == expected, f"every queued message arrived ({len(ids)} of {expected})")
    check(duplicates == 0, "no message arrived twice")
    check(remaining == "0", "the queue is empty")


def main():
    for tool in ("wrk", "haproxy", "pg_ctlcluster", "redis-server"):
        if not shutil.which(tool):
            raise SystemExit(f"make scale-test needs {tool}")
    for port in [BALANCER, *WEB_PORTS, SMTP_PORT, REDIS_PORT]:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(
                    f"Port {port} is taken (another scale test still running?): set SCALE_BASE_PORT."
                )
    started = time.monotonic()
    processes = Processes()
    redis = None
    try:
        print(f"Scale test: logs in {WORK}", flush=True)
        start_postgres()
        redis = start_redis()
        processes.start(
            "smtp",
            [
                sys.executable,
                "-m",
                "tests.smtp_sink",
                "--port",
                str(SMTP_PORT),
                "--out",
                str(WORK / "delivered.jsonl"),
            ],
        )
        wait_for_port(SMTP_PORT)
        seed()
        for index in range(3):
            start_web(processes, index)
        (WORK / "haproxy.cfg").write_text(haproxy_config())
        processes.start("haproxy", ["haproxy", "-db", "-f", str(WORK / "haproxy.cfg")])
        wait_for_port(BALANCER)
        check(
            wait_until(lambda: set(servers_up().values()) == {"UP"}, 15),
            "HAProxy sees 3 healthy web processes",
        )

        meeting_path = manage(
            "shell", "-v0", "-c",
            "from meetings.models import Meeting; print(Meeting.objects.get(title='Scale test meeting').get_absolute_url())",
            capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        cookie = check_shared_state(meeting_path)
        visitor_paths = ["/", "/blog/", "/meetings/", meeting_path, "/about/"]
        member_paths = ["/", "/topics/", "/meetings/", meeting_path]

        print("Throughput through the balancer", flush=True)
        one = throughput(1, visitor_paths, member_paths, cookie)
        three = throughput(3, visitor_paths, member_paths, cookie)
        figure(f"3 processes / 1 process: {three['rps'] / max(one['rps'], 1):.2f}× on {os.cpu_count()} CPUs")

        fault_kill_web(processes, visitor_paths, member_paths, cookie)
        fault_restart_postgres(visitor_paths, member_paths, cookie)
        redis = fault_stop_redis(redis, visitor_paths, member_paths, cookie)
        check_nothing_twice(processes)
    finally:
        processes.stop_all()
        if redis and redis.poll() is None:
            os.killpg(redis.pid, signal.SIGTERM)
        subprocess.run(["pg_ctlcluster", pg_version(), PG_CLUSTER, "stop"], capture_output=True)
    print(f"\nFigures ({time.monotonic() - started:.0f} s):")
    for line in figures:
        print(f"  {line}")
    if failures:
        print(f"\n{len(failures)} check(s) failed:")
        for what in failures:
            print(f"  - {what}")
        sys.exit(1)
    print("\nscale-test: all checks passed")


if __name__ == "__main__":
    main()
