#!/usr/bin/env bash
# Runs docker/entrypoint.sh on the host the way the image runs it, against the local
# PostgreSQL, and checks that gunicorn serves the site (`make test-entrypoint`; .ci/run
# calls it). Needs the project's .venv (`make .venv/.installed`), curl and psql.
#
# ENTRYPOINT_TEST_PG: the PostgreSQL server to use (default postgres://root@127.0.0.1:5432);
# a throwaway database is created there and dropped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

fail() {
  echo "test-entrypoint: FAIL: $*" >&2
  if [[ -n ${LOG:-} && -s ${LOG:-} ]]; then
    echo "--- last lines of the server's output:" >&2
    tail -n 40 "$LOG" >&2
  fi
  exit 1
}
ok() { echo "test-entrypoint: ok: $*"; }

VENV_BIN=$ROOT/.venv/bin
[[ -x $VENV_BIN/python && -x $VENV_BIN/gunicorn ]] || fail "no .venv with gunicorn: run 'make .venv/.installed' first"
for tool in curl psql setsid; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed"
done

PG_SERVER=${ENTRYPOINT_TEST_PG:-postgres://root@127.0.0.1:5432}
DB_NAME=solidarityclub_entrypoint_$$
STATIC_ROOT=$ROOT/staticfiles
STATIC_EXISTED=0
[[ -e $STATIC_ROOT ]] && STATIC_EXISTED=1
TMP=$(mktemp -d)
LOG=$TMP/server.log
SERVER_PID=""

free_port() {
  "$VENV_BIN/python" -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'
}

stop_server() {
  # The server runs in its own session: stop its whole process group.
  kill -TERM -- "-$SERVER_PID" 2>/dev/null || kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  SERVER_STATUS=0
  wait "$SERVER_PID" 2>/dev/null || SERVER_STATUS=$?
  SERVER_PID=""
}

cleanup() {
  local status=$?
  trap - EXIT
  [[ -z $SERVER_PID ]] || stop_server
  psql -q "$PG_SERVER/postgres" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 \
    || echo "test-entrypoint: could not drop the database $DB_NAME" >&2
  [[ $STATIC_EXISTED == 1 ]] || rm -rf "$STATIC_ROOT"
  rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(free_port)
DEAD_PORT=$(free_port)
# Production-like and nothing else from the caller's environment (HOME is a fresh
# temporary folder: the server must not need to write anywhere).
RUN=(env -i "PATH=$VENV_BIN:$PATH" "HOME=$TMP" LANG=C.UTF-8
  DJANGO_DEBUG=false
  DJANGO_SECRET_KEY=entrypoint-test-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz
  DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1
  "DATABASE_URL=$PG_SERVER/$DB_NAME"
  "PORT=$PORT" GUNICORN_WORKERS=2 GUNICORN_THREADS=2)

# --- Before any server: bounded wait, bad setting -----------------------------------

if timeout 60 "${RUN[@]}" "DATABASE_URL=postgres://root@127.0.0.1:$DEAD_PORT/none" DJANGO_DB_WAIT_SECONDS=2 \
  docker/entrypoint.sh true >"$TMP/dead.log" 2>&1; then
  fail "the entrypoint went on although the database never answered"
fi
grep -q "did not answer within 2 s" "$TMP/dead.log" || fail "no clear message when the database never answers: $(cat "$TMP/dead.log")"
ok "gives up with a clear message when the database does not answer in time"

if "${RUN[@]}" DJANGO_MIGRATE_ON_START=maybe docker/entrypoint.sh true >"$TMP/bad.log" 2>&1; then
  fail "DJANGO_MIGRATE_ON_START=maybe was accepted"
fi
ok "refuses a DJANGO_MIGRATE_ON_START that is neither true nor false"

# --- .env.example: documents every configured variable, passes the deploy check -------

missing=""
for name in $(grep -E '^\| `' README.md | cut -d '|' -f 2 | grep -oE '`[A-Z][A-Z0-9_]{2,}`' | tr -d '`' | sort -u); do
  grep -qE "^#? ?$name=" .env.example || missing="$missing $name"
done
[[ -z $missing ]] || fail ".env.example does not document:$missing (from the configuration table in README.md)"
EXAMPLE_ENV=()
while IFS= read -r line; do
  [[ $line =~ ^[A-Z][A-Z0-9_]*= ]] || continue
  value=${line#*=}
  value=${value#\"}
  EXAMPLE_ENV+=("${line%%=*}=${value%\"}")
done <.env.example
# Its placeholder key is too short on purpose (check --deploy flags it): use a real one here.
env -i "PATH=$VENV_BIN:$PATH" "HOME=$TMP" "${EXAMPLE_ENV[@]}" \
  DJANGO_SECRET_KEY=entrypoint-test-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
  python manage.py check --deploy --fail-level WARNING \
  >"$TMP/check.log" 2>&1 || fail "check --deploy fails with the values of .env.example: $(cat "$TMP/check.log")"
ok ".env.example documents every variable of README's table and passes check --deploy"

# --- Fresh database, static files as the image collects them -------------------------

psql -q "$PG_SERVER/postgres" -c "CREATE DATABASE $DB_NAME" >/dev/null || fail "could not create the database $DB_NAME on $PG_SERVER"
"${RUN[@]}" DJANGO_STATIC_MANIFEST=true python manage.py collectstatic --no-input -v 0 || fail "collectstatic failed"
ok "collectstatic with the manifest storage"

# --- Start: the web server and, at the same moment, a second container migrating ----

setsid "${RUN[@]}" docker/entrypoint.sh >"$LOG" 2>&1 &
SERVER_PID=$!
"${RUN[@]}" docker/entrypoint.sh python manage.py migrate --check >"$TMP/second.log" 2>&1 \
  || fail "a second container starting at the same time failed: $(cat "$TMP/second.log")"
ok "two containers migrating the same fresh database at once both succeed"

for _ in $(seq 120); do
  kill -0 "$SERVER_PID" 2>/dev/null || fail "the entrypoint exited before serving"
  curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/healthz" 2>/dev/null \
  || fail "gunicorn did not answer on port $PORT within 60 s"
ok "gunicorn serves on PORT=$PORT after migrating"

# --- What the server answers -----------------------------------------------------

# fetch PATH [curl options]: sets STATUS; the body and headers land in $TMP/body, $TMP/headers.
fetch() {
  local path=$1
  shift
  STATUS=$(curl -sS -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' --max-time 10 "$@" \
    "http://127.0.0.1:$PORT$path") || fail "curl could not fetch $path"
}
header() { grep -i "^$1:" "$TMP/headers" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//' || true; }
HTTPS=(-H "Host: localhost" -H "X-Forwarded-Proto: https")

fetch /healthz "${HTTPS[@]}"
[[ $STATUS == 200 && $(cat "$TMP/body") == ok ]] || fail "/healthz answered $STATUS $(head -c 200 "$TMP/body")"
fetch /healthz
[[ $STATUS == 200 && $(cat "$TMP/body") == ok ]] || fail "/healthz over plain HTTP answered $STATUS (it must be exempt from the SSL redirect)"
ok "/healthz answers 200 ok (behind the proxy and over plain HTTP)"

fetch / "${HTTPS[@]}"
[[ $STATUS == 200 ]] || fail "/ answered $STATUS"
grep -q "W.O.R.K. Solidarity Club" "$TMP/body" || fail "/ does not show the home page"
grep -q "Request meeting access" "$TMP/body" || fail "/ has no request-access call"
[[ -n $(header Strict-Transport-Security) ]] || fail "/ sends no Strict-Transport-Security header"
[[ $(header Content-Security-Policy) == *"default-src 'self'"* ]] || fail "/ sends no strict Content-Security-Policy"
ok "/ answers 200 with the home page and the security headers"
cp "$TMP/body" "$TMP/home.html"

fetch / -H "Host: localhost"
[[ $STATUS == 301 && $(header Location) == https://localhost/ ]] || fail "/ over plain HTTP answered $STATUS $(header Location), not a redirect to HTTPS"
fetch / -H "Host: evil.example" -H "X-Forwarded-Proto: https"
[[ $STATUS == 400 ]] || fail "a request for an unknown host answered $STATUS, not 400"
ok "plain HTTP is redirected to HTTPS and unknown hosts are refused"

CSS=$(grep -oE '/static/css/site\.[0-9a-f]{12}\.css' "$TMP/home.html" | head -n 1 || true)
[[ -n $CSS ]] || fail "the home page links no hashed stylesheet (css/site.<hash>.css)"
fetch "$CSS" "${HTTPS[@]}"
[[ $STATUS == 200 ]] || fail "$CSS answered $STATUS"
[[ $(header Content-Type) == text/css* ]] || fail "$CSS is served as $(header Content-Type)"
[[ $(header Cache-Control) == *immutable* ]] || fail "$CSS is not cached forever (Cache-Control: $(header Cache-Control))"
cmp -s "$TMP/body" "$STATIC_ROOT${CSS#/static}" || fail "$CSS is not the collected file"
fetch "$CSS" "${HTTPS[@]}" -H "Accept-Encoding: gzip"
[[ $(header Content-Encoding) == gzip ]] || fail "$CSS is not served compressed"
ok "whitenoise serves the hashed stylesheet $CSS (immutable, gzip)"

"${RUN[@]}" python docker/healthcheck.py || fail "the image's HEALTHCHECK script reports the running server unhealthy"
if "${RUN[@]}" "PORT=$DEAD_PORT" python docker/healthcheck.py 2>/dev/null; then
  fail "the HEALTHCHECK script reports a server that is not there as healthy"
fi
ok "the HEALTHCHECK script (docker/healthcheck.py) tells healthy from down"

# --- Stop, then the entrypoint as the mailer / scheduler use it -------------------

stop_server
[[ $SERVER_STATUS == 0 ]] || fail "gunicorn did not stop cleanly on SIGTERM (exit status $SERVER_STATUS)"
ok "gunicorn stops cleanly on SIGTERM"

"${RUN[@]}" DJANGO_MIGRATE_ON_START=false docker/entrypoint.sh python manage.py shell -v 0 -c \
  "from django.core.cache import cache; cache.set('entrypoint-test', 1); assert cache.get('entrypoint-test') == 1" \
  || fail "the database cache table is missing"
ok "runs a given command without migrating (DJANGO_MIGRATE_ON_START=false); the cache table exists"

# The mailer service: a queued email goes out, with no lock file in the (read-only) code folder.
"${RUN[@]}" DJANGO_MIGRATE_ON_START=false docker/entrypoint.sh python manage.py shell -v 0 -c "
from django.conf import settings
from django.core.mail import send_mail
assert not settings.MAILER_USE_FILE_LOCK, 'the mailer would write a lock file into the code folder'
send_mail('Entrypoint test', 'Queued, then sent.', None, ['someone@example.org'])" \
  || fail "could not queue an email"
"${RUN[@]}" DJANGO_MIGRATE_ON_START=false docker/entrypoint.sh python manage.py send_mail >"$TMP/mail.log" 2>&1 \
  || fail "the mail queue could not be sent: $(cat "$TMP/mail.log")"
grep -q "Subject: Entrypoint test" "$TMP/mail.log" || fail "the queued email was not sent: $(cat "$TMP/mail.log")"
ok "the mail queue is sent from PostgreSQL without a lock file"

# The scheduler service: every job of SCHEDULED_COMMANDS runs (once here) and none fails.
"${RUN[@]}" DJANGO_MIGRATE_ON_START=false docker/entrypoint.sh python manage.py run_scheduler --once >"$TMP/scheduler.log" 2>&1 \
  || fail "the scheduler could not run its jobs: $(cat "$TMP/scheduler.log")"
if grep -q "failed" "$TMP/scheduler.log"; then fail "a scheduled job failed: $(cat "$TMP/scheduler.log")"; fi
ok "the scheduler runs every job"

echo "test-entrypoint: all checks passed"
