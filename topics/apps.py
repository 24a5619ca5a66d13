from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "topics"
    verbose_name = "Topics"

    def ready(self):
        from members.signals import collect_personal_data, erase_personal_data

        from . import personal_data, receivers  # noqa: F401 (receivers connects itself)

        collect_personal_data.connect(personal_data.export, dispatch_uid="topics_personal_data")
        erase_personal_data.connect(personal_data.forget, dispatch_uid="topics_forget_member")
