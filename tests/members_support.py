"""Helpers shared by the members tests: a valid join form and links read from emails."""

import re

from django.core import mail

JOIN_DATA = {
    "name": "Nia Newcomer",
    "email": "nia@example.org",
    "pronouns": "she/her",
    "motivation": "I want to learn with others how to build solidarity where I work.",
    "heard_from": "A friend",
    "agreed_to_code_of_conduct": "on",
    "website": "",
}


def join_data(**changes):
    data = {**JOIN_DATA, **changes}
    return {key: value for key, value in data.items() if value is not None}


def html_body(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def link_in(message, path_pattern):
    """The absolute link matching path_pattern, found in both bodies of an email (they must agree)."""
    pattern = rf"https?://testserver({path_pattern})"
    text_links = re.findall(pattern, message.body)
    html_links = re.findall(pattern, html_body(message))
    assert text_links, f"no {path_pattern} link in the text body:\n{message.body}"
    assert set(text_links) == set(html_links)
    return text_links[0]


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


def assert_limited(statuses, *, limit):
    """Never more than the limit through, the friendly 429 for the rest, never a 500.

    Fewer than the limit may pass: allauth refuses a post that waited a second for the
    counter's lock (more restrictive, never less), which a busy CI machine can reach.
    """
    assert 1 <= statuses.count(302) <= limit, statuses
    assert statuses.count(302) + statuses.count(429) == len(statuses), statuses
