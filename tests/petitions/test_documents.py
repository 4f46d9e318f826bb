"""The documents of a case, in the national format, numbered by the core numbering and re-opened
with python-docx: acceptance notice, transfer slip, guidance letter, extension notice, decision on
a complaint (and the PDF of one)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document

from danvan.core.models import IssuedNumber
from danvan.petitions import services
from tests.petitions.conftest import at, file_petition
from tests.world import World

pytestmark = pytest.mark.django_db


def texts(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def fetch(world: World, role: str, p, kind: str, fmt: str = "docx") -> bytes:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.user(role))
    doc = p.documents.get(kind=kind)
    r = client.get(f"/office/petitions/{p.pk}/documents/{doc.pk}.{fmt}")
    assert r.status_code == 200, r.status_code
    return r.content


def test_acceptance_notice_and_decision_on_a_complaint(world: World) -> None:
    p = file_petition(
        world, received_at=at(2026, 3, 2), decision_complained="Quyết định số 1520/QĐ-UBND"
    )
    services.petition_accept(actor=world.user("handler"), petition=p, accepted_at=at(2026, 3, 3))
    notice = texts(fetch(world, "handler", p, "acceptance"))
    for expected in [
        "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM",
        "ỦY BAN NHÂN DÂN HUYỆN AN PHÚ",
        "Số: 01/TB-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "An Phú, ngày 03 tháng 3 năm 2026",
        "THÔNG BÁO",
        "Về việc thụ lý giải quyết đơn khiếu nại",
        "Kính gửi: Nguyễn Thị Khiếu, địa chỉ: Ấp 3, xã An Hòa.",
        "thụ lý giải quyết đơn khiếu nại từ ngày 03/03/2026",
        "đến ngày 02/04/2026",
        "TM. ỦY BAN NHÂN DÂN",
    ]:
        assert expected in notice, expected
    services.petition_resolve(
        actor=world.user("head"),
        petition=p,
        outcome="partly_right",
        summary="Điều chỉnh đơn giá bồi thường theo bảng giá năm 2026.",
        resolved_at=at(2026, 3, 27),
    )
    decision = texts(fetch(world, "head", p, "complaint_decision"))
    for expected in [
        "Số: 01/QĐ-UBND",
        "QUYẾT ĐỊNH",
        "Về việc giải quyết khiếu nại lần đầu của Nguyễn Thị Khiếu",
        "Căn cứ Luật Khiếu nại ngày 11 tháng 11 năm 2011;",
        "khiếu nại Quyết định số 1520/QĐ-UBND",
        "Điều 1. Kết luận nội dung khiếu nại là đúng một phần.",
        "Trong thời hạn 30 ngày",
        "Điều 3. Quyết định này có hiệu lực pháp luật từ ngày 29/04/2026.",
    ]:
        assert expected in decision, expected
    assert fetch(world, "head", p, "complaint_decision", "pdf")[:5] == b"%PDF-"
    register = list(IssuedNumber.objects.order_by("pk").values_list("symbol", "title"))
    assert register == [
        ("01/TB-UBND", f"Thông báo thụ lý đơn {p.code}"),
        ("01/QĐ-UBND", f"Quyết định giải quyết khiếu nại đơn {p.code}"),
    ]


def test_transfer_slip_guidance_letter_and_extension_notice(world: World) -> None:
    handler, head = world.user("handler"), world.user("head")
    t = file_petition(world, kind="recommendation")
    services.petition_transfer(
        actor=handler, petition=t, to_name="Sở Giao thông vận tải", at=at(2026, 3, 4)
    )
    slip = texts(fetch(world, "handler", t, "transfer"))
    assert "Số: 01/PC-UBND" in slip and "PHIẾU CHUYỂN ĐƠN" in slip
    assert "chuyển đơn đến Sở Giao thông vận tải" in slip
    g = file_petition(world)
    services.petition_guide(actor=handler, petition=g, guided_to="Tòa án nhân dân huyện An Phú")
    letter = texts(fetch(world, "handler", g, "guidance"))
    assert "Số: 01/UBND" in letter and "V/v hướng dẫn gửi đơn khiếu nại" in letter
    assert "gửi đơn đến Tòa án nhân dân huyện An Phú" in letter
    d = file_petition(world, kind="denunciation", name="Người Tố Cáo Văn Bản")
    services.petition_accept(
        actor=handler, petition=d, accepted_at=at(2026, 3, 2), complexity="complex"
    )
    services.petition_extend(actor=head, petition=d, reason="Phải xác minh tại ba đơn vị.")
    ext = fetch(world, "head", d, "extension")
    text = texts(ext)
    assert "Về việc gia hạn giải quyết tố cáo" in text
    assert (
        "gia hạn giải quyết tố cáo lần 1" in text
        and "từ ngày 01/04/2026 đến ngày 04/05/2026" in text
    )
    assert "Kính gửi: Người Tố Cáo Văn Bản" in text  # the head may see it (an audited reveal)
    # the same document for an official who may not see the identity: masked
    masked = texts(fetch(world, "front_desk", d, "extension"))
    assert "Người Tố Cáo Văn Bản" not in masked and "giữ bí mật" in masked
