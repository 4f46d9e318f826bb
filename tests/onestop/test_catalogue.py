"""The catalogue as a table: export, import (good rows saved, every rejected row reported with
its reason), and the procedure review with the yearly saving."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from danvan.core.errors import PermissionDeniedError
from danvan.core.models import AuditRecord, DeadlineUnit
from danvan.onestop import importing, services
from danvan.onestop.models import Procedure, ProcedureReview, Status
from tests.onestop.conftest import make_dossier
from tests.permissions import client_for, fresh
from tests.world import World

pytestmark = pytest.mark.django_db

GOOD = {
    "Mã thủ tục": "2.000815",
    "Tên thủ tục": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
    "Lĩnh vực": "Chứng thực",
    "Cấp thực hiện": "Cấp huyện",
    "Cơ quan thực hiện": "UBND-A",
    "Thời hạn giải quyết": "4 giờ làm việc",
    "Phí, lệ phí": "2.000 đồng/trang",
    "Phí, lệ phí (đồng)": "2.000",
    "Thành phần hồ sơ": "- Bản chính giấy tờ (Bản chính: 1; Bản sao: 0)\n- Bản sao cần chứng thực (Bản chính: 0; Bản sao: 1)\n- Giấy ủy quyền (nếu có)",
    "Mẫu đơn, tờ khai": "Mẫu yêu cầu chứng thực | https://dichvucong.gov.vn/mau.docx",
    "Căn cứ pháp lý": "Nghị định 23/2015/NĐ-CP",
    "Kết quả thực hiện": "Bản sao được chứng thực",
    "Dịch vụ công trực tuyến": "Không",
}


def xlsx(rows: list[dict[str, str]], title: bool = True) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["DANH MỤC THỦ TỤC HÀNH CHÍNH"])
        ws.append([])
    ws.append(importing.HEADERS)
    for row in rows:
        ws.append([row.get(h, "") for h in importing.HEADERS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_saves_good_rows_and_reports_each_rejected_row(world: World) -> None:
    rows = [
        GOOD,
        {**GOOD, "Mã thủ tục": "", "Tên thủ tục": "Không mã"},
        {**GOOD, "Mã thủ tục": "1.1", "Thời hạn giải quyết": "nhanh nhất có thể"},
        {**GOOD, "Mã thủ tục": "1.2", "Cấp thực hiện": "Trung ương"},
        {**GOOD, "Mã thủ tục": "1.3", "Thành phần hồ sơ": ""},
        {**GOOD, "Mã thủ tục": "1.4", "Cơ quan thực hiện": "KHONG-CO"},
        {
            **GOOD,
            "Mã thủ tục": "1.5",
            "Thời hạn giải quyết": "15 ngày",
            "Dịch vụ công trực tuyến": "Toàn trình",
        },
        {**GOOD, "Mã thủ tục": "2.000815"},
    ]
    report = services.procedures_import(
        actor=fresh(world.user("sysadmin")), file_name="tthc.xlsx", content=xlsx(rows)
    )
    assert (report.created, report.updated) == (2, 0)
    reasons = {n: r for n, _c, r in report.rejected}
    assert reasons == {
        5: "Thiếu mã thủ tục.",
        6: "Thời hạn giải quyết “nhanh nhất có thể” không có số (ví dụ: 05 ngày làm việc).",
        7: "Cấp thực hiện “Trung ương” không hợp lệ (cấp tỉnh, cấp huyện, cấp xã).",
        8: "Thiếu thành phần hồ sơ.",
        9: "Không có cơ quan mã “KHONG-CO”.",
        11: "Mã thủ tục 2.000815 trùng với một dòng phía trên.",
    }
    proc = Procedure.objects.get(code="2.000815")
    assert proc.processing_amount == 4 and proc.processing_unit == DeadlineUnit.WORKING_HOURS
    assert proc.agency == world.own("front_desk") and proc.fee_amount == 2000
    assert [(d.name, d.originals, d.copies, d.required) for d in proc.documents.all()] == [
        ("Bản chính giấy tờ", 1, 0, True),
        ("Bản sao cần chứng thực", 0, 1, True),
        ("Giấy ủy quyền", 1, 0, False),
    ]
    assert proc.forms.get().url == "https://dichvucong.gov.vn/mau.docx"
    other = Procedure.objects.get(code="1.5")
    assert other.processing_unit == DeadlineUnit.CALENDAR_DAYS and other.online == "full"
    record = AuditRecord.objects.get(action="onestop.procedures_import")
    assert record.data["created"] == 2 and len(record.data["rejected"]) == 6


def test_export_then_import_round_trips_in_xlsx_and_csv(world: World, procedure: Procedure) -> None:
    procedures = list(Procedure.objects.prefetch_related("documents", "forms"))
    for name, content in (
        ("a.xlsx", importing.export_xlsx(procedures)),
        ("a.csv", importing.export_csv(procedures)),
    ):
        report = services.procedures_import(
            actor=fresh(world.user("sysadmin")), file_name=name, content=content
        )
        assert report.rejected == [] and report.updated == 1, name
    again = Procedure.objects.get(code=procedure.code)
    assert again.processing_amount == Decimal(5) and again.fee_amount == 75000
    assert [d.required for d in again.documents.all()] == [True, True, False]


def test_csv_export_is_excel_friendly(procedure: Procedure) -> None:
    content = importing.export_csv([procedure])
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == importing.HEADERS
    assert (
        rows[1][0] == procedure.code and "Giấy chứng sinh (Bản chính: 1; Bản sao: 0)" in rows[1][8]
    )


def test_only_a_system_administrator_imports(world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        services.procedures_import(
            actor=fresh(world.user("head")), file_name="a.xlsx", content=xlsx([GOOD])
        )


def test_import_page_shows_the_report(world: World) -> None:
    client = client_for(world, "sysadmin")
    upload = SimpleUploadedFile(
        "tthc.xlsx", xlsx([GOOD, {**GOOD, "Mã thủ tục": "9", "Lĩnh vực": ""}])
    )
    html = client.post(reverse("onestop:procedure-import"), {"file": upload}).content.decode()
    assert "Thêm mới 1, cập nhật 0, từ chối 1 dòng." in html and "Thiếu lĩnh vực." in html


def test_an_unreadable_file_is_reported(world: World) -> None:
    report = services.procedures_import(
        actor=fresh(world.user("sysadmin")), file_name="x.xlsx", content=b"not a workbook"
    )
    assert report.saved == 0 and report.rejected[0][2] == "Không đọc được tệp XLSX."


def test_review_computes_the_yearly_saving_from_the_years_dossiers(
    world: World, procedure: Procedure
) -> None:
    from tests.onestop.conftest import at

    agency = world.own("head")
    procedure.agency = agency
    procedure.save()
    for _ in range(3):
        make_dossier(agency, procedure, status=Status.RETURNED, received_at=at(2025, 6, 2, 9))
    make_dossier(agency, procedure, status=Status.RETURNED, received_at=at(2024, 6, 3, 9))
    review = services.procedure_review_create(
        actor=fresh(world.user("head")),
        procedure=procedure,
        year=2025,
        proposals="Bỏ yêu cầu nộp bản sao giấy chứng nhận kết hôn; giảm thời hạn còn 3 ngày.",
        proposed_days=Decimal(3),
        proposed_fee=50000,
        proposed_documents=2,
        cost_per_day=200000,
        cost_per_document=40000,
    )
    assert review.yearly_dossiers == 3
    # (2 days × 200,000 + 1 document × 40,000 + 25,000 fee) × 3 dossiers
    assert review.saving_per_dossier == 465000
    assert review.yearly_saving == 1395000
    assert ProcedureReview.objects.get().current_documents == 3
    html = client_for(world, "head").get(reverse("onestop:review-list")).content.decode()
    assert "1.395.000" in html
