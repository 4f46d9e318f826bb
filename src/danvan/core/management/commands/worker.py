"""``danvan worker``: run background tasks (Django Tasks API, database backend)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy tiến trình xử lý tác vụ nền. Run the background task worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queue-name", default="*", help="queue(s) to process, * for all")
        parser.add_argument(
            "--batch", action="store_true", help="process what is queued, then exit"
        )
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        kwargs: dict[str, Any] = {
            "queue_name": options["queue_name"],
            "interval": options["interval"],
            "batch": options["batch"],
            "reload": False,
            "startup_delay": False,
        }
        if options["max_tasks"] is not None:
            kwargs["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **kwargs)
