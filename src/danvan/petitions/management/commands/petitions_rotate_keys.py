"""``danvan petitions_rotate_keys``: re-encrypt the denouncers' identities with the newest key.

Key rotation: put a new key first in ``FIELD_ENCRYPTION_KEYS`` (keep the old ones after it),
restart, run this command, then remove the old keys.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from danvan.petitions.services import identity_rotate_keys


class Command(BaseCommand):
    help = (
        "Mã hóa lại thông tin người tố cáo bằng khóa mới nhất (đổi khóa). "
        "Re-encrypt denouncers' identities with the newest key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = identity_rotate_keys(actor=None)
        self.stdout.write(
            self.style.SUCCESS(f"Đã mã hóa lại {count} bản ghi. Re-encrypted {count} records.")
        )
