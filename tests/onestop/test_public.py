"""Citizens' pages: the catalogue searched without diacritics, the look-up by code and the last
4 digits (no personal data; a wrong combination reveals nothing and is rate-limited), the QR
link of the receipt, and the rating (once per dossier)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danvan.onestop import services
from danvan.onestop.models import Procedure, Rating, Status
from danvan.onestop.selectors import LOOKUP_FAILURES
from tests.onestop.conftest import make_dossier, receive
from tests.world import World

pytestmark = pytest.mark.django_db


def test_catalogue_search_without_diacritics(procedure: Procedure) -> None:
    client = Client()
    for q in ("khai sinh", "KHAI SINH", "dang ky khai", "Đăng ký khai sinh", "giay chung sinh"):
        html = client.get(reverse("onestop-public:catalogue"), {"q": q}).content.decode()
        assert "Đăng ký khai sinh có yếu tố nước ngoài" in html, q
    html = client.get(reverse("onestop-public:catalogue"), {"q": "dat dai"}).content.decode()
    assert "Không tìm thấy thủ tục phù hợp" in html


def test_catalogue_filters_by_field_and_level(procedure: Procedure) -> None:
    client = Client()
    url = reverse("onestop-public:catalogue")
    assert procedure.name in client.get(url, {"field": procedure.field_id}).content.decode()
    assert procedure.name not in client.get(url, {"level": "province"}).content.decode()


def test_procedure_page_lists_documents_fees_and_legal_basis(procedure: Procedure) -> None:
    html = Client().get(reverse("onestop-public:procedure", args=[procedure.code])).content.decode()
    for text in (
        "Tờ khai đăng ký khai sinh",
        "75.000 đồng",
        "Luật Hộ tịch 2014",
        "5 ngày làm việc",
        "(nếu có)",
    ):
        assert text in html


def test_look_up_shows_status_and_date_but_no_personal_data(
    world: World, procedure: Procedure
) -> None:
    dossier = receive(world, procedure)
    response = Client().post(
        reverse("onestop-public:lookup"), {"code": dossier.code.lower(), "phone_last4": "5678"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert dossier.code in html and "Đã tiếp nhận" in html
    assert dossier.appointment_at is not None
    for secret in ("Nguyễn Thị Hoa", "0912345678", "Ấp 3", "083190001234"):
        assert secret not in html


def test_a_wrong_combination_reveals_nothing(world: World, procedure: Procedure) -> None:
    dossier = receive(world, procedure)
    client = Client()
    wrong_digits = client.post(
        reverse("onestop-public:lookup"), {"code": dossier.code, "phone_last4": "0000"}
    )
    unknown_code = client.post(
        reverse("onestop-public:lookup"), {"code": "UBND-A-990101-0001", "phone_last4": "5678"}
    )
    for response in (wrong_digits, unknown_code):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Không tìm thấy hồ sơ" in html
        assert procedure.name not in html


def test_look_ups_are_rate_limited_even_for_the_right_digits(
    world: World, procedure: Procedure
) -> None:
    dossier = receive(world, procedure)
    client = Client()
    url = reverse("onestop-public:lookup")
    for i in range(LOOKUP_FAILURES):
        client.post(url, {"code": f"UBND-A-990101-{i:04d}", "phone_last4": "1111"})
    response = client.post(url, {"code": dossier.code, "phone_last4": "5678"})
    assert response.status_code == 429
    assert "sai quá nhiều lần" in response.content.decode()
    assert procedure.name not in response.content.decode()
    # another address is not affected
    other = Client(REMOTE_ADDR="10.0.0.9").post(url, {"code": dossier.code, "phone_last4": "5678"})
    assert other.status_code == 200 and procedure.name in other.content.decode()


def test_guessing_one_code_from_many_addresses_is_limited_too(
    world: World, procedure: Procedure
) -> None:
    dossier = receive(world, procedure)
    url = reverse("onestop-public:lookup")
    for i in range(LOOKUP_FAILURES):
        Client(REMOTE_ADDR=f"10.0.1.{i}").post(
            url, {"code": dossier.code, "phone_last4": f"{i:04d}"}
        )
    assert (
        Client(REMOTE_ADDR="10.0.2.1")
        .post(url, {"code": dossier.code, "phone_last4": "5678"})
        .status_code
        == 429
    )


def test_the_qr_link_of_the_receipt_opens_the_dossier(world: World, procedure: Procedure) -> None:
    dossier = receive(world, procedure)
    url = services.public_lookup_url(dossier)
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = Client().get(f"/{path}")
    assert response.status_code == 200 and dossier.code in response.content.decode()
    forged = Client().get(reverse("onestop-public:lookup-code", args=[dossier.code]), {"t": "abc"})
    assert forged.status_code == 302 and forged["Location"] == reverse("onestop-public:lookup")


def test_rating_once_by_the_receipt_link(world: World, procedure: Procedure) -> None:
    dossier = make_dossier(world.own("front_desk"), procedure, status=Status.RETURNED)
    token = services.lookup_token(dossier.code)
    client = Client()
    page = client.get(reverse("onestop-public:lookup-code", args=[dossier.code]), {"t": token})
    assert "Rất không hài lòng" in page.content.decode()
    rate = reverse("onestop-public:rate", args=[dossier.code])
    response = client.post(rate, {"t": token, "score": "5", "comment": "Rất nhanh"}, follow=True)
    assert "Cảm ơn ông/bà đã đánh giá" in response.content.decode()
    again = client.post(rate, {"t": token, "score": "1"}, follow=True)
    assert "chỉ đánh giá một lần" in again.content.decode()
    assert Rating.objects.get(dossier=dossier).score == 5
    assert client.post(rate, {"t": "forged", "score": "1"}).status_code == 404


def test_public_pages_need_no_javascript_and_no_inline_code(
    world: World, procedure: Procedure
) -> None:
    client: Any = Client()
    for url in (
        reverse("onestop-public:catalogue"),
        reverse("onestop-public:procedure", args=[procedure.code]),
        reverse("onestop-public:lookup"),
    ):
        html = client.get(url).content.decode()
        assert "<script>" not in html and ' style="' not in html
        assert 'lang="vi"' in html
