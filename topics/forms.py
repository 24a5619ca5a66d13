from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.models import Format

from .backlog import Pick
from .models import NOTE_MAX_LENGTH, Topic, normalize_title, validate_web_url

SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 8


class WebAddressField(forms.URLField):
    """http(s) only: no javascript:, data: or ftp: links on a topic."""

    default_validators = [validate_web_url]
    default_error_messages = {"invalid": validate_web_url.message}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["title", "description", "format", "link_1", "link_2", "link_3"]
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "format": _("Suggested format"),
            "link_1": _("First link"),
            "link_2": _("Second link"),
            "link_3": _("Third link"),
        }
        help_texts = {
            "title": _("A short line other members will recognise, up to 120 characters."),
            "description": _(
                "What would we talk about, and why? Markdown works: *emphasis*, lists, [links](https://…)."
            ),
            "link_1": _("A reading, a film, a talk: a web address starting with https://"),
        }
        error_messages = {
            "title": {
                "required": _("Give the topic a title."),
                "max_length": _("Keep the title to %(limit_value)d characters (it has %(show_value)d)."),
            },
            "description": {"required": _("Say in a few words what the topic is about.")},
        }
        field_classes = {"link_1": WebAddressField, "link_2": WebAddressField, "link_3": WebAddressField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "link_1": forms.URLInput(attrs={"placeholder": "https://"}),
            "link_2": forms.URLInput(attrs={"placeholder": "https://"}),
            "link_3": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def clean_title(self):
        title = normalize_title(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(gettext("Give the topic a title."))
        duplicate = Topic.objects.backlog().filter(title__iexact=title).exclude(pk=self.instance.pk).first()
        if duplicate is not None:
            raise forms.ValidationError(self.duplicate_message(duplicate))
        return title

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if not description:
            raise forms.ValidationError(gettext("Say in a few words what the topic is about."))
        return description

    @staticmethod
    def duplicate_message(topic):
        return format_html(
            gettext('An open topic already has this title: <a href="{}">support “{}”</a> instead.'),
            reverse("topics:detail", args=[topic.pk]),
            topic.title,
        )

    def add_duplicate_error(self):
        """The database refused the title (an open topic took it a moment ago)."""
        title = normalize_title(self.cleaned_data.get("title", ""))
        duplicate = Topic.objects.backlog().filter(title__iexact=title).first()
        if duplicate is None:
            self.add_error("title", gettext("An open topic already has this title."))
        else:
            self.add_error("title", self.duplicate_message(duplicate))


class BacklogFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=SEARCH_MAX_LENGTH)
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Any format")), *Format.choices]
    )

    def words(self):
        if not self.is_valid():
            return []
        return self.cleaned_data["q"].split()[:SEARCH_MAX_WORDS]

    def format_value(self):
        return self.cleaned_data.get("format", "") if self.is_valid() else ""

    def is_filtered(self):
        return bool(self.format_value() or self.words())

    def filter(self, topics):
        """The topics of the chosen format that hold the words searched for."""
        if chosen_format := self.format_value():
            topics = topics.filter(format=chosen_format)
        if words := self.words():
            topics = topics.search(words)
        return topics


class DiscussedForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("What came of it, in a line or two."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The proposer sees this on the topic page."),
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Topic.objects.none(),
        help_text=_("The topic that stays; the supports move over to it."),
    )

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Topic.objects.filter(status__in=[Topic.Status.OPEN, Topic.Status.GATHERED])
            .exclude(pk__in=[source.pk for source in sources])
            .order_by("title")
        )


def _whole_number(raw):
    """0-9 only: str.isdigit() also says yes to "²" (int() refuses it) and "٣" (int() reads 3)."""
    return raw.isascii() and raw.isdigit() and len(raw) <= 9


class RowField:
    """One row's minutes input, read by the shared error summary the way it reads a form field."""

    def __init__(self, topic_id, title, error):
        self.id_for_label = self.auto_id = f"minutes-{topic_id}"
        self.label = gettext("Minutes for “%(title)s”") % {"title": title}
        self.errors = [error]


