from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from solidarityclub.markdown import RendersMarkdown


class Command(BaseCommand):
    help = (
        "Render every stored Markdown field again, for when the sanitizing policy changes. "
        "Each model lists its fields in MARKDOWN_FIELDS = {source: html} (solidarityclub.markdown.RendersMarkdown)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows read and written at a time.")

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            batch_size = 500
        for model in apps.get_models():
            fields = model.MARKDOWN_FIELDS if issubclass(model, RendersMarkdown) else None
            if not fields or model._meta.proxy:  # a proxy shares its table with the concrete model
                continue
            total, changed = self.rerender(model, fields, batch_size)
            self.stdout.write(f"{model._meta.label}: {changed} of {total} row(s) re-rendered.")
        self.stdout.write(self.style.SUCCESS("Markdown re-rendered."))

    def rerender(self, model, fields, batch_size):
        """Walk the table in primary-key order, one batch per transaction.

        Batches are read by key (pk > last seen) rather than through one open
        cursor, so writing a batch never disturbs the read on any database.
        """
        rows = model._base_manager.only("pk", *fields.keys(), *fields.values()).order_by("pk")
        total = changed = 0
        last_pk = None
        while True:
            batch = list((rows if last_pk is None else rows.filter(pk__gt=last_pk))[:batch_size])
            if not batch:
                return total, changed
            last_pk = batch[-1].pk
            total += len(batch)
            dirty = []
            for row in batch:
                before = [getattr(row, html) for html in fields.values()]
                row.render_markdown_fields()
                if [getattr(row, html) for html in fields.values()] != before:
                    dirty.append(row)
            if dirty:
                with transaction.atomic():
                    model._base_manager.bulk_update(dirty, list(fields.values()))
            changed += len(dirty)
