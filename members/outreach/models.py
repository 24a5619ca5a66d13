"""What reaching out stores: directory entries, relayed conversations, blocks, reports, help requests."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import User

__all__ = ["Block", "Conversation", "DirectoryProfile", "HelpRequest", "RelayedMessage", "Report"]


def listed_members():
    """Members who opted in to the directory and may take part now (not on a break, not left)."""
    return User.objects.in_good_standing().filter(directory_profile__listed=True).exclude(display_name="")


class DirectoryProfile(models.Model):
    """A member's entry in the directory: off until they opt in on their settings page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="directory_profile",
    )
    listed = models.BooleanField(
        _("show me in the members' directory"),
        default=False,
        help_text=_("Other members in good standing see your entry and can write to you through the site."),
    )
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("For example English, Spanish.")
    )
    ask_me_about = models.CharField(
        _("ask me about / I can help with"),
        max_length=200,
        blank=True,
        help_text=_("One short line, for example “tenant organizing, bike repair”."),
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")

    def __str__(self):
        return str(self.user_id)


class ConversationQuerySet(models.QuerySet):
    def involving(self, user):
        return self.filter(Q(starter=user) | Q(recipient=user))

    def between(self, one, other):
        return self.filter(Q(starter=one, recipient=other) | Q(starter=other, recipient=one))


class Conversation(models.Model):
    """Two members writing to each other through the site: one per pair, whoever began it."""

    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("starter"), on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        constraints = [
            models.UniqueConstraint(
                Least("starter", "recipient"),
                Greatest("starter", "recipient"),
                name="members_one_conversation_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(starter=F("recipient")), name="members_conversation_between_two"
            ),
        ]

    def __str__(self):
        return f"{self.starter_id} ↔ {self.recipient_id}"

    def involves(self, user):
        return user.pk in (self.starter_id, self.recipient_id)

    def other(self, user):
        return self.recipient if user.pk == self.starter_id else self.starter

    def visible_messages(self, user):
        """What `user` sees: everything they wrote, and what reached them (not what a block withheld)."""
        return self.messages.filter(Q(sender=user) | Q(withheld=False)).order_by("created_at", "pk")


class RelayedMessage(models.Model):
    """A message from one member to another, relayed by email from the club's address.

    Organizers never see these in the admin; only a reported message's copy
    (Report.body) reaches them.
    """

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sender"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    reply_to_sender = models.BooleanField(
        _("replies by email come to my address"),
        default=True,
        help_text=_("The email's Reply-To is the sender's address, so the recipient sees it when replying."),
    )
    # The recipient blocked the sender: saved for the sender, never delivered, and the sender is not told.
    withheld = models.BooleanField(verbose_name=_("withheld"), default=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("relayed message")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return gettext("%(sender)s in %(conversation)s") % {
            "sender": self.sender_id,
            "conversation": self.conversation_id,
        }


class Block(models.Model):
    """The blocker no longer receives anything from the blocked member, who is not told."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("blocker"), on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("blocked"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("block")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="members_block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="members_block_someone_else"),
        ]

    def __str__(self):
        return gettext("%(blocker)s blocks %(blocked)s") % {
            "blocker": self.blocker_id,
            "blocked": self.blocked_id,
        }


class Handled(models.Model):
    """Something organizers pick up, then close: who handles it, and since when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open: no one has picked it up")
        PICKED_UP = "picked_up", _("Picked up")
        CLOSED = "closed", _("Closed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    organizer_notes = models.TextField(
        _("organizers' notes"), blank=True, max_length=5000, help_text=_("Only organizers see these.")
    )

    class Meta:
        abstract = True

    def pick_up(self, *, by):
        """`by` handles it from now: True only for the one organizer who picked up an open one."""
        now = timezone.now()
        picked = (
            type(self)
            .objects.filter(pk=self.pk, status=self.Status.OPEN)
            .update(status=self.Status.PICKED_UP, handled_by=by, picked_up_at=now)
        )
        if picked:
            self.status, self.handled_by, self.picked_up_at = self.Status.PICKED_UP, by, now
        return bool(picked)

    def close(self, *, by):
        now = timezone.now()
        self.status = self.Status.CLOSED
        self.closed_at = now
        if self.handled_by_id is None:
            self.handled_by, self.picked_up_at = by, now
        self.save(update_fields=["status", "closed_at", "handled_by", "picked_up_at"])


class Report(Handled):
    """A member reported a message they received; organizers see this copy of it, and only this."""

    message = models.OneToOneField(
        RelayedMessage,
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("the reported message"))
    sent_at = models.DateTimeField(_("sent at"))
    reason = models.TextField(_("why it was reported"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        verbose_name = _("reported message")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return gettext("Report #%(number)s") % {"number": self.pk}


class HelpRequestQuerySet(models.QuerySet):
    def visible_to(self, organizer):
        """To all organizers, or to this one; one whose organizer is gone, to superusers only."""
        visible = Q(to_all_organizers=True) | Q(addressed_to=organizer)
        if organizer.is_superuser:
            visible |= Q(to_all_organizers=False, addressed_to__isnull=True)
        return self.filter(visible)


class HelpRequest(Handled):
    """A member's confidential request for help to the organizers.

    An anonymous one keeps no link to its sender: no account, no address, no
    IP, and only the day it arrived (not the time), so that it cannot be
    matched with anything else the site records.
    """

    class About(models.TextChoices):
        CODE_OF_CONDUCT = "conduct", _("A code-of-conduct concern")
        OTHER = "other", _("Something else")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty when the request is anonymous."),
    )
    to_all_organizers = models.BooleanField(_("to all organizers"), default=True)
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to the organizer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    about = models.CharField(_("about"), max_length=10, choices=About.choices, default=About.OTHER)
    body = models.TextField(_("the request"), max_length=5000)
    received_on = models.DateField(_("received on"), default=timezone.localdate)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("help request")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_all_organizers=True, addressed_to__isnull=True) | Q(to_all_organizers=False),
                name="members_help_request_to_all_or_one",
            ),
        ]

    def __str__(self):
        return gettext("Help request #%(number)s") % {"number": self.pk}

    @property
    def is_anonymous(self):
        return self.sender_id is None
