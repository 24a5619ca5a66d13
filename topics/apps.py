from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "topics"
    verbose_name = _("Topics")

    def ready(self):
        from meetings.live import collect_live_panels
        from meetings.sections import collect_meeting_sections
        from members.signals import collect_personal_data, erase_personal_data

        from . import live_panels, meeting_sections, personal_data, receivers  # noqa: F401 (receivers connects itself)

        collect_personal_data.connect(personal_data.export, dispatch_uid="topics_personal_data")
        erase_personal_data.connect(personal_data.forget, dispatch_uid="topics_forget_member")
        collect_live_panels.connect(live_panels.dot_vote_panel, dispatch_uid="topics_live_dot_vote")
        collect_live_panels.connect(live_panels.agenda_topics_panel, dispatch_uid="topics_live_agenda_topics")
        collect_live_panels.connect(live_panels.decisions_panel, dispatch_uid="topics_live_decisions")
        collect_meeting_sections.connect(
            meeting_sections.meeting_section, dispatch_uid="topics_meeting_sections"
        )
