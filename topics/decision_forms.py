from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarityclub.times import zone_named

from . import counting, decisions
from .decision_models import (
    MAX_DOTS,
    MAX_OPTIONS,
    METHOD_EXPLANATIONS,
    NOTE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Decision,
    Method,
)

CONSENT_CHOICES = [
    ("agree", _("Agree")),
    ("abstain", _("Abstain")),
    ("stand_aside", _("Stand aside")),
    ("object", _("Object")),
]
MAJORITY_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("abstain", _("Abstain"))]
SCORE_CHOICES = [
    ("", _("Not scored")),
    *((str(n), str(n)) for n in range(counting.SCORE_MIN, counting.SCORE_MAX + 1)),
]


class MethodSelect(forms.RadioSelect):
    """The methods as radio buttons, each with what it asks and how it is counted under it, so the
    group can choose what fits. The field around it (fieldset, legend, errors) is templates/_field.html."""

    template_name = "topics/decisions/_method_select.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["explanation"] = METHOD_EXPLANATIONS[Method(value)] if value in Method.values else ""
        return option


class DecisionForm(forms.ModelForm):
    options_text = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=MAX_OPTIONS * 210,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ranked choice, dot vote and score: one option a line, at least two."),
    )

    class Meta:
        model = Decision
        fields = [
            "question",
            "context",
            "method",
            "options_text",
            "is_secret",
            "hide_results_until_close",
            "quorum_percent",
            "dots_per_member",
            "closes_at",
            "meeting",
        ]
        labels = {"meeting": _("For the meeting (optional)")}
        widgets = {
            "context": forms.Textarea(attrs={"rows": 6}),
            "method": MethodSelect,
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, organizer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizer = organizer
        # The zone as every time on the site names it ("PST"), not its database name.
        self.fields["closes_at"].help_text = _("In the club’s time zone (%(zone)s).") % {
            "zone": timezone.now().astimezone(zone_named(settings.CLUB_TIME_ZONE)).strftime("%Z")
        }
        if organizer:
            self.fields["closes_at"].required = True
        else:
            self.fields["closes_at"].help_text = _(
                "Optional: the organizers set it when they open the decision."
            )
        # Meetings of the last month and the coming year: the ones a decision can be "for".
        self.fields["meeting"].queryset = decisions.meetings_taking_decisions().order_by("starts_at")
        self.fields["meeting"].required = False
        self.fields["meeting"].empty_label = _("No meeting")
        if self.instance.pk and not self.is_bound and self.instance.has_options:
            self.initial["options_text"] = "\n".join(option.label for option in self.instance.options.all())

    def clean_question(self):
        question = " ".join(self.cleaned_data["question"].split())
        if not question:
            raise ValidationError(_("Ask the question the group will decide."))
        live = Decision.objects.filter(
            question__iexact=question, status__in=[Decision.Status.PROPOSED, Decision.Status.OPEN]
        ).exclude(pk=self.instance.pk)
        if live.exists():
            raise ValidationError(_("A proposed or open decision already asks this question."))
        return question

    def clean_closes_at(self):
        closes_at = self.cleaned_data.get("closes_at")
        if closes_at is None:
            return None
        now = timezone.now()
        if closes_at <= now + timezone.timedelta(minutes=5):
            raise ValidationError(_("Choose a closing time at least five minutes from now."))
        if closes_at > decisions.latest_close(now):
            raise ValidationError(_("Choose a closing time within two years."))
        return closes_at

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("method")
        if method in (Method.RANKED, Method.DOTS, Method.SCORE):
            try:
                labels = decisions.clean_option_labels(cleaned.get("options_text", "").splitlines())
            except ValidationError as error:
                self.add_error("options_text", error)
                labels = []
            else:
                if len(labels) < 2:
                    self.add_error("options_text", _("Give at least two options, one a line."))
        else:
            labels = []
        self.option_labels = labels
        return cleaned


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the member who proposed it"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write a short note (up to 500 characters) for the member who proposed it."),
            "max_length": _("Write a short note (up to 500 characters) for the member who proposed it."),
        },
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome statement"),
        max_length=OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Write the outcome, up to 5,000 characters."),
            "max_length": _("Write the outcome, up to 5,000 characters."),
        },
        help_text=_("Markdown. What was decided, and what happens next. Once saved it never changes."),
    )


