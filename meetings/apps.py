from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        from members.signals import collect_settings_sections, collect_welcome_context

        from . import receivers

        collect_welcome_context.connect(receivers.welcome_context, dispatch_uid="meetings_welcome_context")
        collect_settings_sections.connect(
            receivers.settings_section, dispatch_uid="meetings_settings_section"
        )
