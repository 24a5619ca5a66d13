from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members and access requests"

    def ready(self):
        # Reaching out answers the members signals (settings section, my data, erasing).
        from .outreach import data  # noqa: F401
