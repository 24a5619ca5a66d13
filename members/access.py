"""The access-request flow: a newcomer asks, confirms their address, an organizer decides.

Each step saves first and sends its emails after the commit (through the mail
queue), so a request is never lost to a failed email. Every email about a
request is remembered with its Message-ID, so organizers can see in the admin
whether it went out.
"""

import logging
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from solidarityclub.emails import absolute_url, build_email, language_for, send_email_after_commit

from .accounts import create_member
from .models import NO_BREAK, AccessRequest, AccessRequestEmail, AccessRequestRevision, User, new_feed_token
from .signals import collect_welcome_context
from .tokens import confirm_token, decide_token, welcome_link_args

logger = logging.getLogger(__name__)

REQUEST_FIELDS = ["name", "pronouns", "motivation", "heard_from", "agreed_to_code_of_conduct"]


class AlreadyDecidedError(Exception):
    """The request is not waiting for a decision (someone decided it first, or it is unconfirmed)."""


def _message_id():
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def _send(access_request, kind, to, context, *, reply_to=None, at_once=False):
    """Remember and send an email about a request: after the commit, or `at_once` into the queue.

    In its recipient's language: the requester's is the one they wrote their request in.

    With `at_once` the email joins django-mailer's queue inside the caller's
    transaction (the queue is in the same database), so the request and its
    email commit together even if the process stops right after the commit.
    """
    message_id = _message_id()
    AccessRequestEmail.objects.create(access_request=access_request, kind=kind, to=to, message_id=message_id)
    name, headers = f"members/emails/{kind}", {"Message-ID": message_id}
    # The requester hears in the language they asked in; organizers and the club's address in theirs.
    is_requester = to.casefold() == access_request.email.casefold()
    language = language_for(to, default=access_request.language if is_requester else None)
    if at_once:
        build_email(name, [to], context, reply_to=reply_to, headers=headers, language=language).send()
    else:
        send_email_after_commit(name, [to], context, reply_to=reply_to, headers=headers, language=language)


def ask_to_confirm(access_request, *, request=None, revision=None, at_once=False):
    """Email the owner of the address the link that confirms the request (or exactly that revision of it).

    The links are built from `request`, or from settings.SITE_URL without one.
    """
    token = confirm_token(access_request, revision=revision)
    _send(
        access_request,
        AccessRequestEmail.Kind.CONFIRM,
        access_request.email,
        {
            "access_request": revision or access_request,
            "confirm_url": absolute_url(reverse("members:confirm", args=[token]), request=request),
        },
        at_once=at_once,
    )


def submit(data, *, request):
    """Save what was sent for data["email"] and email that address about it; returns the request.

    Anyone can type any address, so nothing changes an open request until the
    owner of the address confirms: the first submission is saved as an
    unconfirmed request, a later one as a revision of it, and the email links to
    exactly that text. Members' addresses go through the same steps, so that the
    page answers in the same time whoever asks: only the email differs (it says
    "you already have access", with no confirm link).
    """
    email = User.objects.normalize_email(data["email"]).lower()
    fields = {name: data.get(name, "") for name in REQUEST_FIELDS}
    language = translation.get_language() if translation.get_language() in dict(settings.LANGUAGES) else ""
    is_member = User.objects.filter(email__iexact=email, is_active=True).exists()
    with transaction.atomic():
        access_request = AccessRequest.objects.open().for_address(email).select_for_update().first()
        revision = None
        if access_request is None:
            try:
                with transaction.atomic():
                    access_request = AccessRequest.objects.create(email=email, language=language, **fields)
            except IntegrityError:
                # Another submission for this address won the race: this one becomes its revision.
                access_request = AccessRequest.objects.open().for_address(email).select_for_update().get()
                revision = AccessRequestRevision.objects.create(access_request=access_request, **fields)
        else:
            revision = AccessRequestRevision.objects.create(access_request=access_request, **fields)
        if revision is not None and access_request.language != language:
            access_request.language = language  # emails follow the latest text's language
            access_request.save(update_fields=["language", "updated_at"])
        elif revision is not None:
            # Sent again: an unconfirmed request is kept 30 days from now (delete_unconfirmed_requests).
            access_request.save(update_fields=["updated_at"])
        if is_member:
            _send(
                access_request,
                AccessRequestEmail.Kind.ALREADY_MEMBER,
                email,
                _already_member_context(request),
            )
        else:
            ask_to_confirm(access_request, revision=revision, request=request)
    return access_request


def _already_member_context(request):
    return {
        "sign_in_url": absolute_url(reverse("account_login"), request=request),
        "code_url": absolute_url(reverse("account_request_login_code"), request=request),
        "reset_url": absolute_url(reverse("account_reset_password"), request=request),
    }


