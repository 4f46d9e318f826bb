"""``flush`` that works with the append-only audit trail: emptying the whole database (tests,
a fresh demo) is the one operation allowed to delete audit records, so the SQLite trigger that
forbids it is set aside for the duration and restored after. (PostgreSQL's flush truncates,
which row triggers do not see.)"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

TRIGGER = "core_audit_no_delete"
CREATE = (
    f"CREATE TRIGGER IF NOT EXISTS {TRIGGER} BEFORE DELETE ON core_auditrecord BEGIN "
    "SELECT RAISE(ABORT, 'audit records are append-only'); END"
)


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(CREATE)
