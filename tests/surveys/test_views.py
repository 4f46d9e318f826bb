"""The pages: answering by link, public link and kiosk (as a browser without JavaScript would
post them), the kiosk's JSON endpoint, the back office, the results and the XLSX export."""

from __future__ import annotations

import io
import json
import uuid
from datetime import date
from typing import Any

import pytest
from django.core import signing
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from danvan.surveys import services
from danvan.surveys.models import Invitation, Question, Questionnaire, Response
from danvan.surveys.views.public import STARTED_SALT
from tests.permissions import client_for
from tests.surveys.conftest import GOOD, Survey

FORM = {f"q-{k}": v for k, v in GOOD.items()}


def _started(seconds_ago: int = 60) -> str:
    import time

    return signing.dumps(int(time.time()) - seconds_ago, salt=STARTED_SALT)


# --- answering by one-time link --------------------------------------------------------------------
def test_answering_by_link_once(survey: Survey) -> None:
    issued = services.invitation_create(actor=None, agency=survey.own)
    assert issued is not None
    url = reverse("surveys-public:invitation", args=[issued.token])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ủy ban nhân dân huyện An Phú" in html and 'name="q-A1"' in html
    assert "<script" not in html.split("</main>")[0]  # the citizen page itself needs no script
    response = client.post(url, {**FORM, "q-KENH": ["cong", "khac"]})
    assert response.status_code == 302 and "/khao-sat/cam-on/" in response["Location"]
    assert Response.objects.get().answers.count() == 4
    again = client.get(url)
    assert again.status_code == 409
    assert "Phiếu khảo sát này đã được trả lời" in again.content.decode()


