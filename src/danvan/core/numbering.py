"""Numbers and symbols of outgoing documents (Decree 30/2020/NĐ-CP), and Vietnamese date lines.

One sequence per issuer, document type and year, restarting at 01 on 1 January. The increment is a
single ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` inside the caller's transaction: concurrent
issuers queue on the row, and a rolled-back transaction gives its number back (no gaps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, models, transaction

from danvan.core.models import DocumentSequence, IssuedNumber

# Type codes (Decree 30/2020, appendix III). An official letter (công văn) has no type code.
DOC_TYPES: dict[str, str] = {
    "KH": "Kế hoạch",
    "BC": "Báo cáo",
    "QĐ": "Quyết định",
    "TB": "Thông báo",
    "GM": "Giấy mời",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "CV": "Công văn",
    "PTN": "Phiếu tiếp nhận",
    "PC": "Phiếu chuyển",
}
OFFICIAL_LETTER = "CV"


def next_number(*, issuer: str, doc_type: str, year: int) -> int:
    """Take the next number of the sequence (must run inside a transaction)."""
    table = DocumentSequence._meta.db_table
    sql = (
        f"INSERT INTO {table} (issuer, doc_type, year, last_number) VALUES (%s, %s, %s, 1) "  # noqa: S608
        "ON CONFLICT (issuer, doc_type, year) DO UPDATE SET last_number = "
        f"{table}.last_number + 1 RETURNING last_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [issuer, doc_type, year])
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def format_symbol(number: int, doc_type: str, issuer_symbol: str, unit_suffix: str = "") -> str:
    """``05/KH-UBND``; an official letter: ``12/UBND-VX`` (issuer, then the drafting unit)."""
    num = f"{number:02d}"
    if doc_type == OFFICIAL_LETTER:
        return f"{num}/{issuer_symbol}-{unit_suffix}" if unit_suffix else f"{num}/{issuer_symbol}"
    tail = f"{issuer_symbol}-{unit_suffix}" if unit_suffix else issuer_symbol
    return f"{num}/{doc_type}-{tail}"


@dataclass(frozen=True)
class Issued:
    number: int
    symbol: str
    issued_on: date

    @property
    def line(self) -> str:
        return f"Số: {self.symbol}"


@transaction.atomic
def issue_number(
    *,
    issuer: str,
    issuer_symbol: str,
    doc_type: str,
    on: date,
    title: str = "",
    obj: models.Model | None = None,
    actor: Any = None,
    unit_suffix: str = "",
) -> Issued:
    """Give out the next number and enter it in the register of outgoing documents."""
    number = next_number(issuer=issuer, doc_type=doc_type, year=on.year)
    symbol = format_symbol(number, doc_type, issuer_symbol, unit_suffix)
    IssuedNumber.objects.create(
        issuer=issuer,
        doc_type=doc_type,
        year=on.year,
        number=number,
        symbol=symbol,
        title=title[:300],
        issued_on=on,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return Issued(number=number, symbol=symbol, issued_on=on)


def date_line(place: str, day: date) -> str:
    """ "Bến Tre, ngày 05 tháng 01 năm 2026": days under 10 and months 1-2 take a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
