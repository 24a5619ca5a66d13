"""Decisions: the club's register of what it decided, how, and with which result.

A decision is proposed by a member (an organizer opens or declines it) or
opened by an organizer, is voted on until it closes, is counted when it closes
(the result is frozen in `result`), and becomes decided once the facilitator
writes the outcome. A decided decision never changes: a correction is a new
decision that links back to it.

Secret ballots: who voted (Participation) is stored apart from what was voted
(Ballot). A secret Ballot has no voter, no time and a random id; the rows of a
decision are rewritten in a random order at every ballot (topics/decisions.py),
so not even their order on disk follows the order of the participations. Only
the voter holds the key that finds their ballot again (a cookie and a code);
the database keeps a hash of it.

The work on several rows (voting, closing, deciding, emails) is in
topics/decisions.py; counting is in topics/counting.py.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from members.standing import is_organizer
from solidarityclub.markdown import RendersMarkdown

from .models import Topic, public_name

QUESTION_MAX_LENGTH = 200
CONTEXT_MAX_LENGTH = 5000
OUTCOME_MAX_LENGTH = 5000
OPTION_MAX_LENGTH = 200
REASON_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 500
MAX_OPTIONS = 20
MAX_DOTS = 20
LATEST_CLOSE_YEARS = 2


class Method(models.TextChoices):
    CONSENT = "consent", _("Consent")
    MAJORITY = "majority", _("Majority vote")
    RANKED = "ranked", _("Ranked choice")
    DOTS = "dots", _("Dot vote")
    SCORE = "score", _("Score")


# What each method asks and how it is counted, in plain words: shown on the
# form and on each decision's page, so the group can choose what fits.
METHOD_EXPLANATIONS = {
    Method.CONSENT: _(
        "One proposal. Each member agrees, abstains, stands aside (“I won’t join in, but I won’t "
        "stop the group”) or objects. An objection needs a reason and blocks the proposal until it "
        "is resolved: the member changes their answer, or the group writes a new proposal. Good for "
        "decisions that everyone has to be able to live with."
    ),
    Method.MAJORITY: _(
        "One question, answered yes, no or abstain. It is carried when yes has more votes than no; "
        "abstentions count towards the quorum, not towards the majority. Good for clear yes-or-no "
        "questions."
    ),
    Method.RANKED: _(
        "Several options. Each member ranks as many as they like, most wanted first. Counting goes in "
        "rounds (instant runoff): an option with more than half of the ballots still counting wins; "
        "otherwise the option with the fewest votes is eliminated and its ballots go to their next "
        "choice. A ballot with no choice left is exhausted. A tie for fewest is broken by the earlier "
        "rounds, then by lot. Every round is shown. Good for choosing one of several options."
    ),
    Method.DOTS: _(
        "Several options. Each member has a number of dots to spread across them, several on one "
        "option if they like. Most dots wins. Good for seeing where the group’s energy is."
    ),
    Method.SCORE: _(
        "Several options. Each member gives every option a score from 0 (against) to 5 (great). The "
        "highest mean wins; the spread shows how much members agree. Good for weighing options that "
        "may all be acceptable."
    ),
}

METHODS_WITH_OPTIONS = {Method.RANKED, Method.DOTS, Method.SCORE}


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for an organizer")
    DECLINED = "declined", _("Declined")
    OPEN = "open", _("Open for votes")
    CLOSED = "closed", _("Closed, waiting for the outcome")
    DECIDED = "decided", _("Decided")


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Members see opened decisions and their own proposals; organizers see everything."""
        if is_organizer(user):
            return self
        shown = Q(status__in=[Status.OPEN, Status.CLOSED, Status.DECIDED])
        if user.is_authenticated:
            return self.filter(shown | Q(proposed_by=user))
        return self.none()

    def register(self):
        """Open decisions first, then closed and decided ones, newest first."""
        return self.annotate(
            register_rank=Case(
                When(status=Status.OPEN, then=Value(0)),
                When(status=Status.PROPOSED, then=Value(1)),
                When(status=Status.CLOSED, then=Value(2)),
                When(status=Status.DECIDED, then=Value(3)),
                default=Value(4),
                output_field=IntegerField(),
            )
        ).order_by("register_rank", "-created_at", "-id")

    def due(self, now=None):
        """Open decisions whose closing time has come."""
        return self.filter(status=Status.OPEN, closes_at__lte=now or timezone.now())


