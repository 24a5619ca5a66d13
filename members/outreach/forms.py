from django import forms
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .models import DirectoryProfile, HelpRequest


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search by words"), required=False, max_length=100)

    def words(self):
        if not self.is_valid():
            return []
        return self.cleaned_data["q"].split()[:8]


class DirectoryProfileForm(forms.ModelForm):
    """The member's directory entry, with the public name it is listed under (saved on the account)."""

    display_name = forms.CharField(
        label=_("Public name"),
        max_length=100,
        required=False,
        help_text=_("Your entry shows this name and your pronouns; never your email address."),
    )

    class Meta:
        model = DirectoryProfile
        fields = ["listed", "languages", "ask_me_about"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["display_name"].initial = user.display_name
        self.order_fields(["listed", "display_name", "languages", "ask_me_about"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("listed") and not cleaned.get("display_name", "").strip():
            self.add_error("display_name", _("Choose the name your entry is listed under."))
        return cleaned

    def save(self, commit=True):
        profile = super().save(commit=False)
        profile.user = self.user
        self.user.display_name = self.cleaned_data["display_name"].strip()
        if commit:
            self.user.full_clean(validate_unique=False)
            self.user.save(update_fields=["display_name"])
            profile.save()
        return profile


class WriteForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Up to 5,000 characters. It is sent by email from the club's address."),
    )
    reply_to_sender = forms.BooleanField(
        label=_("Let them reply to my email address"),
        required=False,
        initial=True,
        help_text=_(
            "Ticked: your email address is the email's Reply-To, so they see it, and their replies come to "
            "your inbox. Unticked: your address stays private and replies come back here, on the site."
        ),
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write a message first."))
        return body


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only organizers read this, with a copy of the message."),
    )
    also_block = forms.BooleanField(
        label=_("Also block the sender"),
        required=False,
        help_text=_(
            "You will get nothing more from them. They are not told, neither of the report nor of the block."
        ),
    )


def organizer_choices():
    from members.models import User

    organizers = User.objects.in_good_standing().organizers().order_by(Lower("display_name"), "pk")
    return [("all", _("All organizers"))] + [
        (str(organizer.pk), organizer.display_name or _("Organizer #%(number)s") % {"number": organizer.pk})
        for organizer in organizers
    ]


class HelpForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Who should read it?"),
        help_text=_("Choose one organizer and no other organizer can read it."),
    )
    about = forms.ChoiceField(label=_("What is it about?"), choices=HelpRequest.About.choices)
    body = forms.CharField(
        label=_("Your request"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Anything you want the organizers to know, up to 5,000 characters."),
    )
    anonymous = forms.BooleanField(
        label=_("Send it anonymously"),
        required=False,
        help_text=_(
            "The site then keeps no link to you: not your name, account or address, and only the day it "
            "arrived, not the time. The organizers cannot answer you or tell you when it is picked up."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = organizer_choices()

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write your request first."))
        return body

    def organizer(self):
        """The chosen organizer, or None for all of them."""
        from members.models import User

        to = self.cleaned_data["to"]
        return None if to == "all" else User.objects.get(pk=int(to))
