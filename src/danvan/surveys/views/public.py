"""Citizens' pages: answer by one-time link (QR code), by an agency's public link, at the counter
kiosk; the published results. Every page works without JavaScript on a 360 px phone; the kiosk
adds a small script (static/surveys/kiosk.js) for the offline queue and the inactivity reset."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from danvan.core.calendar import as_local
from danvan.core.errors import ApplicationError, ValidationFailed
from danvan.core.middleware import client_ip
from danvan.org.models import Agency
from danvan.shell.registry import Period
from danvan.surveys import services
from danvan.surveys.charts import Bar, bar_chart, line_chart
from danvan.surveys.forms import answers_from, contact_from, questionnaire_view
from danvan.surveys.models import Campaign, CampaignStatus
from danvan.surveys.selectors import (
    open_agencies,
    open_participant,
    published_campaigns,
    questions_of,
    satisfaction_indices,
    satisfaction_trend,
)

ERR_TOO_FAST = gettext_noop(
    "Phiếu được gửi quá nhanh so với thời gian cần để đọc câu hỏi. Vui lòng xem lại và gửi lại."
)
ERR_BOT = gettext_noop("Không nhận được phiếu này. Vui lòng tải lại trang và thử lại.")
STARTED_SALT = "surveys.public-form"


def _error_page(
    request: HttpRequest, exc: ApplicationError, agency: Agency | None = None
) -> HttpResponse:
    return render(
        request,
        "surveys/public/unavailable.html",
        {"message": exc.message, "code": exc.code, "agency": agency},
        status=exc.status,
    )


def _form_page(
    request: HttpRequest,
    *,
    template: str,
    questions: list[Any],
    context: dict[str, Any],
    values: dict[str, Any] | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = dict(error.details.get("errors", {})) if error else {}
    contact_errors = {k: v for k, v in errors.items() if k.startswith("contact_")}
    return render(
        request,
        template,
        {
            **context,
            "view": questionnaire_view(questions, values, errors),
            "form_error": error.message if error else "",
            "contact_errors": contact_errors,
            "posted": request.POST if request.method == "POST" else {},
            "started": signing.dumps(int(time.time()), salt=STARTED_SALT),
        },
        status=status,
    )


def home(request: HttpRequest) -> HttpResponse:
    """The surveys' public page: where to answer, and the published results."""
    today = timezone.localdate()
    return render(
        request,
        "surveys/public/home.html",
        {"open": list(open_agencies(today)), "campaigns": list(published_campaigns()[:10])},
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page the receipt's QR code (or the SMS) opens: one questionnaire, answered once."""
    try:
        inv = services.invitation_check(services.invitation_for_token(token))
    except ApplicationError as exc:
        return _error_page(request, exc)
    campaign = inv.campaign
    questions = questions_of(campaign.questionnaire)
    context = {
        "campaign": campaign,
        "agency": inv.agency,
        "questionnaire": campaign.questionnaire,
        "action": request.path,
        "expires_at": inv.expires_at,
        "allow_contact": True,
    }
    if request.method != "POST":
        return _form_page(
            request, template="surveys/public/answer.html", questions=questions, context=context
        )
    values = answers_from(questions, request.POST)
    try:
        services.response_submit_by_token(
            token=token, answers=values, contact=contact_from(request.POST)
        )
    except ValidationFailed as exc:
        return _form_page(
            request,
            template="surveys/public/answer.html",
            questions=questions,
            context=context,
            values=values,
            error=exc,
            status=422,
        )
    except ApplicationError as exc:
        return _error_page(request, exc, inv.agency)
    return redirect(f"{reverse('surveys-public:thanks')}?co-quan={inv.agency.code}")


def _check_human(request: HttpRequest) -> str:
    """Cheap checks against scripted floods of the public link: a honeypot field people leave
    empty, and a minimum time between showing the form and sending it."""
    if request.POST.get("website", ""):
        return _(ERR_BOT)
    try:
        started = signing.loads(request.POST.get("started", ""), salt=STARTED_SALT, max_age=86400)
    except signing.BadSignature:
        return _(ERR_BOT)
    if time.time() - int(started) < getattr(settings, "SURVEYS_MIN_FILL_SECONDS", 2):
        return _(ERR_TOO_FAST)
    return ""


def agency_form(request: HttpRequest, code: str) -> HttpResponse:
    """The public link of an agency (posted at the counter, on its website)."""
    agency = get_object_or_404(Agency, code=code, is_active=True)
    participant = open_participant(agency, timezone.localdate())
    if participant is None or not participant.campaign.allow_public_link:
        exc = ApplicationError(
            _(services.ERR_NO_SURVEY).format(agency=agency.name)
            if participant is None
            else _(services.ERR_PUBLIC_OFF),
            code="no_survey",
        )
        exc.status = 404
        return _error_page(request, exc, agency)
    campaign = participant.campaign
    questions = questions_of(campaign.questionnaire)
    context = {
        "campaign": campaign,
        "agency": agency,
        "questionnaire": campaign.questionnaire,
        "action": request.path,
        "public_link": True,
        "allow_contact": True,
    }
    if request.method != "POST":
        return _form_page(
            request, template="surveys/public/answer.html", questions=questions, context=context
        )
    values = answers_from(questions, request.POST)
    problem = _check_human(request)
    if problem:
        return _form_page(
            request,
            template="surveys/public/answer.html",
            questions=questions,
            context=context,
            values=values,
            error=ValidationFailed(problem),
            status=400,
        )
    try:
        services.response_submit_public(
            agency=agency,
            answers=values,
            client_ip=client_ip(request),
            contact=contact_from(request.POST),
            field=request.POST.get("field", ""),
        )
    except ValidationFailed as exc:
        return _form_page(
            request,
            template="surveys/public/answer.html",
            questions=questions,
            context=context,
            values=values,
            error=exc,
            status=422,
        )
    except ApplicationError as exc:
        return _error_page(request, exc, agency)
    return redirect(f"{reverse('surveys-public:thanks')}?co-quan={agency.code}")


def thanks(request: HttpRequest) -> HttpResponse:
    agency = Agency.objects.filter(code=request.GET.get("co-quan", "")).first()
    return render(request, "surveys/public/thanks.html", {"agency": agency})


# --- kiosk -------------------------------------------------------------------------------------------
def kiosk(request: HttpRequest, key: str) -> HttpResponse:
    """The counter tablet: anonymous, large targets, a fresh form after each response. Without
    JavaScript the form posts here and comes back empty with a thank-you note."""
    k = services.kiosk_for_key(key)
    if k is None:
        raise Http404
    participant = open_participant(k.agency, timezone.localdate())
    context: dict[str, Any] = {"kiosk": k, "agency": k.agency, "key": key}
    if participant is None or not participant.campaign.allow_kiosk:
        return render(request, "surveys/kiosk/idle.html", context)
    questions = questions_of(participant.campaign.questionnaire)
    context |= {
        "campaign": participant.campaign,
        "questionnaire": participant.campaign.questionnaire,
        "done": request.GET.get("xong") == "1",
        # the thank-you screen: 4 s, but never more than a third of the inactivity reset
        "thanks_seconds": max(1, min(4, k.idle_seconds // 3)),
    }
    if request.method != "POST":
        return _form_page(
            request, template="surveys/kiosk/kiosk.html", questions=questions, context=context
        )
    values = answers_from(questions, request.POST)
    try:
        services.response_submit_kiosk(
            key=key, answers=values, client_id=_uuid(request.POST.get("client_id"))
        )
    except ValidationFailed as exc:
        return _form_page(
            request,
            template="surveys/kiosk/kiosk.html",
            questions=questions,
            context=context,
            values=values,
            error=exc,
            status=422,
        )
    except ApplicationError as exc:
        return _error_page(request, exc, k.agency)
    return redirect(f"{reverse('surveys-public:kiosk', args=[key])}?xong=1")


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


# Exempt from CSRF: the kiosk replays answers from its offline queue, when a token may have
# expired. Safe because nothing here acts on a cookie: the response is anonymous, and the secret
# key in the URL (which a forging site does not know) names the kiosk and its campaign.
@csrf_exempt
@require_POST
def kiosk_submit(request: HttpRequest, key: str) -> JsonResponse:
    """What kiosk.js sends, now or when the network is back: ``{"client_id", "answered_at",
    "answers": {code: value}}``. A resend of the same client id answers 200 again."""
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict) or not isinstance(payload.get("answers", {}), dict):
            raise ValueError
    except ValueError:
        return JsonResponse(
            {"error": {"code": "invalid", "message": _(ERR_BOT), "details": {}}}, status=400
        )
    try:
        receipt = services.response_submit_kiosk(
            key=key,
            answers=payload.get("answers", {}),
            client_id=_uuid(payload.get("client_id")),
            answered_at=_parse_time(payload.get("answered_at")),
        )
    except ApplicationError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return JsonResponse(
        {"ok": True, "created": receipt.created, "message": _("Cảm ơn ông/bà đã đánh giá!")},
        status=201 if receipt.created else 200,
    )


# --- published results ---------------------------------------------------------------------------
def _published(pk: int) -> Campaign:
    campaign = (
        Campaign.objects.select_related("agency", "questionnaire")
        .filter(pk=pk, results_published=True)
        .exclude(status=CampaignStatus.DRAFT)
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


def results_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(published_campaigns())
    return render(request, "surveys/public/results_list.html", {"campaigns": campaigns})


def results_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _published(pk)
    rows = satisfaction_indices(campaign_id=campaign.pk)
    pooled = satisfaction_indices(campaign_id=campaign.pk, by_agency=False)[0]
    ranked = sorted(rows, key=lambda r: (r.overall is None, -(r.overall or 0), r.agency_name))
    chart = bar_chart(
        [Bar(r.agency_name, r.overall, warn=r.below_target) for r in ranked],
        title=_("Chỉ số hài lòng chung theo cơ quan"),
    )
    element_chart = bar_chart(
        [Bar(e.label, e.index) for e in pooled.elements if e.in_index],
        title=_("Chỉ số hài lòng theo yếu tố (toàn bộ)"),
    )
    return render(
        request,
        "surveys/public/results_detail.html",
        {
            "campaign": campaign,
            "rows": ranked,
            "pooled": pooled,
            "chart": chart,
            "element_chart": element_chart,
        },
    )


def results_agency(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    campaign = _published(pk)
    agency = get_object_or_404(Agency, code=code)
    rows = satisfaction_indices(campaign_id=campaign.pk, agency_ids=[agency.pk])
    row = next((r for r in rows if r.agency_id == agency.pk), None)
    if row is None:
        raise Http404
    end = min(campaign.ends_on, as_local(timezone.now()).date())
    trend = satisfaction_trend(
        start=campaign.starts_on,
        end=max(end, campaign.starts_on),
        agency_ids=[agency.pk],
        campaign_id=campaign.pk,
    )
    return render(
        request,
        "surveys/public/results_agency.html",
        {
            "campaign": campaign,
            "agency": agency,
            "row": row,
            "element_chart": bar_chart(
                [Bar(e.label, e.index) for e in row.elements if e.in_index],
                title=_("Chỉ số hài lòng theo yếu tố — {agency}").format(agency=agency.name),
            ),
            "trend": trend,
            "trend_chart": line_chart(
                [(_period_label(t.period), t.index.overall) for t in trend],
                title=_("Diễn biến chỉ số hài lòng chung theo tháng — {agency}").format(
                    agency=agency.name
                ),
            ),
        },
    )


def _period_label(period: Period) -> str:
    return period.start.strftime("%m/%Y")
