import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-9f8e7d6c5b4a3928171615141312111009080706",
    "DJANGO_ALLOWED_HOSTS": "club.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://club.example.org",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("path", ["/", "/about/", "/accounts/login/"])
def test_every_page_sends_the_security_headers(client, db, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_load_nothing_from_another_host(client, db):
    import re

    html = client.get("/").content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        if url.startswith(("http://", "https://", "//")):
            # Only plain links leave the site; nothing is loaded from elsewhere.
            assert re.search(rf'<a [^>]*href="{re.escape(url)}"', html), url
    assert "<script>" not in html


def test_production_settings_refuse_a_missing_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_strict():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.DEBUG)",
        env=PRODUCTION_ENV,
    )
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "False",
    ]


def test_env_booleans_are_strict():
    result = run_manage("check", env={**PRODUCTION_ENV, "DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_the_cache_every_worker_shares(settings):
    # Rate limits live in the default cache: never per-process memory.
    assert settings.CACHES["default"]["BACKEND"] in {
        "django.core.cache.backends.db.DatabaseCache",
        "solidarityclub.cache.RedisCache",
    }
    # Read from that cache, written through to the database: a cache restart signs no one out.
    from django.contrib.sessions.backends.cached_db import SessionStore as CachedDB

    from solidarityclub.sessions import SessionStore

    assert settings.SESSION_ENGINE == "solidarityclub.sessions"
    assert issubclass(SessionStore, CachedDB)


def test_redis_url_switches_the_cache_to_redis():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])",
        env={**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/1"},
    )
    assert result.stdout.strip() == "solidarityclub.cache.RedisCache"


def test_post_without_csrf_token_is_refused(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "a@b.c", "password": "x"})
    assert response.status_code == 403
    assert "Please try that again" in response.content.decode()


def test_the_documented_deployment_reaches_the_web_port_only_through_the_proxy():
    import re

    compose = (PROJECT / "compose.yaml").read_text()
    published = re.findall(r'^\s+- "([^"]+:8000)"$', compose, flags=re.MULTILINE)
    assert published == ["127.0.0.1:${WEB_PORT:-8000}:8000"]
    env_example = (PROJECT / ".env.example").read_text()
    [allowed] = re.findall(r"^FORWARDED_ALLOW_IPS=(.*)$", env_example, flags=re.MULTILINE)
    assert "*" not in allowed
    assert "FORWARDED_ALLOW_IPS:-*" not in (PROJECT / "docker/entrypoint.sh").read_text()
    assert "The web\n  port is reached only through the proxy" in (PROJECT / "README.md").read_text()


def test_every_response_turns_off_powerful_browser_features(client, db):
    for path in ["/", "/static/css/site.css", "/healthz", "/no-such-page/"]:
        response = client.get(path)
        policy = response["Permissions-Policy"]
        response.close()  # a static file's handle
        for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
            assert f"{feature}=()" in policy, (path, policy)


def test_pages_for_a_signed_in_person_are_never_stored(client, member):
    client.force_login(member)
    for path in ["/", "/favicon.ico", "/members/settings/", "/members/settings/my-data.json", "/blog/"]:
        directives = {part.strip() for part in client.get(path)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, path


def test_file_uploads_are_refused_outright(client, member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(member)
    for path in ["/join/", "/members/settings/", "/accounts/login/"]:
        upload = SimpleUploadedFile("big.bin", b"x" * (1024 * 1024))
        response = client.post(path, {"name": "x", "file": upload})
        assert response.status_code == 415, path
        assert "no file uploads" in response.content.decode()
