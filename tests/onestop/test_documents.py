"""Forms 01-05 as real documents: DOCX re-opened with python-docx, PDF with its header, the QR
code on the receipt built from the signed look-up address."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from danvan.onestop import documents, services
from danvan.onestop.models import Procedure
from tests.onestop.conftest import at, receive
from tests.permissions import client_for, fresh
from tests.world import World

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def test_receipt_docx_has_code_appointment_documents_and_qr(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    dossier = receive(world, procedure)
    response = client_for(world, "front_desk").get(
        reverse("onestop:form-download", args=[dossier.code, "01", "docx"])
    )
    assert response["Content-Disposition"].endswith(f'mau-01-{dossier.code}.docx"')
    text = docx_text(response.content)
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        "Ông/Bà: Nguyễn Thị Hoa",
        "Giấy chứng sinh",
        "09 giờ 00 phút, ngày 23/11/2026",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "ngày 16 tháng 11 năm 2026",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Thị Một Cửa",
        f"/tra-cuu-ho-so/{dossier.code}/?t=",
    ):
        assert expected in text, expected
    doc = Document(io.BytesIO(response.content))
    assert len(doc.inline_shapes) == 1  # the QR code


def test_the_qr_code_encodes_the_signed_look_up_address(world: World, procedure: Procedure) -> None:
    dossier = receive(world, procedure)
    url = services.public_lookup_url(dossier)
    qr = documents.qr_code(url)
    assert qr.designator.startswith(("3", "4", "5", "6", "7", "8"))
    assert services.lookup_token_valid(dossier.code, url.rsplit("t=", 1)[1])
    assert documents.qr_png(url).startswith(b"\x89PNG")


def test_receipt_pdf(world: World, procedure: Procedure) -> None:
    dossier = receive(world, procedure)
    response = client_for(world, "front_desk").get(
        reverse("onestop:form-download", args=[dossier.code, "01", "pdf"])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_forms_02_03_04_05_as_docx(world: World, procedure: Procedure, clock: Any) -> None:
    clock(at(2026, 11, 16, 9))
    desk, handler = fresh(world.user("front_desk")), fresh(world.user("handler"))
    refused = receive(world, procedure, complete=False)
    services.dossier_request_supplement(actor=desk, dossier=refused, reason="Bổ sung bản chính")
    services.dossier_refuse(
        actor=desk, dossier=refused, reasons="Không thuộc thẩm quyền\nHồ sơ giả mạo"
    )
    late = receive(world, procedure)
    services.dossier_forward(
        actor=desk, dossier=late, to_user=world.user("handler"), step="Thẩm định"
    )
    clock(at(2026, 11, 19, 9))
    services.dossier_apologise(
        actor=handler, dossier=late, reason="Chờ xác minh hộ tịch", new_due_at=at(2026, 11, 27, 9)
    )

    def text(dossier: Any, form: str) -> str:
        found = documents.form_document(dossier, form)
        assert found is not None, form
        return docx_text(documents.render(found[0], "docx"))

    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text(refused, "02")
    assert "- Giấy chứng sinh" in text(refused, "02")
    form03 = text(refused, "03")
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in form03 and "- Hồ sơ giả mạo" in form03
    form04 = text(late, "04")
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in form04
    assert "Chờ xác minh hộ tịch" in form04 and "09 giờ 00 phút, ngày 27/11/2026" in form04
    assert "xin lỗi ông/bà" in form04
    form05 = text(late, "05")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in form05 and "Thẩm định" in form05
    assert "Trần Văn Thụ Lý" in form05
    assert [n for n, _t in documents.available_forms(late)] == ["01", "04", "05"]
    assert [n for n, _t in documents.available_forms(refused)] == ["02", "03", "05"]