def validate_closing_year(value):
    if value is not None and not 2000 <= value.year <= 2999:
        raise ValidationError(_("Choose a closing time in the years 2000 to 2999."))


class Decision(RendersMarkdown, models.Model):
    Method = Method
    Status = Status

    question = models.CharField(_("question"), max_length=QUESTION_MAX_LENGTH)
    context = models.TextField(
        _("context"),
        max_length=CONTEXT_MAX_LENGTH,
        blank=True,
        help_text=_("Markdown: the background, the proposal in full, links."),
    )
    context_html = models.TextField(verbose_name=_("context (HTML)"), blank=True, editable=False)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.CONSENT)
    is_secret = models.BooleanField(
        _("secret ballot"),
        default=False,
        help_text=_(
            "Nobody, organizers included, can see who chose what; only how many voted. "
            "The count shows once the decision closes."
        ),
    )
    hide_results_until_close = models.BooleanField(
        _("hide results until the close"),
        default=False,
        help_text=_("Nobody sees the running count, so early votes don’t sway later ones."),
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Optional: the share of members in good standing who must vote for the result to count."),
    )
    dots_per_member = models.PositiveSmallIntegerField(
        _("dots per member"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DOTS)],
        help_text=_("Dot vote only."),
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True, validators=[validate_closing_year]
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text=_("The decided decision this one corrects."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Writes the outcome statement once the decision closes."),
    )
    decline_note = models.CharField(verbose_name=_("decline note"), max_length=NOTE_MAX_LENGTH, blank=True)
    opened_at = models.DateTimeField(verbose_name=_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(verbose_name=_("closed at"), null=True, blank=True)
    decided_at = models.DateTimeField(verbose_name=_("decided at"), null=True, blank=True)
    # Frozen at the close: the members who could vote, the ballots cast, the full count.
    eligible_count = models.PositiveIntegerField(
        verbose_name=_("eligible count"), null=True, blank=True, editable=False
    )
    turnout = models.PositiveIntegerField(verbose_name=_("turnout"), null=True, blank=True, editable=False)
    result = models.JSONField(verbose_name=_("result"), null=True, blank=True, editable=False)
    # Drawn when the decision opens and shown with the result, so anyone can repeat a draw by lot.
    tie_seed = models.PositiveIntegerField(verbose_name=_("tie seed"), default=0, editable=False)
    outcome = models.TextField(
        _("outcome statement"),
        max_length=OUTCOME_MAX_LENGTH,
        blank=True,
        help_text=_("Markdown: what was decided, and what happens next."),
    )
    outcome_html = models.TextField(verbose_name=_("outcome (HTML)"), blank=True, editable=False)
    published_post_url = models.CharField(
        verbose_name=_("published post url"), max_length=300, blank=True, editable=False
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    MARKDOWN_FIELDS = {"context": "context_html", "outcome": "outcome_html"}

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "closes_at"], name="topics_decision_due"),
            models.Index(fields=["-created_at", "-id"], name="topics_decision_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "declined"]) | Q(closes_at__isnull=False),
                name="topics_decision_open_has_close",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | Q(result__isnull=False),
                name="topics_decision_decided_has_result",
            ),
            # Two proposed or open decisions may not ask the same question: a double
            # submit, or two organizers opening the same decision at once, makes one.
            models.UniqueConstraint(
                Lower("question"),
                condition=Q(status__in=["proposed", "open"]),
                name="topics_decision_one_live_per_question",
                violation_error_message=_("A proposed or open decision already asks this question."),
            ),
        ]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}  # the HTML: RendersMarkdown
        if self.pk is not None and Decision.objects.filter(pk=self.pk, status=Status.DECIDED).exists():
            # The register is unchangeable once decided; only the link to its blog post may be added.
            fields = kwargs.get("update_fields")
            if fields is None or set(fields) - {
                "published_post_url",
                "context_html",
                "outcome_html",
                "updated_at",
            }:
                raise ValidationError(_("A decided decision cannot change; open a correction instead."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("decisions:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.status == Status.OPEN and self.closes_at is None:
            raise ValidationError({"closes_at": _("Give the decision a closing time.")})

    @property
    def method_explanation(self):
        return METHOD_EXPLANATIONS[Method(self.method)]

    @property
    def has_options(self):
        return self.method in METHODS_WITH_OPTIONS

    @property
    def is_open(self):
        """Taking votes now: open, and its closing time not come (decisions.cast refuses a ballot after it)."""
        return self.status == Status.OPEN and (self.closes_at is None or self.closes_at > timezone.now())

    @property
    def is_closing(self):
        """Past its closing time but not counted yet: the scheduler's close_due_decisions counts it shortly."""
        return self.status == Status.OPEN and self.closes_at is not None and self.closes_at <= timezone.now()

    @property
    def shown_status(self):
        """The status as members see it: a decision past its closing time reads as closed, not open."""
        return Status.CLOSED.value if self.is_closing else self.status

    @property
    def shown_status_label(self):
        return _("Closed, being counted") if self.is_closing else self.get_status_display()

    @property
    def is_counted(self):
        return self.status in (Status.CLOSED, Status.DECIDED)

    @property
    def proposer_name(self):
        return public_name(self.proposed_by)

    @property
    def facilitator_name(self):
        return public_name(self.facilitator)

    @property
    def latest_close(self):
        return timezone.now() + timedelta(days=365 * LATEST_CLOSE_YEARS)


class DecisionOption(models.Model):
    """One of the options of a ranked-choice, dot or score decision."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="options"
    )
    label = models.CharField(verbose_name=_("label"), max_length=OPTION_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "position"], name="topics_option_position_unique"),
        ]

    def __str__(self):
        return self.label

    @property
    def key(self):
        """How ballots and results name this option."""
        return str(self.pk)


class Participation(models.Model):
    """Who took part in a decision: one row per member, the database refuses a second.

    Deliberately no time: a time here and none on the ballot could still be matched by order.
    """

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="decision_participations",
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["decision", "user"], name="topics_one_participation_per_member"),
        ]

    def __str__(self):
        return gettext("%(member)s took part in %(decision)s") % {
            "member": self.user,
            "decision": self.decision,
        }


class Ballot(models.Model):
    """What was voted. A named ballot names its voter; a secret one has none, and a random id.

    `choices` holds, by method: {"answer", "reason"} (consent), {"answer"}
    (majority), {"ranking": [keys]} (ranked), {"dots": {key: n}} (dot vote),
    {"scores": {key: 0–5}} (score); keys are the options' ids as text.
    """

    id = models.UUIDField(verbose_name=_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="ballots"
    )
    # Named decisions only; on a secret decision it is always empty.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Secret decisions only: the SHA-256 of the key that the voter alone holds.
    key_hash = models.CharField(
        verbose_name=_("key hash"), max_length=64, null=True, blank=True, editable=False
    )
    choices = models.JSONField(verbose_name=_("choices"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["decision", "voter"], name="topics_one_named_ballot_per_member"),
            models.UniqueConstraint(fields=["decision", "key_hash"], name="topics_one_secret_ballot_per_key"),
            models.CheckConstraint(
                condition=Q(voter__isnull=True) | Q(key_hash__isnull=True),
                name="topics_ballot_named_or_secret",
            ),
        ]

    def __str__(self):
        return gettext("Ballot on %(decision)s") % {"decision": self.decision}

    @property
    def voter_name(self):
        return public_name(self.voter)


class DecisionNotice(models.Model):
    """One email per member, decision and kind: written with the queued email, so never twice."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Decision opened")
        DECIDED = "decided", _("Decision made")

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="notices"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("decision notice")
        verbose_name_plural = _("decision notices")
        constraints = [
            models.UniqueConstraint(fields=["decision", "user", "kind"], name="topics_one_notice_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.decision} → {self.user}"
