from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        from members.signals import collect_personal_data

        from . import (
            personal_data,
            receivers,  # noqa: F401 (connects the receivers)
        )

        collect_personal_data.connect(personal_data.export, dispatch_uid="blog_personal_data")
