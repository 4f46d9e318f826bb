"""Official documents in the format of Decree 30/2020/NĐ-CP, as DOCX and PDF, and tables as XLSX.

One description (:class:`OfficialDocument`) gives both the DOCX (python-docx) and the PDF
(WeasyPrint, from the same content laid out in HTML): A4, margins 20/20/30/15 mm, Times New Roman
(Liberation Serif, metric-compatible, where Times is not installed), the two-column header
(agency / national motto), number and symbol, place and date, title, body, "Nơi nhận" and the
signature block.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
PAGE = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}  # mm
TEXT_WIDTH_MM = PAGE["width"] - PAGE["left"] - PAGE["right"]
LEFT_HEADER_MM = 68

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Block:
    kind: Literal["heading", "paragraph", "bullet", "table"] = "paragraph"
    text: str = ""
    headers: Sequence[str] = ()
    rows: Sequence[Sequence[Any]] = ()


@dataclass(frozen=True)
class Signature:
    position: str  # "GIÁM ĐỐC", "CHỦ TỊCH"
    name: str = ""
    prefix: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC"
    sub_position: str = ""  # under a KT./TL. prefix: "PHÓ GIÁM ĐỐC"


@dataclass(frozen=True)
class OfficialDocument:
    agency: str
    symbol: str
    date_line: str
    title: str  # "BÁO CÁO", "QUYẾT ĐỊNH"; empty for an official letter
    summary: str = ""  # trích yếu: "Về việc …"
    parent_agency: str = ""
    body: Sequence[Block] = ()
    recipients: Sequence[str] = ()
    signature: Signature | None = None
    attachments_note: str = ""
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def number_line(self) -> str:
        return f"Số: {self.symbol}"


# Control characters are not allowed in XML (DOCX, XLSX): python-docx and openpyxl raise on them.
# Text pasted from Word carries its soft line break (\x0b): keep it as a line break.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return _XML_ILLEGAL.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", value)


# --- DOCX ---------------------------------------------------------------------------------------
def _set_font(run: Any, size: int, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(
    container: Any,
    text: str,
    size: int = BODY_PT,
    *,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    space_after: int = 0,
    first_line_cm: float | None = None,
) -> Paragraph:
    p = container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    if first_line_cm is not None:
        fmt.first_line_indent = Cm(first_line_cm)
    if text:
        _set_font(p.add_run(_xml_text(text)), size, bold=bold, italic=italic)
    return p


def _rule(container: Any, indent_mm: float) -> None:
    """A short centred rule under a header line (a bottom border on an indented paragraph)."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.left_indent = Mm(indent_mm)
    fmt.right_indent = Mm(indent_mm)
    fmt.space_after = Pt(6)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}.items():
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)
    for run_size in (2,):
        _set_font(p.add_run(""), run_size)


def _no_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table: Any, widths_mm: Sequence[float]) -> None:
    # LibreOffice ignores per-cell widths: set the columns too (NOTES.md).
    table.autofit = False
    for i, width in enumerate(widths_mm):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)


def _clear(cell: _Cell) -> _Cell:
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return cell


