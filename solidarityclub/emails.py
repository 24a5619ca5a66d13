"""One helper for every email: each message is a subject, a text and an HTML template.

For a message named `members/emails/welcome` the templates are
`members/emails/welcome_subject.txt`, `welcome.txt` and `welcome.html`.
With the default backend (django-mailer) a message joins the database queue
and the `runmailer` process sends it, retrying failures.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def build_email(name, to, context, *, reply_to=None, headers=None):
    context = {"CLUB_NAME": settings.CLUB_NAME, "CLUB_CONTACT_EMAIL": settings.CLUB_CONTACT_EMAIL, **context}
    subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to or []),
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"{name}.html", context), "text/html")
    return message


def send_email(name, to, context, **kwargs):
    build_email(name, to, context, **kwargs).send()


def send_email_after_commit(name, to, context, **kwargs):
    """Send once the current transaction has committed what the email is about."""
    message = build_email(name, to, context, **kwargs)
    transaction.on_commit(message.send)
