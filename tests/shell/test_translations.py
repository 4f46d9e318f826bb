"""The English translation: the committed .mo matches its .po, and switching language works."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "src" / "danvan" / "locale" / "en" / "LC_MESSAGES"


def test_compiled_catalogue_matches_its_source(tmp_path: Path) -> None:
    out = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(out), str(LOCALE / "django.po")], check=True
    )
    assert out.read_bytes() == (LOCALE / "django.mo").read_bytes(), "run: make messages"


def test_english_is_available() -> None:
    with translation.override("en"):
        assert translation.gettext("Đăng nhập") == "Sign in"
    with translation.override("vi"):
        assert translation.gettext("Đăng nhập") == "Đăng nhập"
