from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SolidarityClubConfig(AppConfig):
    name = "solidarityclub"
    verbose_name = _("Solidarity Club site")

    def ready(self):
        from . import receivers  # noqa: F401 (connects them)
