"""The public pages of consultations without a browser: commenting on a section (named and with a
phone check), following, the published report; and the back office's moderation and answers."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from danvan.consultations import services
from danvan.consultations.models import Comment, CommentStatus, ConsultationStatus, IdentityLevel
from danvan.core.models import OutboxMessage
from tests.consultations.conftest import make_consultation
from tests.permissions import client_for
from tests.world import World

pytestmark = pytest.mark.django_db


def test_a_citizen_comments_on_article_3_by_name(world: World) -> None:
    c = make_consultation(world)
    article = c.sections.get(number="Điều 3")
    client = Client()
    page = client.get(reverse("consultations-public:detail", args=[c.pk])).content.decode()
    assert "Điều 3. Trách nhiệm của Ủy ban nhân dân cấp xã" in page
    url = reverse("consultations-public:comment", args=[c.pk])
    form = client.get(f"{url}?phan={article.pk}").content.decode()
    assert f'<option value="{article.pk}" selected>' in form
    bad = client.post(url, {"section": article.pk, "body": "Ngắn", "author_name": "", "phone": ""})
    assert bad.status_code == 422 and "Có lỗi cần sửa" in bad.content.decode()
    r = client.post(
        url,
        {
            "section": article.pk,
            "body": "Đề nghị quy định rõ thời hạn 10 ngày.",
            "author_name": "Nguyễn Văn Dân",
            "phone": "0912 345 678",
            "follow": "on",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith(f"#phan-{article.pk}")
    x = Comment.objects.get()
    assert x.section == article and x.phone == "0912345678" and x.status == CommentStatus.PENDING
    assert c.followers.get().recipient == "0912345678"


def test_an_anonymous_comment_goes_through_the_sms_code(world: World) -> None:
    c = make_consultation(world, identity_level=IdentityLevel.ANONYMOUS_PHONE)
    client = Client()
    url = reverse("consultations-public:comment", args=[c.pk])
    assert "Bước 1: Xác minh số điện thoại" in client.get(url).content.decode()
    phone_url = reverse("consultations-public:phone", args=[c.pk])
    client.post(phone_url, {"action": "send", "phone": "0912345678"})
    code = re.search(r"\b(\d{6})\b", OutboxMessage.objects.get().body).group(1)  # type: ignore[union-attr]
    assert "Mã xác minh" in client.get(url).content.decode()
    client.post(phone_url, {"action": "confirm", "code": code})
    page = client.get(url).content.decode()
    assert "Số điện thoại đã xác minh: 0912345678" in page
    r = client.post(url, {"body": "Góp ý ẩn danh cho toàn bộ dự thảo."})
    assert r.status_code == 302
    assert Comment.objects.get().phone_verified
    # Another visitor (another session) is not verified.
    assert "Bước 1" in Client().get(url).content.decode()


def test_moderation_answers_and_publication_through_the_back_office(world: World) -> None:
    c = make_consultation(world)
    x = services.comment_submit(
        actor=None,
        consultation=c,
        body="Đề nghị bổ sung thời hạn trả lời.",
        author_name="Dân",
        phone="0912345678",
        section=c.sections.get(number="Điều 3"),
    )
    handler, head = client_for(world, "handler"), client_for(world, "head")
    handler.post(reverse("consultations:moderate", args=[x.pk]), {"decision": "publish"})
    handler.post(reverse("consultations:close", args=[c.pk]))
    r = handler.post(
        reverse("consultations:respond", args=[x.pk]),
        {"outcome": "accepted", "text": "Tiếp thu, bổ sung khoản 3."},
    )
    assert r.status_code == 302
    head.post(
        reverse("consultations:issue-report", args=[c.pk]),
        {"signer": "Phạm Văn Trưởng", "signer_position": "Chủ tịch"},
    )
    head.post(reverse("consultations:publish", args=[c.pk]), {"final_text": "Văn bản hoàn chỉnh."})
    c.refresh_from_db()
    assert c.status == ConsultationStatus.PUBLISHED and c.report_symbol == "01/BC-UBND"
    public = Client().get(reverse("consultations-public:detail", args=[c.pk])).content.decode()
    assert "Tiếp thu, bổ sung khoản 3." in public and "0912345678" not in public
    docx = Client().get(reverse("consultations-public:report", args=[c.pk, "docx"]))
    text = "\n".join(
        cell.text
        for t in Document(io.BytesIO(docx.content)).tables
        for row in t.rows
        for cell in row.cells
    )
    assert "Đề nghị bổ sung thời hạn trả lời." in text and "Tiếp thu, bổ sung khoản 3." in text


def test_public_pages_have_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    c = make_consultation(world)
    for i in range(6):
        x = services.comment_submit(
            actor=None,
            consultation=c,
            body=f"Góp ý số {i} về dự thảo.",
            author_name="Dân",
            phone="0912345678",
            section=c.sections.order_by("order")[i % 5],
        )
        services.comment_moderate(actor=world.user("handler"), comment=x, publish=True)
    for i in range(3):
        make_consultation(world, title=f"Dự thảo khác {i}")
    client = Client()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("consultations-public:list")).status_code == 200
    with django_assert_max_num_queries(10):
        body = client.get(reverse("consultations-public:detail", args=[c.pk])).content.decode()
    assert body.count('data-testid="comment"') == 6


def test_the_office_home_shows_pending_comments_and_overdue_commitments(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from danvan.dialogues import services as dialogue_services

    c = make_consultation(world)
    services.comment_submit(
        actor=None,
        consultation=c,
        body="Đề nghị sửa điều 3 của dự thảo.",
        author_name="Dân",
        phone="0912345678",
    )
    start = timezone.now() - timedelta(days=10)
    d = dialogue_services.dialogue_schedule(
        actor=world.user("committee_leader"),
        agency=world.own("committee_leader"),
        topic="Đối thoại",
        host_name="Chủ tịch",
        place="Hội trường",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    dialogue_services.commitment_add(
        actor=world.user("committee_leader"),
        dialogue=d,
        owner=world.own("handler"),
        description="Sửa đèn",
        due_on=timezone.localdate() - timedelta(days=1),
    )
    body = client_for(world, "handler").get("/office/").content.decode()
    assert re.search(r'data-testid="consultations-pending">1<', body)
    assert re.search(r'data-testid="commitments-overdue">1<', body)
    other = client_for(world, "home_affairs").get("/office/").content.decode()
    assert "consultations-pending" not in other  # not an organiser
    assert re.search(r'data-testid="commitments-overdue">1<', other)  # province-wide view


def test_the_draft_file_is_downloadable_from_the_public_page(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.consultations.drafts import legal_draft_docx

    c = make_consultation(world, open_it=False)
    content = legal_draft_docx()
    services.sections_import_docx(
        actor=world.user("handler"),
        consultation=c,
        upload=SimpleUploadedFile("du-thao.docx", content),
    )
    client = Client()
    assert client.get(reverse("consultations-public:detail", args=[c.pk])).status_code == 404
    services.consultation_open(actor=world.user("handler"), consultation=c)
    page = client.get(reverse("consultations-public:detail", args=[c.pk])).content.decode()
    link = re.search(r'href="(/gop-y-du-thao/\d+/tep/\d+/)">du-thao.docx', page).group(1)  # type: ignore[union-attr]
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment;")
