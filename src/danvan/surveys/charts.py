"""Charts drawn on the server as SVG (no script, no library): horizontal bars that stay legible
on a 360 px phone (the label above its bar), and a line for trends. Every chart has a title and
a text alternative; the pages show the same numbers in a table next to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PRIMARY = "#0b4a8b"
MUTED = "#6c757d"
GRID = "#ced4da"
WARN = "#a4161a"
WIDTH = 400
_ids = count(1)


def _pct(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    return f"{float(value):.2f}".replace(".", ",") + "%"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | float | None  # 0..100
    note: str = ""
    warn: bool = False


def bar_chart(bars: Sequence[Bar], *, title: str) -> SafeString:
    """Horizontal bars from 0 to 100 %, one row per bar: label, then bar and value."""
    uid = next(_ids)
    row = 46
    height = max(row * len(bars) + 24, 40)
    bar_area = WIDTH - 70
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-{uid}-title">{escape(title)}</title>',
        f'<desc id="chart-{uid}-desc">'
        + escape("; ".join(f"{b.label}: {_pct(b.value)}" for b in bars))
        + "</desc>",
    ]
    for tick in (0, 50, 100):
        x = round(tick / 100 * bar_area, 1)
        parts.append(
            f'<line x1="{x}" y1="0" x2="{x}" y2="{height - 18}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{x}" y="{height - 4}" font-size="11" fill="{MUTED}" '
            f'text-anchor="{"start" if tick == 0 else "middle" if tick == 50 else "end"}">{tick}%</text>'
        )
    for i, b in enumerate(bars):
        y = i * row
        value = float(b.value) if b.value is not None else 0.0
        w = round(max(0.0, min(100.0, value)) / 100 * bar_area, 1)
        label = b.label if len(b.label) <= 58 else b.label[:56] + "…"
        parts.append(
            f"<g><title>{escape(b.label)}: {_pct(b.value)}{escape(' — ' + b.note) if b.note else ''}</title>"
            f'<text x="0" y="{y + 14}" font-size="13" fill="#212529">{escape(label)}</text>'
            f'<rect x="0" y="{y + 20}" width="{w}" height="16" rx="2" '
            f'fill="{WARN if b.warn else PRIMARY}"/>'
            f'<text x="{w + 6}" y="{y + 33}" font-size="13" font-weight="bold" fill="#212529">'
            f"{_pct(b.value)}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - texts escaped; the rest are numbers, constants


def line_chart(points: Sequence[tuple[str, Decimal | float | None]], *, title: str) -> SafeString:
    """A trend from 0 to 100 %, one point per period (gaps where a period has no data)."""
    uid = next(_ids)
    height, left, bottom, top = 200, 34, 30, 10
    plot_w, plot_h = WIDTH - left - 10, height - top - bottom
    n = max(len(points), 1)
    step = plot_w / max(n - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return round(left + i * step if n > 1 else left + plot_w / 2, 1), round(
            top + plot_h * (1 - v / 100), 1
        )

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-{uid}-title">{escape(title)}</title>',
        f'<desc id="chart-{uid}-desc">'
        + escape("; ".join(f"{label}: {_pct(v)}" for label, v in points))
        + "</desc>",
    ]
    for tick in (0, 50, 100):
        _x, y = xy(0, tick)
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{WIDTH - 10}" y2="{y}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 4}" y="{y + 4}" font-size="11" fill="{MUTED}" text-anchor="end">{tick}%</text>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, (label, v) in enumerate(points):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        x, y = xy(i, float(v))
        segment.append(f"{x},{y}")
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="3.5" fill="{PRIMARY}"><title>{escape(label)}: {_pct(v)}</title></circle>'
        )
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{PRIMARY}" stroke-width="2"/>'
            )
    every = max(1, (n + 5) // 6)
    for i, (label, _v) in enumerate(points):
        if i % every == 0 or i == n - 1:
            x, _y = xy(i, 0)
            parts.append(
                f'<text x="{x}" y="{height - 8}" font-size="11" fill="{MUTED}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - texts escaped; the rest are numbers, constants
