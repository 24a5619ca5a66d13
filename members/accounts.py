"""Creating member accounts (the seam approved access requests go through) and leaving."""

from email.utils import parseaddr

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from mailer.models import Message, MessageLog

from .models import AccessRequest, InboxMessage, User, new_feed_token
from .signals import collect_personal_data, erase_personal_data


@transaction.atomic
def create_member(email, *, password=None, display_name="", is_staff=False, **fields):
    """Create (or reactivate) the account for an address, with a verified email.

    Without a password the account signs in by emailed code or password reset.
    """
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email)
    user.is_active = True
    user.is_staff = user.is_staff or is_staff
    if display_name:
        user.display_name = display_name
    for name, value in fields.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def leave(user, *, erase=False):
    """Deactivate the account; with `erase`, also blank the personal data it holds.

    What the member wrote elsewhere (topics) stays, attributed to "a former
    member" (User.public_name). A deactivated account's sessions stop working
    at once (inactive users are not authenticated); erasing also changes the
    password hash, which ends every session for good.
    """
    now = timezone.now()
    user.is_active = False
    user.left_at = now
    user.end_break(save=False)
    # The private calendar address stops working with the account.
    user.feed_token = new_feed_token()
    if erase:
        erase_personal_data.send(sender=type(user), user=user)
        requests = AccessRequest.objects.filter(Q(member=user) | Q(email__iexact=user.email))
        # Their emails to the club's address (the messages stay flagged in the mailbox itself).
        InboxMessage.objects.of_member(user).delete()
        # The mail queue's log keeps a copy of each email about those requests…
        MessageLog.objects.filter(message_id__in=requests.values("emails__message_id")).delete()
        # …and of every other email to the member; nothing still queued for them goes out.
        forget_emails_to(user.email)
        requests.delete()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        user.email = f"former-member-{user.pk}@invalid"
        user.display_name = ""
        user.pronouns = ""
        user.time_zone = ""
        user.wants_announcements = False
        user.wants_meeting_reminders = False
        user.wants_topic_news = False
        user.wants_decision_notices = False
        user.wants_weekly_digest = False
        user.wants_request_notifications = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.erased_at = now
    user.save()
    if erase:
        user.groups.clear()
        user.user_permissions.clear()
    return user


def forget_emails_to(address):
    """Delete the mail queue's copies of emails to an address: its log, and anything still queued.

    The queue stores each message serialized, so the recipients are read row by row.
    """
    address = address.lower()
    for model in (MessageLog, Message):
        doomed = [
            row.pk
            for row in model.objects.only("pk", "message_data").iterator()
            if any(address == parseaddr(to)[1].lower() for to in (row.to_addresses or []))
        ]
        model.objects.filter(pk__in=doomed).delete()


def personal_data(user):
    """Everything the club holds about a member, as JSON-ready data ("download my data")."""
    data = {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "pronouns": user.pronouns,
            "time_zone": user.time_zone,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "organizer": user.is_staff,
        },
        "emails_wanted": {
            "announcements": user.wants_announcements,
            "meeting_reminders": user.wants_meeting_reminders,
            "topic_news": user.wants_topic_news,
            "decision_notices": user.wants_decision_notices,
            "weekly_digest_instead": user.wants_weekly_digest,
            **({"access_requests": user.wants_request_notifications} if user.is_staff else {}),
        },
        "break": {
            "since": user.break_since,
            "until": user.break_until,
            "note": user.break_note,
            "advised_by_organizers": user.break_advised_by_id is not None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "access_requests": [
            {
                "name": access_request.name,
                "email": access_request.email,
                "pronouns": access_request.pronouns,
                "what_draws_you_to_this_work": access_request.motivation,
                "how_you_heard_of_the_club": access_request.heard_from,
                "agreed_to_code_of_conduct": access_request.agreed_to_code_of_conduct,
                "status": access_request.status,
                "created_at": access_request.created_at,
                "confirmed_at": access_request.confirmed_at,
                "decided_at": access_request.decided_at,
                "decision_message": access_request.decision_message,
            }
            for access_request in AccessRequest.objects.filter(Q(member=user) | Q(email__iexact=user.email))
        ],
        "emails_to_the_club": [
            {
                "from": message.sender,
                "subject": message.subject,
                "sent_at": message.sent_at,
                "read_at": message.read_at,
                "text": message.text,
                "became": message.get_outcome_display(),
            }
            for message in InboxMessage.objects.of_member(user).defer("original").order_by("read_at", "id")
        ],
    }
    for _receiver, response in collect_personal_data.send(sender=type(user), user=user):
        if isinstance(response, dict):
            data.update(response)
    return data
