"""``danvan serve``: the production web server (granian, WSGI) with the background worker and
the scheduler of periodic jobs, as ``make run`` starts them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy máy chủ web cùng tiến trình nền. Serve the platform with its background worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        # One process per core, two threads each: Python holds one lock per process, so more
        # threads only queue behind it (measured by bench/onestop.py: 1 process × 4 threads
        # answered a third of what 2 × 2 did on two cores).
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_WORKERS") or os.cpu_count() or 1),
            help="web worker processes (default: one per core)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WEB_THREADS") or 2),
            help="blocking threads per worker process",
        )
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")
        parser.add_argument("--no-accounts", action="store_true", help="do not print demo accounts")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        env = os.environ.copy()
        env.setdefault("DJANGO_SETTINGS_MODULE", "danvan.config.settings")
        children: list[subprocess.Popen[bytes]] = []
        manage = [sys.executable, "-m", "danvan.manage"]
        if not options["no_worker"]:
            children.append(subprocess.Popen([*manage, "worker"], env=env))  # noqa: S603
            children.append(subprocess.Popen([*manage, "scheduler"], env=env))  # noqa: S603
        granian = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            options["host"],
            "--port",
            str(options["port"]),
            "--workers",
            str(options["workers"]),
            "--blocking-threads",
            str(options["threads"]),
            "--static-path-route",
            settings.STATIC_URL.rstrip("/"),
            "--static-path-mount",
            str(settings.STATIC_ROOT),
            "--no-access-log",
            "danvan.config.wsgi:application",
        ]
        web = subprocess.Popen(granian, env=env)  # noqa: S603
        children.append(web)
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\nDânVận đang chạy tại / is serving at {url}"))
        self.stdout.write(f"Trang cán bộ / back office: {url}office/  —  API: {url}api/v1/docs")
        if not options["no_accounts"]:
            self._print_accounts()
        self.stdout.write("Nhấn Ctrl+C để dừng. Press Ctrl+C to stop.\n")

        def stop(*_: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()

        def on_term(*_: Any) -> None:
            stop()
            sys.exit(0)

        signal.signal(signal.SIGTERM, on_term)
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()

    def _print_accounts(self) -> None:
        from danvan.shell import registry

        accounts = [a for loader in registry.demo_loaders for a in loader.accounts()]
        if not accounts:
            return
        self.stdout.write("\nTài khoản mẫu / demo accounts:")
        for a in accounts:
            where = f" — {a['agency']}" if a.get("agency") else ""
            self.stdout.write(f"  {a['username']:<16} {a['password']:<14} {a['role']:<18}{where}")
        self.stdout.write("")
        _ = json  # the same list as JSON: danvan demo --accounts-json
