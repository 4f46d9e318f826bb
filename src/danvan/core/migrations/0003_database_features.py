"""Database features the ORM does not describe: full-text search (FTS5 on SQLite, a generated
tsvector with a GIN index on PostgreSQL), append-only triggers on the audit trail, the cache table."""

from django.core.management import call_command
from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE core_search_fts USING fts5(
        body, content='core_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER core_search_ai AFTER INSERT ON core_searchentry BEGIN
        INSERT INTO core_search_fts(rowid, body) VALUES (new.id, new.body); END""",
    """CREATE TRIGGER core_search_ad AFTER DELETE ON core_searchentry BEGIN
        INSERT INTO core_search_fts(core_search_fts, rowid, body) VALUES ('delete', old.id, old.body); END""",
    """CREATE TRIGGER core_search_au AFTER UPDATE ON core_searchentry BEGIN
        INSERT INTO core_search_fts(core_search_fts, rowid, body) VALUES ('delete', old.id, old.body);
        INSERT INTO core_search_fts(rowid, body) VALUES (new.id, new.body); END""",
    """CREATE TRIGGER core_audit_no_update BEFORE UPDATE ON core_auditrecord BEGIN
        SELECT RAISE(ABORT, 'audit records are append-only'); END""",
    """CREATE TRIGGER core_audit_no_delete BEFORE DELETE ON core_auditrecord BEGIN
        SELECT RAISE(ABORT, 'audit records are append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_audit_no_delete",
    "DROP TRIGGER IF EXISTS core_audit_no_update",
    "DROP TRIGGER IF EXISTS core_search_au",
    "DROP TRIGGER IF EXISTS core_search_ad",
    "DROP TRIGGER IF EXISTS core_search_ai",
    "DROP TABLE IF EXISTS core_search_fts",
]
POSTGRES = [
    """ALTER TABLE core_searchentry ADD COLUMN tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, body)) STORED""",
    "CREATE INDEX core_search_tsv ON core_searchentry USING GIN (tsv)",
    """CREATE FUNCTION core_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$""",
    """CREATE TRIGGER core_audit_no_change BEFORE UPDATE OR DELETE ON core_auditrecord
        FOR EACH ROW EXECUTE FUNCTION core_audit_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS core_audit_no_change ON core_auditrecord",
    "DROP FUNCTION IF EXISTS core_audit_append_only()",
    "DROP INDEX IF EXISTS core_search_tsv",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS tsv",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = SQLITE if vendor == "sqlite" else POSTGRES if vendor == "postgresql" else []
    for sql in statements:
        schema_editor.execute(sql)
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = SQLITE_REVERSE if vendor == "sqlite" else POSTGRES_REVERSE if vendor == "postgresql" else []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_user_links")]
    operations = [migrations.RunPython(forwards, backwards)]
