# syntax=docker/dockerfile:1
# The production image: gunicorn serving the site, static files collected at build
# time and served by whitenoise. Build: docker build -t solidarityclub .
# Configuration comes from the environment at run time (README.md, .env.example).

# --- Stage 1: wheels for the pinned requirements ---------------------------------
FROM python:3.11-slim-bookworm AS wheels

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /build
COPY requirements.txt .
RUN pip wheel --requirement requirements.txt --wheel-dir /wheels

# --- Stage 2: the Spanish (and any other) translations, compiled from the .po files --
# The .mo files are never committed: they are built here, with Debian's gettext.
FROM python:3.11-slim-bookworm AS messages

# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build
COPY locale locale
RUN find locale -name '*.po' -exec sh -c 'msgfmt --check-format -o "${1%.po}.mo" "$1"' _ {} \;

# --- Stage 3: the runtime (no compiler, no build tools) ----------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PORT=8000

RUN groupadd --system --gid 10001 club \
    && useradd --system --uid 10001 --gid club --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin club

WORKDIR /app

# Only the wheels built above: nothing is compiled or fetched from an index here.
RUN --mount=type=bind,from=wheels,source=/wheels,target=/wheels \
    --mount=type=bind,source=requirements.txt,target=/tmp/requirements.txt \
    pip install --no-index --find-links=/wheels --requirement /tmp/requirements.txt

# The code stays owned by root: the app user can read it, not change it.
COPY . .
COPY --from=messages /build/locale locale

# Hashed, compressed static files (whitenoise's manifest). The key exists only for
# this build step; the real one comes from the environment at run time.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-collectstatic-0123456789abcdefghijklmnop \
    DJANGO_DEBUG=false \
    DJANGO_STATIC_MANIFEST=true \
    python manage.py collectstatic --no-input --verbosity 0 \
    && python -m compileall -q solidarityclub members meetings topics blog

USER 10001:10001

EXPOSE 8000

# /healthz with the site's own host name and the proxy's HTTPS header (docker/healthcheck.py).
HEALTHCHECK --interval=30s --timeout=6s --start-period=60s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn"]
