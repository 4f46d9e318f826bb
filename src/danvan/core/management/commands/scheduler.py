"""``danvan scheduler``: enqueue the periodic jobs (reminders, outbox retries) when they are due."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from danvan.core.scheduling import run_due_jobs


class Command(BaseCommand):
    help = "Chạy lịch tác vụ định kỳ. Enqueue periodic jobs when they are due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="check once, then exit")
        parser.add_argument("--interval", type=float, default=30.0)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            started = run_due_jobs()
            if started and options["verbosity"] > 1:
                self.stdout.write(f"enqueued: {', '.join(started)}")
            if options["once"]:
                return
            time.sleep(options["interval"])
