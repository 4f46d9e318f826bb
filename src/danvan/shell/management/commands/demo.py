"""``danvan demo``: load every app's demo data (idempotent); ``--accounts-json`` lists accounts."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from danvan.shell import registry


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (idempotent). Load the demo data of every app."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--accounts-json",
            action="store_true",
            help="In danh sách tài khoản mẫu dạng JSON (print the demo accounts as JSON).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["accounts_json"]:
            accounts = [a for loader in registry.demo_loaders for a in loader.accounts()]
            self.stdout.write(json.dumps(accounts, ensure_ascii=False, indent=2))
            return
        for loader in registry.demo_loaders:
            self.stdout.write(f"→ {loader.identifier}")
            loader.load()
        self.stdout.write(self.style.SUCCESS("Đã tạo dữ liệu mẫu. Demo data loaded."))
