"""GET /healthz: 200 when the app and its database answer, 503 when the database does not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_health_is_ok() -> None:
    r = Client().get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    """A real process configured with a PostgreSQL server that is not there."""
    code = (
        "from django.test import Client; r = Client().get('/healthz'); "
        "print(r.status_code, r.content.decode())"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DANVAN_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "danvan.config.settings",
            "DANVAN_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
            "LOG_LEVEL": "CRITICAL",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "danvan.manage", "shell", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = result.stdout.strip().splitlines()[-1]
    status, body = line.split(" ", 1)
    assert status == "503", result.stdout + result.stderr
    assert json.loads(body) == {"status": "error", "database": "unavailable"}
