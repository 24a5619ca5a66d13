from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DirectoryProfile


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
