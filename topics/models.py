"""Topics: the between-meetings backlog that members fill and organizers gather.

A topic is proposed (open, in the backlog), supported by members, gathered into
a meeting's main block with a number of minutes, then discussed there or
returned to the backlog. Organizers may hide or merge topics. Every change is
recorded as a TopicEvent so the topic page can tell its history.

Work that touches several rows (supporting, gathering, merging) lives in
topics/backlog.py; this module holds the tables and their queries.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.models import Format, Meeting
from members.models import FORMER_MEMBER
from solidarityclub.markdown import RendersMarkdown

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 500

validate_web_url = URLValidator(
    schemes=["http", "https"], message=_("Enter a full web address, starting with https://")
)


def normalize_title(title):
    """One space between words, none around: titles differing only in spacing are the same topic."""
    return re.sub(r"\s+", " ", title or "").strip()


def public_name(user):
    """How a member appears to other members; a deleted account is "a former member"."""
    return FORMER_MEMBER if user is None else user.public_name


class Status(models.TextChoices):
    OPEN = "open", _("In the backlog")
    GATHERED = "gathered", _("Gathered into a meeting")
    DISCUSSED = "discussed", _("Discussed")
    HIDDEN = "hidden", _("Hidden by the organizers")
    MERGED = "merged", _("Merged into another topic")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TopicQuerySet(models.QuerySet):
    def backlog(self):
        """Open topics, most supported first, then oldest."""
        return self.filter(status=Status.OPEN).order_by("-support_count", "created_at", "id")

    def visible_to(self, user):
        """Organizers see every topic; members see all but others' hidden or withdrawn topics."""
        if user.is_authenticated and user.is_staff:
            return self
        public = Q(status__in=[Status.OPEN, Status.GATHERED, Status.DISCUSSED, Status.MERGED])
        if user.is_authenticated:
            return self.filter(public | Q(proposer=user))
        return self.filter(public)

    def with_supported_by(self, user):
        """Annotate `is_supported`: whether this member supports each topic (one subquery, no N+1)."""
        if not user.is_authenticated:
            return self.annotate(is_supported=models.Value(False))
        return self.annotate(is_supported=Exists(Support.objects.filter(topic=OuterRef("pk"), user=user)))

    def search(self, words):
        """Every word must appear in the title or the description (case-insensitive)."""
        queryset = self
        for word in words:
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset


