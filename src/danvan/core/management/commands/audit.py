"""``danvan audit verify``: check the hash chain of the audit trail; non-zero exit when broken."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from danvan.core import audit


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký. Verify the audit trail's hash chain."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit.verify()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Nhật ký toàn vẹn: {result.checked} bản ghi. Audit trail intact."
                )
            )
            return
        self.stderr.write(
            f"Chuỗi nhật ký bị phá vỡ tại bản ghi số {result.broken_seq}: {result.reason}. "
            f"Audit chain broken at record {result.broken_seq} "
            f"({result.checked} records verified before it)."
        )
        sys.stdout.flush()
        raise CommandError("audit verify failed", returncode=1)
