"""`make bench`: a large club in PostgreSQL, gunicorn with production settings, wrk from a second process.

Not part of `make test`: it asserts nothing about time. It prints a table
(requests/s, p50 and p99 latency, socket errors, non-2xx/3xx answers) and, for
each page, its throughput as a ratio of a trivial view (/robots.txt, no
database) served by the same server in the same run. Results also go to
bench-results/<timestamp>.md.

Environment: BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/solidarityclub_bench),
BENCH_DURATION seconds per run (default 5), BENCH_CONCURRENCY (default "1,16,64"),
GUNICORN_WORKERS / GUNICORN_THREADS (default 2 / 4), BENCH_SKIP_SEED=1 to reuse the data.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/solidarityclub_bench")
DURATION = int(os.environ.get("BENCH_DURATION", "5"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "1,16,64").split(",")]
WORKERS = os.environ.get("GUNICORN_WORKERS", "2")
THREADS = os.environ.get("GUNICORN_THREADS", "4")
ENV = {
    **os.environ,
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
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port):
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "solidarityclub.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            WORKERS,
            "--threads",
            THREADS,
            "--log-level",
            "warning",
        ],
        cwd=PROJECT,
        env=ENV,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            fetch(f"http://127.0.0.1:{port}/healthz")
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def fetch(url, cookie=None):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
        return response.status


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def run_wrk(url, connections, cookie=None):
    headers = [*HEADERS, *(["-H", f"Cookie: {cookie}"] if cookie else [])]
    threads = str(min(connections, 2))
    out = subprocess.run(
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
            *headers,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if not latency:
        raise SystemExit(f"wrk measured nothing for {url}:\n{out}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


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
    pages = python("-m", "tests.bench.seed", "--pages", capture_output=True, text=True).stdout
    targets = [(line.split("\t") + [""])[:3] for line in pages.splitlines() if line]  # name, path, cookie

    port = free_port()
    server = start_gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for _name, path, cookie in targets:
            status = fetch(base + path, cookie or None)
            assert status == 200, f"{path} answered {status}"
        for connections in CONCURRENCY:
            results = {
                name: run_wrk(base + path, connections, cookie or None) for name, path, cookie in targets
            }
            baseline = results["trivial view (/robots.txt)"]["rps"]
            for name, path, _ in targets:
                r = results[name]
                rows.append((connections, name, path, r, r["rps"] / baseline if baseline else 0))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    lines = [
        f"# Benchmark {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"gunicorn {WORKERS} workers × {THREADS} threads, {DURATION}s per run, {os.cpu_count()} CPUs, PostgreSQL.",
        "",
        "| conc. | page | req/s | p50 ms | p99 ms | errors | non-2xx | ratio to trivial |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for connections, name, _path, r, ratio in rows:
        lines.append(
            f"| {connections} | {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['errors']} | {r['non_2xx']} | {ratio:.2f} |"
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