def test_an_invalid_answer_comes_back_with_the_errors_and_the_answers_kept(survey: Survey) -> None:
    issued = services.invitation_create(actor=None, agency=survey.own)
    assert issued is not None
    url = reverse("surveys-public:invitation", args=[issued.token])
    page = Client().post(
        url, {"q-A1": "5", "q-SOLAN": "abc", "contact_consent": "1", "contact_name": ""}
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#q-C1-1"' in html and "Vui lòng trả lời câu hỏi bắt buộc này." in html
    assert "Vui lòng nhập một số (ví dụ 2)." in html
    assert 'value="5" checked' in html  # A1 kept
    assert "vui lòng ghi họ và tên" in html
    assert Invitation.objects.get().used_at is None


def test_unknown_link(survey: Survey) -> None:
    page = Client().get(reverse("surveys-public:invitation", args=["khong-co-ma-nay"]))
    assert page.status_code == 404
    assert "Đường dẫn khảo sát không đúng" in page.content.decode()


# --- public link -----------------------------------------------------------------------------------
def test_public_link_with_its_abuse_checks(survey: Survey) -> None:
    url = reverse("surveys-public:agency", args=["UBND-A"])
    client = Client()
    html = client.get(url).content.decode()
    assert 'name="website"' in html and 'name="started"' in html
    bot = client.post(url, {**FORM, "website": "http://spam", "started": _started()})
    assert bot.status_code == 400
    fast = client.post(url, {**FORM, "started": _started(0)})
    assert fast.status_code == 400 and "quá nhanh" in fast.content.decode()
    ok = client.post(url, {**FORM, "started": _started(), "field": "Hộ tịch"})
    assert ok.status_code == 302
    assert Response.objects.get().channel == "public"


@override_settings(SURVEYS_PUBLIC_PER_SOURCE_HOUR=1)
def test_public_link_rate_limit_page(survey: Survey) -> None:
    url = reverse("surveys-public:agency", args=["UBND-A"])
    client = Client(REMOTE_ADDR="198.51.100.4")
    assert client.post(url, {**FORM, "started": _started()}).status_code == 302
    limited = client.post(url, {**FORM, "started": _started()})
    assert limited.status_code == 429
    assert "thử lại sau một giờ" in limited.content.decode()


def test_public_link_of_an_agency_without_survey(survey: Survey) -> None:
    page = Client().get(reverse("surveys-public:agency", args=["STP"]))
    assert page.status_code == 404
    assert "Sở Tư pháp không có đợt khảo sát" in page.content.decode()


# --- kiosk -----------------------------------------------------------------------------------------
@pytest.fixture
def kiosk(survey: Survey) -> Any:
    return services.kiosk_create(
        actor=survey.world.user("front_desk"), agency=survey.own, name="Quầy 1"
    )


def test_kiosk_without_javascript_posts_and_comes_back_empty(survey: Survey, kiosk: Any) -> None:
    url = reverse("surveys-public:kiosk", args=[kiosk.key])
    client = Client()
    html = client.get(url).content.decode()
    assert 'id="kiosk-form"' in html and "surveys/kiosk.js" in html
    assert 'data-idle-seconds="90"' in html
    assert "contact_consent" not in html  # anonymous at the counter
    done = client.post(url, FORM)
    assert done.status_code == 302 and done["Location"].endswith("?xong=1")
    after = client.get(done["Location"]).content.decode()
    assert "Cảm ơn ông/bà đã đánh giá!" in after and "checked" not in after
    assert Response.objects.get().kiosk == kiosk


def test_kiosk_json_endpoint(survey: Survey, kiosk: Any) -> None:
    url = reverse("surveys-public:kiosk-submit", args=[kiosk.key])
    client = Client(enforce_csrf_checks=True)
    cid = str(uuid.uuid4())
    body = {"client_id": cid, "answered_at": "2026-03-17T10:00:00+07:00", "answers": GOOD}
    first = client.post(url, json.dumps(body), content_type="application/json")
    assert first.status_code == 201 and first.json()["created"] is True
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert again.status_code == 200 and again.json()["created"] is False
    bad = client.post(
        url,
        json.dumps({**body, "client_id": str(uuid.uuid4()), "answers": {"A1": "9"}}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["errors"]["A1"].startswith("Vui lòng chọn một mức")
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert Response.objects.get().answered_on == date(2026, 3, 17)
    unknown = client.post(
        reverse("surveys-public:kiosk-submit", args=["x"]),
        json.dumps(body),
        content_type="application/json",
    )
    assert unknown.status_code == 404


def test_unknown_kiosk_is_404(survey: Survey) -> None:
    assert Client().get(reverse("surveys-public:kiosk", args=["khong-co"])).status_code == 404


# --- back office -----------------------------------------------------------------------------------
def test_building_a_questionnaire_in_the_back_office(survey: Survey) -> None:
    client = client_for(survey.world, "home_affairs")
    r = client.post(reverse("surveys:questionnaire-create"), {"code": "moi", "title": "Phiếu mới"})
    q = Questionnaire.objects.get(code="moi")
    assert r.status_code == 302
    client.post(
        reverse("surveys:section-add", args=[q.pk]),
        {"element": "officials", "title": "Công chức", "in_index": "on"},
    )
    section = q.sections.get()
    r = client.post(
        reverse("surveys:question-add", args=[q.pk]),
        {
            "section": section.pk,
            "code": "CC1",
            "kind": "scale",
            "text": "Lịch sự",
            "required": "on",
        },
    )
    assert r.status_code == 302
    r = client.post(
        reverse("surveys:question-add", args=[q.pk]),
        {
            "section": section.pk,
            "code": "CC1",
            "kind": "scale",
            "text": "Trùng",
        },
    )
    assert r.status_code == 422 and "“CC1” đã có trong phiếu này" in r.content.decode()
    r = client.post(
        reverse("surveys:question-add", args=[q.pk]),
        {
            "section": section.pk,
            "code": "K",
            "kind": "single",
            "text": "Kênh",
            "choices": "a | Cổng | Portal\nb | Niêm yết",
        },
    )
    assert list(Question.objects.get(code="K").choices.values_list("code", "label_en")) == [
        ("a", "Portal"),
        ("b", ""),
    ]
    question = Question.objects.get(code="CC1")
    r = client.post(
        reverse("surveys:question-edit", args=[question.pk]),
        {
            "section": section.pk,
            "code": "CC1",
            "kind": "scale",
            "text": "Lịch sự, tôn trọng",
            "text_en": "Polite",
            "allow_na": "on",
        },
    )
    question.refresh_from_db()
    assert (question.text, question.allow_na, question.required) == (
        "Lịch sự, tôn trọng",
        True,
        False,
    )
    client.post(reverse("surveys:questionnaire-action", args=[q.pk, "publish"]))
    q.refresh_from_db()
    assert q.status == "published"
    page = client.get(reverse("surveys:questionnaire-detail", args=[q.pk])).content.decode()
    assert "Tạo phiên bản mới để sửa" in page
    preview = client.get(reverse("surveys:questionnaire-preview", args=[q.pk]))
    assert preview.status_code == 200 and "Lịch sự, tôn trọng" in preview.content.decode()


def test_the_ready_sipas_questionnaire_as_a_draft(survey: Survey) -> None:
    client = client_for(survey.world, "home_affairs")
    r = client.post(reverse("surveys:questionnaire-sipas"))
    q = Questionnaire.objects.get(code="sipas")
    assert r.status_code == 302 and r["Location"].endswith(f"/questionnaires/{q.pk}/")
    assert (q.status, q.version, q.questions.count(), q.sections.count()) == ("draft", 1, 25, 6)
    assert q.questions.filter(kind="scale").count() == 20
    client.post(reverse("surveys:questionnaire-action", args=[q.pk, "publish"]))
    q.refresh_from_db()
    assert q.status == "published"
    assert (
        client_for(survey.world, "head").post(reverse("surveys:questionnaire-sipas")).status_code
        == 403
    )


def test_running_a_campaign_in_the_back_office(survey: Survey) -> None:
    client = client_for(survey.world, "home_affairs")
    r = client.post(
        reverse("surveys:campaign-create"),
        {
            "title": "Khảo sát quý II",
            "questionnaire": survey.questionnaire.pk,
            "agency": survey.world.agencies["home_affairs"].pk,
            "starts_on": "01/04/2026",
            "ends_on": "30/06/2026",
            "margin": "0.05",
            "allow_public_link": "on",
        },
    )
    assert r.status_code == 302
    campaign = survey.campaign.__class__.objects.get(title="Khảo sát quý II")
    r = client.post(
        reverse("surveys:participant-set", args=[campaign.pk]),
        {"agency": survey.world.agencies["justice"].pk, "population": "1000"},
    )
    page = client.get(reverse("surveys:campaign-detail", args=[campaign.pk])).content.decode()
    assert "286" in page and "/khao-sat/co-quan/STP/" in page
    client.post(reverse("surveys:campaign-action", args=[campaign.pk, "open"]))
    campaign.refresh_from_db()
    assert campaign.status == "open"


def test_paper_entry_page(survey: Survey) -> None:
    client = client_for(survey.world, "front_desk")
    url = reverse("surveys:paper-entry", args=[survey.campaign.pk])
    page = client.get(url)
    assert page.status_code == 200
    participant = survey.participant(survey.own)
    r = client.post(
        url,
        {"participant": participant.pk, "answered_on": "02/03/2026", "paper_ref": "P-1", **FORM},
    )
    assert r.status_code == 302
    dup = client.post(
        url,
        {"participant": participant.pk, "answered_on": "02/03/2026", "paper_ref": "P-1", **FORM},
    )
    assert (
        dup.status_code == 422
        and "Phiếu giấy số “P-1” của cơ quan này đã được nhập" in dup.content.decode()
    )
    response = Response.objects.get()
    assert response.entered_by == survey.world.user("front_desk")
    listed = client.get(url).content.decode()
    assert "P-1" in listed and "Lê Thị Một Cửa" in listed
    head = client_for(survey.world, "head")
    head.post(reverse("surveys:response-void", args=[response.pk]), {"reason": "Nhập nhầm"})
    response.refresh_from_db()
    assert response.voided_at is not None


def test_invitation_page_shows_a_qr_slip(survey: Survey) -> None:
    client = client_for(survey.world, "front_desk")
    r = client.post(
        reverse("surveys:invitation-create"), {"agency": survey.own.pk, "subject_id": "HS-1"}
    )
    html = r.content.decode()
    assert r.status_code == 200 and 'src="data:image/svg+xml' in html
    assert "/khao-sat/phieu/" in html
    again = client.post(
        reverse("surveys:invitation-create"), {"agency": survey.own.pk, "subject_id": "HS-1"}
    )
    assert again.status_code == 409 and "đã được mời" in again.content.decode()


def _some_answers(survey: Survey, n: int = 3) -> None:
    for i in range(n):
        services.response_enter_paper(
            actor=survey.organiser,
            participant=survey.participant(survey.own if i % 2 == 0 else survey.other),
            answers={"A1": str(5 - i % 3), "A2": "na", "C1": "4", "GY": "=SUM(A1:A3)"},
            answered_on=date(2026, 2, 1 + i),
            field="Hộ tịch",
        )


def test_campaign_list_and_results_pages_have_a_fixed_query_count(
    survey: Survey, django_assert_max_num_queries: Any
) -> None:
    _some_answers(survey, 6)
    client = client_for(survey.world, "home_affairs")
    client.get(reverse("surveys:home"))  # warm the session
    with django_assert_max_num_queries(12):
        page = client.get(reverse("surveys:home"))
    assert "Khảo sát năm 2026" in page.content.decode()
    url = reverse("surveys:campaign-results", args=[survey.campaign.pk])
    # three index computations (agencies, pooled, monthly trend), each a fixed number of queries
    # plus its cache look-up and store; the number does not grow with agencies or answers
    with django_assert_max_num_queries(45):
        results = client.get(url)
    with django_assert_max_num_queries(16):  # the indices again, from the cache
        client.get(url)
    html = results.content.decode()
    assert results.status_code == 200 and '<svg class="chart"' in html
    assert "Chưa đạt cỡ mẫu" in html
    by_field = client.get(
        reverse("surveys:campaign-results", args=[survey.campaign.pk]), {"by_field": "on"}
    )
    assert "Hộ tịch" in by_field.content.decode()
    one = client.get(
        reverse("surveys:campaign-results", args=[survey.campaign.pk]), {"agency": survey.own.pk}
    )
    assert "Chi tiết: Ủy ban nhân dân huyện An Phú" in one.content.decode()


def test_xlsx_export_has_indices_and_anonymised_answers(survey: Survey) -> None:
    _some_answers(survey, 3)
    token_issued = services.invitation_create(actor=None, agency=survey.own)
    assert token_issued is not None
    services.response_submit_by_token(
        token=token_issued.token,
        answers=GOOD,
        contact=services.Contact(name="Trần Thị Bí Mật", phone="0912000111"),
    )
    client = client_for(survey.world, "home_affairs")
    r = client.get(reverse("surveys:campaign-export", args=[survey.campaign.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Chỉ số", "Theo câu hỏi", "Theo lĩnh vực", "Phiếu (ẩn danh)"]
    index = wb["Chỉ số"]
    header = [c.value for c in index[3]]
    assert header[:5] == [
        "Cơ quan",
        "Lĩnh vực",
        "Số phiếu hợp lệ",
        "Cỡ mẫu cần đạt",
        "Chỉ số hài lòng chung (%)",
    ]
    rows = {row[0]: row for row in index.iter_rows(min_row=4, values_only=True)}
    # A: R0 A1=5 C1=4; R2 A1=3 C1=4; link A1=5 A2=4 C1=4 → A1 2/3, A2 1/1 → access 5/6; C1 1 → 11/12
    assert rows["Ủy ban nhân dân huyện An Phú"][2:5] == (3, 10, 91.67)
    assert rows["Toàn bộ"][2] == 4
    raw = wb["Phiếu (ẩn danh)"]
    values = [c for row in raw.iter_rows(values_only=True) for c in row if c is not None]
    text = " ".join(str(v) for v in values)
    assert "Bí Mật" not in text and "0912000111" not in text
    assert "=SUM(A1:A3)" in values  # text typed by people stays text
    raw_header = [c.value for c in raw[3]]
    assert raw_header[:5] == ["STT", "Cơ quan", "Kênh", "Ngày trả lời", "Lĩnh vực"]
    assert "Không áp dụng, không có ý kiến" in values
    latest = client.get(reverse("surveys:export"))
    assert latest.status_code == 200


# --- public results --------------------------------------------------------------------------------
def test_results_are_public_only_once_published(survey: Survey) -> None:
    _some_answers(survey, 3)
    url = reverse("surveys-public:results-detail", args=[survey.campaign.pk])
    assert Client().get(url).status_code == 404
    services.campaign_publish_results(
        actor=survey.organiser, campaign=survey.campaign, published=True
    )
    page = Client().get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Ủy ban nhân dân huyện An Phú" in html
    assert '<svg class="chart"' in html and "<script" not in html.split("</main>")[0]
    detail = Client().get(
        reverse("surveys-public:results-agency", args=[survey.campaign.pk, "UBND-A"])
    )
    assert detail.status_code == 200 and 'data-testid="agency-index"' in detail.content.decode()
    listing = Client().get(reverse("surveys-public:results")).content.decode()
    assert "Khảo sát năm 2026" in listing


def test_english_pages_use_english_texts(survey: Survey) -> None:
    issued = services.invitation_create(actor=None, agency=survey.own)
    assert issued is not None
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("surveys-public:invitation", args=[issued.token])).content.decode()
    assert ">Test<" in html or "Test</h1>" in html
    assert "1. Clean" in html
