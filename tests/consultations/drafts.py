"""Realistic drafts for the tests, built with python-docx as a drafting officer would type them."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

TITLE = "Quy định về quản lý chợ trên địa bàn tỉnh"

# (chapter, chapter title, [(article title, [clauses])])
STRUCTURE = [
    (
        "I",
        "QUY ĐỊNH CHUNG",
        None,
        [
            (
                "Phạm vi điều chỉnh",
                [
                    "Quy định này quy định về quản lý, phát triển và kinh doanh khai thác chợ trên địa bàn tỉnh."
                ],
            ),
            (
                "Đối tượng áp dụng",
                [
                    "Cơ quan nhà nước có liên quan.",
                    "Doanh nghiệp, hợp tác xã quản lý chợ.",
                    "Thương nhân kinh doanh tại chợ.",
                ],
            ),
        ],
    ),
    (
        "II",
        "QUẢN LÝ CHỢ",
        "Mục 1. PHÂN CÔNG QUẢN LÝ",
        [
            (
                "Trách nhiệm của Ủy ban nhân dân cấp xã",
                [
                    "Tổ chức lấy ý kiến thương nhân trước khi chuyển đổi mô hình quản lý chợ.",
                    "Niêm yết công khai giá thuê điểm kinh doanh tại chợ.",
                    "Giải quyết phản ánh, kiến nghị của người dân về hoạt động của chợ trong thời hạn 10 ngày làm việc.",
                ],
            ),
            (
                "Giá thuê điểm kinh doanh",
                [
                    "Giá thuê do Ủy ban nhân dân cấp xã phê duyệt.",
                    "Giá thuê được công khai tại chợ.",
                ],
            ),
        ],
    ),
    (
        "III",
        "TỔ CHỨC THỰC HIỆN",
        None,
        [
            ("Hiệu lực thi hành", ["Quyết định này có hiệu lực kể từ ngày 01 tháng 01 năm 2027."]),
        ],
    ),
]


def _restarted_list(doc: Document) -> str:
    """A new list instance of the "List Number" style that starts again at 1 (what Word does
    for "Restart numbering"); returns its numId."""
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    numbering = doc.part.numbering_part.element
    abstract_id = next(
        n.find(qn("w:abstractNumId")).get(qn("w:val"))
        for n in numbering.findall(qn("w:num"))
        if n.get(qn("w:numId")) == str(style_num)
    )
    new_id = str(max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), new_id)
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), abstract_id)
    num.append(ref)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    return new_id


def _numbered(paragraph, num_id: str) -> None:  # type: ignore[no-untyped-def]
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), num_id)
    num_pr.append(ilvl)
    num_pr.append(nid)
    ppr.append(num_pr)


def legal_draft_docx(*, auto_numbered_clauses: bool = False) -> bytes:
    doc = Document()
    p = doc.add_paragraph("ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("DỰ THẢO")
    doc.add_paragraph(TITLE.upper())
    doc.add_paragraph("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
    doc.add_paragraph("Căn cứ Nghị định số 60/2024/NĐ-CP về phát triển và quản lý chợ;")
    n = 0
    for chapter, chapter_title, division, articles in STRUCTURE:
        doc.add_paragraph(f"Chương {chapter}").alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.add_paragraph(chapter_title).alignment = WD_ALIGN_PARAGRAPH.CENTER
        if division:
            doc.add_paragraph(division)
        for title, clauses in articles:
            n += 1
            head = doc.add_paragraph()
            head.add_run(f"Điều {n}. {title}").bold = True
            list_id = _restarted_list(doc) if auto_numbered_clauses else ""
            for i, clause in enumerate(clauses, start=1):
                if auto_numbered_clauses:
                    _numbered(doc.add_paragraph(clause, style="List Number"), list_id)
                else:
                    doc.add_paragraph(f"{i}. {clause}")
            if n == 3:
                doc.add_paragraph("a) Chợ hạng 1 do doanh nghiệp quản lý;")
                doc.add_paragraph("b) Chợ hạng 2, hạng 3 do Ban quản lý chợ quản lý.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def plan_docx() -> bytes:
    doc = Document()
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Thực hiện công tác dân vận chính quyền năm 2027")
    doc.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    doc.add_paragraph("1. Mục đích")
    doc.add_paragraph("Nâng cao nhận thức của cán bộ, công chức về công tác dân vận.")
    doc.add_paragraph("2. Yêu cầu")
    doc.add_paragraph("- Bám sát Kế hoạch 5793/KH-UBND.")
    doc.add_paragraph("II. NHIỆM VỤ, GIẢI PHÁP")
    doc.add_paragraph("1. Đối thoại với Nhân dân")
    doc.add_paragraph("Mỗi xã tổ chức ít nhất một cuộc đối thoại trong năm.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
