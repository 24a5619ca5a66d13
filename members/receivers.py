"""The members app's receivers: allauth's password signals, and reaching out's answers to the
members extension points (members/signals.py)."""

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from .outreach import data as outreach_data
from .signals import collect_personal_data, collect_settings_sections, erase_personal_data


@receiver([password_changed, password_reset, password_set], dispatch_uid="members_feed")
def new_calendar_address_after_password_change(sender, request=None, user=None, **kwargs):
    """A new password shuts out whoever had the old one; so does a new private calendar address."""
    if user is not None and user.pk is not None:
        user.reset_feed_token()


@receiver(collect_settings_sections)
def outreach_settings_section(sender, request, **kwargs):
    return outreach_data.SETTINGS_SECTION


@receiver(collect_personal_data)
def outreach_personal_data(sender, user, **kwargs):
    return outreach_data.personal_data(user)


@receiver(erase_personal_data)
def outreach_erase(sender, user, **kwargs):
    outreach_data.erase(user)
