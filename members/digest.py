"""The weekly digest: one email instead of separate announcement and topic emails.

Members who choose it on their settings page get, on Monday morning in their own
time zone, one email made of sections that other apps contribute through the
`collect_digest_sections` signal (members/signals.py): the next meetings with the
member's RSVP, new posts, topics waiting for support, and whatever comes later.
This module knows none of those apps.

`manage.py send_weekly_digests` runs this every few minutes. It catches up after
downtime (a digest not sent on Monday goes out on the next run, up to CATCH_UP
later), and never sends twice for a member and week: a DigestSent row, unique
per member and week and written in the same transaction as the queued email
(django-mailer's queue is in the same database), settles it.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from solidarityclub.emails import absolute_url, build_email, language_for, speaking_to

from . import email_kinds
from .models import DigestSent, User
from .signals import collect_digest_sections

logger = logging.getLogger(__name__)

EMAIL = "members/emails/digest"
SEND_WEEKDAY = 0  # Monday
SEND_TIME = time(8, 0)
# After downtime, a week's digest still goes out this long after its time; later, it waits a week.
CATCH_UP = timedelta(days=3)
# What is "new" reaches back to the member's previous digest, at most this far.
LONGEST_LOOK_BACK = timedelta(days=28)
FIRST_LOOK_BACK = timedelta(days=7)


@dataclass
class Section:
    """One part of the digest, contributed by an app."""

    key: str
    title: str
    template: str  # rendered as <template>.txt and <template>.html, with this section as `section`
    order: int = 50
    items: list = field(default_factory=list)
    total: int = 0  # how many there are in all, when items shows only the first ones
    url: str = ""  # where to see them all
    # The link's words, naming what it lists ("See all decisions"): in Spanish, "them all" takes the
    # gender of the noun, which only the section knows. Without it, a neutral "See them all".
    url_label: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def more(self):
        return max(0, self.total - len(self.items))


def due_week(now, zone):
    """The Monday of the week whose digest is due at `now` in `zone`, or None (too late to catch up)."""
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=(local.weekday() - SEND_WEEKDAY) % 7)
    send_at = datetime.combine(monday, SEND_TIME, tzinfo=zone)
    if local < send_at:
        monday -= timedelta(days=7)
        send_at = datetime.combine(monday, SEND_TIME, tzinfo=zone)
    return monday if local - send_at <= CATCH_UP else None


def subscribers():
    """Members in good standing who chose the digest, with the week and time of their last one."""
    return (
        User.objects.in_good_standing()
        .filter(wants_weekly_digest=True)
        .annotate(last_week=Max("digests__week"), last_sent_at=Max("digests__sent_at"))
        .order_by("pk")
    )


def sections_for(user, *, since, now):
    """Each app's section for `user`, built in their language (titles and words the apps translate)."""
    sections = []
    with speaking_to(user):
        responses = collect_digest_sections.send_robust(
            sender=User, user=user, since=since, now=now, absolute_url=absolute_url
        )
    for receiver, response in responses:
        if isinstance(response, Exception):
            # The digest still goes out, without that app's part.
            logger.error("collect_digest_sections receiver %r failed: %r", receiver, response)
        elif isinstance(response, Section):
            sections.append(response)
        elif isinstance(response, dict):
            sections.append(Section(**response))
    return sorted(sections, key=lambda section: (section.order, section.key))


def build_digest(user, *, week, since, now):
    """The digest email for one member, or None when no section has anything to tell."""
    sections = sections_for(user, since=since, now=now)
    if not sections:
        return None
    return build_email(
        EMAIL,
        [user.email],
        {
            "user": user,
            "sections": sections,
            "week": week,
            "since": since,
            "time_zone": user.display_zone,
            "settings_url": absolute_url(reverse("members:settings")),
        },
        unsubscribe=email_kinds.unsubscribe(user, "digest"),
        language=language_for(user),
    )


@dataclass
class Sending:
    queued: int = 0
    nothing_to_tell: int = 0
    failed: list = field(default_factory=list)


def send_due_digests(now=None):
    """Queue every digest that is due; safe to run at any time, twice, or at once."""
    now = now or timezone.now()
    result = Sending()
    for user in list(subscribers()):
        week = due_week(now, user.display_zone)
        if week is None or (user.last_week is not None and user.last_week >= week):
            continue
        since = max(user.last_sent_at or now - FIRST_LOOK_BACK, now - LONGEST_LOOK_BACK)
        message = build_digest(user, week=week, since=since, now=now)
        if message is not None:
            try:
                message.message()  # what the mail queue will do later: fail now, before any row is written
            except ValueError:
                logger.warning("Weekly digest: no message for member %s (broken address)", user.pk)
                result.failed.append(user)
                continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, week=week, sent_at=now, emailed=message is not None)
                if message is not None:
                    message.send()
        except IntegrityError:
            continue  # a run alongside this one sent it a moment ago
        if message is None:
            result.nothing_to_tell += 1
        else:
            result.queued += 1
    return result
