"""Members: the club's accounts and each member's standing and preferences.

Every account is a member (accounts come from approved access requests);
organizers are staff. This app knows nothing of meetings, topics or posts.
"""

import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidarityclub.times import valid_time_zones, zone_named


def new_feed_token():
    return secrets.token_urlsafe(32)


def validate_time_zone(value):
    if value and value not in valid_time_zones():
        raise ValidationError(gettext("Choose a time zone from the list, such as Europe/Berlin."))


# A member not on a break (User._set_break sets these fields together).
NO_BREAK = {"break_since": None, "break_until": None, "break_note": "", "break_advised_by": None}

# How someone who left (or erased their data) is named beside what they wrote or sent.
FORMER_MEMBER = _("a former member")


class MemberQuerySet(models.QuerySet):
    def on_break(self):
        today = timezone.localdate()
        return self.filter(break_since__isnull=False).filter(
            Q(break_until__isnull=True) | Q(break_until__gte=today)
        )

    def in_good_standing(self):
        """Active accounts not on a break: they get links, emails and topic actions."""
        today = timezone.localdate()
        return self.filter(is_active=True).filter(Q(break_since__isnull=True) | Q(break_until__lt=today))

    def organizers(self):
        """Active organizers (User.is_organizer); add in_good_standing() for those not on a break."""
        return self.filter(is_active=True, is_staff=True)


