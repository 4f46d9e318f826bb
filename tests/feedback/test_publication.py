"""Publication: the answer goes on the public list with the sender's personal data removed —
never the name, address, phone or e-mail, not on the list, not on the detail page, not in the
public search, not through Open311 — and the question's content only with the sender's consent.
The list searches without diacritics and filters by category."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from danvan.core.models import SearchEntry
from danvan.feedback import selectors, services
from danvan.feedback.models import Category, Feedback
from danvan.feedback.redaction import MASK, redact
from tests.feedback.conftest import Submit, item_in
from tests.permissions import fresh
from tests.world import World

NAME = "Nguyễn Thị Hồng Đào"
ADDRESS = "Số 45 đường Đồng Khởi, phường Phú Khương"
PHONE = "0918765432"
EMAIL = "hongdao.nguyen@example.vn"


# --- redaction -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        f"Tôi là {NAME}, nhà ở {ADDRESS}.",
        "Tôi là NGUYEN THI HONG DAO.",
        "Tôi là nguyễn thị hồng đào, gọi 0918 765 432.",
        "Liên hệ: +84 918.765.432 hoặc hongdao.nguyen@example.vn",
        "Số CCCD 083195001234 của tôi",
        "Số CMND 321456789",
    ],
)
def test_redaction_removes_the_sender_and_anything_like_a_phone_or_id(text: str) -> None:
    out = redact(text, [NAME, ADDRESS, PHONE, EMAIL])
    for needle in (
        "Hồng Đào",
        "HONG DAO",
        "hồng đào",
        "765",
        "example.vn",
        "083195001234",
        "321456789",
        "Đồng Khởi",
    ):
        assert needle not in out
    assert MASK in out


def test_redaction_keeps_ordinary_text_and_dossier_codes() -> None:
    text = "Hồ sơ 000.00.31.H05-260302-0001 nộp ngày 02/3/2026 đã trễ 15 ngày, phí 50.000 đồng."
    assert redact(text, [NAME, PHONE]) == text


def test_a_common_word_inside_a_name_is_not_masked_elsewhere() -> None:
    assert redact("An ninh trật tự ở ấp An Hòa", ["Lê Văn An"]) == "An ninh trật tự ở ấp An Hòa"


# --- the published item --------------------------------------------------------------------------
@pytest.fixture
def leaky(world: World, submit: Submit) -> Feedback:
    """An item whose title, content and the draft answer all repeat the sender's data."""
    item = item_in(
        submit,
        world.agencies["pc_a"],
        category=Category.CONDUCT,
        title=f"Phản ánh của {NAME} về cán bộ địa chính",
        content=(
            f"Tôi là {NAME}, ở {ADDRESS}, điện thoại {PHONE}, thư {EMAIL}. Cán bộ địa chính "
            "đòi thêm tiền đất đai ngoài quy định khi tôi làm thủ tục."
        ),
        sender_name=NAME,
        sender_address=ADDRESS,
        sender_phone=PHONE,
        sender_email=EMAIL,
        publish_consent=True,
    )
    handler, head = fresh(world.user("handler")), fresh(world.user("head"))
    services.feedback_answer(
        actor=handler,
        item=item,
        text=f"Kính gửi bà {NAME} ({PHONE}): UBND huyện đã kiểm điểm cán bộ địa chính và xin lỗi bà.",
    )
    return services.feedback_approve(actor=head, item=item, publish=True)


PERSONAL = [
    NAME,
    "Hồng Đào",
    "Hong Dao",
    ADDRESS,
    "Đồng Khởi",
    PHONE,
    "0918",
    "765 432",
    EMAIL,
    "hongdao",
]


def _assert_clean(text: str) -> None:
    for needle in PERSONAL:
        assert needle.lower() not in text.lower(), needle


def test_the_published_text_has_no_personal_data(leaky: Feedback) -> None:
    for text in (leaky.public_title, leaky.public_content, leaky.public_answer):
        _assert_clean(text)
    assert "cán bộ địa chính" in leaky.public_answer


def test_personal_data_never_reaches_the_public_pages(client: Client, leaky: Feedback) -> None:
    pages = [
        client.get(reverse("feedback-public:list")),
        client.get(reverse("feedback-public:list"), {"q": "dia chinh"}),
        client.get(reverse("feedback-public:detail", args=[leaky.pk])),
        client.get(reverse("feedback-public:track", args=[leaky.code])),
        client.get("/open311/v2/requests.json"),
        client.get("/open311/v2/requests.xml"),
        client.get(f"/open311/v2/requests/{leaky.code}.json"),
    ]
    assert all(p.status_code == 200 for p in pages)
    for page in pages:
        _assert_clean(page.content.decode())
    assert leaky.public_title in pages[0].content.decode()


def test_the_public_search_cannot_find_an_item_by_the_senders_name(leaky: Feedback) -> None:
    assert selectors.public_list(q="Hong Dao").items == []
    assert selectors.public_list(q=PHONE).items == []
    assert selectors.public_list(q="dat dai").items == [leaky]
    body = SearchEntry.objects.get(kind="feedback.public", object_id=leaky.pk).body
    assert "dao" not in body.split()


