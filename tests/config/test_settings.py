"""Settings from the environment; the production profile passes `danvan check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def _run(
    args: list[str], env_extra: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DANVAN_", "SECRET_KEY"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "danvan.config.settings",
            "DANVAN_VAR_DIR": str(tmp_path / "var"),
            **env_extra,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "danvan.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_production_profile_passes_check_deploy_without_warnings(tmp_path: Path) -> None:
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "DANVAN_PROFILE": "production",
            "SECRET_KEY": Fernet.generate_key().decode() * 2,
            "ALLOWED_HOSTS": "danvan.example.gov.vn",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_run_without_encryption_keys(tmp_path: Path) -> None:
    result = _run(
        ["check", "--deploy"],
        {
            "DANVAN_PROFILE": "production",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "a.example",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        tmp_path,
    )
    assert result.returncode != 0
    assert "danvan.E001" in result.stderr + result.stdout


def test_secret_key_is_generated_into_var_once(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _run(
        ["shell", "-c", code], {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, tmp_path
    )
    second = _run(
        ["shell", "-c", code], {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, tmp_path
    )
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.exists() and oct(key_file.stat().st_mode)[-3:] == "600"
    assert (
        first.stdout.strip().splitlines()[-1]
        == second.stdout.strip().splitlines()[-1]
        == key_file.read_text()
    )


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path: Path) -> None:
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = _run(
        ["shell", "-c", code], {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["wal", "IMMEDIATE"]


def test_time_zone_and_languages() -> None:
    from django.conf import settings

    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    from danvan.config.env import env_str

    monkeypatch.setenv("DANVAN_PROBE", "")
    assert env_str("DANVAN_PROBE", "mặc định") == "mặc định"
    monkeypatch.setenv("DANVAN_PROBE", "giá trị")
    assert env_str("DANVAN_PROBE", "mặc định") == "giá trị"
