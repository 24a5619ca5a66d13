"""/sitemap.xml: the site's own public pages, plus each app's `sitemaps` module.

Apps are found through the app registry, like `seed_demo` finds demo content,
so this project module imports no app by name: every Sitemap class defined in
`<app>/sitemaps.py` becomes a section (`PostSitemap` → "post").
"""

from importlib import import_module

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.module_loading import module_has_submodule

PUBLIC_PAGES = ["home", "about", "code-of-conduct", "meetings:list", "blog:list", "members:join"]


class StaticPagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return PUBLIC_PAGES

    def location(self, name):
        return reverse(name)


def collect_sitemaps():
    sitemaps = {"pages": StaticPagesSitemap}
    for config in apps.get_app_configs():
        if config.name == "solidarityclub" or not module_has_submodule(config.module, "sitemaps"):
            continue
        module = import_module(f"{config.name}.sitemaps")
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Sitemap) and value.__module__ == module.__name__:
                sitemaps[name.removesuffix("Sitemap").lower() or config.label] = value
    return sitemaps