def test_the_head_cannot_put_the_senders_data_back(world: World, leaky: Feedback) -> None:
    item = services.feedback_publish(
        actor=fresh(world.user("head")),
        item=leaky,
        public_title=f"Trả lời bà {NAME}",
        public_answer=f"Đã gọi bà theo số {PHONE} và gửi thư tới {EMAIL}.",
    )
    _assert_clean(item.public_title + item.public_answer)


def test_without_consent_the_question_is_not_published(world: World, submit: Submit) -> None:
    item = item_in(
        submit,
        world.agencies["pc_a"],
        title="Chậm cấp giấy chứng nhận",
        content="Nội dung riêng tư mà người gửi không muốn công khai, về chuyện gia đình.",
        publish_consent=False,
    )
    services.feedback_answer(actor=fresh(world.user("handler")), item=item, text="Đã xử lý xong.")
    item = services.feedback_approve(actor=fresh(world.user("head")), item=item)
    item = services.feedback_publish(
        actor=fresh(world.user("head")), item=item, public_content="Nội dung riêng tư"
    )
    assert item.public_content == ""
    assert item.public_answer == "Đã xử lý xong."


def test_unpublished_items_are_not_listed(world: World, submit: Submit, leaky: Feedback) -> None:
    pending = item_in(submit, world.agencies["pc_a"], title="Chưa trả lời")
    items = selectors.public_list().items
    assert leaky in items and pending not in items
    with pytest.raises(Exception, match="Không tìm thấy"):
        selectors.public_item(pending.pk)


# --- search and filter ---------------------------------------------------------------------------
@pytest.fixture
def published(world: World, submit: Submit) -> dict[str, Feedback]:
    out = {}
    samples = {
        "land": (
            Category.REGULATION,
            "Thủ tục đất đai rườm rà",
            "Giấy chứng nhận quyền sử dụng đất",
        ),
        "flood": (Category.LOCAL, "Ngập nước đường Nguyễn Huệ", "Đường ngập sau mưa lớn"),
        "conduct": (Category.CONDUCT, "Thái độ cán bộ tư pháp", "Cán bộ khó chịu khi đất đai"),
    }
    for key, (category, title, answer) in samples.items():
        extra = {}
        if category == Category.REGULATION:
            extra = {"sender_name": "Lê C", "sender_address": "Ấp 1", "sender_phone": "0909123123"}
        if category == Category.LOCAL:
            extra = {"unit": world.units["a1"]}
        item = item_in(submit, world.agencies["pc_a"], category=category, title=title, **extra)
        services.feedback_answer(actor=fresh(world.user("handler")), item=item, text=answer)
        out[key] = services.feedback_approve(actor=fresh(world.user("head")), item=item)
    return out


def test_the_search_ignores_diacritics(published: dict[str, Feedback]) -> None:
    assert set(selectors.public_list(q="dat dai").items) == {
        published["land"],
        published["conduct"],
    }
    assert selectors.public_list(q="ngap nuoc").items == [published["flood"]]
    assert selectors.public_list(q="NGẬP").items == [published["flood"]]
    assert selectors.public_list(q="khiếu nại: đất/2026").items == []


def test_the_category_filter_narrows_the_search(published: dict[str, Feedback]) -> None:
    assert selectors.public_list(q="dat dai", category=Category.CONDUCT).items == [
        published["conduct"]
    ]
    assert selectors.public_list(category=Category.LOCAL).items == [published["flood"]]


def test_newest_published_first(published: dict[str, Feedback]) -> None:
    assert selectors.public_list().items == [
        published["conduct"],
        published["flood"],
        published["land"],
    ]
    assert selectors.public_list(q="dat dai").items == [published["conduct"], published["land"]]


def test_the_list_pages(monkeypatch, published: dict[str, Feedback]) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "PUBLIC_PAGE_SIZE", 2)
    first, second = selectors.public_list(page=1), selectors.public_list(page=2)
    assert first.has_next and not first.has_previous and len(first.items) == 2
    assert second.items == [published["land"]] and not second.has_next
    assert selectors.public_list(q="dat dai", page=2).items == []


def test_the_public_list_page_uses_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries, published: dict[str, Feedback]
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(6):
        response = client.get(reverse("feedback-public:list"), {"q": "dat dai", "category": ""})
    assert response.status_code == 200
    with django_assert_max_num_queries(6):
        client.get(reverse("feedback-public:list"))


def test_open311_shows_the_published_answer_as_status_notes(
    client: Client, published: dict[str, Feedback]
) -> None:
    item = published["flood"]
    data = json.loads(client.get(f"/open311/v2/requests/{item.code}.json").content)
    assert data[0]["status"] == "closed"
    assert data[0]["status_notes"] == "Đường ngập sau mưa lớn"
