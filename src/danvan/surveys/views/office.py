"""Back-office screens of the surveys app: questionnaires, campaigns and their progress, paper
entry, counter kiosks, one-time invitations, results with charts and the XLSX export. Thin:
parse, authorise, call a service or a selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.calendar import as_local
from danvan.core.errors import ApplicationError, ValidationFailed
from danvan.org.models import Agency
from danvan.org.selectors import agencies_for, official_of
from danvan.org.views.common import acting_user
from danvan.shell.registry import Period
from danvan.surveys import selectors, services
from danvan.surveys.charts import Bar, bar_chart, line_chart
from danvan.surveys.exports import campaign_workbook
from danvan.surveys.forms import (
    CampaignForm,
    InvitationForm,
    KioskForm,
    PaperEntryForm,
    ParticipantForm,
    QuestionForm,
    QuestionnaireForm,
    ResultsFilterForm,
    SectionForm,
    VoidForm,
    answers_from,
    contact_from,
    questionnaire_view,
)
from danvan.surveys.models import (
    Campaign,
    CampaignAgency,
    CampaignStatus,
    Kiosk,
    Question,
    Questionnaire,
    Response,
    Section,
)
from danvan.surveys.selectors import (
    campaign_progress,
    campaigns_for,
    kiosks_for,
    questionnaires_for,
    questions_of,
    recent_paper_responses,
    satisfaction_indices,
    satisfaction_trend,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _error(request: HttpRequest, exc: ApplicationError) -> None:
    messages.error(request, exc.message)


def _form_errors(form: Any, exc: ApplicationError) -> None:
    """Put a service's error on the form: on its field when the form has it, else on top."""
    placed = False
    for name, message in (exc.details.get("errors") or {}).items():
        if name in form.fields:
            form.add_error(name, message or exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


# --- campaigns list (the app's home) ---------------------------------------------------------------
@login_required
def home(request: HttpRequest) -> HttpResponse:
    if official_of(request.user) is None:
        raise PermissionDenied
    campaigns = list(campaigns_for(request.user))
    return render(
        request,
        "surveys/office/home.html",
        {
            "campaigns": campaigns,
            "can_add": request.user.has_perm("surveys.add_campaign"),
            "can_manage_questionnaires": request.user.has_perm("surveys.manage_questionnaire"),
        },
    )


# --- questionnaires --------------------------------------------------------------------------------
@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    _require(request, "surveys.view_questionnaire")
    return render(
        request,
        "surveys/office/questionnaire_list.html",
        {
            "questionnaires": questionnaires_for(request.user),
            "can_manage": request.user.has_perm("surveys.manage_questionnaire"),
        },
    )


@login_required
@require_POST
def questionnaire_create_sipas(request: HttpRequest) -> HttpResponse:
    _require(request, "surveys.manage_questionnaire")
    q = services.questionnaire_create_sipas(actor=acting_user(request))
    messages.success(
        request, _("Đã tạo bản nháp phiếu SIPAS mẫu. Hãy xem lại, chỉnh sửa nếu cần rồi ban hành.")
    )
    return redirect("surveys:questionnaire-detail", pk=q.pk)


@login_required
def questionnaire_create(request: HttpRequest) -> HttpResponse:
    _require(request, "surveys.manage_questionnaire")
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            q = services.questionnaire_create(actor=acting_user(request), **form.cleaned_data)
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo phiếu khảo sát (bản nháp)."))
            return redirect("surveys:questionnaire-detail", pk=q.pk)
    return render(
        request,
        "surveys/office/questionnaire_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def _questionnaire(request: HttpRequest, pk: int) -> Questionnaire:
    _require(request, "surveys.view_questionnaire")
    return get_object_or_404(Questionnaire, pk=pk)


@login_required
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _questionnaire(request, pk)
    questionnaire = selectors.questionnaire_detail(pk)
    can_edit = questionnaire.is_draft and request.user.has_perm("surveys.manage_questionnaire")
    return render(
        request,
        "surveys/office/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "can_edit": can_edit,
            "can_manage": request.user.has_perm("surveys.manage_questionnaire"),
            "section_form": SectionForm(),
            "question_form": QuestionForm(questionnaire=questionnaire),
        },
    )


@login_required
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    _require(request, "surveys.manage_questionnaire")
    form = QuestionnaireForm(
        request.POST or None,
        initial={
            "code": questionnaire.code,
            "title": questionnaire.title,
            "title_en": questionnaire.title_en,
            "intro": questionnaire.intro,
            "intro_en": questionnaire.intro_en,
        },
    )
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        try:
            services.questionnaire_update(
                actor=acting_user(request), questionnaire=questionnaire, **data
            )
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("surveys:questionnaire-detail", pk=pk)
    return render(
        request,
        "surveys/office/questionnaire_form.html",
        {"form": form, "questionnaire": questionnaire},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    _require(request, "surveys.manage_questionnaire")
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_add(
                actor=acting_user(request), questionnaire=questionnaire, **form.cleaned_data
            )
        except ApplicationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã thêm phần mới."))
    else:
        messages.error(request, _("Vui lòng chọn yếu tố và ghi tiêu đề phần."))
    return redirect("surveys:questionnaire-detail", pk=pk)


@login_required
@require_POST
def section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_object_or_404(Section.objects.select_related("questionnaire"), pk=pk)
    _require(request, "surveys.manage_questionnaire")
    try:
        services.section_delete(actor=acting_user(request), section=section)
    except ApplicationError as exc:
        _error(request, exc)
    return redirect("surveys:questionnaire-detail", pk=section.questionnaire_id)


def _question_kwargs(form: QuestionForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("section")
    data["choices"] = form.choice_list()
    return data


@login_required
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    _require(request, "surveys.manage_questionnaire")
    form = QuestionForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(
                actor=acting_user(request),
                section=form.cleaned_data["section"],
                **_question_kwargs(form),
            )
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm câu hỏi."))
            return redirect("surveys:questionnaire-detail", pk=pk)
    return render(
        request,
        "surveys/office/question_form.html",
        {"form": form, "questionnaire": questionnaire},
        status=422 if form.errors else 200,
    )


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.select_related("questionnaire").prefetch_related("choices"), pk=pk
    )
    _require(request, "surveys.manage_questionnaire")
    form = QuestionForm(
        request.POST or None,
        questionnaire=question.questionnaire,
        initial=QuestionForm.initial_for(question),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                actor=acting_user(request), question=question, **_question_kwargs(form)
            )
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu câu hỏi."))
            return redirect("surveys:questionnaire-detail", pk=question.questionnaire_id)
    return render(
        request,
        "surveys/office/question_form.html",
        {"form": form, "questionnaire": question.questionnaire, "question": question},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("questionnaire"), pk=pk)
    _require(request, "surveys.manage_questionnaire")
    try:
        services.question_delete(actor=acting_user(request), question=question)
    except ApplicationError as exc:
        _error(request, exc)
    return redirect("surveys:questionnaire-detail", pk=question.questionnaire_id)


@login_required
@require_POST
def questionnaire_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    _require(request, "surveys.manage_questionnaire")
    actor = acting_user(request)
    try:
        if action == "publish":
            services.questionnaire_publish(actor=actor, questionnaire=questionnaire)
            messages.success(request, _("Đã ban hành phiếu khảo sát."))
        elif action == "retire":
            services.questionnaire_retire(actor=actor, questionnaire=questionnaire)
            messages.success(request, _("Đã ngừng sử dụng phiếu khảo sát."))
        elif action == "new-version":
            copy = services.questionnaire_new_version(actor=actor, questionnaire=questionnaire)
            messages.success(request, _("Đã tạo phiên bản mới (bản nháp)."))
            return redirect("surveys:questionnaire-detail", pk=copy.pk)
        else:
            raise PermissionDenied
    except ApplicationError as exc:
        _error(request, exc)
    return redirect("surveys:questionnaire-detail", pk=pk)


@login_required
def questionnaire_preview(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    return render(
        request,
        "surveys/office/questionnaire_preview.html",
        {"questionnaire": questionnaire, "view": questionnaire_view(questions_of(questionnaire))},
    )


# --- campaigns -------------------------------------------------------------------------------------
def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = get_object_or_404(campaigns_for(request.user), pk=pk)
    _require(request, "surveys.view_campaign", campaign)
    return campaign


def _organiser_agencies(request: HttpRequest) -> QuerySet[Agency]:
    ids = [
        a.pk
        for a in agencies_for(request.user).filter(is_active=True)
        if request.user.has_perm("surveys.change_campaign", a)
    ]
    return Agency.objects.filter(pk__in=ids).order_by("name")


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    _require(request, "surveys.add_campaign")
    official = official_of(request.user)
    form = CampaignForm(
        request.POST or None,
        agencies=_organiser_agencies(request),
        initial={"agency": official.agency_id if official else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=acting_user(request), **form.cleaned_data)
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("Đã tạo đợt khảo sát. Hãy thêm các cơ quan được khảo sát rồi bắt đầu.")
            )
            return redirect("surveys:campaign-detail", pk=campaign.pk)
    return render(
        request,
        "surveys/office/campaign_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "surveys.change_campaign", campaign)
    form = CampaignForm(
        request.POST or None,
        agencies=Agency.objects.none(),
        editing=campaign,
        initial={
            "title": campaign.title,
            "title_en": campaign.title_en,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "margin": campaign.margin,
            "allow_public_link": campaign.allow_public_link,
            "allow_kiosk": campaign.allow_kiosk,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                actor=acting_user(request), campaign=campaign, **form.cleaned_data
            )
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("surveys:campaign-detail", pk=pk)
    return render(
        request,
        "surveys/office/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=422 if form.errors else 200,
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    can_change = request.user.has_perm("surveys.change_campaign", campaign)
    progress = campaign_progress(campaign)
    for p in progress:
        p.participant.campaign = campaign
    base = request.build_absolute_uri("/").rstrip("/")
    rows = [
        {
            "progress": p,
            "public_url": base + reverse("surveys-public:agency", args=[p.participant.agency.code]),
            "can_enter": request.user.has_perm("surveys.enter_paper", p.participant),
            "can_view": request.user.has_perm("surveys.view_results", p.participant),
        }
        for p in progress
    ]
    return render(
        request,
        "surveys/office/campaign_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "total_responses": sum(p.responses for p in progress),
            "total_target": sum(p.target for p in progress),
            "can_change": can_change,
            "can_results": any(r["can_view"] for r in rows),
            "can_enter": any(r["can_enter"] for r in rows),
            "participant_form": ParticipantForm(
                agencies=agencies_for(request.user).filter(is_active=True)
            )
            if can_change
            else None,
        },
    )


@login_required
@require_POST
def participant_set(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "surveys.change_campaign", campaign)
    form = ParticipantForm(request.POST, agencies=agencies_for(request.user).filter(is_active=True))
    if form.is_valid():
        try:
            p = services.participant_set(
                actor=acting_user(request),
                campaign=campaign,
                agency=form.cleaned_data["agency"],
                population=form.cleaned_data["population"],
            )
        except ApplicationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request,
                _("{agency}: tổng thể {n}, cỡ mẫu cần đạt {target} phiếu.").format(
                    agency=p.agency.name, n=p.population, target=p.target_sample
                ),
            )
    else:
        messages.error(request, _("Vui lòng chọn cơ quan và ghi tổng thể N (số nguyên không âm)."))
    return redirect("surveys:campaign-detail", pk=pk)


@login_required
@require_POST
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(
        CampaignAgency.objects.select_related("campaign", "agency"), pk=pk
    )
    campaign = _campaign(request, participant.campaign_id)
    _require(request, "surveys.change_campaign", campaign)
    try:
        services.participant_remove(actor=acting_user(request), participant=participant)
    except ApplicationError as exc:
        _error(request, exc)
    return redirect("surveys:campaign-detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "surveys.change_campaign", campaign)
    actor = acting_user(request)
    done = {
        "open": _("Đợt khảo sát đã bắt đầu nhận phiếu."),
        "close": _("Đợt khảo sát đã kết thúc."),
        "publish": _("Kết quả đã được công khai trên Cổng."),
        "unpublish": _("Đã thôi công khai kết quả."),
    }
    if action not in done:
        raise PermissionDenied
    try:
        if action == "open":
            services.campaign_open(actor=actor, campaign=campaign)
        elif action == "close":
            services.campaign_close(actor=actor, campaign=campaign)
        else:
            services.campaign_publish_results(
                actor=actor, campaign=campaign, published=action == "publish"
            )
    except ApplicationError as exc:
        _error(request, exc)
    else:
        messages.success(request, done[action])
    return redirect("surveys:campaign-detail", pk=pk)


def _visible_participants(
    request: HttpRequest, campaign: Campaign, perm: str
) -> list[CampaignAgency]:
    participants = list(
        CampaignAgency.objects.filter(campaign=campaign)
        .select_related("agency__unit")
        .order_by("agency__name")
    )
    for p in participants:
        p.campaign = campaign
    return [p for p in participants if request.user.has_perm(perm, p)]


@login_required
def campaign_results(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    visible = _visible_participants(request, campaign, "surveys.view_results")
    if not visible:
        raise PermissionDenied
    agency_ids = [p.agency_id for p in visible]
    filters = ResultsFilterForm(request.GET or None)
    period = None
    by_field = False
    if filters.is_valid():
        start = filters.cleaned_data["start"] or campaign.starts_on
        end = filters.cleaned_data["end"] or campaign.ends_on
        if filters.cleaned_data["start"] or filters.cleaned_data["end"]:
            period = Period(start, end)
        by_field = filters.cleaned_data["by_field"]
    rows = satisfaction_indices(
        campaign_id=campaign.pk, agency_ids=agency_ids, period=period, by_field=by_field
    )
    pooled = satisfaction_indices(
        campaign_id=campaign.pk, agency_ids=agency_ids, period=period, by_agency=False
    )[0]
    chosen = None
    trend: list[Any] = []
    trend_chart = ""
    agency_param = request.GET.get("agency", "")
    if agency_param.isdigit() and int(agency_param) in agency_ids:
        chosen = satisfaction_indices(
            campaign_id=campaign.pk, agency_ids=[int(agency_param)], period=period
        )[0]
        trend_ids = [int(agency_param)]
    else:
        trend_ids = agency_ids
    end = min(campaign.ends_on, as_local(timezone.now()).date())
    trend = satisfaction_trend(
        start=campaign.starts_on,
        end=max(end, campaign.starts_on),
        agency_ids=trend_ids,
        campaign_id=campaign.pk,
    )
    trend_chart = line_chart(
        [(t.period.start.strftime("%m/%Y"), t.index.overall) for t in trend],
        title=_("Diễn biến chỉ số hài lòng chung theo tháng"),
    )
    detail = chosen or pooled
    columns = [e for e in pooled.sipas_elements if e is not None and e.in_index]
    table = [{"row": r, "cells": [r.element(c.key) for c in columns]} for r in rows]
    return render(
        request,
        "surveys/office/campaign_results.html",
        {
            "campaign": campaign,
            "filters": filters,
            "rows": rows,
            "table": table,
            "columns": columns,
            "by_field": by_field,
            "pooled": pooled,
            "row": detail,
            "chosen": chosen,
            "chart": bar_chart(
                [
                    Bar(
                        f"{r.agency_name} — {r.field or _('(không ghi lĩnh vực)')}"
                        if by_field
                        else r.agency_name,
                        r.overall,
                        warn=r.below_target,
                    )
                    for r in rows
                ],
                title=_("Chỉ số hài lòng chung"),
            ),
            "element_chart": bar_chart(
                [Bar(e.label, e.index) for e in detail.elements if e.in_index],
                title=_("Chỉ số theo yếu tố — {name}").format(
                    name=chosen.agency_name if chosen else _("các cơ quan")
                ),
            ),
            "trend": trend,
            "trend_chart": trend_chart,
            "can_export": any(request.user.has_perm("surveys.export_results", p) for p in visible),
        },
    )


@login_required
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    visible = _visible_participants(request, campaign, "surveys.export_results")
    if not visible:
        raise PermissionDenied
    content = campaign_workbook(campaign, agency_ids=[p.agency_id for p in visible])
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="khao-sat-{campaign.pk}-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


@login_required
def export_latest(request: HttpRequest) -> HttpResponse:
    """The export listed on the exports page: the chosen campaign, else the latest one."""
    wanted = request.GET.get("campaign", "")
    campaigns = campaigns_for(request.user).exclude(status=CampaignStatus.DRAFT)
    campaign = campaigns.filter(pk=int(wanted)).first() if wanted.isdigit() else campaigns.first()
    if campaign is None:
        messages.info(request, _("Chưa có đợt khảo sát nào để xuất dữ liệu."))
        return redirect("surveys:home")
    return campaign_export(request, campaign.pk)


# --- paper entry -----------------------------------------------------------------------------------
@login_required
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    allowed = _visible_participants(request, campaign, "surveys.enter_paper")
    if not allowed:
        raise PermissionDenied
    participants = CampaignAgency.objects.filter(pk__in=[p.pk for p in allowed]).select_related(
        "agency", "campaign__questionnaire"
    )
    questions = questions_of(campaign.questionnaire)
    form = PaperEntryForm(
        request.POST or None,
        participants=participants,
        initial={
            "participant": allowed[0].pk if len(allowed) == 1 else None,
            "answered_on": min(timezone.localdate(), campaign.ends_on),
        },
    )
    values: dict[str, Any] = {}
    error: ApplicationError | None = None
    status = 200
    if request.method == "POST":
        values = answers_from(questions, request.POST)
        if form.is_valid():
            participant = form.cleaned_data["participant"]
            try:
                response = services.response_enter_paper(
                    actor=acting_user(request),
                    participant=participant,
                    answers=values,
                    answered_on=form.cleaned_data["answered_on"],
                    paper_ref=form.cleaned_data["paper_ref"],
                    field=form.cleaned_data["field"],
                    contact=contact_from(request.POST),
                )
            except ValidationFailed as exc:
                error = exc
                _form_errors(form, exc)
                status = 422
            except ApplicationError as exc:
                error = exc
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Đã nhập phiếu giấy {ref} (mã {pk}).").format(
                        ref=response.paper_ref or "", pk=response.pk
                    ),
                )
                return redirect("surveys:paper-entry", pk=pk)
        else:
            status = 422
    errors = dict(error.details.get("errors", {})) if error else {}
    return render(
        request,
        "surveys/office/paper_entry.html",
        {
            "campaign": campaign,
            "form": form,
            "view": questionnaire_view(questions, values, errors),
            "form_error": error.message if error else "",
            "contact_errors": {k: v for k, v in errors.items() if k.startswith("contact_")},
            "posted": request.POST if request.method == "POST" else {},
            "recent": recent_paper_responses(campaign, request.user),
            "void_form": VoidForm(),
        },
        status=status,
    )


@login_required
@require_POST
def response_void(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(Response.objects.select_related("agency__unit", "campaign"), pk=pk)
    _campaign(request, response.campaign_id)
    _require(request, "surveys.void_response", response)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.response_void(
                actor=acting_user(request), response=response, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã hủy phiếu; phiếu không còn được tính vào chỉ số."))
    else:
        messages.error(request, _("Vui lòng ghi lý do hủy phiếu."))
    return redirect("surveys:paper-entry", pk=response.campaign_id)


# --- kiosks ----------------------------------------------------------------------------------------
def _kiosk_agencies(request: HttpRequest) -> QuerySet[Agency]:
    ids = [
        a.pk
        for a in agencies_for(request.user).filter(is_active=True)
        if request.user.has_perm("surveys.manage_kiosk", a)
    ]
    return Agency.objects.filter(pk__in=ids).order_by("name")


@login_required
def kiosk_list(request: HttpRequest) -> HttpResponse:
    agencies = _kiosk_agencies(request)
    if not agencies.exists():
        raise PermissionDenied
    form = KioskForm(
        request.POST or None,
        agencies=agencies,
        initial={"agency": official_of(request.user).agency_id},  # type: ignore[union-attr]
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.kiosk_create(actor=acting_user(request), **form.cleaned_data)
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã tạo máy khảo sát. Mở đường dẫn của máy trên máy tính bảng đặt tại quầy."),
            )
            return redirect("surveys:kiosk-list")
    kiosks = [
        k for k in kiosks_for(request.user) if request.user.has_perm("surveys.manage_kiosk", k)
    ]
    base = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "surveys/office/kiosk_list.html",
        {
            "form": form,
            "kiosks": [
                {"kiosk": k, "url": base + reverse("surveys-public:kiosk", args=[k.key])}
                for k in kiosks
            ],
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def kiosk_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    kiosk = get_object_or_404(Kiosk.objects.select_related("agency__unit"), pk=pk)
    _require(request, "surveys.manage_kiosk", kiosk)
    services.kiosk_set_active(actor=acting_user(request), kiosk=kiosk, active=not kiosk.is_active)
    messages.success(request, _("Đã cập nhật máy khảo sát."))
    return redirect("surveys:kiosk-list")


# --- invitations -----------------------------------------------------------------------------------
@login_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    ids = [
        a.pk
        for a in agencies_for(request.user).filter(is_active=True)
        if request.user.has_perm("surveys.invite", a)
    ]
    if not ids:
        raise PermissionDenied
    agencies = Agency.objects.filter(pk__in=ids).order_by("name")
    official = official_of(request.user)
    form = InvitationForm(
        request.POST or None,
        agencies=agencies,
        initial={"agency": official.agency_id if official else None},
    )
    issued = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = services.invitation_create(
                actor=acting_user(request),
                agency=data["agency"],
                subject_type="manual" if data["subject_id"] else "",
                subject_id=data["subject_id"],
                field=data["field"],
                phone=data["phone"],
                email=data["email"],
            )
        except ApplicationError as exc:
            _form_errors(form, exc)
            status = exc.status
        else:
            if issued is None:
                form.add_error(
                    None,
                    _(
                        "Không tạo được phiếu mời: cơ quan không có đợt khảo sát đang mở hôm nay, "
                        "hoặc hồ sơ này đã được mời trong đợt."
                    ),
                )
                status = 409
    elif form.errors:
        status = 422
    return render(
        request,
        "surveys/office/invitation.html",
        {"form": form, "issued": issued},
        status=status,
    )
