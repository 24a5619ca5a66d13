from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ORDINAL_CHOICES, RSVP, AgendaTemplate, Meeting, Series


class RSVPForm(forms.Form):
    answer = forms.ChoiceField(
        choices=RSVP.Answer.choices, widget=forms.RadioSelect, label=_("Are you coming?")
    )


def video_link_field():
    return forms.URLField(
        label=capfirst(_("video link")),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("Shown only to members in good standing (never to visitors or in public calendars)."),
    )


class MeetingAdminForm(forms.ModelForm):
    video_link = video_link_field()
    agenda_template = forms.ModelChoiceField(
        label=capfirst(_("agenda template")),
        queryset=AgendaTemplate.objects.all(),
        required=False,
        help_text=_(
            "Only when adding: its items are copied in if you leave the agenda below empty. "
            "Empty means the default template."
        ),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "format",
            "starts_at",
            "facilitator",
            "description",
            "language",
            "video_link",
            "link_visible_minutes_before",
            "status",
            "cancellation_reason",
            "notes",
            "public_summary",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "starts_at" in self.fields:
            self.fields["starts_at"].help_text = gettext(
                "Date and time in the club's time zone (%(zone)s); stored in UTC."
            ) % {"zone": settings.CLUB_TIME_ZONE}
        if "agenda_template" in self.fields and not self.instance.pk:
            self.fields["agenda_template"].initial = AgendaTemplate.objects.default()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Meeting.Status.CANCELLED and not cleaned.get("cancellation_reason"):
            self.add_error(
                "cancellation_reason", gettext("Say why the meeting is cancelled; members will read it.")
            )
        return cleaned


class SeriesAdminForm(forms.ModelForm):
    video_link = video_link_field()
    ordinals = forms.TypedMultipleChoiceField(
        choices=ORDINAL_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label=_("Which weeks"),
        help_text=_("For example 1st and 3rd, or last."),
    )

    class Meta:
        model = Series
        fields = [
            "title",
            "format",
            "facilitator",
            "ordinals",
            "weekday",
            "local_time",
            "time_zone",
            "agenda_template",
            "description",
            "video_link",
            "link_visible_minutes_before",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_time"].help_text = gettext(
            "Wall-clock start time, e.g. 18:00, kept across DST changes."
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label=_("Reason"),
        help_text=_("Members who said they are coming get an email with it."),
        widget=forms.TextInput(attrs={"size": 60}),
    )


class GenerateForm(forms.Form):
    count = forms.IntegerField(
        min_value=1,
        max_value=24,
        initial=6,
        label=_("How many meetings"),
        help_text=_("The next N dates of each rule."),
    )
