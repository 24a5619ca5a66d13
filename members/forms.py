from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidarityclub.times import club_zone, valid_time_zones

from .models import AccessRequest, User


def _club_abbreviation():
    return timezone.now().astimezone(club_zone()).tzname()


def time_zone_choices():
    # Region/City names (plus UTC); the legacy aliases (EST, Etc/GMT+5…) only confuse.
    zones = sorted(zone for zone in valid_time_zones() if "/" in zone and not zone.startswith("Etc/"))
    return [
        ("", _("The club’s time zone (now %(abbreviation)s)") % {"abbreviation": _club_abbreviation()}),
        ("UTC", "UTC"),
        *((z, z) for z in zones),
    ]


class JoinForm(forms.ModelForm):
    """A newcomer's request, with errors written for this form rather than Django's defaults.

    The form saves nothing itself: access.submit does, race-safe (a second request for an
    address with an open one becomes a revision of it). The model's one-open-request-per-address
    constraint is not checked here, as its condition is on `status`, which the form leaves out.
    """

    motivation = forms.CharField(
        label=_("What draws you to this work?"),
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few sentences are plenty (20 to 2,000 characters). A person reads every request."),
        error_messages={
            "required": _("Tell us in a sentence or two what draws you to this work."),
            "min_length": _(
                "A sentence or two, please: at least %(limit_value)d characters (so far %(show_value)d)."
            ),
            "max_length": _(
                "That is more than we can read in one go: %(limit_value)d characters at most "
                "(it has %(show_value)d)."
            ),
        },
    )
    agreed_to_code_of_conduct = forms.BooleanField(
        label=_("I have read the code of conduct and agree to it"),
        error_messages={"required": _("Please read the code of conduct and tick the box to agree to it.")},
    )
    # A honeypot: hidden from sighted people and labelled for everyone else.
    # Spam robots fill in every field they find.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = AccessRequest
        fields = [
            "name",
            "email",
            "pronouns",
            "motivation",
            "heard_from",
            "agreed_to_code_of_conduct",
            "website",
        ]
        labels = {
            "name": _("Your name"),
            "email": _("Email address"),
            "pronouns": _("Pronouns (optional)"),
            "heard_from": _("How did you hear of the club? (optional)"),
        }
        help_texts = {
            "email": _("We send a link to confirm it, and the answer to your request."),
            "pronouns": _("For example she/her, they/them."),
        }
        error_messages = {
            "name": {
                "required": _("Tell us what to call you: a first name or a nickname is fine."),
                "max_length": _("Please shorten your name to %(limit_value)d characters."),
            },
            "email": {
                "required": _("We need your email address to answer you."),
                "invalid": _(
                    "That doesn’t look like an email address: check for a typo, such as a missing @."
                ),
            },
        }

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(
                gettext("Please leave this field empty: it is there to catch spam robots.")
            )
        return ""


class ConfirmForm(forms.Form):
    """Confirming a request; one that arrived by email also agrees to the code of conduct here."""

    agreed_to_code_of_conduct = forms.BooleanField(
        label=_("I have read the code of conduct and agree to it"),
        error_messages={"required": _("Please read the code of conduct and tick the box to agree to it.")},
    )

    def __init__(self, *args, access_request, **kwargs):
        super().__init__(*args, **kwargs)
        if access_request.agreed_to_code_of_conduct:
            del self.fields["agreed_to_code_of_conduct"]


class SettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Meeting times are shown in this zone."),
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "pronouns",
            "time_zone",
            "language",
            "wants_announcements",
            "wants_meeting_reminders",
            "wants_topic_news",
            "wants_decision_notices",
            "wants_weekly_digest",
            "wants_request_notifications",
        ]
        labels = {
            "display_name": _("Display name"),
            "pronouns": _("Pronouns"),
            "language": _("Language"),
            "wants_announcements": _("Announcements from the organizers"),
            "wants_meeting_reminders": _("Reminders before meetings"),
            "wants_topic_news": _("News about topics I proposed or support"),
            "wants_decision_notices": _("Decisions: when one opens for votes, and when one is made"),
            "wants_weekly_digest": _("One weekly email instead of separate announcement and topic emails"),
            "wants_request_notifications": _("New access requests (organizers)"),
        }
        help_texts = {
            "display_name": _("How other members see you."),
            "pronouns": _("Optional, for example she/her, they/them."),
            "language": _("Pages and emails in this language. Leave empty to follow your browser."),
            "wants_weekly_digest": _(
                "On Monday morning in your time zone: the next meetings with your answer, new posts, "
                "topics waiting for support and your topics put on an agenda. Reminders before meetings "
                "still come on their own."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["language"].choices = [("", _("Follow my browser")), *settings.LANGUAGES]
        if not self.instance.is_organizer:
            del self.fields["wants_request_notifications"]


class BreakForm(forms.Form):
    until = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to take a break until you come back."),
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until is not None and until < timezone.localdate():
            raise forms.ValidationError(gettext("Choose today or a day in the future."))
        return until


class LeaveForm(forms.Form):
    erase = forms.BooleanField(
        label=_("Also erase my personal data"),
        required=False,
        help_text=_(
            "Your name, pronouns, email address, access requests, directory entry, conversations, "
            "blocks and help requests with your name are deleted. "
            "Topics you proposed stay, attributed to “a former member”."
        ),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Added to the welcome email, or to the decline email if one is sent."),
    )
    send_decline_message = forms.BooleanField(
        label=_("When declining, send the newcomer a kind message"),
        required=False,
        initial=True,
    )


class AdviseBreakForm(forms.Form):
    until = forms.DateField(
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The break ends after this day."),
    )
    note = forms.CharField(
        label=_("Note to the member"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the member while the break lasts."),
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(gettext("Choose today or a day in the future."))
        return until
