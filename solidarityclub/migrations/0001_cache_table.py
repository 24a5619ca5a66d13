"""The database cache table (settings.CACHES), made by `migrate` itself.

Saving anything touches the page cache (solidarityclub.pagecache). Without
this, a bare `migrate` followed by `createsuperuser` — the habit on a new
deploy — crashed on the missing table, which only `createcachetable` made.
`createcachetable` skips tables that exist and caches that are not in the
database (Redis), so running it again is harmless.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False)]
