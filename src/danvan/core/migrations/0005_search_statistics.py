"""Finer statistics on the PostgreSQL search column: the planner, and search.py's choice between
the GIN index and a sequential scan, read the most common elements from them."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_searchentry ALTER COLUMN tsv SET STATISTICS 1000")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_searchentry ALTER COLUMN tsv SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_seed_deadline_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
