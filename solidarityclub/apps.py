from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SolidarityClubConfig(AppConfig):
    name = "solidarityclub"
    verbose_name = _("Solidarity Club site")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .cache import shared_cache_recovered
        from .pagecache import content_changed, shared_cache_back

        for name, signal in [("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)]:
            signal.connect(content_changed, dispatch_uid=f"pagecache-{name}")
        shared_cache_recovered.connect(shared_cache_back, dispatch_uid="pagecache-redis-back")
