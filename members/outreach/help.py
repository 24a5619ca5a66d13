"""Confidential requests for help to the organizers, optionally anonymous.

The notification emails say only that a request arrived and link to it in the
admin: what the member wrote stays on the site, where only the organizers it
is addressed to can read it.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarityclub.emails import absolute_url, language_for, send_email, speaking_to

from . import limits
from .models import HelpRequest
from .relay import LimitReachedError, name_of, organizer_addresses

HELP_REQUESTS_PER_DAY = 5


def submit(user, *, to, about, body, anonymous, request):
    """Save the request and tell the organizers it is for; LimitReachedError after five a day.

    The limit counts every request of the member, named or anonymous, in
    numbered cache slots that expire with the day (see limits.py): it records
    neither which requests were theirs nor when.
    """
    sender = None if anonymous else user
    # A double submit: the same words, from the same sender (or anonymously), for the same organizers, today.
    same = HelpRequest.objects.filter(
        sender=sender,
        addressed_to=to,
        to_all_organizers=to is None,
        body=body,
        received_on=timezone.localdate(),
    ).first()
    if same is not None:
        return same
    if not limits.take("help", user.pk, limit=HELP_REQUESTS_PER_DAY, period=limits.DAY):
        raise LimitReachedError(new_conversation=False)
    with transaction.atomic():
        help_request = HelpRequest(
            sender=sender,
            to_all_organizers=to is None,
            addressed_to=to,
            about=about,
            body=body,
        )
        help_request.full_clean()
        help_request.save()
        context = {
            "help_request": help_request,
            "to_you_only": to is not None,
            "admin_url": absolute_url(
                reverse("admin:members_helprequest_change", args=[help_request.pk]),
                request=request,
            ),
        }
        for address in [to.email] if to is not None else organizer_addresses():  # each in their own language
            send_email("members/outreach/emails/help_request", [address], context)
    return help_request


def tell_sender_it_is_picked_up(help_request, *, request):
    """Within the transaction that picked it up: the sender (unless anonymous) hears who handles it."""
    if help_request.sender is None or not help_request.sender.is_active:
        return
    sender = help_request.sender
    with speaking_to(sender):  # "An organizer" too
        _tell_sender(help_request, sender, request=request)


def _tell_sender(help_request, sender, *, request):
    send_email(
        "members/outreach/emails/help_picked_up",
        [sender.email],
        {
            "help_request": help_request,
            "member_name": name_of(help_request.sender),
            "organizer_name": name_of(help_request.handled_by)
            if help_request.handled_by
            else _("An organizer"),
            "help_url": absolute_url(reverse("members:help"), request=request),
        },
        language=language_for(sender),
    )
