"""What reaching out stores: directory entries, relayed conversations, blocks, reports, help requests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import User

__all__ = ["DirectoryProfile"]


def listed_members():
    """Members who opted in to the directory and may take part now (not on a break, not left)."""
    return User.objects.in_good_standing().filter(directory_profile__listed=True).exclude(display_name="")


class DirectoryProfile(models.Model):
    """A member's entry in the directory: off until they opt in on their settings page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="directory_profile"
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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")

    def __str__(self):
        return str(self.user_id)
