from django.apps import AppConfig


class SolidarityClubConfig(AppConfig):
    name = "solidarityclub"
    verbose_name = "Solidarity Club site"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .pagecache import bump_content_version

        for name, signal in [("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)]:
            signal.connect(bump_content_version, dispatch_uid=f"pagecache-{name}")
