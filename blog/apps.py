from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        from . import receivers  # noqa: F401 (connects the receivers)
