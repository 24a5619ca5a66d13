"""Emailing a published announcement to the members who want announcements.

Each member gets a post once. For every recipient, the delivery row and the
queued email are written in one transaction: with django-mailer's database
queue as the email backend both land together or not at all, so running the
action again, or after an interruption, sends only to those still waiting.
"""

import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from members import email_kinds
from solidarityclub.emails import absolute_url, build_email, language_for

from .models import AnnouncementDelivery, Kind

EMAIL = "blog/emails/announcement"

logger = logging.getLogger(__name__)


@dataclass
class Sending:
    queued: int = 0
    failed: list = field(default_factory=list)  # members whose message could not be built


def can_be_sent(post):
    return post.kind == Kind.ANNOUNCEMENT and post.is_visible


def waiting_recipients(post):
    """Members in good standing who want announcements one by one and have not been sent this one.

    Members who chose the weekly digest read new posts there instead.
    """
    return (
        get_user_model()
        .objects.in_good_standing()
        .filter(email_kinds.separately("announcements"))
        .exclude(announcement_deliveries__post=post)
        .order_by("pk")
    )


def send_announcement(post):
    """Queue `post` for every waiting recipient; links are absolute, from settings.SITE_URL.

    A member whose message cannot be built (a broken address) is skipped and
    reported, without a delivery row, so a later run sends it once fixed.
    """
    if not can_be_sent(post):
        raise ValueError("Only a published announcement can be sent to members.")
    context = {
        "post": post,
        "post_url": absolute_url(post.get_absolute_url()),
        "settings_url": absolute_url(reverse("members:settings")),
    }
    result = Sending()
    # The list is read first, so rows written during the loop cannot shift it.
    for user in list(waiting_recipients(post).only("pk", "email", "display_name", "time_zone", "language")):
        message = build_email(
            EMAIL,
            [user.email],
            {**context, "user": user, "time_zone": user.display_zone},
            unsubscribe=email_kinds.unsubscribe(user, "announcements"),
            language=language_for(user),
        )
        try:
            message.message()  # what the mail queue will do later: fail now, before any row is written
        except ValueError:
            logger.warning("Announcement %s: no message for member %s (broken address)", post.pk, user.pk)
            result.failed.append(user)
            continue
        with transaction.atomic():
            _, created = AnnouncementDelivery.objects.get_or_create(post=post, user=user)
            if created:  # otherwise a run alongside this one got there first
                message.send()
                result.queued += 1
    return result
