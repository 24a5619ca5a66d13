"""Every URL pattern, as every role, with junk parameters and junk bodies: never a 5xx.

The URL list is read from the resolver, so new views are covered as they are added.
The Django admin's own views (regex patterns, tested by Django) are left out.
"""

import io
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from members.accounts import create_member
from tests.conftest import PASSWORD, database_unreachable, seed_demo

JUNK = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "abc",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "😀" * 20,
    "x" * 3000,
    "a\x00b",  # a NUL byte: PostgreSQL refuses it in text
    "²",  # str.isdigit() says yes, int() says no
    "٣",  # an Arabic-Indic three: int() reads it
]
# Always sent, however many URLs there are; the rest of JUNK is sampled.
ALWAYS = {"a\x00b", "²"}
PATH_VALUES = {
    "int": ["1", "2147483647"],
    "slug": ["no-such-thing"],
    "str": ["nope", "%3Cb%3E"],
    "path": ["a/b"],
}
PATH_VALUES["uuid"] = ["00000000-0000-0000-0000-000000000000"]
SKIP_PREFIXES = ("admin/",)
NO_POST = {"accounts/logout/"}  # would sign the role out for the rest of the loop


def route_patterns(resolver=None, prefix="", prefix_filter=None):
    """Every route; with prefix_filter, only those under it (else all but SKIP_PREFIXES)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from route_patterns(pattern, route, prefix_filter)
        elif isinstance(pattern, URLPattern):
            if prefix_filter is not None:
                if route.lstrip("^").startswith(prefix_filter):
                    yield route
            elif not route.startswith(SKIP_PREFIXES):
                yield route


def concrete_paths(route):
    """Fill each <converter:name> of a route with junk values; regex routes are used as they read."""
    route = route.lstrip("^").rstrip("$")
    paths = [route]
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        marker = f"<{converter + ':' if converter else ''}{name}>"
        values = PATH_VALUES.get(converter or "str", ["nope"])
        paths = [path.replace(marker, value, 1) for path in paths for value in values]
    return ["/" + path for path in paths if "(" not in path and "\\" not in path]


ALL_PATHS = sorted({path for route in route_patterns() for path in concrete_paths(route)})


@pytest.fixture
def demo_content(db):
    seed_demo(stdout=io.StringIO())


def junk_for(path_count):
    return (
        JUNK
        if path_count <= 60
        else [*JUNK[::3], *(j for j in JUNK[::3] + list(ALWAYS) if j not in JUNK[::3])]
    )


def login_as(client, role):
    emails = {
        "member": "alice@example.org",
        "member_on_break": "bob@example.org",
        "organizer": "olga@example.org",
    }
    if role == "visitor":
        return
    extra = {"is_staff": True} if role == "organizer" else {}
    if role == "member_on_break":
        from django.utils import timezone

        extra["break_since"] = timezone.now()
    user = create_member(emails[role], password=PASSWORD, **extra)
    client.force_login(user)


@pytest.mark.parametrize("role", ["visitor", "member", "member_on_break", "organizer"])
def test_no_url_answers_5xx_to_junk(client, demo_content, role):
    client.raise_request_exception = False
    failures = []
    for path in ALL_PATHS:
        for junk in junk_for(len(ALL_PATHS)):
            login_as(client, role)
            query = {"page": junk, "kind": junk, "q": junk, "format": junk, "next": junk}
            response = client.get(path, query)
            failures += header_problems(f"GET {path} {junk[:20]!r}", response)
            if path.lstrip("/") in NO_POST:
                continue
            response = client.post(
                path, {"title": junk, "email": junk, "code": junk, "answer": junk, "x": junk}
            )
            failures += header_problems(f"POST {path} {junk[:20]!r}", response)
    assert failures == []


def header_problems(what, response):
    """A 5xx, a missing Permissions-Policy, or a page for a signed-in person that a cache may keep."""
    problems = []
    if response.status_code >= 500:
        problems.append(f"{what} → {response.status_code}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"{what}: no Permissions-Policy")
    if response.wsgi_request.user.is_authenticated:
        directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        if not {"private", "no-store"} <= directives:
            problems.append(f"{what}: Cache-Control {response.get('Cache-Control')!r} for a signed-in person")
    return problems


@pytest.mark.parametrize("path", ["/", "/join/", "/accounts/login/", "/blog/", "/meetings/", "/topics/"])
def test_malformed_input_gets_a_clear_4xx(client, db, path):
    client.raise_request_exception = False
    # Invalid UTF-8 in the query string and in a form body.
    assert client.get(path, QUERY_STRING="q=%FF%FE%FD&page=%C0").status_code < 500
    response = client.generic(
        "POST", path, b"email=%FF%FE&\xff\xfe=1", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500
    # A body larger than Django accepts in memory.
    huge = client.post(path, {"title": "x" * (3 * 1024 * 1024)})
    assert huge.status_code == 400, huge.status_code
    # Wrong methods: our views answer 405 (allauth's sign-in page treats a PUT as a GET).
    assert client.put(path, b"x").status_code == (200 if path.startswith("/accounts/") else 405)
    assert client.delete(path).status_code == 405


def test_a_post_without_csrf_token_is_refused_everywhere(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    for path in ["/join/", "/accounts/login/", "/accounts/password/reset/"]:
        response = client.post(path, {"email": "a@example.org"})
        assert response.status_code == 403, path
        assert "Please try that again" in response.content.decode()


def test_a_database_outage_gives_the_friendly_page_and_the_app_recovers(client, member, tmp_path):
    client.raise_request_exception = False
    client.force_login(member)
    with database_unreachable(tmp_path):
        response = client.get("/members/settings/")  # loading the session needs the database
        assert response.status_code == 503
        assert response["Retry-After"] == "60"
        assert "Back in a moment" in response.content.decode()
        assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200
    assert client.get("/members/settings/").status_code == 200


ADMIN_PATHS = sorted(
    {
        path
        for route in route_patterns(prefix_filter="admin/")
        for concrete in concrete_paths(route)
        # Object ids: a real one of the demo content too, and a non-numeric one.
        for path in {concrete, concrete.replace("/a/b/", "/1/")}
        if not path.endswith(("/logout/", "/delete/"))
    }
)


def test_no_admin_url_answers_5xx_to_junk(client, demo_content):
    """The organizers' side: every admin URL with NUL bytes, non-ASCII digits and non-numeric ids."""
    client.raise_request_exception = False
    login_as(client, "organizer")
    failures = []
    paths = ADMIN_PATHS + [
        "/admin/members/accessrequest/abc/approve/",
        "/admin/members/accessrequest/abc/decline/",
        "/admin/members/accessrequest/%C2%B2/approve/",
        "/admin/members/accessrequest/a%00b/decline/",
    ]
    for path in paths:
        for junk in ["a\x00b", "²", "abc"]:
            query = {"q": junk, "p": junk, "o": junk, "status__exact": junk, "id__exact": junk, "e": junk}
            response = client.get(path, query)
            if response.status_code >= 500:
                failures.append(f"GET {path} {junk!r} → {response.status_code}")
            response = client.post(path, {"name": junk, "title": junk, "minutes": junk, "message": junk})
            if response.status_code >= 500:
                failures.append(f"POST {path} {junk!r} → {response.status_code}")
    assert failures == []


@pytest.mark.parametrize(
    "path", ["/admin/members/accessrequest/abc/approve/", "/admin/members/accessrequest/abc/decline/"]
)
def test_a_non_numeric_request_id_in_the_admin_is_a_clear_404(organizer_client, path):
    organizer_client.raise_request_exception = False
    response = organizer_client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("where", ["query", "form"])
def test_a_nul_byte_gets_a_clear_400(client, db, where):
    client.raise_request_exception = False
    if where == "query":
        response = client.get("/blog/", {"kind": "a\x00b"})
    else:
        response = client.post("/join/", {"name": "a\x00b", "email": "nul@example.org"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
