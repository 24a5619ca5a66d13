from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Load demo content. Safe to run again: nothing is added twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DJANGO_DEBUG off; demo accounts then get random passwords, printed once.",
        )

    def handle(self, *args, allow_production=False, **options):
        # The demo accounts' known password must never reach a real site.
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo loads demo accounts and is meant for DJANGO_DEBUG=true. To load the demo "
                "into this site anyway, add --allow-production: the accounts then get random passwords."
            )
        # Each app seeds its own content from its `demo` module, in the order
        # of INSTALLED_APPS, so this project module imports no app by name.
        demos = [
            import_module(f"{config.name}.demo")
            for config in apps.get_app_configs()
            if config.name != "solidarityclub" and module_has_submodule(config.module, "demo")
        ]
        for demo in demos:
            with transaction.atomic():
                demo.seed(self.stdout)
        # A demo may finish what needs every app's content (members: no known password in production).
        for demo in demos:
            if hasattr(demo, "after_all"):
                with transaction.atomic():
                    demo.after_all(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))
