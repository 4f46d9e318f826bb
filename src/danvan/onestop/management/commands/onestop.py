"""``danvan onestop``: operator commands of the one-stop shop.

- ``danvan onestop generate --dossiers N [--years Y]``: realistic dossiers in bulk (demo, bench);
- ``danvan onestop stats --rebuild``: recompute the daily counters of the statistics;
- ``danvan onestop remind``: send the apology reminders now (the scheduler does it every 30 min).
"""

from __future__ import annotations

import resource
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from danvan.core import audit


class Command(BaseCommand):
    help = (
        "Một cửa: sinh dữ liệu, tính lại thống kê, gửi nhắc việc. One-stop shop operator commands."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="sinh hồ sơ mẫu hàng loạt (bulk realistic dossiers)")
        gen.add_argument("--dossiers", type=int, required=True)
        gen.add_argument("--years", type=float, default=1.0, help="spread over this many years")
        gen.add_argument("--seed", type=int, default=5793)
        gen.add_argument("--batch", type=int, default=5000)
        gen.add_argument("--events", action="store_true", help="also write the timelines")
        gen.add_argument("--catalogue", action="store_true", help="load the demo catalogue first")
        st = sub.add_parser("stats", help="thống kê (statistics counters)")
        st.add_argument("--rebuild", action="store_true", required=True)
        sub.add_parser("remind", help="gửi nhắc xin lỗi ngay (apology reminders now)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "generate":
            self._generate(options)
        elif action == "stats":
            from danvan.onestop.stats import rebuild

            started = time.monotonic()
            rows = rebuild()
            self.stdout.write(f"{rows} dòng thống kê ({time.monotonic() - started:.1f} s)")
        elif action == "remind":
            from danvan.onestop.services import apology_reminders_send

            self.stdout.write(f"Đã nhắc {apology_reminders_send()} hồ sơ.")

    def _generate(self, options: dict[str, Any]) -> None:
        from danvan.onestop.generate import generate
        from danvan.onestop.models import Procedure

        if options["dossiers"] <= 0:
            raise CommandError("--dossiers must be positive")
        if options["catalogue"] or not Procedure.objects.exists():
            from danvan.onestop.demo import load_catalogue

            load_catalogue()
        verbosity = options["verbosity"]

        def progress(n: int) -> None:
            if verbosity > 1 or n % 100_000 == 0:
                self.stdout.write(f"  {n:,} hồ sơ", ending="\r" if verbosity < 2 else "\n")
                self.stdout.flush()

        try:
            result = generate(
                dossiers=options["dossiers"],
                years=options["years"],
                seed=options["seed"],
                batch_size=options["batch"],
                with_events=options["events"],
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        from django.db import transaction

        with transaction.atomic():
            audit.record(
                actor=None,
                action="onestop.dossiers_generate",
                object_type="onestop.dossier",
                object_id="generate",
                data={"dossiers": result.dossiers, "seconds": round(result.seconds, 1)},
            )
        self.stdout.write(
            f"Đã sinh {result.dossiers:,} hồ sơ, {result.events:,} bước, {result.stat_rows:,} dòng "
            f"thống kê trong {result.seconds:.1f} s (bộ nhớ đỉnh {peak_mb:.0f} MB)."
        )
        self.stdout.write(
            "  " + ", ".join(f"{k}: {v:,}" for k, v in sorted(result.by_status.items()))
        )