class BallotForm(forms.Form):
    """The fields of one ballot, by method; `choices()` gives what decisions.cast expects."""

    code = forms.CharField(
        label=_("Your ballot code"),
        required=False,
        max_length=40,
        help_text=_(
            "Only to change a secret ballot from another browser: the code you were shown when you voted."
        ),
    )

    def __init__(self, *args, decision, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.options = options
        method = decision.method
        if method == Method.CONSENT:
            self.fields["answer"] = forms.ChoiceField(
                label=_("Your answer"), choices=CONSENT_CHOICES, widget=forms.RadioSelect
            )
            self.fields["reason"] = forms.CharField(
                label=_("Reason (needed to object)"),
                required=False,
                max_length=REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("If you object, say what would have to change for you to agree."),
            )
        elif method == Method.MAJORITY:
            self.fields["answer"] = forms.ChoiceField(
                label=_("Your answer"), choices=MAJORITY_CHOICES, widget=forms.RadioSelect
            )
        elif method == Method.RANKED:
            ranks = [("", _("Not ranked")), *((str(n), str(n)) for n in range(1, len(options) + 1))]
            for option in options:
                self.fields[f"rank-{option.key}"] = forms.ChoiceField(
                    label=option.label, choices=ranks, required=False
                )
        elif method == Method.DOTS:
            for option in options:
                self.fields[f"dots-{option.key}"] = forms.IntegerField(
                    label=option.label,
                    required=False,
                    min_value=0,
                    max_value=MAX_DOTS,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
        elif method == Method.SCORE:
            for option in options:
                self.fields[f"score-{option.key}"] = forms.ChoiceField(
                    label=option.label, choices=SCORE_CHOICES, required=False
                )

    def option_fields(self):
        prefix = {Method.RANKED: "rank", Method.DOTS: "dots", Method.SCORE: "score"}.get(self.decision.method)
        return [self[f"{prefix}-{option.key}"] for option in self.options] if prefix else []

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.cleaned_choices = decisions.validate_choices(
                self.decision, self.options, self._raw_choices()
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return cleaned

    def _raw_choices(self):
        data = self.cleaned_data
        method = self.decision.method
        if method == Method.CONSENT:
            return {"answer": data.get("answer"), "reason": data.get("reason", "")}
        if method == Method.MAJORITY:
            return {"answer": data.get("answer")}
        if method == Method.RANKED:
            ranked = []
            for option in self.options:
                rank = data.get(f"rank-{option.key}")
                if rank:
                    ranked.append((int(rank), option.key))
            if len({rank for rank, _key in ranked}) != len(ranked):
                raise ValidationError(_("Give each rank to one option only."))
            return {"ranking": [key for _rank, key in sorted(ranked)]}
        if method == Method.DOTS:
            return {"dots": {o.key: data[f"dots-{o.key}"] for o in self.options if data.get(f"dots-{o.key}")}}
        return {
            "scores": {
                o.key: int(data[f"score-{o.key}"])
                for o in self.options
                if data.get(f"score-{o.key}") not in (None, "")
            }
        }

    @classmethod
    def initial_from(cls, decision, choices):
        """The form's initial values from a stored ballot, so a member sees and changes what they chose."""
        if not choices:
            return {}
        method = decision.method
        if method in (Method.CONSENT, Method.MAJORITY):
            return {"answer": choices.get("answer"), "reason": choices.get("reason", "")}
        if method == Method.RANKED:
            return {f"rank-{key}": str(rank) for rank, key in enumerate(choices.get("ranking", []), start=1)}
        if method == Method.DOTS:
            return {f"dots-{key}": n for key, n in choices.get("dots", {}).items()}
        return {f"score-{key}": str(n) for key, n in choices.get("scores", {}).items()}