class UserManager(BaseUserManager.from_queryset(MemberQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(verbose_name=_("display name"), max_length=100, blank=True)
    pronouns = models.CharField(verbose_name=_("pronouns"), max_length=40, blank=True)
    time_zone = models.CharField(
        verbose_name=_("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Leave empty to see times in the club's time zone."),
    )
    is_staff = models.BooleanField(
        _("organizer"),
        default=False,
        help_text=_("Organizers can sign in to the admin."),
    )
    is_active = models.BooleanField(
        verbose_name=_("is active"),
        default=True,
        help_text=_("Unticked when a member leaves; the account can no longer sign in."),
    )
    date_joined = models.DateTimeField(verbose_name=_("date joined"), default=timezone.now)

    # Taking a break, as the code of conduct promises: no emails, no video
    # links, no topic actions until the break ends.
    break_since = models.DateTimeField(verbose_name=_("break since"), null=True, blank=True)
    break_until = models.DateField(
        verbose_name=_("break until"),
        null=True,
        blank=True,
        help_text=_("The break ends after this day; empty means until they come back."),
    )
    break_note = models.TextField(
        verbose_name=_("break note"),
        blank=True,
        help_text=_("When an organizer advises a break, a note the member will see."),
    )
    break_advised_by = models.ForeignKey(
        "self",
        verbose_name=_("break advised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The organizer who advised this break; the member cannot end it before its end date."),
    )

    # Leaving: the account is deactivated; erasing also blanks the personal data.
    left_at = models.DateTimeField(verbose_name=_("left at"), null=True, blank=True)
    erased_at = models.DateTimeField(verbose_name=_("erased at"), null=True, blank=True)

    wants_announcements = models.BooleanField(_("announcements by email"), default=True)
    wants_meeting_reminders = models.BooleanField(_("meeting reminders by email"), default=True)
    wants_topic_news = models.BooleanField(_("news about my topics by email"), default=True)
    wants_decision_notices = models.BooleanField(
        _("decision notices by email"),
        default=True,
        help_text=_("An email when a decision opens for votes, and when it is made."),
    )
    wants_weekly_digest = models.BooleanField(
        _("one weekly email instead of separate announcement and topic emails"),
        default=False,
        help_text=_(
            "Monday morning in the member's time zone: the next meetings with their answer, new posts "
            "and topics waiting for support. Meeting reminders still come on their own."
        ),
    )
    wants_request_notifications = models.BooleanField(
        _("new access requests by email"),
        default=True,
        help_text=_("Organizers only: an email when a newcomer confirms a request for meeting access."),
    )

    # Pages and emails in this language; blank follows the browser (or the switcher's cookie).
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Pages and emails in this language. Leave empty to follow your browser."),
    )

    # The secret in the member's private calendar feed URL; resetting it
    # invalidates the old URL.
    feed_token = models.CharField(
        verbose_name=_("feed token"), max_length=64, unique=True, default=new_feed_token, editable=False
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="members_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]

    @property
    def display_zone(self):
        """The zone this member's times are shown in (a tzinfo): their own, else the club's."""
        return zone_named(self.time_zone)

    @property
    def is_on_break(self):
        if self.break_since is None:
            return False
        return self.break_until is None or self.break_until >= timezone.localdate()

    @property
    def in_good_standing(self):
        return self.is_active and not self.is_on_break

    def standing_changes_at(self):
        """When the clock alone next changes this member's standing: the midnight that ends their break."""
        if self.break_since is None or self.break_until is None or not self.is_on_break:
            return None
        return timezone.make_aware(datetime.combine(self.break_until + timedelta(days=1), time.min))

    @property
    def is_organizer(self):
        """The one rule for "organizer": an active account with the admin's staff flag."""
        return self.is_active and self.is_staff

    @property
    def public_name(self):
        """The name shown next to what a member wrote (topics, support)."""
        if self.erased_at is not None or not self.is_active:
            return str(FORMER_MEMBER)
        return self.display_name or self.email.split("@")[0]

    @property
    def break_is_advised(self):
        """An organizer advised this break: it holds until its end date."""
        return self.is_on_break and self.break_advised_by_id is not None and self.break_until is not None

    def _set_break(self, *, since=None, until=None, note="", by=None, save=True):
        """The one place a break is set or cleared: all four fields together."""
        self.break_since, self.break_until, self.break_note, self.break_advised_by = since, until, note, by
        if save:
            self.save(update_fields=[*NO_BREAK])

    def take_break(self, *, until=None):
        self._set_break(since=timezone.now(), until=until)

    def advise_break(self, *, until, note, by):
        self._set_break(since=timezone.now(), until=until, note=note, by=by)

    def end_break(self, *, save=True):
        self._set_break(save=save)

    def reset_feed_token(self):
        self.feed_token = new_feed_token()
        self.save(update_fields=["feed_token"])


class AccessRequestQuerySet(models.QuerySet):
    def open(self):
        """Requests still in flight: one per address at most (a database constraint)."""
        return self.filter(status__in=AccessRequest.OPEN_STATUSES)

    def for_address(self, email):
        return self.filter(email__iexact=email)

    def stale_unconfirmed(self, days=30):
        cutoff = timezone.now() - timedelta(days=days)
        return self.filter(status=AccessRequest.Status.UNCONFIRMED, updated_at__lt=cutoff)


class AccessRequest(models.Model):
    """A newcomer's request for meeting access: confirmed by email, then decided by an organizer."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the address to be confirmed")
        PENDING = "pending", _("Waiting for an organizer")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    class Source(models.TextChoices):
        FORM = "form", _("the join form")
        EMAIL = "email", _("an email to the club")

    OPEN_STATUSES = [Status.UNCONFIRMED, Status.PENDING]

    name = models.CharField(verbose_name=_("name"), max_length=100)
    email = models.EmailField(_("email address"), max_length=254)
    pronouns = models.CharField(verbose_name=_("pronouns"), max_length=40, blank=True)
    motivation = models.TextField(_("what draws them to this work"))
    heard_from = models.CharField(_("how they heard of the club"), max_length=300, blank=True)
    agreed_to_code_of_conduct = models.BooleanField(
        verbose_name=_("agreed to code of conduct"), default=False
    )
    # The language the request was written in: its emails, and the new member's preference.
    language = models.CharField(
        verbose_name=_("language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )

    status = models.CharField(
        verbose_name=_("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED
    )
    source = models.CharField(
        _("arrived by"),
        max_length=8,
        choices=Source.choices,
        default=Source.FORM,
        help_text=_("An email to the club's address keeps its original message (see below)."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)
    confirmed_at = models.DateTimeField(verbose_name=_("confirmed at"), null=True, blank=True)

    decided_at = models.DateTimeField(verbose_name=_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_requests",
    )
    decision_message = models.TextField(
        verbose_name=_("decision message"),
        blank=True,
        help_text=_("The organizer's personal message in the welcome or decline email."),
    )
    member = models.ForeignKey(
        User,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_requests",
        help_text=_("The account this request created or reactivated."),
    )

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(status__in=["unconfirmed", "pending"]),
                name="members_one_open_request_per_address",
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def arrived_by_email(self):
        return self.source == self.Source.EMAIL


class AccessRequestRevision(models.Model):
    """New text sent for an address whose request is still open, waiting for the address to confirm it.

    Anyone can type any address into the join form, so a second submission
    never changes the open request: it is kept here, and the confirm link in the
    email to that address applies exactly this text (and nothing else).
    """

    access_request = models.ForeignKey(
        AccessRequest, verbose_name=_("access request"), on_delete=models.CASCADE, related_name="revisions"
    )
    name = models.CharField(verbose_name=_("name"), max_length=100)
    pronouns = models.CharField(verbose_name=_("pronouns"), max_length=40, blank=True)
    motivation = models.TextField(_("what draws them to this work"))
    heard_from = models.CharField(_("how they heard of the club"), max_length=300, blank=True)
    agreed_to_code_of_conduct = models.BooleanField(
        verbose_name=_("agreed to code of conduct"), default=False
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("access request revision")
        verbose_name_plural = _("access request revisions")
        ordering = ["created_at", "id"]

    def __str__(self):
        return gettext("%(name)s <%(email)s> (not confirmed)") % {
            "name": self.name,
            "email": self.access_request.email,
        }

    @property
    def email(self):
        return self.access_request.email


class AccessRequestEmail(models.Model):
    """An email sent about a request, so organizers can see whether it went out.

    The mail queue (django-mailer) logs each attempt under the message's
    Message-ID; this row remembers which Message-ID belongs to which request.
    """

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirm your address")
        NOTIFY = "notify", _("New request (to organizers)")
        WELCOME = "welcome", _("Welcome")
        DECLINE = "decline", _("Declined")
        ALREADY_MEMBER = "already_member", _("You already have access")

    access_request = models.ForeignKey(
        AccessRequest, verbose_name=_("access request"), on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=Kind.choices)
    to = models.EmailField(verbose_name=_("to"), max_length=254)
    message_id = models.CharField(verbose_name=_("message id"), max_length=255, unique=True)
    queued_at = models.DateTimeField(verbose_name=_("queued at"), default=timezone.now)

    class Meta:
        verbose_name = _("access request email")
        verbose_name_plural = _("access request emails")
        ordering = ["queued_at", "id"]

    def __str__(self):
        return gettext("%(kind)s to %(address)s") % {"kind": self.get_kind_display(), "address": self.to}


class InboxMessageQuerySet(models.QuerySet):
    def unreadable(self):
        return self.filter(outcome=InboxMessage.Outcome.UNREADABLE)

    def of_member(self, user):
        """What this member (or their address) wrote to the club, and what arrived about their requests."""
        requests = AccessRequest.objects.filter(Q(member=user) | Q(email__iexact=user.email))
        return self.filter(
            Q(member=user) | Q(from_address__iexact=user.email) | Q(access_request__in=requests)
        )


class InboxMessage(models.Model):
    """A message read from the club's mailbox (members/inbox.py), once per Message-ID.

    The unique message_id is what makes reading the mailbox safe to repeat: a
    message already taken in (by an earlier run that stopped before flagging it
    in the mailbox, or by a run alongside) is only flagged, never taken in again.
    """

    class Outcome(models.TextChoices):
        REQUEST = "request", _("New access request")
        REQUEST_NOTE = "request_note", _("Note on an open request")
        MEMBER_NOTE = "member_note", _("Note on a member")
        AUTOMATIC = "automatic", _("Automatic mail, set aside")
        UNREADABLE = "unreadable", _("Could not be read: still in the mailbox")

    message_id = models.CharField(
        verbose_name=_("message id"),
        max_length=998,
        unique=True,
        help_text=_("The Message-ID header, or a digest of the message when it has none."),
    )
    outcome = models.CharField(verbose_name=_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(
        verbose_name=_("reason"),
        max_length=200,
        blank=True,
        help_text=_("Why it was set aside or unreadable."),
    )
    # The reason's template and values (members.inbox.Reason), to say it in each organizer's language.
    reason_parts = models.JSONField(verbose_name=_("reason parts"), default=dict, blank=True, editable=False)
    from_name = models.CharField(verbose_name=_("from name"), max_length=200, blank=True)
    from_address = models.CharField(verbose_name=_("from address"), max_length=254, blank=True)
    subject = models.CharField(verbose_name=_("subject"), max_length=300, blank=True)
    sent_at = models.DateTimeField(
        verbose_name=_("sent at"), null=True, blank=True, help_text=_("The Date header.")
    )
    read_at = models.DateTimeField(verbose_name=_("read at"), default=timezone.now)
    text = models.TextField(
        verbose_name=_("text"),
        blank=True,
        help_text=_("The message's text (HTML converted, attachments left out)."),
    )
    original = models.BinaryField(
        verbose_name=_("original message"),
        blank=True,
        default=b"",
        help_text=_("The message exactly as it arrived."),
    )
    size = models.PositiveIntegerField(verbose_name=_("size"), default=0)
    access_request = models.ForeignKey(
        AccessRequest,
        verbose_name=_("access request"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_messages",
    )
    member = models.ForeignKey(
        User,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_messages",
    )

    objects = InboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-read_at", "-id"]
        verbose_name = _("message to the club")
        verbose_name_plural = _("the club's inbox")

    def __str__(self):
        return self.subject or _("(no subject)")

    @property
    def reason_shown(self):
        """The reason in the reader's language; the stored English text when it has no template."""
        template, values = self.reason_parts.get("template"), self.reason_parts.get("values")
        if not template:
            return self.reason
        try:
            return gettext(template) % values if values else gettext(template)
        except (TypeError, ValueError, KeyError):  # a template the catalog no longer matches
            return self.reason

    @property
    def sender(self):
        if self.from_name and self.from_address:
            return f"{self.from_name} <{self.from_address}>"
        return self.from_address or self.from_name


class DigestSent(models.Model):
    """One weekly digest per member and week, settled by a unique row written with the queued email."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="digests")
    week = models.DateField(
        verbose_name=_("week"), help_text=_("The Monday (in the member's time zone) of the week it was for.")
    )
    sent_at = models.DateTimeField(verbose_name=_("sent at"), default=timezone.now)
    emailed = models.BooleanField(
        verbose_name=_("emailed"),
        default=True,
        help_text=_("False when there was nothing to tell that week."),
    )

    class Meta:
        verbose_name = _("weekly digest sent")
        verbose_name_plural = _("weekly digests sent")
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="members_one_digest_per_week")]

    def __str__(self):
        return f"{self.user} · {self.week:%Y-%m-%d}"


# Reaching out (directory, relayed messages, help requests) keeps its models in
# its own module; importing them here registers them with the members app.
from .outreach.models import *  # noqa: E402, F403
