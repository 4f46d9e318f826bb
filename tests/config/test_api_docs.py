"""docs/api.md lists every endpoint of the API."""

from __future__ import annotations

from pathlib import Path

from danvan.core.management.commands.api_endpoints import endpoint_rows

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_every_endpoint_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [f"{m} {p}" for _, m, p, _ in endpoint_rows() if f"| {m} | `{p}` |" not in text]
    assert missing == [], "run: danvan api_endpoints >> docs/api.md (and tidy)"