def organizer_addresses():
    """The club's contact address and organizers who want request emails (not on a break)."""
    addresses = [settings.CLUB_CONTACT_EMAIL]
    addresses += (
        User.objects.in_good_standing()
        .organizers()
        .filter(wants_request_notifications=True)
        .values_list("email", flat=True)
    )
    seen, unique = set(), []
    for address in addresses:
        if address and address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def confirm(access_request, *, revision=None, request, agreed_to_code_of_conduct=False):
    """The owner of the address confirmed: the request waits for an organizer, who hears of it.

    With a revision, its text replaces the request's (unconfirmed or pending)
    first. Confirming twice changes nothing and notifies no one again. A request
    that arrived by email agrees to the code of conduct on the confirmation page.
    """
    with transaction.atomic():
        access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        if revision is not None:
            revision = access_request.revisions.filter(pk=revision.pk).first()
            if revision is None or not access_request.is_open:
                return access_request  # applied already, or the request was decided meanwhile
            for name in REQUEST_FIELDS:
                setattr(access_request, name, getattr(revision, name))
            # This revision and any older one are settled; a newer one stays confirmable.
            access_request.revisions.filter(created_at__lte=revision.created_at, pk__lte=revision.pk).delete()
        elif access_request.status != AccessRequest.Status.UNCONFIRMED:
            return access_request
        access_request.status = AccessRequest.Status.PENDING
        access_request.confirmed_at = timezone.now()
        if agreed_to_code_of_conduct:
            access_request.agreed_to_code_of_conduct = True
        access_request.save()
        context = {
            "access_request": access_request,
            "admin_url": absolute_url(
                reverse("admin:members_accessrequest_change", args=[access_request.pk]),
                request=request,
            ),
            "decide_url": absolute_url(
                reverse("members:decide", args=[decide_token(access_request)]),
                request=request,
            ),
        }
        for address in organizer_addresses():
            _send(
                access_request,
                AccessRequestEmail.Kind.NOTIFY,
                address,
                context,
                reply_to=[access_request.email],
            )
    return access_request


def welcome_context(user, *, request):
    """What the welcome email says beyond the basics: apps add the next meeting, the calendar…"""
    context = {}
    for receiver, response in collect_welcome_context.send_robust(sender=User, user=user, request=request):
        if isinstance(response, Exception):
            # The welcome still goes out, without that app's part.
            logger.error("collect_welcome_context receiver %r failed: %r", receiver, response)
        elif isinstance(response, dict):
            context.update(response)
    return context


def decide(access_request, *, approve, by, message="", send_decline_message=False, request):
    """Approve or decline a pending request, once: the first decision wins, later ones raise AlreadyDecidedError.

    Approving creates (or reactivates) the account with a verified address and
    sends the welcome email with a one-time sign-in link; declining sends a kind
    message only when the organizer chooses to.
    """
    message = message.strip()
    with transaction.atomic():
        access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        if access_request.status != AccessRequest.Status.PENDING:
            raise AlreadyDecidedError(access_request)
        access_request.decided_by = by
        access_request.decided_at = timezone.now()
        access_request.decision_message = message
        if approve:
            profile = {"pronouns": access_request.pronouns} if access_request.pronouns else {}
            if (
                access_request.language
                and not User.objects.filter(email__iexact=access_request.email, language__gt="").exists()
            ):
                profile["language"] = access_request.language  # the language they asked in
            former = User.objects.filter(email__iexact=access_request.email, is_active=False).first()
            user = create_member(
                access_request.email,
                display_name=access_request.name,
                left_at=None,
                **NO_BREAK,
                **profile,
            )
            if former is not None:
                # Coming back after leaving: a member again, not an organizer, with a new
                # private calendar address (the old one may have been shared meanwhile).
                user.is_staff = user.is_superuser = False
                user.feed_token = new_feed_token()
                user.save(update_fields=["is_staff", "is_superuser", "feed_token"])
                user.groups.clear()
                user.user_permissions.clear()
            access_request.status = AccessRequest.Status.APPROVED
            access_request.member = user
            access_request.save()
            with translation.override(language_for(user)):  # what the apps add to the welcome too
                _send_welcome(access_request, user, message, request=request)
        else:
            access_request.status = AccessRequest.Status.DECLINED
            access_request.save()
            if send_decline_message:
                _send(
                    access_request,
                    AccessRequestEmail.Kind.DECLINE,
                    access_request.email,
                    {"access_request": access_request, "message": message},
                )
    return access_request


def _send_welcome(access_request, user, message, *, request):
    _send(
        access_request,
        AccessRequestEmail.Kind.WELCOME,
        user.email,
        {
            "access_request": access_request,
            "user": user,
            "message": message,
            "sign_in_url": absolute_url(
                reverse("members:welcome", args=welcome_link_args(user)),
                request=request,
            ),
            "login_url": absolute_url(reverse("account_login"), request=request),
            "settings_url": absolute_url(reverse("members:settings"), request=request),
            "code_of_conduct_url": absolute_url(reverse("code-of-conduct"), request=request),
            **welcome_context(user, request=request),
        },
    )
