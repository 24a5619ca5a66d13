"""One helper for every email: each message is a subject, a text and an HTML template.

For a message named `members/emails/welcome` the templates are
`members/emails/welcome_subject.txt`, `welcome.txt` and `welcome.html`.
With the default backend (django-mailer) a message joins the database queue
and the `runmailer` process sends it, retrying failures.

Every message carries what mail providers look for: a `Message-ID` on the site's
own domain, a `Date` (added by Django), `From` the club's address, and
`Auto-Submitted: auto-generated` unless a person wrote it. An email sent because of
a member's preference passes `unsubscribe` (members.email_kinds.unsubscribe): it
then carries the RFC 8058 one-click headers and a footer link to the same address.

Each message is written in its recipient's language (`language_for`), never in the
language of whoever caused it to be sent: a message to several people is built once
per person.
"""

import sys
import threading
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path, *, request=None):
    """The full address of a path on this site, for an email (the one place that builds them).

    From the request being answered when there is one (its scheme and host), else from
    settings.SITE_URL: reminders, digests and the inbox are sent outside a request.
    """
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def site_domain():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


# The Message-ID of a member's message relayed by the club carries this mark, so a reply
# that reaches the club's inbox is known for what it is (members.inbox) and not read.
# Anyone can write the mark into In-Reply-To: the inbox heeds it only from a member's address.
RELAYED_MARK = "relayed-member-message"


def relayed_message_id():
    return make_msgid(idstring=RELAYED_MARK, domain=site_domain())


def is_reply_to_relayed(in_reply_to_and_references):
    """Whether these In-Reply-To / References values name a message relayed by this site."""
    mark = f".{RELAYED_MARK}@{site_domain()}>"
    return any(mark in value for value in in_reply_to_and_references)


def standard_headers(*, automatic=True):
    """Headers every email of the site carries (allauth's too, through members.adapters)."""
    headers = {"Message-ID": make_msgid(domain=site_domain())}
    if automatic:
        headers["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    return headers


def language_for(recipient, default=None):
    """The language of an email to `recipient`: a member (or their address) gets their preference.

    The one rule for every email. `recipient` is a user (no query) or an address (the
    member with that address, if any); without a preference, `default` (for example
    the language a newcomer wrote their request in), else the site's language.
    """
    language = getattr(recipient, "language", None)
    if language is None and isinstance(recipient, str) and recipient:
        language = (
            get_user_model()
            ._default_manager.filter(email__iexact=recipient)
            .values_list("language", flat=True)
            .first()
        )
    languages = dict(settings.LANGUAGES)
    for choice in (language, default):
        if choice and choice in languages:
            return choice
    return settings.LANGUAGE_CODE


def speaking_to(recipient, default=None):
    """`with speaking_to(user):` — what is built inside (dates, phrases, the email) is in their language."""
    return translation.override(language_for(recipient, default))


def build_email(
    name, to, context, *, reply_to=None, headers=None, unsubscribe=None, automatic=True, language=None
):
    """unsubscribe: {"url": …, "label": …} for an email a member gets because of a preference.

    language: the recipient's (`language_for`); without it, that of the one address in `to`.
    """
    if language is None:
        language = language_for(to[0] if len(to) == 1 else None)
    with translation.override(language):
        return _build_email(name, to, context, reply_to, headers, unsubscribe, automatic)


def _build_email(name, to, context, reply_to, headers, unsubscribe, automatic):
    context = {
        "CLUB_NAME": settings.CLUB_NAME,
        "CLUB_CONTACT_EMAIL": settings.CLUB_CONTACT_EMAIL,
        "SITE_URL": absolute_url(""),  # the site's root, without a final slash
        "unsubscribe": unsubscribe,
        **context,
    }
    headers = {**standard_headers(automatic=automatic), **(headers or {})}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe['url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to or []),
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{name}.html", context), "text/html")
    return message


def send_email(name, to, context, **kwargs):
    build_email(name, to, context, **kwargs).send()


def send_email_after_commit(name, to, context, **kwargs):
    """Send once the current transaction has committed what the email is about."""
    message = build_email(name, to, context, **kwargs)
    transaction.on_commit(message.send)


class ConsoleBackend(BaseEmailBackend):
    """`make run` prints each email readably: who it is for, its subject and its text, not raw MIME."""

    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def send_messages(self, email_messages):
        with self._lock:
            for message in email_messages:
                rule = "─" * 72
                lines = [rule, f"To:      {', '.join(message.to)}", f"Subject: {message.subject}"]
                if message.reply_to:
                    lines.append(f"Reply-To: {', '.join(message.reply_to)}")
                lines += ["", message.body.rstrip(), rule, ""]
                self.stream.write("\n".join(lines) + "\n")
            self.stream.flush()
        return len(email_messages)
