"""`make bench`: a large club in PostgreSQL, gunicorn with production settings, wrk from a second process.

Not part of `make test`: it asserts nothing about time. It prints a table
(requests/s, p50 and p99 latency, socket errors, non-2xx/3xx answers) and, for
each page, its throughput as a ratio of a trivial view (/robots.txt, no
database) served by the same server in the same run, beside the ratio the page
should reach (a miss is marked). Visitors' pages, members' pages (signed in, one
of them with their own time zone) and the feeds; then a mixed run: visitors
reading while a member writes 5% of the requests (supports and RSVPs), with the
visitors' cache hit rate. Results also go to bench-results/<timestamp>.md.

Environment: BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/solidarityclub_bench;
give each person running benches on one machine a database of their own), BENCH_PORT
(default: a free port), BENCH_REDIS_URL (unset: the database is the shared cache; set it to
measure Redis, e.g. redis://127.0.0.1:6379/4, a database number of your own),
BENCH_DURATION seconds per run (default 5), BENCH_CONCURRENCY (default "1,16,64"),
GUNICORN_WORKERS / GUNICORN_THREADS (default 2 / 4), BENCH_SKIP_SEED=1 to reuse the data,
BENCH_ONLY (comma-separated page names), DJANGO_CONN_HEALTH_CHECKS=false to measure their cost.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

from tests.bench import live

PROJECT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/solidarityclub_bench")
DURATION = int(os.environ.get("BENCH_DURATION", "5"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "1,16,64").split(",")]
WORKERS = os.environ.get("GUNICORN_WORKERS", "2")
THREADS = os.environ.get("GUNICORN_THREADS", "4")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
PORT = int(os.environ.get("BENCH_PORT", "0"))
ONLY = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]
WRITE_SHARE = 20  # one request in 20 writes in the mixed run: 5%
CSRF_SECRET = "benchcsrfsecret0123456789abcdefg"  # 32 characters: accepted unmasked
ENV = {
    **os.environ,
    "REDIS_URL": REDIS_URL,
    "DJANGO_PAGE_CACHE_HEADER": "true",  # X-Cache: hit / miss, counted in the mixed run
    "DJANGO_SETTINGS_MODULE": "solidarityclub.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "benchmark-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
    "DJANGO_STATIC_MANIFEST": "true",
    "DJANGO_LOG_LEVEL": "WARNING",
    "DATABASE_URL": DATABASE_URL,
}
HEADERS = ["-H", "X-Forwarded-Proto: https"]  # as behind the TLS proxy: no redirect to https


def python(*args, **kwargs):
    return subprocess.run([sys.executable, *args], cwd=PROJECT, env=ENV, check=True, **kwargs)


def recreate_database():
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def free_port():
    if PORT:
        return PORT
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port):
    """WORKERS gunicorn servers of one worker each, on one port with SO_REUSEPORT.

    One gunicorn with several workers lets its workers race to accept: wrk's keep-alive
    connections, opened all at once, often all went to one worker, and the run measured half
    the server. With a listening socket per worker the kernel spreads new connections.
    """
    servers = [
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "solidarityclub.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--reuse-port",
                "--workers",
                "1",
                "--threads",
                THREADS,
                "--log-level",
                "warning",
            ],
            cwd=PROJECT,
            env=ENV,
            start_new_session=True,
        )
        for _worker in range(int(WORKERS))
    ]
    for _ in range(100):
        try:
            fetch(f"http://127.0.0.1:{port}/healthz")
            return servers
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(servers)
    raise SystemExit("gunicorn did not start")


def stop_gunicorn(servers):
    for server in servers:
        os.killpg(server.pid, signal.SIGTERM)
    for server in servers:
        server.wait(timeout=20)


def fetch(url, cookie=None):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
        return response.status


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def connections_per_worker(port):
    """How the open connections to `port` are spread over gunicorn's workers, largest first (ss, iproute2)."""
    if not shutil.which("ss"):
        return []
    listed = subprocess.run(
        ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True
    ).stdout
    owners = re.findall(r"pid=(\d+)", listed)
    return sorted((owners.count(pid) for pid in set(owners)), reverse=True)


UNEVEN = 0.75  # one worker holding more of the connections than this: measured again


