"""Site-wide pages: home, about, code of conduct, health check."""

import logging
import sys
import threading

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views import csrf, defaults, i18n
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from .memberpages import cache_per_member
from .middleware import speak_their_language
from .pagecache import cache_for_visitors

logger = logging.getLogger(__name__)


@require_safe
@cache_for_visitors("site", "meetings", "blog")
@cache_per_member
def home(request):
    return render(request, "solidarityclub/home.html")


@require_safe
@cache_for_visitors("site")
def about(request):
    return render(request, "solidarityclub/about.html")


@require_safe
@cache_for_visitors("site")
def code_of_conduct(request):
    return render(request, "solidarityclub/code_of_conduct.html")


@csrf_exempt
@require_POST
def set_language(request):
    """Django's language switcher; a signed-in member's choice is also saved as their preference.

    The switcher is on every page, and a page carrying a CSRF token is never kept in the
    visitors' page cache (pagecache.py): a visitor's form has none, and a forged switch
    could only change a visitor's language cookie. A member's preference is part of their
    account, so their form carries a token and it is checked as on any other form.
    """
    if request.user.is_authenticated:
        return _set_member_language(request)
    return i18n.set_language(request)


@csrf_protect
def _set_member_language(request):
    response = i18n.set_language(request)
    language = request.POST.get("language")
    user = request.user
    if language in dict(settings.LANGUAGES) and hasattr(user, "language") and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


@require_safe
def robots_txt(request):
    """Touches no database: also the baseline of the benchmark."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /accounts/", "Disallow: /members/", ""]
    lines += [f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@require_safe
@cache_control(max_age=86400)  # a day, not forever: the icon's hashed name changes with it
def favicon(request):
    """Browsers ask for /favicon.ico on pages that link no icon (the admin's): send them to ours."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


HEALTHZ_SECONDS = 2  # orchestrators give up after 3 s or so: answer before them


def _database_answers(wrapper_class, settings_dict, outcome):
    """Run in its own thread, on its own connection, so that the caller can stop waiting."""
    wrapper = wrapper_class(settings_dict, alias=DEFAULT_DB_ALIAS)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        outcome.append(True)
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
    finally:
        wrapper.close()


@never_cache
@require_safe
def healthz(request):
    """`ok` when the app and its database answer within HEALTHZ_SECONDS; 503 otherwise."""
    real = connections[DEFAULT_DB_ALIAS]
    settings_dict = dict(real.settings_dict)
    options = dict(settings_dict.get("OPTIONS", {}))
    if real.vendor == "postgresql":
        options["connect_timeout"] = min(options.get("connect_timeout", 2), 2)
    settings_dict["OPTIONS"] = options
    outcome = []
    checker = threading.Thread(
        target=_database_answers, args=(real.__class__, settings_dict, outcome), daemon=True
    )
    checker.start()
    checker.join(HEALTHZ_SECONDS)
    if not outcome:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


# Django's own error views, in the member's language: with no view matched (a 404) or a
# request refused before its view (CSRF), MemberLanguageMiddleware never switched to it.
def page_not_found(request, exception):
    speak_their_language(request)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    speak_their_language(request)
    return defaults.permission_denied(request, exception)


def bad_request(request, exception):
    speak_their_language(request)
    return defaults.bad_request(request, exception)


def csrf_failure(request, reason=""):
    speak_their_language(request)
    return csrf.csrf_failure(request, reason)


def server_error(request):
    """The 500 page; a database that cannot be reached gets a 503 with Retry-After instead."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError) and not isinstance(error, IntegrityError):
        response = HttpResponseServerError(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
