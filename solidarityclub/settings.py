"""Settings for the Solidarity Club site.

One module for every environment. Each deploy-specific value comes from the
environment (see the configuration table in README.md), with a safe local
default so that a fresh checkout runs with no configuration at all.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    """A string from the environment; NAME_FILE may point at a file holding it."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name, default):
    value = env(name).strip().lower()
    if value == "":
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = env(name).strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_float(name, default):
    value = env(name).strip()
    try:
        seconds = float(value) if value else default
    except ValueError:
        seconds = -1
    if not 0 < seconds < 3600:
        raise ImproperlyConfigured(f"{name} must be a number of seconds such as 0.5, not {value!r}.")
    return seconds


def env_list(name, default):
    value = env(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

# Off unless asked for: `make run` turns it on, production and tests leave it off.
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "django-insecure-local-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "solidarityclub.views.csrf_failure"  # in the member's language

INSTALLED_APPS = [
    "solidarityclub",
    "members",
    "meetings",
    "topics",
    "blog",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "django.forms",  # the widgets' templates, for FORM_RENDERER
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "mailer",
]

# Every field is drawn by templates/_field.html (solidarityclub/forms.py).
FORM_RENDERER = "solidarityclub.forms.ClubFormRenderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "solidarityclub.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: Accept-Language, or the switcher's cookie (/i18n/setlang/)…
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # …unless a signed-in member chose one on the settings page: theirs wins.
    "solidarityclub.middleware.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so that their refusals carry every header above; before any view reads the body.
    "solidarityclub.middleware.NoUploadsMiddleware",
    "solidarityclub.middleware.RefuseNulMiddleware",
    "solidarityclub.middleware.OrganizerTwoFactorMiddleware",
]

ROOT_URLCONF = "solidarityclub.urls"
WSGI_APPLICATION = "solidarityclub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "solidarityclub.context_processors.club",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

# SQLite needs no server, so a fresh clone runs as it is; production and CI set
# DATABASE_URL to PostgreSQL (psycopg 3).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        # A connection is checked (one round trip) before its first use in a request, so a
        # restarted database costs no failed request; cached pages never reach it.
        conn_health_checks=env_bool("DJANGO_CONN_HEALTH_CHECKS", True),
    )
}
# A database that stops answering must not hold every web thread: connecting gives up
# after DJANGO_DB_CONNECT_TIMEOUT seconds and PostgreSQL cancels a statement after
# DJANGO_DB_STATEMENT_TIMEOUT; the request then gets the friendly 503 page.
DATABASE_CONNECT_TIMEOUT = env_int("DJANGO_DB_CONNECT_TIMEOUT", 5)
DATABASE_STATEMENT_TIMEOUT = env_int("DJANGO_DB_STATEMENT_TIMEOUT", 15)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=DATABASE_CONNECT_TIMEOUT,
        options=f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A burst of requests waits for the write lock instead of failing with "database is
    # locked": every transaction takes it up front (IMMEDIATE) and waits up to 20 s for it.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ----------------------------------------------------------

# Every web process must see the same counters, so the shared cache is never local
# memory: the database by default, Redis when REDIS_URL is set (one client per
# process, reused: solidarityclub/cache.py). Each process keeps cached pages in its
# own memory in front of it (solidarityclub/pagecache.py).
if REDIS_URL := env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "solidarityclub.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A stalled Redis costs a request half a second at most, then each process
            # uses its own memory for a few seconds (solidarityclub/cache.py).
            "OPTIONS": {
                "socket_connect_timeout": env_float("REDIS_TIMEOUT", 0.5),
                "socket_timeout": env_float("REDIS_TIMEOUT", 0.5),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }
# Sessions are read from the cache and written through to the database.
SESSION_ENGINE = "solidarityclub.sessions"  # cached_db, read with a member's version in one round trip

# Pages that are the same for every visitor, and fragments that are the same for every
# member, are cached (solidarityclub/pagecache.py): a save or delete clears its area at
# once, the timeout covers what changes with the clock.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 60)
# Which area of content a save or delete changes: "app_label.model" or "app_label".
PAGE_CACHE_AREAS = {
    "members.user": "members",  # names shown beside posts, meetings and topics
    "meetings.rsvp": "rsvps",  # counted on the meetings list and a meeting's page only
    "meetings": "meetings",
    "topics.support": "supports",  # counted on the backlog only
    "topics": "topics",
    "blog": "blog",
}
# Saves with update_fields inside these change nothing a page shows (a sign-in, a preference).
PAGE_CACHE_PRIVATE_FIELDS = {
    "members.user": {
        "last_login",
        "password",
        "feed_token",
        "time_zone",
        "pronouns",
        "break_since",
        "break_until",
        "break_note",
        "break_advised_by",
        "wants_announcements",
        "wants_meeting_reminders",
        "wants_topic_news",
        "wants_request_notifications",
    },
}
# An X-Cache header (hit / miss) on cacheable visitor pages, for the benchmark.
PAGE_CACHE_HEADER = env_bool("DJANGO_PAGE_CACHE_HEADER", False)

# --- Accounts -----------------------------------------------------------------

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
# A password reset for an unknown address sends nothing at all.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_RATE_LIMITS_ENABLED = True  # allauth's defaults, counted in CACHES["default"]
ACCOUNT_RATE_LIMITS = {
    # Requests for meeting access at /join/: from one address (IP), and for one email address.
    "members_join": "5/h/ip,3/h/key",
}
# Rate limits count per client address. Behind N proxies that append to
# X-Forwarded-For, set this to N, or every visitor would share the proxy's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Solidarity Club] "
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Solidarity Club"
# The admin signs in through allauth (its 2FA step and rate limits apply). With this on,
# an organizer without an authenticator app is sent to set one up before the admin opens.
CLUB_REQUIRE_ORGANIZER_2FA = env_bool("CLUB_REQUIRE_ORGANIZER_2FA", not DEBUG)

