from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self):
        from members.signals import collect_digest_sections, collect_personal_data

        from . import personal_data, receivers

        collect_personal_data.connect(personal_data.export, dispatch_uid="blog_personal_data")
        collect_digest_sections.connect(receivers.digest_section, dispatch_uid="blog_digest_section")
