"""The kinds of email a member gets because of a preference, each stoppable with one click.

Every such email carries `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058:
what large mail providers ask of senders of member mail) and a footer link, all to
`/emails/stop/<token>/`. The token is signed, names the member by id and the kind by
key (never the address), and does not expire: it stops one kind of email for one member.

Emails that are not preferences (access-request confirmation, sign-in codes, password
reset, welcome, notices to members who answered an RSVP) carry none of this.
"""

from dataclasses import dataclass

from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from solidarityclub.emails import absolute_url
from solidarityclub.memberpages import member_changed

STOP_SALT = "members.email-kinds.stop"


@dataclass(frozen=True)
class EmailKind:
    key: str  # in tokens and URLs: never rename
    field: str  # the member's boolean preference
    label: str  # what stops, as "… by email"


KINDS = {
    kind.key: kind
    for kind in (
        EmailKind("announcements", "wants_announcements", _("announcements from the organizers")),
        EmailKind("reminders", "wants_meeting_reminders", _("reminders before meetings")),
        EmailKind("topic-news", "wants_topic_news", _("news about the topics you proposed")),
        EmailKind("decision-notices", "wants_decision_notices", _("notices of decisions opened and made")),
        EmailKind("digest", "wants_weekly_digest", _("weekly digests")),
    )
}

# A member who chose the weekly digest gets these kinds in it, not one by one.
IN_THE_DIGEST = {"announcements", "topic-news"}


def _signer():
    return signing.Signer(salt=STOP_SALT)  # no timestamp: the link never expires


def stop_token(user, kind):
    return _signer().sign_object([user.pk, KINDS[kind].key])


def read_stop_token(token):
    """(user id, EmailKind) for a genuine token, or None."""
    try:
        user_id, key = _signer().unsign_object(token)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or key not in KINDS:
        return None
    return user_id, KINDS[key]


def stop_url(user, kind):
    return absolute_url(reverse("members:stop-emails", args=[stop_token(user, kind)]))


def unsubscribe(user, kind):
    """What solidarityclub.emails.build_email needs for the headers and the footer."""
    return {"url": stop_url(user, kind), "label": KINDS[kind].label}


def wants(user, kind):
    return getattr(user, KINDS[kind].field)


def set_wanted(user, kind, wanted):
    """Turn one kind on or off for this member, touching nothing else."""
    field = KINDS[kind].field
    setattr(user, field, wanted)
    type(user).objects.filter(pk=user.pk).update(**{field: wanted})
    member_changed(user.pk)  # update() sends no post_save: their kept pages must go


def gets_separately(user, kind):
    """Whether this member gets this kind of email one by one (not turned off, not in the digest)."""
    return wants(user, kind) and not (kind in IN_THE_DIGEST and user.wants_weekly_digest)


def separately(kind):
    """The same question for a queryset of members: User.objects.filter(email_kinds.separately(kind))."""
    condition = Q(**{KINDS[kind].field: True})
    if kind in IN_THE_DIGEST:
        condition &= Q(wants_weekly_digest=False)
    return condition
