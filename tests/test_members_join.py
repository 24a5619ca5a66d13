"""The request form at /join/: fields, errors, spam defences and identical answers."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.accounts import create_member, leave
from members.models import AccessRequest
from tests.members_support import JOIN_DATA, assert_limited, html_body, join_data, link_in

JOIN = "/join/"
THANKS = "/join/thanks/"


def post_join(client, capture, data, **extra):
    with capture(execute=True):
        return client.post(JOIN, data, **extra)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_the_urls_keep_their_names():
    assert reverse("members:join") == JOIN
    assert reverse("members:join-thanks") == THANKS


def test_it_shows_every_field_with_a_label_and_links_the_code_of_conduct(client, db):
    response = client.get(JOIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for field in [
        "name",
        "email",
        "pronouns",
        "motivation",
        "heard_from",
        "agreed_to_code_of_conduct",
        "website",
    ]:
        assert f'for="id_{field}"' in html, field
    assert "What draws you to this work?" in html
    assert 'href="/code-of-conduct/"' in html
    # The honeypot is hidden from sighted people by a class (no inline style under the CSP),
    # around the field as the one field template draws it.
    assert re.search(r'<div class="visually-hidden">\s*<div class="field">\s*<label for="id_website">', html)
    assert "Leave this field empty" in html
    assert "style=" not in html


def test_a_request_is_saved_unconfirmed_before_the_confirmation_email_goes_out(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(JOIN, join_data())
        assert response.status_code == 302
        assert response["Location"] == THANKS
        # Saved, and the email waits for the commit.
        access_request = AccessRequest.objects.get()
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert access_request.status == AccessRequest.Status.UNCONFIRMED
    assert access_request.name == "Nia Newcomer"
    assert access_request.email == "nia@example.org"
    assert access_request.pronouns == "she/her"
    assert access_request.heard_from == "A friend"
    assert access_request.agreed_to_code_of_conduct is True
    [message] = mail.outbox
    assert message.to == ["nia@example.org"]
    assert message.subject == "Please confirm your request for meeting access"
    assert "Hello Nia Newcomer" in message.body
    assert "Hello Nia Newcomer" in html_body(message)
    assert link_in(message, r"/join/confirm/[^/\s\"]+/")
    assert access_request.emails.get().message_id == message.extra_headers["Message-ID"]


def test_the_thanks_page_says_what_happens_next(client, db):
    html = client.get(THANKS).content.decode()
    assert "Check your inbox" in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"agreed_to_code_of_conduct": None}, "agreed_to_code_of_conduct", "agree to it"),
        ({"name": ""}, "name", "Tell us what to call you"),
        ({"name": "x" * 101}, "name", "shorten your name to 100 characters"),
        ({"email": ""}, "email", "We need your email address"),
        ({"email": "not-an-address"}, "email", "doesn’t look like an email address"),
        ({"motivation": ""}, "motivation", "Tell us in a sentence or two what draws you to this work."),
        ({"motivation": "   "}, "motivation", "Tell us in a sentence or two what draws you to this work."),
        ({"motivation": "Too short."}, "motivation", "at least 20 characters"),
        ({"motivation": "x" * 2001}, "motivation", "2000 characters at most"),
        ({"pronouns": "x" * 41}, "pronouns", "at most 40 characters"),
        ({"heard_from": "x" * 301}, "heard_from", "at most 300 characters"),
        ({"website": "http://spam.example"}, "website", "leave this field empty"),
    ],
)
def test_each_bad_input_gets_a_field_error_and_nothing_is_saved_or_sent(
    client, db, capture, changes, field, error
):
    response = post_join(client, capture, join_data(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert error in " ".join(form.errors[field])
    html = response.content.decode()
    assert 'role="alert"' in html
    assert f'href="#id_{field}"' in html
    assert AccessRequest.objects.count() == 0
    assert mail.outbox == []


def test_a_filled_honeypot_shows_its_field_so_a_person_can_empty_it(client, db, capture):
    html = post_join(client, capture, join_data(website="me")).content.decode()
    assert "visually-hidden" not in html.split('id="id_website"')[0].rsplit("<div", 1)[-1]
    assert "Please leave this field empty" in html


def test_what_was_typed_is_kept_after_an_error(client, db, capture):
    html = post_join(client, capture, join_data(agreed_to_code_of_conduct=None)).content.decode()
    assert 'value="Nia Newcomer"' in html
    assert "how to build solidarity where I work" in html


def confirm_link(message):
    return link_in(message, r"/join/confirm/[^/\s\"]+/")


def test_submitting_again_never_changes_the_open_request_nor_adds_one(client, db, capture):
    post_join(client, capture, join_data())
    response = post_join(
        client,
        capture,
        join_data(email="NIA@Example.org", motivation="Second thoughts, said better this time."),
    )
    assert response["Location"] == THANKS
    access_request = AccessRequest.objects.get()
    assert access_request.motivation == JOIN_DATA["motivation"]
    assert access_request.status == AccessRequest.Status.UNCONFIRMED
    assert [m.to for m in mail.outbox] == [["nia@example.org"], ["nia@example.org"]]
    assert access_request.emails.count() == 2
    # Each email confirms exactly the text it was sent for.
    first, second = (confirm_link(message) for message in mail.outbox)
    assert "Second thoughts" not in client.get(first).content.decode()
    assert "Second thoughts, said better this time." in client.get(second).content.decode()
    with capture(execute=True):
        client.post(second)
    access_request.refresh_from_db()
    assert access_request.motivation == "Second thoughts, said better this time."
    assert access_request.status == AccessRequest.Status.PENDING
    assert access_request.revisions.count() == 0


def test_the_join_form_accepts_an_address_with_an_open_request(db):
    from members.forms import JoinForm

    AccessRequest.objects.create(name="Nia", email="nia@example.org", motivation="x" * 30)
    form = JoinForm(join_data(email="NIA@example.org"))
    assert form.is_valid(), form.errors
    assert list(form.fields) == [
        "name",
        "email",
        "pronouns",
        "motivation",
        "heard_from",
        "agreed_to_code_of_conduct",
        "website",
    ]
    assert [f.required for f in form.fields.values()] == [True, True, False, True, False, True, False]


def test_no_one_can_overwrite_a_pending_request_without_its_address(client, db, capture, organizer):
    post_join(client, capture, join_data())
    with capture(execute=True):
        client.post(confirm_link(mail.outbox[0]))
    mail.outbox.clear()
    # Someone who knows Nia's address sends other text for it.
    post_join(client, capture, join_data(name="Not Nia", motivation="Replaced by someone else entirely."))
    access_request = AccessRequest.objects.get()
    assert access_request.status == AccessRequest.Status.PENDING
    assert access_request.name == "Nia Newcomer"
    assert access_request.motivation == JOIN_DATA["motivation"]
    assert access_request.confirmed_at is not None
    # Only Nia's inbox gets the new text, and nothing reached the organizers.
    [message] = mail.outbox
    assert message.to == ["nia@example.org"]
    assert "Hello Not Nia" in message.body
    # The confirm page shows exactly what confirming sends.
    html = client.get(confirm_link(message)).content.decode()
    assert "Not Nia" in html
    assert "Replaced by someone else entirely." in html
    assert JOIN_DATA["motivation"] not in html


def test_the_owner_may_change_a_pending_request_by_confirming_the_new_text(client, db, capture, organizer):
    post_join(client, capture, join_data())
    with capture(execute=True):
        client.post(confirm_link(mail.outbox[0]))
    mail.outbox.clear()
    post_join(client, capture, join_data(pronouns="they/them"))
    link = confirm_link(mail.outbox[0])
    mail.outbox.clear()
    with capture(execute=True):
        assert client.post(link)["Location"] == "/join/confirmed/"
    access_request = AccessRequest.objects.get()
    assert access_request.pronouns == "they/them"
    assert access_request.status == AccessRequest.Status.PENDING
    # The organizers hear of the new text.
    assert sorted(m.to[0] for m in mail.outbox) == ["olga@example.org", "us@solidarityclub.org"]
    assert all("they/them" in m.body for m in mail.outbox)
    # Confirming twice changes nothing and notifies no one again.
    mail.outbox.clear()
    with capture(execute=True):
        assert client.post(link)["Location"] == "/join/confirmed/"
    assert mail.outbox == []
    assert "already confirmed" in client.get(link).content.decode()


def test_a_revision_of_a_decided_request_confirms_nothing(client, db, capture):
    post_join(client, capture, join_data())
    post_join(client, capture, join_data(pronouns="they/them"))
    link = confirm_link(mail.outbox[1])
    AccessRequest.objects.update(status=AccessRequest.Status.DECLINED)
    mail.outbox.clear()
    with capture(execute=True):
        client.post(link)
    access_request = AccessRequest.objects.get()
    assert access_request.status == AccessRequest.Status.DECLINED
    assert access_request.pronouns == "she/her"
    assert mail.outbox == []
    assert "already answered" in client.get(link).content.decode()


def test_confirm_links_carry_no_readable_address(client, db, capture):
    import base64
    import zlib

    post_join(client, capture, join_data(email="nia.secret@example.org"))
    token = confirm_link(mail.outbox[0]).split("/")[3]
    payload = token.split(":")[0].lstrip(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    decoded = zlib.decompress(raw) if token.startswith(".") else raw
    assert b"nia" not in decoded.lower()
    assert b"example" not in decoded.lower()


def test_a_decided_request_does_not_block_a_new_one(client, db, capture):
    post_join(client, capture, join_data())
    AccessRequest.objects.update(status=AccessRequest.Status.DECLINED)
    post_join(client, capture, join_data())
    assert sorted(AccessRequest.objects.values_list("status", flat=True)) == ["declined", "unconfirmed"]


def test_a_members_address_gets_a_sign_in_email_and_nothing_to_confirm(client, member, capture):
    response = post_join(client, capture, join_data(email="Alice@Example.org"))
    assert response["Location"] == THANKS
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert message.subject == "You already have access to W.O.R.K. Solidarity Club"
    assert link_in(message, "/accounts/login/") == "/accounts/login/"
    assert link_in(message, "/accounts/login/code/") == "/accounts/login/code/"
    assert "/join/confirm/" not in message.body
    # What was sent is kept like any request, and never reaches the organizers unconfirmed.
    access_request = AccessRequest.objects.get()
    assert access_request.status == AccessRequest.Status.UNCONFIRMED
    assert access_request.emails.get().kind == "already_member"


def normalized_queries(captured):
    """The SQL of each query with its values blanked: what the database was asked, not with what."""
    queries = []
    for query in captured:
        sql = re.sub(r'"s\d+_x\d+"', "savepoint", query["sql"])
        sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
        sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
        queries.append(sql)
    return queries


@pytest.mark.parametrize("before", ["nothing", "an open request"])
def test_members_and_newcomers_addresses_cost_the_same_queries(client, member, capture, before):
    if before != "nothing":
        for email in ["alice@example.org", "nia@example.org"]:
            post_join(client, capture, join_data(email=email), REMOTE_ADDR="192.0.2.1")
    queries = {}
    for number, email in enumerate(["alice@example.org", "nia@example.org"]):
        client.cookies.clear()
        with CaptureQueriesContext(connection) as captured:
            # From two addresses (IPs) in the same state: the rate limit counts the same too.
            response = post_join(
                client, capture, join_data(email=email), REMOTE_ADDR=f"192.0.2.{10 + number}"
            )
        assert response["Location"] == THANKS
        queries[email] = normalized_queries(captured.captured_queries)
    assert queries["alice@example.org"] == queries["nia@example.org"]
    assert any("INSERT" in sql for sql in queries["nia@example.org"])


def test_known_and_unknown_addresses_get_identical_answers(client, member, capture):
    known = post_join(client, capture, join_data(email="alice@example.org"))
    client.cookies.clear()
    unknown = post_join(client, capture, join_data(email="someone-new@example.org"))
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == THANKS
    assert known.cookies.keys() == unknown.cookies.keys()
    client.cookies.clear()
    known_page = client.get(known["Location"])
    client.cookies.clear()
    unknown_page = client.get(unknown["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    assert known_page.content == unknown_page.content


def test_a_former_members_address_can_ask_again(client, member, capture):
    leave(member)
    post_join(client, capture, join_data(email="alice@example.org"))
    assert AccessRequest.objects.get().email == "alice@example.org"
    assert mail.outbox[0].subject == "Please confirm your request for meeting access"


def test_too_many_requests_from_one_ip_get_a_friendly_page(client, db, capture):
    for number in range(5):
        response = post_join(client, capture, join_data(email=f"person{number}@example.org"))
        assert response.status_code == 302
    response = post_join(client, capture, join_data(email="person5@example.org"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please wait a little" in html
    assert "us@solidarityclub.org" in html
    assert not AccessRequest.objects.filter(email="person5@example.org").exists()
    assert len(mail.outbox) == 5
    # Someone else, elsewhere, is not held up.
    other = post_join(client, capture, join_data(email="person5@example.org"), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_too_many_requests_for_one_address_get_a_friendly_page(client, db, capture):
    for number in range(3):
        response = post_join(client, capture, join_data(), REMOTE_ADDR=f"198.51.100.{number}")
        assert response.status_code == 302
    response = post_join(client, capture, join_data(), REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429
    assert len(mail.outbox) == 3
    # The limit does not reveal membership: a member's address is limited the same way.
    create_member("alice@example.org")
    for number in range(3):
        assert (
            post_join(
                client, capture, join_data(email="alice@example.org"), REMOTE_ADDR=f"192.0.2.{number}"
            ).status_code
            == 302
        )
    assert (
        post_join(client, capture, join_data(email="alice@example.org"), REMOTE_ADDR="192.0.2.99").status_code
        == 429
    )


def test_invalid_forms_do_not_count_against_the_limits(client, db, capture):
    for _ in range(10):
        post_join(client, capture, join_data(motivation=""))
    assert post_join(client, capture, join_data()).status_code == 302


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 200), ("member", 302), ("member_on_break", 302), ("organizer", 302)],
)
def test_join_permission_matrix(client_for, role, status):
    response = client_for(role).get(JOIN)
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == "/"


@pytest.mark.parametrize("role", ["visitor", "member", "member_on_break", "organizer"])
def test_thanks_permission_matrix(client_for, role):
    assert client_for(role).get(THANKS).status_code == 200


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_join_refuses_other_methods(client, db, method):
    assert getattr(client, method)(JOIN).status_code == 405
    assert getattr(client, method)(THANKS).status_code == 405


def test_behind_a_proxy_the_limit_counts_each_visitor(client, db, capture, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for number in range(7):
        response = post_join(
            client,
            capture,
            join_data(email=f"person{number}@example.org"),
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"198.51.100.7, 203.0.113.{number}",  # a forged entry, then the real one
        )
        assert response.status_code == 302
    for number in range(5):
        post_join(
            client, capture, join_data(email=f"other{number}@example.org"), HTTP_X_FORWARDED_FOR="192.0.2.1"
        )
    assert post_join(client, capture, join_data(), HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429


def burst(posts):
    """Send the posts at once from threads (each with its own client and connection)."""
    from django.db import connections
    from django.test import Client

    barrier = threading.Barrier(len(posts))

    def send(data, remote_addr):
        try:
            client = Client(raise_request_exception=False)
            barrier.wait(timeout=10)
            return client.post(JOIN, data, REMOTE_ADDR=remote_addr).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        return sorted(pool.map(lambda args: send(*args), posts))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite: tests/test_join_burst_sqlite.py")
@pytest.mark.django_db(transaction=True)
def test_a_burst_from_one_address_gets_at_most_the_limit_through():
    statuses = burst([(join_data(email=f"person{n}@example.org"), "203.0.113.5") for n in range(10)])
    assert_limited(statuses, limit=5)
    assert AccessRequest.objects.count() == statuses.count(302)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite: tests/test_join_burst_sqlite.py")
@pytest.mark.django_db(transaction=True)
def test_a_burst_for_one_email_address_gets_at_most_the_limit_through():
    statuses = burst([(join_data(), f"203.0.113.{n}") for n in range(10)])
    assert_limited(statuses, limit=3)
    access_request = AccessRequest.objects.get()
    assert access_request.revisions.count() == statuses.count(302) - 1


def test_errors_are_written_for_this_form_with_a_summary_linking_to_each_field(client, db):
    response = client.post("/join/", {"name": "", "email": "nope", "motivation": "short"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="form-errors"' in html
    for field, message in [
        ("id_name", "Tell us what to call you"),
        ("id_email", "check for a typo, such as a missing @"),
        ("id_motivation", "A sentence or two, please: at least 20 characters (so far 5)"),
        ("id_agreed_to_code_of_conduct", "tick the box to agree"),
    ]:
        assert f'href="#{field}"' in html
        assert message in html
    assert "This field is required" not in html
    assert html.count('aria-invalid="true"') >= 3
    empty = client.post("/join/", {"name": "Nia", "email": "nia@example.org"}).content.decode()
    assert "Tell us in a sentence or two what draws you to this work." in empty
