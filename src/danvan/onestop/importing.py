"""The catalogue as a table (XLSX or CSV), in the layout a province exports from the national
database of administrative procedures: one row per procedure, the documents as a list in one cell
("Tên giấy tờ (Bản chính: 1; Bản sao: 0)", one per line), the forms likewise ("Tên mẫu | địa chỉ").

:func:`parse_table` reads a file into rows; :func:`parse_row` turns a row into a
:class:`ProcedureRow` or raises :class:`RowError` with the reason (in Vietnamese) — the import
service saves the good rows and reports every rejected one.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from danvan.core.documents import Sheet, render_xlsx
from danvan.core.models import DeadlineUnit
from danvan.core.text import fold
from danvan.onestop.models import Level, OnlineLevel, Procedure

HEADERS = [
    "Mã thủ tục",
    "Tên thủ tục",
    "Lĩnh vực",
    "Cấp thực hiện",
    "Cơ quan thực hiện",
    "Thời hạn giải quyết",
    "Phí, lệ phí",
    "Phí, lệ phí (đồng)",
    "Thành phần hồ sơ",
    "Mẫu đơn, tờ khai",
    "Căn cứ pháp lý",
    "Kết quả thực hiện",
    "Dịch vụ công trực tuyến",
]
KEYS = [
    "code",
    "name",
    "field",
    "level",
    "agency",
    "processing",
    "fee_text",
    "fee_amount",
    "documents",
    "forms",
    "legal_basis",
    "result",
    "online",
]
_HEADER_KEYS = {fold(h): k for h, k in zip(HEADERS, KEYS, strict=True)}
_HEADER_KEYS.update({"ma tthc": "code", "ten tthc": "name", "ma thu tuc hanh chinh": "code"})

LEVELS = {
    "cap tinh": Level.PROVINCE,
    "tinh": Level.PROVINCE,
    "province": Level.PROVINCE,
    "cap huyen": Level.DISTRICT,
    "huyen": Level.DISTRICT,
    "district": Level.DISTRICT,
    "cap xa": Level.COMMUNE,
    "xa": Level.COMMUNE,
    "commune": Level.COMMUNE,
}
ONLINE = {
    "toan trinh": OnlineLevel.FULL,
    "full": OnlineLevel.FULL,
    "mot phan": OnlineLevel.PARTIAL,
    "partial": OnlineLevel.PARTIAL,
    "khong": OnlineLevel.NONE,
    "none": OnlineLevel.NONE,
    "": OnlineLevel.NONE,
}
UNITS = [
    (re.compile(r"gio lam viec|gio"), DeadlineUnit.WORKING_HOURS),
    (re.compile(r"ngay lam viec"), DeadlineUnit.WORKING_DAYS),
    (re.compile(r"ngay"), DeadlineUnit.CALENDAR_DAYS),
]
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)")
_COUNTS = re.compile(
    r"\(\s*b[aả]n\s+ch[ií]nh\s*:\s*(\d+)\s*[;,]\s*b[aả]n\s+sao\s*:\s*(\d+)\s*\)\s*$", re.I
)
_OPTIONAL = re.compile(r"\(\s*(n[eế]u\s+c[oó]|kh[oô]ng\s+b[aắ]t\s+bu[oộ]c)\s*\)\s*$", re.I)


class RowError(ValueError):
    """A row that cannot be imported, with the reason."""


@dataclass
class DocumentRow:
    name: str
    originals: int = 1
    copies: int = 0
    required: bool = True


@dataclass
class ProcedureRow:
    code: str
    name: str
    field_name: str
    level: str
    agency: str
    amount: Decimal
    unit: str
    fee_text: str = ""
    fee_amount: int = 0
    documents: list[DocumentRow] = field(default_factory=list)
    forms: list[tuple[str, str]] = field(default_factory=list)
    legal_basis: str = ""
    result: str = ""
    online: str = OnlineLevel.NONE


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_table(name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """Rows of an XLSX or CSV file as ``(row number, {key: text})``, after the header row (which
    may follow a title line or two)."""
    raw: list[list[str]]
    if name.lower().endswith(".csv"):
        text = content.decode("utf-8-sig", errors="replace")
        raw = [list(r) for r in csv.reader(io.StringIO(text))]
    else:
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise RowError("Không đọc được tệp XLSX.") from exc
        ws = wb.worksheets[0]
        raw = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
    header_at = None
    for i, row in enumerate(raw[:10]):
        if any(_HEADER_KEYS.get(fold(c)) == "code" for c in row):
            header_at = i
            break
    if header_at is None:
        raise RowError("Không tìm thấy dòng tiêu đề (cột “Mã thủ tục”).")
    keys = [_HEADER_KEYS.get(fold(c)) for c in raw[header_at]]
    rows: list[tuple[int, dict[str, str]]] = []
    for offset, values in enumerate(raw[header_at + 1 :], start=header_at + 2):
        if not any(_cell(v) for v in values):
            continue
        record = {
            k: _cell(values[i]) for i, k in enumerate(keys) if k is not None and i < len(values)
        }
        rows.append((offset, record))
    return rows


def parse_processing(text: str) -> tuple[Decimal, str]:
    folded = fold(text)
    number = _NUMBER.search(folded)
    if number is None:
        raise RowError(f"Thời hạn giải quyết “{text}” không có số (ví dụ: 05 ngày làm việc).")
    try:
        amount = Decimal(number.group(1).replace(",", "."))
    except InvalidOperation as exc:
        raise RowError(f"Thời hạn giải quyết “{text}” không hợp lệ.") from exc
    if amount <= 0 or amount >= 10000:
        raise RowError(f"Thời hạn giải quyết “{text}” không hợp lệ.")
    for pattern, unit in UNITS:
        if pattern.search(folded):
            return amount, unit
    raise RowError(
        f"Thời hạn giải quyết “{text}” thiếu đơn vị (ngày làm việc, ngày hoặc giờ làm việc)."
    )


def parse_documents(text: str) -> list[DocumentRow]:
    """One document per line: "Tên giấy tờ (Bản chính: 1; Bản sao: 0)", optionally followed or
    preceded by "(nếu có)" for a document that is not always required."""
    docs = []
    for raw in unicodedata.normalize("NFC", text or "").splitlines():
        line = raw.strip(" -+•\t")
        if not line:
            continue
        required = True
        originals, copies = 1, 0
        for _ in range(2):  # the two markers may come in either order
            optional = _OPTIONAL.search(line)
            if optional:
                required = False
                line = line[: optional.start()].strip()
            counts = _COUNTS.search(line)
            if counts:
                originals, copies = int(counts.group(1)), int(counts.group(2))
                line = line[: counts.start()].strip()
        if line:
            docs.append(DocumentRow(line[:500], originals, copies, required))
    return docs


def parse_forms(text: str) -> list[tuple[str, str]]:
    out = []
    for line in (text or "").splitlines():
        line = line.strip(" -+•\t")
        if not line:
            continue
        name, _sep, url = line.partition("|")
        url = url.strip()
        if url and not url.startswith(("http://", "https://")):
            url = ""
        out.append((name.strip()[:300], url))
    return out


def parse_row(record: dict[str, str]) -> ProcedureRow:
    code = record.get("code", "").strip()
    name = record.get("name", "").strip()
    if not code:
        raise RowError("Thiếu mã thủ tục.")
    if len(code) > 40:
        raise RowError("Mã thủ tục dài quá 40 ký tự.")
    if not name:
        raise RowError("Thiếu tên thủ tục.")
    field_name = record.get("field", "").strip()
    if not field_name:
        raise RowError("Thiếu lĩnh vực.")
    level = LEVELS.get(fold(record.get("level", "")))
    if level is None:
        raise RowError(
            f"Cấp thực hiện “{record.get('level', '')}” không hợp lệ (cấp tỉnh, cấp huyện, cấp xã)."
        )
    amount, unit = parse_processing(record.get("processing", ""))
    fee_raw = re.sub(r"[.\s]|đồng|dong|d$", "", record.get("fee_amount", "") or "0", flags=re.I)
    try:
        fee_amount = int(fee_raw or "0")
    except ValueError as exc:
        raise RowError(f"Phí, lệ phí (đồng) “{record.get('fee_amount')}” không phải số.") from exc
    if fee_amount < 0:
        raise RowError("Phí, lệ phí không được âm.")
    online = ONLINE.get(fold(record.get("online", "")))
    if online is None:
        raise RowError(
            f"Dịch vụ công trực tuyến “{record.get('online')}” không hợp lệ (Toàn trình, Một phần, Không)."
        )
    documents = parse_documents(record.get("documents", ""))
    if not documents:
        raise RowError("Thiếu thành phần hồ sơ.")
    return ProcedureRow(
        code=code,
        name=name,
        field_name=field_name,
        level=level,
        agency=record.get("agency", "").strip(),
        amount=amount,
        unit=unit,
        fee_text=record.get("fee_text", ""),
        fee_amount=fee_amount,
        documents=documents,
        forms=parse_forms(record.get("forms", "")),
        legal_basis=record.get("legal_basis", ""),
        result=record.get("result", ""),
        online=online,
    )


# --- export ------------------------------------------------------------------------------------
def _processing_text(p: Procedure) -> str:
    amount = f"{p.processing_amount.normalize():f}".replace(".", ",")
    return f"{amount} {DeadlineUnit(p.processing_unit).label}"


def export_rows(procedures: Iterable[Procedure]) -> list[list[Any]]:
    rows = []
    online_label = {
        OnlineLevel.FULL: "Toàn trình",
        OnlineLevel.PARTIAL: "Một phần",
        OnlineLevel.NONE: "Không",
    }
    level_label = {Level.PROVINCE: "Cấp tỉnh", Level.DISTRICT: "Cấp huyện", Level.COMMUNE: "Cấp xã"}
    for p in procedures:
        docs = "\n".join(
            f"{d.name} (Bản chính: {d.originals}; Bản sao: {d.copies})"
            + ("" if d.required else " (nếu có)")
            for d in p.documents.all()
        )
        forms = "\n".join(f"{f.name} | {f.url}" if f.url else f.name for f in p.forms.all())
        rows.append(
            [
                p.code,
                p.name,
                p.field.name,
                level_label[Level(p.level)],
                p.agency.code if p.agency_id and p.agency else p.competent_authority,
                _processing_text(p),
                p.fee_text,
                p.fee_amount,
                docs,
                forms,
                p.legal_basis,
                p.result,
                online_label[OnlineLevel(p.online)],
            ]
        )
    return rows


def export_xlsx(procedures: Sequence[Procedure]) -> bytes:
    return render_xlsx(
        [Sheet(title="Danh muc TTHC", headers=HEADERS, rows=export_rows(procedures))]
    )


def export_csv(procedures: Sequence[Procedure]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(export_rows(procedures))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
