from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and access requests")

    def ready(self):
        # Reaching out answers the members signals (settings section, my data, erasing).
        from allauth.account.signals import password_changed, password_reset, password_set

        from .accounts import new_calendar_address_after_password_change
        from .outreach import data  # noqa: F401

        for signal in (password_changed, password_reset, password_set):
            signal.connect(
                new_calendar_address_after_password_change, dispatch_uid=f"members_feed_{id(signal)}"
            )
