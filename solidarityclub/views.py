"""Site-wide pages: home, about, code of conduct, health check."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from .pagecache import cache_for_visitors

logger = logging.getLogger(__name__)


@require_safe
@cache_for_visitors
def home(request):
    return render(request, "solidarityclub/home.html")


@require_safe
@cache_for_visitors
def about(request):
    return render(request, "solidarityclub/about.html")


@require_safe
@cache_for_visitors
def code_of_conduct(request):
    return render(request, "solidarityclub/code_of_conduct.html")


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


@never_cache
@require_safe
def healthz(request):
    """`ok` when the app and its database answer; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
