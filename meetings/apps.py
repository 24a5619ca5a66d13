from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        from django.db.models.signals import post_delete

        from members.signals import collect_settings_sections, collect_welcome_context

        from . import receivers
        from .models import Meeting

        post_delete.connect(
            receivers.remember_deleted_series_date, sender=Meeting, dispatch_uid="meetings_skip_deleted_date"
        )
        collect_welcome_context.connect(receivers.welcome_context, dispatch_uid="meetings_welcome_context")
        collect_settings_sections.connect(
            receivers.settings_section, dispatch_uid="meetings_settings_section"
        )