def run_wrk(url, connections, cookie=None, script=None, extra_headers=(), tries=3):
    """wrk's figures, and how its connections were spread over the workers.

    Keep-alive connections stay with the worker that accepted them, and at 16 connections
    all of them sometimes went to one of the two workers: the run then measures
    one worker, not the server (seen: the same page at 0.36 and 0.89 of the trivial view in
    consecutive runs). start_gunicorn gives each worker its own socket; a run that still
    came out uneven is measured again, up to `tries` times in all.
    """
    port = int(url.split(":")[2].split("/")[0])
    for _attempt in range(tries):
        result = _run_wrk_once(url, connections, cookie, script, extra_headers, port)
        spread = result["spread"]
        if int(WORKERS) < 2 or connections < 4 or not spread or max(spread) <= UNEVEN * sum(spread):
            break
    return result


def _run_wrk_once(url, connections, cookie, script, extra_headers, port):
    headers = [*HEADERS, *(["-H", f"Cookie: {cookie}"] if cookie else [])]
    headers += [part for header in extra_headers for part in ("-H", header)]
    threads = str(min(connections, 2))
    with subprocess.Popen(
        [
            "wrk",
            "--latency",
            "-t",
            threads,
            "-c",
            str(connections),
            "-d",
            f"{DURATION}s",
            "--timeout",
            "10s",
            *(["-s", script] if script else headers),
            url,
        ],
        stdout=subprocess.PIPE,
        text=True,
    ) as wrk:
        time.sleep(min(1.0, DURATION / 2))
        spread = connections_per_worker(port)
        out, _ = wrk.communicate()
    if wrk.returncode:
        raise SystemExit(f"wrk failed for {url}:\n{out}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if not latency:
        raise SystemExit(f"wrk measured nothing for {url}:\n{out}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    counted = re.search(r"^MIXED (\{.*\})$", out, re.MULTILINE)
    return {
        **(json.loads(counted.group(1)) if counted else {}),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "spread": spread,
    }


MIXED_LUA = """
-- Visitors read; one request in %(share)d is a member's write (a support, or an RSVP).
local reads = %(reads)s
local topics = %(topics)s
local meetings = %(meetings)s
local read_headers = {["X-Forwarded-Proto"] = "https"}
local write_headers = {
  ["X-Forwarded-Proto"] = "https",
  ["Cookie"] = "%(cookie)s",
  ["X-CSRFToken"] = "%(csrf)s",
  ["Origin"] = "%(origin)s",
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Accept"] = "application/json",
}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  counter, hits, misses, writes = 0, 0, 0, 0
  math.randomseed(os.time() + #threads)
end
function request()
  counter = counter + 1
  if counter %% %(share)d == 0 then
    writes = writes + 1
    if writes %% 2 == 0 then
      local body = "action=" .. (math.random(2) == 1 and "support" or "unsupport")
      return wrk.format("POST", "/topics/" .. topics[math.random(#topics)] .. "/support/", write_headers, body)
    end
    local answers = {"going", "maybe", "cant"}
    local body = "answer=" .. answers[math.random(3)]
    return wrk.format("POST", "/meetings/" .. meetings[math.random(#meetings)] .. "/rsvp/", write_headers, body)
  end
  return wrk.format("GET", reads[counter %% #reads + 1], read_headers)
end
function response(status, headers, body)
  local state = headers["X-Cache"]
  if state == "hit" then hits = hits + 1 elseif state == "miss" then misses = misses + 1 end
end
function done(summary, latency, requests)
  local h, m, w = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    w = w + thread:get("writes")
  end
  io.write(string.format('MIXED {"hits": %%d, "misses": %%d, "writes": %%d}\\n', h, m, w))
end
"""


def lua_list(items):
    return "{" + ", ".join(json.dumps(str(item)) for item in items) + "}"


def mixed_script(base, targets, extra):
    reads = [path for name, path, cookie, _goal in targets if not cookie and name in VISITOR_READS]
    member_cookie = next(cookie for _name, _path, cookie, _goal in targets if cookie)
    script = MIXED_LUA % {
        "share": WRITE_SHARE,
        "reads": lua_list(reads),
        "topics": lua_list(extra["topics"]),
        "meetings": lua_list(extra["meetings"]),
        "cookie": member_cookie,
        "csrf": CSRF_SECRET,
        "origin": base.replace("http://", "https://"),
    }
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    handle.write(script)
    handle.close()
    return handle.name


VISITOR_READS = {"home", "blog list", "a post", "meetings list", "a meeting page"}
MIXED = "mixed: visitors read, a member writes 5%"


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is required: apt-get install wrk")
    started = time.monotonic()
    if not os.environ.get("BENCH_SKIP_SEED"):
        recreate_database()
        python("manage.py", "migrate", "--no-input", "-v0")
        python("manage.py", "createcachetable")
        print("Seeding the large club…", flush=True)
        python("-m", "tests.bench.seed")
        # Fresh statistics, as autovacuum would give a real database after a bulk load.
        subprocess.run(["psql", DATABASE_URL, "-qc", "VACUUM ANALYZE"], check=True)
    python("manage.py", "collectstatic", "--no-input", "-v0")
    listed = python("-m", "tests.bench.seed", "--pages", capture_output=True, text=True).stdout
    targets, extra = [], {}
    for line in listed.splitlines():
        if line.startswith("{"):
            extra = json.loads(line)  # ids the mixed run writes to
        elif line:
            name, path, cookie, goal = line.split("\t")
            if cookie:  # a member's browser carries the CSRF cookie from the first page it opened
                cookie = f"{cookie}; csrftoken={CSRF_SECRET}"
            if not ONLY or name in ONLY or name.startswith("trivial"):
                targets.append((name, path, cookie, float(goal)))

    port = free_port()
    servers = start_gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    rows = []
    script = mixed_script(base, targets, extra) if not ONLY or MIXED in ONLY else None
    try:
        for _name, path, cookie, _goal in targets:
            status = fetch(base + path, cookie or None)
            assert status == 200, f"{path} answered {status}"
        for connections in CONCURRENCY:
            results = {
                name: run_wrk(base + path, connections, cookie or None)
                for name, path, cookie, _goal in targets
            }
            baseline = results["trivial view (/robots.txt)"]["rps"]
            for name, _path, _, goal in targets:
                r = results[name]
                rows.append((connections, name, r, r["rps"] / baseline if baseline else 0, goal))
            if script:
                r = run_wrk(base + "/", connections, script=script)
                rows.append((connections, MIXED, r, r["rps"] / baseline if baseline else 0, None))
        rows += live.follower_rows(base, run_wrk, python)  # 100 members following a live meeting
    finally:
        stop_gunicorn(servers)
        if script:
            os.unlink(script)

    cache_name = "Redis" if REDIS_URL else "the database"
    lines = [
        f"# Benchmark {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"gunicorn {WORKERS} workers × {THREADS} threads (a socket each), {DURATION}s per run, {os.cpu_count()} CPUs, "
        f"PostgreSQL, shared cache in {cache_name}, connection health checks "
        f"{ENV.get('DJANGO_CONN_HEALTH_CHECKS', 'true')}.",
        "",
        "| conc. | page | req/s | p50 ms | p99 ms | errors | non-2xx | conn. per worker | ratio to trivial | goal |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for connections, name, r, ratio, goal in rows:
        if goal is None:
            total = r.get("hits", 0) + r.get("misses", 0)
            rate = f"{r['hits'] / total:.0%}" if total else "-"
            goal_text = f"visitor hit rate {rate}, {r.get('writes', 0)} writes"
        else:
            goal_text = f"{goal:.2f}" + ("" if ratio >= goal else " ✗ missed")
        lines.append(
            f"| {connections} | {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['errors']} | {r['non_2xx']} | {'+'.join(map(str, r['spread'])) or '-'} "
            f"| {ratio:.2f} | {goal_text} |"
        )
    lines += ["", f"Total time: {time.monotonic() - started:.0f}s"]
    report = "\n".join(lines)
    print(report)
    out_dir = PROJECT / "bench-results"
    out_dir.mkdir(exist_ok=True)
    out_file = out_dir / f"bench-{datetime.now():%Y%m%d-%H%M%S}.md"
    out_file.write_text(report + "\n")
    print(f"\nWritten to {out_file.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
