"""What the benchmarks share: results with a target, percentiles, a database to measure on."""

from __future__ import annotations

import os
import statistics
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    name: str
    ours: float
    baseline: float
    unit: str
    target: str  # human-readable, e.g. "p95 ≤ 10× baseline"
    ok: bool
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")

    def line(self) -> str:
        mark = "OK  " if self.ok else "MISS"
        return (
            f"{mark} {self.name}: {self.ours:.3f} {self.unit} vs baseline {self.baseline:.3f} {self.unit}"
            f" (ratio {self.ratio:.2f}; target {self.target}) {self.note}"
        )

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "ratio": self.ratio}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def bench_database_url(name: str) -> str:
    """A fresh database for a benchmark: SQLite under var/bench/, or PostgreSQL when
    BENCH_DATABASE=postgres (created with createdb on the local server)."""
    if os.environ.get("BENCH_DATABASE") == "postgres":
        db = f"danvan_bench_{name}"
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=False
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
        return f"postgres://postgres@127.0.0.1:5432/{db}"
    path = ROOT / "var" / "bench" / f"{name}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"
