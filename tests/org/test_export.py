"""The first official document: agencies and their mobilisation leads as DOCX, PDF and XLSX."""

from __future__ import annotations

import io

import openpyxl
from django.test import Client
from django.utils import timezone
from docx import Document

from danvan.core.models import IssuedNumber
from danvan.org.models import Official
from tests.world import World


def test_committee_leader_exports_a_numbered_report_of_their_scope(world: World) -> None:
    agency = world.own("committee_leader")
    agency.mobilisation_lead = Official.objects.get(user=world.user("committee_leader"))
    agency.save()
    client = Client()
    client.force_login(world.user("committee_leader"))
    r = client.get("/office/agencies/export.docx")
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    header = doc.tables[0]
    left, right = header.rows[0].cells
    year = timezone.localdate().year
    assert "Ủy ban nhân dân tỉnh Thử Nghiệm".upper() in left.text
    assert "Ủy ban nhân dân huyện An Phú".upper() in left.text
    assert "Số: 01/BC-UBND" in left.text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right.text
    assert f"năm {year}" in right.text
    table = doc.tables[1]
    names = [row.cells[1].text for row in table.rows[1:]]
    assert names == ["Ủy ban nhân dân huyện An Phú", "Ủy ban nhân dân xã An Hòa"]  # scope: own unit
    assert table.rows[1].cells[3].text == "Võ Văn Chủ Tịch"
    assert table.rows[2].cells[3].text == "Chưa phân công"
    assert IssuedNumber.objects.get().symbol == "01/BC-UBND"
    # A second export takes the next number.
    client.get("/office/agencies/export.pdf")
    assert list(IssuedNumber.objects.order_by("number").values_list("symbol", flat=True)) == [
        "01/BC-UBND",
        "02/BC-UBND",
    ]


def test_xlsx_export_lists_the_leads(world: World) -> None:
    client = Client()
    client.force_login(world.user("home_affairs"))
    r = client.get("/office/agencies/export.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb.active
    assert ws.cell(row=3, column=2).value == "Cơ quan, đơn vị"
    agencies = {ws.cell(row=i, column=2).value for i in range(4, ws.max_row + 1)}
    assert len(agencies) == len(world.agencies)


def test_pdf_export_is_a_pdf(world: World) -> None:
    client = Client()
    client.force_login(world.user("sysadmin"))
    r = client.get("/office/agencies/export.pdf")
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
