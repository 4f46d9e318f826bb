"""Cutting a real multi-article draft into commentable sections (DOCX and pasted text)."""

from __future__ import annotations

from pathlib import Path

from danvan.consultations.sections import parse_docx, parse_text
from tests.consultations.drafts import legal_draft_docx, plan_docx

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_legal_draft_is_cut_at_its_chapters_divisions_and_articles() -> None:
    parsed = parse_docx(legal_draft_docx())
    labels = [(p.kind, p.number, p.heading) for p in parsed]
    assert labels == [
        ("preamble", "", "Phần mở đầu"),
        ("chapter", "Chương I", "QUY ĐỊNH CHUNG"),
        ("article", "Điều 1", "Phạm vi điều chỉnh"),
        ("article", "Điều 2", "Đối tượng áp dụng"),
        ("chapter", "Chương II", "QUẢN LÝ CHỢ"),
        ("division", "Mục 1", "PHÂN CÔNG QUẢN LÝ"),
        ("article", "Điều 3", "Trách nhiệm của Ủy ban nhân dân cấp xã"),
        ("article", "Điều 4", "Giá thuê điểm kinh doanh"),
        ("chapter", "Chương III", "TỔ CHỨC THỰC HIỆN"),
        ("article", "Điều 5", "Hiệu lực thi hành"),
    ]
    preamble = parsed[0].body
    assert "Căn cứ Nghị định số 60/2024/NĐ-CP" in preamble
    article3 = parsed[6]
    # Clauses and points stay in their article, in order.
    assert article3.body.splitlines() == [
        "1. Tổ chức lấy ý kiến thương nhân trước khi chuyển đổi mô hình quản lý chợ.",
        "2. Niêm yết công khai giá thuê điểm kinh doanh tại chợ.",
        "3. Giải quyết phản ánh, kiến nghị của người dân về hoạt động của chợ trong thời hạn 10 ngày làm việc.",
        "a) Chợ hạng 1 do doanh nghiệp quản lý;",
        "b) Chợ hạng 2, hạng 3 do Ban quản lý chợ quản lý.",
    ]
    assert article3.level == 2  # under a chapter and a division
    assert parsed[2].level == 1


def test_automatic_list_numbers_are_written_out() -> None:
    parsed = parse_docx(legal_draft_docx(auto_numbered_clauses=True))
    article2 = next(p for p in parsed if p.number == "Điều 2")
    assert article2.body.splitlines() == [
        "1. Cơ quan nhà nước có liên quan.",
        "2. Doanh nghiệp, hợp tác xã quản lý chợ.",
        "3. Thương nhân kinh doanh tại chợ.",
    ]


def test_a_plan_without_articles_is_cut_at_roman_headings_and_numbered_items() -> None:
    parsed = parse_docx(plan_docx())
    assert [(p.kind, p.number, p.heading) for p in parsed] == [
        ("preamble", "", "Phần mở đầu"),
        ("part", "I", "MỤC ĐÍCH, YÊU CẦU"),
        ("item", "1", "Mục đích"),
        ("item", "2", "Yêu cầu"),
        ("part", "II", "NHIỆM VỤ, GIẢI PHÁP"),
        ("item", "1", "Đối thoại với Nhân dân"),
    ]
    assert parsed[3].body == "- Bám sát Kế hoạch 5793/KH-UBND."


def test_pasted_text_uses_the_same_headings() -> None:
    parsed = parse_text(
        "Chương I. QUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nNội dung.\nĐiều 2: Giải thích từ ngữ\n"
        "1. Chợ là nơi mua bán.\nMục tiêu của quy định này là không phải một mục."
    )
    assert [(p.number, p.heading) for p in parsed] == [
        ("Chương I", "QUY ĐỊNH CHUNG"),
        ("Điều 1", "Phạm vi"),
        ("Điều 2", "Giải thích từ ngữ"),
    ]
    assert parsed[2].body.endswith("không phải một mục.")


def test_a_document_saved_by_libreoffice_gives_the_same_sections() -> None:
    """The draft as LibreOffice saves it (committed; see fixtures/make_libreoffice_copy.py)."""
    src = legal_draft_docx(auto_numbered_clauses=True)
    again = parse_docx((FIXTURES / "du-thao-libreoffice.docx").read_bytes())
    original = parse_docx(src)
    assert len(original) > 5
    assert [(p.number, p.heading, p.body) for p in again] == [
        (p.number, p.heading, p.body) for p in original
    ]
