from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Load demo content. Safe to run again: nothing is added twice."

    def handle(self, *args, **options):
        # Each app seeds its own content from its `demo` module, in the order
        # of INSTALLED_APPS, so this project module imports no app by name.
        for config in apps.get_app_configs():
            if config.name == "solidarityclub" or not module_has_submodule(config.module, "demo"):
                continue
            with transaction.atomic():
                import_module(f"{config.name}.demo").seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))
