"""``danvan open311_key add NAME`` / ``list`` / ``revoke PREFIX``: API keys of Open311 clients.

While at least one key is active, posting to ``/open311/v2/requests`` requires ``api_key``. The
key is shown once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from danvan.core import audit
from danvan.feedback.models import Open311Key


class Command(BaseCommand):
    help = "Quản lý khóa Open311. Manage the API keys of Open311 clients."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="issue a key (printed once)")
        add.add_argument("name", help="the client application's name")
        sub.add_parser("list", help="list keys")
        revoke = sub.add_parser("revoke", help="revoke a key by its prefix")
        revoke.add_argument("prefix")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            raw = secrets.token_urlsafe(24)
            key = Open311Key.objects.create(
                name=options["name"],
                key_hash=hashlib.sha256(raw.encode()).hexdigest(),
                prefix=raw[:8],
            )
            audit.record(
                actor=None,
                action="feedback.open311_key_add",
                obj=key,
                actor_label="quản trị (lệnh)",
            )
            self.stdout.write(raw)
        elif action == "list":
            for key in Open311Key.objects.order_by("created_at"):
                state = "active" if key.is_active else "revoked"
                self.stdout.write(f"{key.prefix}…  {state:8} {key.created_at:%d/%m/%Y}  {key.name}")
        else:
            found = Open311Key.objects.filter(prefix=options["prefix"], is_active=True).first()
            if found is None:
                raise CommandError("Không tìm thấy khóa đang dùng có tiền tố này.")
            found.is_active = False
            found.save(update_fields=["is_active"])
            audit.record(
                actor=None,
                action="feedback.open311_key_revoke",
                obj=found,
                actor_label="quản trị (lệnh)",
            )
            self.stdout.write(self.style.SUCCESS(f"Đã thu hồi khóa {found.prefix}…"))