class Topic(RendersMarkdown, models.Model):
    Status = Status

    title = models.CharField(verbose_name=_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(
        verbose_name=_("description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("Markdown: what to talk about, and why now."),
    )
    description_html = models.TextField(verbose_name=_("description (HTML)"), blank=True, editable=False)
    format = models.CharField(
        _("suggested format"), max_length=20, choices=Format.choices, default=Format.CHIT_CHAT
    )
    link_1 = models.URLField(_("link"), max_length=500, blank=True, validators=[validate_web_url])
    link_2 = models.URLField(_("second link"), max_length=500, blank=True, validators=[validate_web_url])
    link_3 = models.URLField(_("third link"), max_length=500, blank=True, validators=[validate_web_url])
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    hidden_reason = models.CharField(
        verbose_name=_("hidden reason"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("Shown to the proposer on the topic page."),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_topics",
    )
    # The meeting whose agenda holds this topic: set while gathered or discussed, and only then.
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gathered_topics",
    )
    gathered_minutes = models.PositiveSmallIntegerField(
        verbose_name=_("gathered minutes"), null=True, blank=True
    )
    gathered_at = models.DateTimeField(verbose_name=_("gathered at"), null=True, blank=True)
    agenda_position = models.PositiveSmallIntegerField(
        verbose_name=_("agenda position"), default=0, editable=False
    )
    discussed_note = models.CharField(
        verbose_name=_("discussed note"), max_length=NOTE_MAX_LENGTH, blank=True
    )
    # Denormalized so the backlog sorts on an index; changed only with F() in
    # the same transaction as the Support row it counts (see backlog.py).
    support_count = models.PositiveIntegerField(verbose_name=_("support count"), default=0, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    MARKDOWN_FIELDS = {"description": "description_html"}

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-support_count", "created_at", "id"]
        indexes = [
            models.Index(fields=["status", "-support_count", "created_at"], name="topics_backlog_rank"),
        ]
        constraints = [
            # Two open topics may not share a title (ignoring case); the form
            # says so politely, this settles the race between two submissions.
            models.UniqueConstraint(
                Lower("title"),
                condition=Q(status="open"),
                name="topics_open_title_ci_unique",
                violation_error_message=_("An open topic already has this title."),
            ),
            models.CheckConstraint(
                condition=~Q(status="gathered") | Q(meeting__isnull=False, gathered_minutes__isnull=False),
                name="topics_gathered_has_meeting",
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True) | Q(status__in=["gathered", "discussed"]),
                name="topics_meeting_only_when_on_agenda",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = normalize_title(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("topics:detail", args=[self.pk])

    @property
    def links(self):
        return [link for link in (self.link_1, self.link_2, self.link_3) if link]

    @property
    def proposer_name(self):
        return public_name(self.proposer)

    @property
    def is_open(self):
        return self.status == Status.OPEN


class Support(models.Model):
    """One member backing one topic; the database refuses a second row for the same pair."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="topic_supports",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="topics_one_support_per_member")
        ]
        indexes = [models.Index(fields=["user", "topic"], name="topics_support_by_user")]

    def __str__(self):
        return gettext("%(member)s supports %(topic)s") % {"member": self.user, "topic": self.topic}


class ReturnedBecause(models.TextChoices):
    DELETED = "deleted", _("the meeting was deleted")
    CANCELLED = "cancelled", _("the meeting was cancelled")
    NOT_DISCUSSED = "not_discussed", _("not discussed at the meeting")


# What a topic's history says when the site returned it; %(meeting)s is the meeting's title.
RETURNED_NOTES = {
    ReturnedBecause.DELETED: _("The meeting “%(meeting)s” was deleted."),
    ReturnedBecause.CANCELLED: _("The meeting “%(meeting)s” was cancelled."),
    ReturnedBecause.NOT_DISCUSSED: _("Not discussed at “%(meeting)s”."),
}


class TopicEvent(models.Model):
    """One line of a topic's history."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        EDITED = "edited", _("Edited")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        GATHERED = "gathered", _("Gathered into a meeting")
        RETURNED = "returned", _("Returned to the backlog")
        DISCUSSED = "discussed", _("Discussed")
        HIDDEN = "hidden", _("Hidden")
        SHOWN = "shown", _("Shown again")
        MERGED = "merged", _("Merged into another topic")
        ABSORBED = "absorbed", _("Took in a merged topic")

    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(verbose_name=_("kind"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    other_topic = models.ForeignKey(
        Topic,
        verbose_name=_("other topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes = models.PositiveSmallIntegerField(verbose_name=_("minutes"), null=True, blank=True)
    note = models.CharField(verbose_name=_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    # Why the site itself returned a topic, said in each reader's language with the
    # meeting's title kept here (the meeting may be gone); a person's words go in `note`.
    returned_because = models.CharField(
        verbose_name=_("returned because"), max_length=16, choices=ReturnedBecause.choices, blank=True
    )
    meeting_title = models.CharField(verbose_name=_("meeting title"), max_length=120, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic event")
        verbose_name_plural = _("topic events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.topic}"

    @property
    def note_shown(self):
        if self.returned_because in RETURNED_NOTES:
            return RETURNED_NOTES[self.returned_because] % {"meeting": self.meeting_title}
        return self.note

    @property
    def actor_name(self):
        return public_name(self.actor)


# --- The live dot-vote at check-in (topics/dotvote.py runs it) -------------------------


class DotVote(models.Model):
    """A dot-vote on the backlog during a meeting's intro and check-in, kept with the meeting.

    The ballot is the backlog's most supported open topics when the vote opens, so the list
    does not move under people's fingers. Who placed which dot is for organizers only.
    """

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="dot_vote"
    )
    dots_per_member = models.PositiveSmallIntegerField(
        _("dots for each member"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    max_per_topic = models.PositiveSmallIntegerField(
        _("most dots on one topic"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    minutes_per_topic = models.PositiveSmallIntegerField(
        _("minutes for each picked topic"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_(
            "The gather page pre-picks the ranked topics with this many minutes each while they fit."
        ),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(verbose_name=_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(verbose_name=_("closed at"), null=True, blank=True)
    candidates = models.ManyToManyField(
        Topic, verbose_name=_("candidates"), through="DotVoteCandidate", related_name="+"
    )

    class Meta:
        verbose_name = _("dot-vote")
        verbose_name_plural = _("dot-votes")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_per_topic__lte=F("dots_per_member")), name="topics_dotvote_cap_within_budget"
            ),
        ]

    def __str__(self):
        return gettext("Dot-vote at %(meeting)s") % {"meeting": self.meeting}

    def clean(self):
        if self.max_per_topic and self.dots_per_member and self.max_per_topic > self.dots_per_member:
            raise ValidationError({"max_per_topic": gettext("No more than the dots each member has.")})

    @property
    def is_open(self):
        return self.closed_at is None


class DotVoteCandidate(models.Model):
    vote = models.ForeignKey(
        DotVote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="candidate_rows"
    )
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)

    class Meta:
        verbose_name = _("dot-vote candidate")
        verbose_name_plural = _("dot-vote candidates")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "topic"], name="topics_one_candidate_per_vote")
        ]

    def __str__(self):
        return gettext("%(topic)s on %(vote)s") % {"topic": self.topic, "vote": self.vote}


class Dot(models.Model):
    """The dots one member put on one topic (1 up to the vote's cap); the budget is checked under a lock."""

    vote = models.ForeignKey(DotVote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="dots")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="topic_dots"
    )
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="dots")
    count = models.PositiveSmallIntegerField(
        verbose_name=_("count"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dot")
        verbose_name_plural = _("dots")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "user", "topic"], name="topics_one_dot_row_per_member_topic"
            ),
            models.CheckConstraint(condition=Q(count__gte=1, count__lte=10), name="topics_dot_count_bounded"),
        ]

    def __str__(self):
        return gettext("%(member)s: %(count)s on %(topic)s") % {
            "member": self.user,
            "count": self.count,
            "topic": self.topic,
        }


# Decisions live in their own module; importing them here registers their tables with the app.
from .decision_models import (  # noqa: E402, F401
    Ballot,
    Decision,
    DecisionNotice,
    DecisionOption,
    Participation,
)
