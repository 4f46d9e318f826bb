"""The provincial consolidated report (Decree 30 format) and its XLSX annex."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from danvan.core.documents import (
    Block,
    OfficialDocument,
    Sheet,
    Signature,
    render_docx,
    render_pdf,
    render_xlsx,
)
from danvan.core.numbering import date_line
from danvan.plans.models import Consolidation, ReportSection
from danvan.plans.periods import ReportingPeriod
from danvan.shell import registry


@dataclass(frozen=True)
class FiguresTable:
    headers: list[str]
    total_row: list[Any]
    agency_rows: list[list[Any]]  # [agency name, value, value, …]
    labels: list[str]


def _num(value: str | None) -> float | None:
    return None if value is None else float(Decimal(value))


def figures_table(c: Consolidation) -> FiguresTable:
    figures = c.figures
    labels = [
        str(registry.indicators.get(i).label) if i in registry.indicators else i
        for i in figures["indicators"]
    ]
    agency_rows = [
        [
            figures["agency_names"][aid],
            *[_num(figures["agencies"][aid].get(i)) for i in figures["indicators"]],
        ]
        for aid in sorted(figures["agencies"], key=lambda a: figures["agency_names"][a])
    ]
    total = ["Toàn tỉnh", *[_num(figures["totals"].get(i)) for i in figures["indicators"]]]
    return FiguresTable(["Cơ quan, đơn vị", *labels], total, agency_rows, labels)


def build(c: Consolidation) -> OfficialDocument:
    period = ReportingPeriod.parse(c.period_key)
    table = figures_table(c)
    body: list[Block] = [
        Block(
            "paragraph",
            (
                "Thực hiện Kế hoạch số 5793/KH-UBND ngày 26/11/2013 của Ủy ban nhân dân tỉnh, mục III.3 "
                "(định kỳ hằng năm các sở, ban, ngành tỉnh, Ủy ban nhân dân các huyện, thành phố báo cáo kết "
                "quả thực hiện công tác dân vận chính quyền về Ủy ban nhân dân tỉnh thông qua Sở Nội vụ), "
                f"{c.agency.name} tổng hợp báo cáo {period.label.lower()} của {len(table.agency_rows)} "
                "cơ quan, đơn vị như sau:"
            ),
        ),
        Block("heading", "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"),
    ]
    for label, value in zip(table.labels, table.total_row[1:], strict=True):
        shown = (
            "chưa có số liệu"
            if value is None
            else f"{value:,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        )
        body.append(Block("bullet", f"{label}: {shown}."))
    sections: dict[str, list[tuple[str, str]]] = {}
    for s in (
        ReportSection.objects.filter(report__in=c.reports.all())
        .select_related("report__agency")
        .order_by("order")
    ):
        if s.text.strip():
            sections.setdefault(s.title, []).append((s.report.agency.name, s.text.strip()))
    for i, (title, parts) in enumerate(sections.items(), start=2):
        body.append(Block("heading", f"{_roman(i)}. {title.upper()}"))
        for agency, text in parts:
            body.append(Block("paragraph", f"{agency}: {text}"))
    body.append(Block("heading", "PHỤ LỤC: SỐ LIỆU CỦA TỪNG CƠ QUAN, ĐƠN VỊ"))
    body.append(Block("table", headers=table.headers, rows=[*table.agency_rows, table.total_row]))
    parent = c.agency.parent.name if c.agency.parent else ""
    return OfficialDocument(
        parent_agency=parent,
        agency=c.agency.name,
        symbol=c.symbol,
        date_line=date_line(c.agency.place_name or c.agency.unit.name, c.issued_on),
        title="BÁO CÁO",
        summary=f"Tổng hợp kết quả thực hiện công tác dân vận chính quyền {period.label.lower()}",
        body=body,
        recipients=[
            "Ủy ban nhân dân tỉnh",
            "Ban Dân vận Tỉnh ủy",
            "Văn phòng UBND tỉnh",
            "Lưu: VT",
        ],
        signature=Signature(position="Giám đốc"),
    )


def _roman(n: int) -> str:
    return (
        ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n] if n <= 10 else str(n)
    )


def annex(c: Consolidation) -> Sheet:
    table = figures_table(c)
    return Sheet(
        title="Phụ lục số liệu",
        headers=table.headers,
        rows=[*table.agency_rows, table.total_row],
        caption=f"Phụ lục kèm Báo cáo số {c.symbol}",
    )


def render(c: Consolidation, fmt: str) -> bytes:
    if fmt == "xlsx":
        return render_xlsx([annex(c)])
    doc = build(c)
    return render_docx(doc) if fmt == "docx" else render_pdf(doc)
