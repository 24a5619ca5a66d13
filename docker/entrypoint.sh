#!/bin/sh
# Starts a Solidarity Club process: the image's ENTRYPOINT, and a plain script that
# CI also runs on the host (docker/test-entrypoint.sh).
#
# 1. Unless DJANGO_MIGRATE_ON_START is false, wait for the database (at most
#    DJANGO_DB_WAIT_SECONDS, 60 by default), apply migrations and create the cache
#    table (docker/prepare_database.py; safe when several containers start at once).
# 2. Run the given command; with none, or just `gunicorn`, serve the site with
#    gunicorn sized by GUNICORN_WORKERS / GUNICORN_THREADS on PORT. Extra gunicorn
#    options can go in GUNICORN_CMD_ARGS.
#
# PYTHON picks the interpreter (default: the `python` found on PATH).
set -eu

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"

case "$(printf '%s' "${DJANGO_MIGRATE_ON_START:-true}" | tr '[:upper:]' '[:lower:]')" in
  1 | true | yes | on) "$PYTHON" docker/prepare_database.py ;;
  0 | false | no | off) ;;
  *)
    echo "entrypoint: DJANGO_MIGRATE_ON_START must be true or false, not '$DJANGO_MIGRATE_ON_START'" >&2
    exit 2
    ;;
esac

if [ "$#" -eq 0 ] || { [ "$#" -eq 1 ] && [ "$1" = gunicorn ]; }; then
  # No state on local disk: logs to standard output, no control socket, worker
  # heartbeat files in memory.
  set -- "$PYTHON" -m gunicorn solidarityclub.wsgi:application \
    --bind "0.0.0.0:${PORT:-8000}" \
    --workers "${GUNICORN_WORKERS:-2}" \
    --threads "${GUNICORN_THREADS:-4}" \
    --timeout "${GUNICORN_TIMEOUT:-30}" \
    --graceful-timeout "${GUNICORN_GRACEFUL_TIMEOUT:-30}" \
    --keep-alive "${GUNICORN_KEEPALIVE:-5}" \
    --access-logfile - \
    --error-logfile - \
    --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1,::1}" \
    --no-control-socket
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    set -- "$@" --worker-tmp-dir /dev/shm
  fi
fi

exec "$@"