# --- Email ------------------------------------------------------------------

# Every message goes into django-mailer's database queue first and is sent by
# its own process (`manage.py runmailer`): a failed send is retried, never lost.
EMAIL_BACKEND = "mailer.backend.DbBackend"
if EMAIL_HOST := env("EMAIL_HOST"):
    MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
elif (EMAIL_URL := env("EMAIL_URL")) and urlsplit(EMAIL_URL).scheme == "console":
    MAILER_EMAIL_BACKEND = "solidarityclub.emails.ConsoleBackend"
elif EMAIL_URL:
    # smtp://user:password@host:port, or smtps:// for implicit TLS.
    _email = urlsplit(EMAIL_URL)
    try:
        _email_port = _email.port
    except ValueError:
        _email_port = -1
    if _email.scheme not in ("smtp", "smtps") or not _email.hostname or _email_port == -1:
        # Never the URL itself in the message: it may hold the password.
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp://user:password@host:587, smtps://user:password@host:465 "
            "or console:// (its scheme, host or port could not be read)."
        )
    MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname
    EMAIL_PORT = _email_port or (465 if _email.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and EMAIL_PORT != 25
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    # Printed readably (to, subject, text) in the terminal of `make run`.
    MAILER_EMAIL_BACKEND = "solidarityclub.emails.ConsoleBackend"
# On PostgreSQL django-mailer locks each queued message's row, so no lock file is
# written into the working directory (read-only in the image); SQLite keeps the file.
# The mail queue's log keeps each attempt's result, not a copy of the email: messages
# relayed between members must not stay readable in the admin once sent.
MAILER_EMAIL_LOG_MESSAGE_DATA = False
MAILER_USE_FILE_LOCK = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
# `manage.py run_mail_queue` sends within seconds: on PostgreSQL a NOTIFY wakes it and
# this is only the sweep for retries; elsewhere it is how often the queue is looked at.
MAILER_EMPTY_QUEUE_SLEEP = env_int("MAILER_EMPTY_QUEUE_SLEEP", 30 if not MAILER_USE_FILE_LOCK else 2)

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "W.O.R.K. Solidarity Club <us@solidarityclub.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
CLUB_CONTACT_EMAIL = env("CLUB_CONTACT_EMAIL", "us@solidarityclub.org")
CLUB_NAME = "W.O.R.K. Solidarity Club"

# --- The club's inbox ----------------------------------------------------------

# Emails to the club's address become access requests or notes for organizers
# (`manage.py read_club_inbox`, members/inbox.py). imaps://user:password@host:993/INBOX
# (TLS from the start) or imap://user:password@host:143/INBOX (STARTTLS, required).
# Unset: the command reads nothing.
CLUB_IMAP_URL = env("CLUB_IMAP_URL")
# A CA bundle that signed the IMAP server's certificate, when it is not a public CA.
CLUB_IMAP_CA_FILE = env("CLUB_IMAP_CA_FILE")

# --- Time and language --------------------------------------------------------

# English and Spanish, with the same URLs: the language is a member's preference (the
# settings page), else the switcher's cookie, else the browser's Accept-Language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["solidarityclub.formats"]
USE_I18N = True
USE_TZ = True  # stored in UTC
CLUB_TIME_ZONE = env("CLUB_TIME_ZONE", "America/Los_Angeles")
TIME_ZONE = CLUB_TIME_ZONE  # shown in the club's zone unless a member chose their own

# --- Meetings -----------------------------------------------------------------

# Reminders go out this many hours before a meeting (`manage.py send_meeting_reminders`).
MEETING_REMINDER_HOURS = env_int("MEETING_REMINDER_HOURS", 24)
# Absolute links in emails sent outside a request (reminders), and calendar UIDs.
# Defaults to the first allowed host (https) unless DEBUG is on.
_first_host = next((host.lstrip(".") for host in ALLOWED_HOSTS if host != "*"), "localhost")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{_first_host}").rstrip("/")

# --- Scheduler ------------------------------------------------------------------

# `manage.py run_scheduler` (the scheduler service): each command (with its arguments) and
# how often it runs, in seconds. Each is safe to run twice or at once, so two schedulers send nothing twice.
SCHEDULED_COMMANDS = [
    ("read_club_inbox", 300),  # emails to the club's address (nothing without CLUB_IMAP_URL)
    ("send_weekly_digests", 300),  # Monday morning in each member's zone; catches up, never twice
    ("send_meeting_reminders", 300),
    ("close_due_decisions", 60),  # a decision closes within a minute of its time
    # Topics left gathered into a meeting that is over (not marked discussed) return to the backlog.
    ("return_stranded_topics", 300),
    ("retry_deferred", 300),  # runmailer leaves failed emails aside: back into the queue
    ("delete_unconfirmed_requests", 24 * 3600),
    # The mail log keeps a copy of every email: 30 days, then it goes (sent and failed alike).
    ("purge_mail_log 30 --result all", 24 * 3600),
]

# --- Static files -------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Hashed, compressed names need `collectstatic` (done when the image is built);
# local runs and tests serve the files as they are.
_static_manifest = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _static_manifest
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not _static_manifest

# --- Security -----------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container's health check speaks plain HTTP
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No form has a file field: a posted file stops the upload and the request gets a 415
# (solidarityclub.middleware); nothing is ever spooled to memory or disk.
FILE_UPLOAD_HANDLERS = ["solidarityclub.middleware.RefuseFileUploads"]

# Nothing is loaded from another host and no script runs inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}

# --- Logging: everything to standard output -----------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}