class GatherForm:
    """The gather page's POST: `pick` (topic ids, in page order) and `minutes-<id>` for each pick.

    Not a Django Form because the rows are whatever the backlog holds; the
    values come back as they were typed, so a refused form keeps its input.
    It answers what templates/_form_errors.html asks of a form (`errors`,
    `non_field_errors`, its fields), so the page shows the site's one error summary.
    """

    MAX_PICKS = 60

    def __init__(self, data=None, *, block_minutes, initial=None):
        self.data = data
        self.block_minutes = block_minutes
        # {topic id: minutes} pre-picked on a fresh page (the ranking of a closed dot-vote).
        self.initial = initial or {}
        self.general_errors = []
        self.row_errors = {}
        self.row_titles = {}  # {topic id: title} of the rows on the page, set by rows()
        self.picks = []
        self.picked_ids = [] if data is not None else list(self.initial)

    def add_error(self, message):
        self.general_errors.append(message)

    @property
    def errors(self):
        return [*self.general_errors, *self.row_errors.values()]

    def rows(self, ranked, candidates, limit):
        """The page's rows: a dot-vote's `ranked` topics first, then `candidates` (the backlog).

        At most `limit` rows, and whether more topics wait beyond them. The rows'
        errors link to their minutes input.
        """
        dots = {row.topic.pk: row.dots for row in ranked}
        listed = [row.topic for row in ranked] + [
            topic for topic in candidates[: limit + 1 + len(ranked)] if topic.pk not in dots
        ]
        rows = [
            {
                "topic": topic,
                "dots": dots.get(topic.pk),
                "picked": topic.pk in self.picked_ids,
                "minutes": self.minutes_value(topic.pk),
                "error": self.row_errors.get(topic.pk, ""),
            }
            for topic in listed[:limit]
        ]
        self.row_titles = {row["topic"].pk: row["topic"].title for row in rows}
        return rows, len(listed) > limit

    def non_field_errors(self):
        # A picked topic that is not on the page (filtered away meanwhile) has no input to link to.
        return self.general_errors + [
            error for topic_id, error in self.row_errors.items() if topic_id not in self.row_titles
        ]

    def __iter__(self):
        for topic_id, title in self.row_titles.items():
            if topic_id in self.row_errors:
                yield RowField(topic_id, title, self.row_errors[topic_id])

    def is_valid(self):
        if self.data is None:
            return False
        for raw in self.data.getlist("pick"):
            if not _whole_number(raw):
                self.add_error(gettext("That pick was not a topic; reload the page and try again."))
                return False
            if int(raw) not in self.picked_ids:
                self.picked_ids.append(int(raw))
        if not self.picked_ids:
            self.add_error(gettext("Pick at least one topic."))
        if len(self.picked_ids) > self.MAX_PICKS:
            self.add_error(gettext("Pick at most %(count)s topics.") % {"count": self.MAX_PICKS})
        for topic_id in self.picked_ids:
            raw = self.minutes_value(topic_id).strip()
            if not raw:
                self.row_errors[topic_id] = gettext("Give this topic a number of minutes.")
            elif not _whole_number(raw) or not 1 <= int(raw) <= self.block_minutes:
                self.row_errors[topic_id] = gettext("Give a whole number of minutes from 1 to %(most)s.") % {
                    "most": self.block_minutes
                }
            else:
                self.picks.append(Pick(topic_id, int(raw)))
        return not self.errors

    def minutes_value(self, topic_id):
        if self.data is None:
            return str(self.initial.get(topic_id, ""))
        return self.data.get(f"minutes-{topic_id}", "")


class DotVoteForm(forms.Form):
    """The facilitator's choices when opening the dot-vote (the model's validators bound them too)."""

    dots_per_member = forms.IntegerField(
        label=_("Dots for each member"), min_value=1, max_value=10, initial=3
    )
    max_per_topic = forms.IntegerField(
        label=_("Most dots on one topic"), min_value=1, max_value=10, initial=2
    )
    minutes_per_topic = forms.IntegerField(
        label=_("Minutes for each picked topic"),
        min_value=1,
        max_value=600,
        initial=20,
        help_text=_(
            "The gather page pre-picks the ranked topics with this many minutes each while they fit."
        ),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("max_per_topic")
            and data.get("dots_per_member")
            and data["max_per_topic"] > data["dots_per_member"]
        ):
            self.add_error("max_per_topic", gettext("No more than the dots each member has."))
        return data
