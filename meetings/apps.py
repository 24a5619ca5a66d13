from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from members.signals import (
            collect_digest_sections,
            collect_personal_data,
            collect_settings_sections,
            collect_welcome_context,
            erase_personal_data,
        )

        from . import live, personal_data, receivers
        from .models import Meeting
        from .signals import notices_cancelled, notices_moved

        notices_cancelled.connect(receivers.send_cancelled_notices, dispatch_uid="meetings_cancelled_notices")
        notices_moved.connect(
            receivers.send_time_changed_notices, dispatch_uid="meetings_time_changed_notices"
        )
        post_delete.connect(
            receivers.remember_deleted_series_date, sender=Meeting, dispatch_uid="meetings_skip_deleted_date"
        )
        post_save.connect(live.forget_saved_meeting, sender=Meeting, dispatch_uid="meetings_live_saved")
        post_delete.connect(live.forget_saved_meeting, sender=Meeting, dispatch_uid="meetings_live_deleted")
        collect_welcome_context.connect(receivers.welcome_context, dispatch_uid="meetings_welcome_context")
        collect_settings_sections.connect(
            receivers.settings_section, dispatch_uid="meetings_settings_section"
        )
        collect_personal_data.connect(personal_data.export, dispatch_uid="meetings_personal_data")
        erase_personal_data.connect(personal_data.forget, dispatch_uid="meetings_forget_member")
        collect_digest_sections.connect(receivers.digest_section, dispatch_uid="meetings_digest_section")
