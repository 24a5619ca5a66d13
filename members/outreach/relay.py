"""Relaying messages between members without showing anyone's address.

A message is saved, then its email is queued (django-mailer) in the same
transaction: From the club's address, To the recipient only. The sender's
address is the Reply-To only when they choose it; the recipient's address
never reaches the sender (bounces go to the club, the envelope sender).
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarityclub.emails import absolute_url, language_for, relayed_message_id, send_email

from ..models import FORMER_MEMBER
from . import limits
from .models import Block, Conversation, RelayedMessage, Report, listed_members

NEW_CONVERSATIONS_PER_DAY = 5
MESSAGES_PER_HOUR = 30
# The same words sent again this soon in the same conversation are a double submit.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)


class NotAvailableError(Exception):
    """The other member cannot receive messages now (on a break, left, or not listed)."""


class LimitReachedError(Exception):
    def __init__(self, *, new_conversation):
        super().__init__()
        self.new_conversation = new_conversation


def name_of(user):
    """How a member is named to another: their public name, never a part of their address."""
    if user.is_active and user.erased_at is None and user.display_name:
        return user.display_name
    if not user.is_active:
        return str(FORMER_MEMBER)
    return _("a member")


def organizer_addresses():
    """Organizers who may act now; the club's contact address when there are none."""
    from members.models import User

    addresses = list(
        User.objects.in_good_standing().organizers().order_by("pk").values_list("email", flat=True)
    )
    return addresses or [settings.CLUB_CONTACT_EMAIL]


def is_blocked(*, by, sender):
    return Block.objects.filter(blocker=by, blocked=sender).exists()


def _conversation_for(sender, recipient):
    conversation = Conversation.objects.between(sender, recipient).first()
    if conversation is not None:
        return conversation
    if not listed_members().filter(pk=recipient.pk).exists():
        raise NotAvailableError
    if not limits.take("new-conversation", sender.pk, limit=NEW_CONVERSATIONS_PER_DAY, period=limits.DAY):
        raise LimitReachedError(new_conversation=True)
    try:
        with transaction.atomic():
            return Conversation.objects.create(starter=sender, recipient=recipient)
    except IntegrityError:
        # The same two members began one at the same moment: write in that one.
        return Conversation.objects.between(sender, recipient).get()


def write(sender, recipient, body, *, reply_to_sender, request):
    """Save a message and queue its email; a blocked sender's message is saved but never delivered.

    Raises NotAvailableError or LimitReachedError. Returns the message (the
    earlier one, when the same words were just sent: a double submit).
    """
    if sender.pk == recipient.pk or not sender.in_good_standing or not recipient.in_good_standing:
        raise NotAvailableError
    conversation = _conversation_for(sender, recipient)
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        latest = conversation.messages.filter(sender=sender).order_by("-created_at", "-pk").first()
        if latest and latest.body == body and latest.created_at > timezone.now() - DOUBLE_SUBMIT_WINDOW:
            return latest
        if not limits.take("message", sender.pk, limit=MESSAGES_PER_HOUR, period=limits.HOUR):
            raise LimitReachedError(new_conversation=False)
        message = RelayedMessage(
            conversation=conversation,
            sender=sender,
            body=body,
            reply_to_sender=reply_to_sender,
            withheld=is_blocked(by=recipient, sender=sender),
        )
        message.full_clean()
        message.save()
        if not message.withheld:
            conversation_url = absolute_url(
                reverse("members:conversation", args=[conversation.pk]),
                request=request,
            )
            send_email(
                "members/outreach/emails/relayed_message",
                [recipient.email],
                {
                    "sender_name": name_of(sender),
                    "recipient_name": name_of(recipient),
                    "message": message,
                    "conversation_url": conversation_url,
                    "report_url": absolute_url(
                        reverse("members:report", args=[conversation.pk, message.pk]),
                        request=request,
                    ),
                    "settings_url": absolute_url(reverse("members:directory-settings"), request=request),
                },
                reply_to=[sender.email] if reply_to_sender else None,
                # Auto-Submitted (set by build_email) and this keep out-of-office replies, which
                # would come from the recipient's own address, from reaching the sender.
                # The marked Message-ID lets the club's inbox drop replies unread (members.inbox).
                headers={"X-Auto-Response-Suppress": "All", "Message-ID": relayed_message_id()},
                language=language_for(recipient),
            )
    return message


def block(blocker, blocked):
    if blocker.pk != blocked.pk:
        Block.objects.get_or_create(blocker=blocker, blocked=blocked)


def unblock(blocker, blocked):
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


def report(message, *, by, reason, also_block, request):
    """The recipient reports a message: organizers get a copy of it (and only of it) in the admin.

    Reporting twice keeps the first report. Returns (report, created).
    """
    with transaction.atomic():
        report, created = Report.objects.get_or_create(
            message=message,
            defaults={
                "reporter": by,
                "sender": message.sender,
                "body": message.body,
                "sent_at": message.created_at,
                "reason": reason,
            },
        )
        if also_block:
            block(by, message.sender)
        if created:
            context = {
                "report": report,
                "admin_url": absolute_url(
                    reverse("admin:members_report_change", args=[report.pk]),
                    request=request,
                ),
            }
            for address in organizer_addresses():  # each organizer in their own language
                send_email("members/outreach/emails/message_reported", [address], context)
    return report, created
