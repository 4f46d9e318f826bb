"""Back-office and public pages: inbox (query count pinned), an item with its actions, reply
templates, the tracking page by code, the office home's widget."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from danvan.feedback import services
from danvan.feedback.models import Category, Feedback, ReplyTemplate, Status
from tests.feedback.conftest import Submit, item_in, png_bytes, upload
from tests.permissions import client_for, fresh
from tests.world import World


@pytest.fixture
def item(world: World, submit: Submit) -> Feedback:
    return item_in(
        submit,
        world.agencies["pc_a"],
        category=Category.LOCAL,
        unit=world.units["a1"],
        title="Cầu khỉ ấp Bình Thạnh xuống cấp",
        content="Cầu khỉ bắc qua rạch ấp Bình Thạnh đã mục nát, trẻ em đi học rất nguy hiểm.",
        sender_name="Lâm Văn Sáu",
        sender_phone="0939111222",
        uploads=[upload("cau.png", png_bytes())],
    )


def test_the_inbox_uses_a_fixed_number_of_queries(
    world: World, submit: Submit, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world, "head")
    client.get(reverse("feedback:inbox"))  # warm the session
    for n in range(15):
        item_in(submit, world.agencies["pc_a"], title=f"Phản ánh số {n}")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("feedback:inbox"), {"state": "open"})
    assert response.content.decode().count("/office/feedback/") >= 15


def test_the_inbox_filters_and_searches_without_diacritics(
    world: World, submit: Submit, item: Feedback
) -> None:
    other = item_in(submit, world.agencies["pc_a"], title="Thiếu đèn đường")
    client = client_for(world, "handler")
    body = client.get(reverse("feedback:inbox"), {"q": "cau khi"}).content.decode()
    assert item.code in body and other.code not in body
    body = client.get(reverse("feedback:inbox"), {"category": Category.LOCAL}).content.decode()
    assert item.code in body and other.code not in body


def test_the_head_sees_the_item_with_its_actions(world: World, item: Feedback) -> None:
    response = client_for(world, "head").get(reverse("feedback:detail", args=[item.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Giao cán bộ xử lý",
        "Chuyển cơ quan có thẩm quyền",
        "Soạn trả lời",
        "cau.png",
        "Lâm Văn Sáu",
    ):
        assert text in body, text
    assert "Duyệt trả lời" not in body  # nothing to approve yet


def test_a_front_desk_officer_sees_no_answer_form(world: World, item: Feedback) -> None:
    body = (
        client_for(world, "front_desk")
        .get(reverse("feedback:detail", args=[item.pk]))
        .content.decode()
    )
    assert "Giao cán bộ xử lý" in body and "Soạn trả lời" not in body


def test_a_reply_template_fills_the_answer(world: World, item: Feedback) -> None:
    template = ReplyTemplate.objects.create(
        category=Category.LOCAL,
        title="Khắc phục",
        body="{co_quan} đã nhận phản ánh {ma} ngày {ngay}.",
    )
    response = client_for(world, "handler").get(
        reverse("feedback:detail", args=[item.pk]), {"template": template.pk}
    )
    assert (
        f"Ủy ban nhân dân huyện An Phú đã nhận phản ánh {item.code} ngày"
        in response.content.decode()
    )


def test_the_answer_form_submits_and_the_head_approves(world: World, item: Feedback) -> None:
    handler, head = client_for(world, "handler"), client_for(world, "head")
    r = handler.post(
        reverse("feedback:answer", args=[item.pk]),
        {"text": "Huyện sẽ xây cầu bê tông trong quý II.", "action": "submit"},
    )
    assert r.status_code == 302
    page = head.get(reverse("feedback:detail", args=[item.pk])).content.decode()
    assert "Duyệt trả lời" in page
    r = head.post(
        reverse("feedback:approve", args=[item.pk]),
        {"text": "Huyện sẽ xây cầu bê tông trong quý II/2026.", "publish": "on"},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.ANSWERED and item.published_at is not None


def test_a_refused_step_shows_409_and_the_message(world: World, item: Feedback) -> None:
    services.feedback_answer(actor=fresh(world.user("handler")), item=item, text="Trả lời.")
    services.feedback_approve(actor=fresh(world.user("head")), item=item, publish=False)
    r = client_for(world, "head").post(
        reverse("feedback:transfer", args=[item.pk]),
        {"agency": world.agencies["justice"].pk, "reason": "Lý do"},
    )
    assert r.status_code == 409
    assert "Không thể chuyển phản ánh" in r.content.decode()


def test_merging_from_the_similar_list(world: World, submit: Submit, item: Feedback) -> None:
    twin = item_in(
        submit,
        world.agencies["pc_a"],
        category=Category.LOCAL,
        unit=world.units["a1"],
        title="Cầu khỉ Bình Thạnh sắp sập",
        content="Cầu khỉ ấp Bình Thạnh mục nát, xin làm cầu mới.",
    )
    client = client_for(world, "handler")
    page = client.get(reverse("feedback:detail", args=[twin.pk])).content.decode()
    assert f"Gộp vào {item.code}" in page
    r = client.post(reverse("feedback:merge", args=[twin.pk]), {"into": item.code})
    assert r.status_code == 302
    twin.refresh_from_db()
    assert twin.status == Status.MERGED and twin.duplicate_of == item


def test_templates_belong_to_the_agency_or_the_province(world: World) -> None:
    shared = ReplyTemplate.objects.create(category=Category.LOCAL, title="Chung", body="B")
    head = client_for(world, "head")
    assert head.get(reverse("feedback:template-edit", args=[shared.pk])).status_code == 403
    r = head.post(
        reverse("feedback:template-add"),
        {"category": Category.CONDUCT, "title": "Xin lỗi công dân", "body": "Cơ quan xin lỗi…"},
    )
    assert r.status_code == 302
    own = ReplyTemplate.objects.get(title="Xin lỗi công dân")
    assert own.agency == world.agencies["pc_a"]
    admin = client_for(world, "sysadmin")
    assert (
        admin.post(
            reverse("feedback:template-edit", args=[shared.pk]),
            {"category": Category.LOCAL, "title": "Chung (sửa)", "body": "B"},
        ).status_code
        == 302
    )
    assert admin.post(reverse("feedback:template-delete", args=[shared.pk])).status_code == 302
    page = head.get(reverse("feedback:templates")).content.decode()
    assert "Xin lỗi công dân" in page and "Chung (sửa)" not in page


def test_the_office_home_shows_the_deadlines_widget(world: World, item: Feedback) -> None:
    body = client_for(world, "head").get(reverse("shell:office-home")).content.decode()
    assert "Phản ánh, kiến nghị" in body and "Sắp đến hạn" in body


# --- public pages --------------------------------------------------------------------------------
def test_tracking_by_code_in_any_case(client: Client, item: Feedback) -> None:
    r = client.get(
        reverse("feedback-public:track-lookup"), {"code": item.code.lower().replace("-", " ")}
    )
    assert r.status_code == 302 and r["Location"] == reverse(
        "feedback-public:track", args=[item.code]
    )
    page = client.get(r["Location"]).content.decode()
    assert item.code in page and "Đã tiếp nhận" in page
    assert "Lâm Văn Sáu" not in page and "0939111222" not in page


def test_an_unknown_code_is_explained(client: Client, db: None) -> None:
    r = client.get(reverse("feedback-public:track-lookup"), {"code": "PA-0000-0000"})
    assert r.status_code == 404
    assert "Không tìm thấy phản ánh có mã này" in r.content.decode()
    assert client.get(reverse("feedback-public:track", args=["PA-0000-0000"])).status_code == 404


def test_the_tracking_page_shows_the_published_answer(
    client: Client, world: World, item: Feedback
) -> None:
    services.feedback_answer(
        actor=fresh(world.user("handler")), item=item, text="Huyện xây cầu mới."
    )
    services.feedback_approve(actor=fresh(world.user("head")), item=item)
    page = client.get(reverse("feedback-public:track", args=[item.code])).content.decode()
    assert "Huyện xây cầu mới." in page and "Đã trả lời" in page