def render_docx(doc: OfficialDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.top_margin, section.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    document.core_properties.title = _xml_text(f"{doc.title} {doc.summary}".strip() or doc.symbol)
    document.core_properties.identifier = _xml_text(doc.symbol)
    document.core_properties.author = _xml_text(doc.agency)

    header = document.add_table(rows=1, cols=2)
    _no_borders(header)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    right_mm = TEXT_WIDTH_MM - LEFT_HEADER_MM
    _widths(header, [LEFT_HEADER_MM, right_mm])
    left, right = (_clear(c) for c in header.rows[0].cells)
    if doc.parent_agency:
        _para(left, doc.parent_agency.upper(), HEADER_PT)
    _para(left, doc.agency.upper(), HEADER_PT, bold=True)
    _rule(left, LEFT_HEADER_MM * 0.3)
    _para(left, doc.number_line, HEADER_PT)
    if not doc.title and doc.summary:  # official letter: trích yếu under the number
        _para(left, doc.summary, 12)
    _para(right, MOTTO_1, HEADER_PT - 1, bold=True)
    _para(right, MOTTO_2, BODY_PT, bold=True)
    _rule(right, right_mm * 0.22)
    _para(right, doc.date_line, BODY_PT, italic=True)

    _para(document, "", BODY_PT, space_after=6)
    if doc.title:
        _para(document, doc.title.upper(), BODY_PT, bold=True)
        if doc.summary:
            _para(document, doc.summary, BODY_PT, bold=True)
        _rule(document, TEXT_WIDTH_MM * 0.4)

    for block in doc.body:
        if block.kind == "heading":
            _para(
                document,
                block.text,
                BODY_PT,
                bold=True,
                align=WD_ALIGN_PARAGRAPH.LEFT,
                space_after=6,
                first_line_cm=1.0,
            )
        elif block.kind == "bullet":
            _para(
                document,
                f"- {block.text}",
                BODY_PT,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                space_after=6,
                first_line_cm=1.0,
            )
        elif block.kind == "table":
            _table(document, block)
        else:
            _para(
                document,
                block.text,
                BODY_PT,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                space_after=6,
                first_line_cm=1.0,
            )

    if doc.recipients or doc.signature:
        foot = document.add_table(rows=1, cols=2)
        _no_borders(foot)
        _widths(foot, [TEXT_WIDTH_MM * 0.5, TEXT_WIDTH_MM * 0.5])
        lcell, rcell = (_clear(c) for c in foot.rows[0].cells)
        if doc.recipients:
            _para(lcell, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
            for i, r in enumerate(doc.recipients):
                end = "." if i == len(doc.recipients) - 1 else ";"
                _para(lcell, f"- {r}{end}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
        else:
            _para(lcell, "", 11)
        sig = doc.signature
        if sig:
            if sig.prefix:
                _para(rcell, sig.prefix.upper(), BODY_PT, bold=True)
            _para(rcell, sig.position.upper(), BODY_PT, bold=True)
            if sig.sub_position:
                _para(rcell, sig.sub_position.upper(), BODY_PT, bold=True)
            for _ in range(3):
                _para(rcell, "", BODY_PT)
            if sig.name:
                _para(rcell, sig.name, BODY_PT, bold=True)
        else:
            _para(rcell, "", BODY_PT)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document: Any, block: Block) -> None:
    cols = max(len(block.headers), max((len(r) for r in block.rows), default=0))
    if cols == 0:
        return
    table = document.add_table(rows=0, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if block.headers:
        cells = table.add_row().cells
        for i, h in enumerate(block.headers):
            _clear(cells[i])
            _para(cells[i], str(h), 12, bold=True)
    for row in block.rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            _clear(cells[i])
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            _para(
                cells[i],
                _cell_text(value),
                12,
                align=WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT,
            )
    _para(document, "", BODY_PT, space_after=6)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return str(value)


# --- PDF ----------------------------------------------------------------------------------------
def render_html(doc: OfficialDocument) -> str:
    return render_to_string(
        "core/official_document.html",
        {"doc": doc, "page": PAGE, "left_header_mm": LEFT_HEADER_MM, "cell_text": _cell_text},
    )


def render_pdf(doc: OfficialDocument) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(doc)).write_pdf()


# --- XLSX ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    caption: str = ""


def render_xlsx(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title[:31] or "Sheet")
        start = 1
        if sheet.caption:
            ws.cell(row=1, column=1, value=_xml_text(sheet.caption)).font = Font(bold=True, size=13)
            start = 3
        for col, header in enumerate(sheet.headers, start=1):
            cell = ws.cell(row=start, column=col, value=_xml_text(header))
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE5F0")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for r, row in enumerate(sheet.rows, start=start + 1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=_xml_text(value))
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text people typed, never a live formula
        ws.freeze_panes = ws.cell(row=start + 1, column=1)
        for col in range(1, len(sheet.headers) + 1):
            values = [str(sheet.headers[col - 1])] + [
                str(row[col - 1])
                for row in sheet.rows[:200]
                if len(row) >= col and row[col - 1] is not None
            ]
            ws.column_dimensions[get_column_letter(col)].width = min(
                60, max(10, *(len(v) for v in values)) + 2
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
