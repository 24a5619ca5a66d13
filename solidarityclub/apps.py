from django.apps import AppConfig


class SolidarityClubConfig(AppConfig):
    name = "solidarityclub"
    verbose_name = "Solidarity Club site"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .pagecache import content_changed

        for name, signal in [("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)]:
            signal.connect(content_changed, dispatch_uid=f"pagecache-{name}")
