"""Back-office screens: receiving at the counter, the dossier page and its steps, the forms in
print view, lists without N+1, the register and statistics downloads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from danvan.onestop.models import Dossier, Procedure, Status
from tests.onestop.conftest import at, make_dossier, receive
from tests.permissions import client_for
from tests.world import World

pytestmark = pytest.mark.django_db


def test_front_desk_receives_a_dossier_through_the_form(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    client = client_for(world, "front_desk")
    url = reverse("onestop:dossier-receive")
    page = client.get(url, {"procedure": procedure.code})
    assert "Giấy chứng sinh" in page.content.decode()
    docs = [str(d.pk) for d in procedure.documents.filter(required=True)]
    response = client.post(
        f"{url}?procedure={procedure.code}",
        {
            "applicant_name": "Võ Thị Sáu",
            "phone": "0901 222 333",
            "address": "Ấp Tân Lợi",
            "channel": "counter",
            "documents": docs,
        },
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("onestop:dossier-detail", args=[dossier.code])
    assert dossier.status == Status.RECEIVED and dossier.phone_last4 == "2333"
    detail = client.get(response["Location"]).content.decode()
    assert "Đã tiếp nhận hồ sơ" in detail
    assert "23/11/2026" in detail


def test_the_receive_form_shows_service_errors_on_the_field(
    world: World, procedure: Procedure
) -> None:
    client = client_for(world, "front_desk")
    response = client.post(
        f"{reverse('onestop:dossier-receive')}?procedure={procedure.code}",
        {"applicant_name": "A", "phone": "123", "address": "B", "channel": "counter"},
    )
    assert response.status_code == 200
    assert "Số điện thoại không hợp lệ" in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_detail_page_offers_only_allowed_steps(world: World, procedure: Procedure) -> None:
    dossier = receive(world, procedure, complete=False)
    page = client_for(world, "front_desk").get(
        reverse("onestop:dossier-detail", args=[dossier.code])
    )
    html = page.content.decode()
    assert 'id="action-request-supplement"' in html and 'id="action-refuse"' in html
    assert 'id="action-resolve"' not in html
    handler_page = client_for(world, "handler").get(
        reverse("onestop:dossier-detail", args=[dossier.code])
    )
    assert 'id="action-request-supplement"' not in handler_page.content.decode()


def test_a_second_supplement_request_shows_the_clear_message(
    world: World, procedure: Procedure
) -> None:
    dossier = receive(world, procedure, complete=False)
    client = client_for(world, "front_desk")
    url = reverse("onestop:dossier-action", args=[dossier.code, "request-supplement"])
    client.post(url, {"request-supplement-items": "Giấy chứng sinh"})
    client.post(
        reverse("onestop:dossier-action", args=[dossier.code, "supplement"]),
        {"supplement-other_documents": "Giấy khác"},
    )
    response = client.post(url, {"request-supplement-items": "Giấy chứng sinh"}, follow=True)
    assert "chỉ được thực hiện một lần" in response.content.decode()


def test_apology_through_the_form(world: World, procedure: Procedure, clock: Any) -> None:
    clock(at(2026, 11, 16, 9))
    dossier = receive(world, procedure)
    client_for(world, "front_desk").post(
        reverse("onestop:dossier-action", args=[dossier.code, "forward"]),
        {"forward-to_agency": dossier.agency_id, "forward-to_user": world.user("handler").pk},
    )
    clock(at(2026, 11, 19, 9))
    response = client_for(world, "handler").post(
        reverse("onestop:dossier-action", args=[dossier.code, "apologise"]),
        {
            "apologise-reason": "Chờ ý kiến cơ quan phối hợp",
            "apologise-new_due_date": "2026-11-27",
            "apologise-new_due_time": "10:00",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Đã lập phiếu xin lỗi" in html
    dossier.refresh_from_db()
    assert dossier.appointment_at == at(2026, 11, 27, 10)


def test_receipt_print_view_has_the_qr_code_of_the_public_look_up(
    world: World, procedure: Procedure
) -> None:
    dossier = receive(world, procedure)
    response = client_for(world, "front_desk").get(
        reverse("onestop:form-print", args=[dossier.code, "01"])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html
    assert 'src="data:image/svg+xml' in html
    assert f"/tra-cuu-ho-so/{dossier.code}/?t=" in html
    assert "style=" not in html and "<script>" not in html  # strict CSP


def test_form_that_the_dossier_does_not_have_is_404(world: World, procedure: Procedure) -> None:
    dossier = receive(world, procedure)
    client = client_for(world, "front_desk")
    assert client.get(reverse("onestop:form-print", args=[dossier.code, "03"])).status_code == 404
    assert (
        client.get(reverse("onestop:form-download", args=[dossier.code, "04", "pdf"])).status_code
        == 404
    )


def test_dossier_list_has_no_n_plus_one(
    world: World, procedure: Procedure, django_assert_max_num_queries: Any
) -> None:
    agency = world.own("front_desk")
    for status in (Status.RECEIVED, Status.PROCESSING, Status.RETURNED) * 10:
        make_dossier(
            agency, procedure, status=status, handling_agency=agency, handler=world.user("handler")
        )
    client = client_for(world, "head")
    client.get(reverse("onestop:dossier-list"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("onestop:dossier-list"))
    assert response.content.decode().count("/office/onestop/dossiers/") >= 25


def test_late_list_and_detail_have_no_n_plus_one(
    world: World, procedure: Procedure, django_assert_max_num_queries: Any
) -> None:
    agency = world.own("front_desk")
    past = at(2026, 1, 5, 9)
    dossiers = [
        make_dossier(
            agency,
            procedure,
            status=Status.PROCESSING,
            handling_agency=agency,
            due_at=past,
            appointment_at=past,
            handler=world.user("handler"),
        )
        for _ in range(20)
    ]
    client = client_for(world, "head")
    client.get(reverse("onestop:late-list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("onestop:late-list"))
    assert response.content.decode().count(dossiers[0].code[:-4]) >= 20
    with django_assert_max_num_queries(30):
        client.get(reverse("onestop:dossier-detail", args=[dossiers[0].code]))


def test_register_of_the_day_is_an_xlsx_of_that_days_dossiers(
    world: World, procedure: Procedure, clock: Any
) -> None:
    clock(at(2026, 11, 16, 9))
    first = receive(world, procedure)
    clock(at(2026, 11, 17, 9))
    receive(world, procedure)
    response = client_for(world, "front_desk").get(
        reverse("onestop:register"), {"day": "2026-11-16"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in ws.iter_rows(values_only=True) if r and r[1]]
    assert rows[0][1] == "Mã hồ sơ"
    assert [r[1] for r in rows[1:]] == [first.code]
    assert rows[1][4] == "Nguyễn Thị Hoa"


def test_statistics_page_and_xlsx(world: World, procedure: Procedure, clock: Any) -> None:
    clock(at(2026, 11, 16, 9))
    receive(world, procedure)
    receive(world, procedure, channel="online")
    client = client_for(world, "head")
    page = client.get(reverse("onestop:statistics"), {"start": "2026-11-01", "end": "2026-11-30"})
    assert page.status_code == 200
    assert "Ủy ban nhân dân huyện An Phú" in page.content.decode()
    xlsx = client.get(
        reverse("onestop:statistics-xlsx"), {"start": "2026-11-01", "end": "2026-11-30"}
    )
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [r for r in ws.iter_rows(values_only=True) if r and r[0]]
    assert rows[1][:5] == (
        "Đơn vị / lĩnh vực",
        "Tiếp nhận tại quầy",
        "Tiếp nhận trực tuyến",
        "Tiếp nhận qua bưu chính",
        "Tổng tiếp nhận",
    )
    assert rows[2][:5] == ("Ủy ban nhân dân huyện An Phú", 1, 1, 0, 2)


def test_tablet_rating_at_the_counter(world: World, procedure: Procedure) -> None:
    dossier = make_dossier(world.own("front_desk"), procedure, status=Status.RETURNED)
    client: Client = client_for(world, "front_desk")
    url = reverse("onestop:tablet-rating", args=[dossier.code])
    assert "Rất hài lòng" in client.get(url).content.decode()
    client.post(url, {"score": "4", "comment": "Nhanh"})
    dossier.refresh_from_db()
    assert dossier.rating.score == 4 and dossier.rating.channel == "tablet"
