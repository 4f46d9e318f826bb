"""Back-office screens of the plans app: plans, implementation plans, assignments and progress,
periodic reports, submissions and consolidation."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.errors import ApplicationError
from danvan.org.selectors import agencies_for, official_of
from danvan.org.views.common import acting_user
from danvan.plans import documents, selectors, services
from danvan.plans.forms import (
    AssignForm,
    ProgressForm,
    RequireSubplansForm,
    ReturnForm,
    SubplanForm,
)
from danvan.plans.models import (
    Assignment,
    Consolidation,
    Plan,
    ReportStatus,
    ReportTemplate,
    SubplanRequirement,
    Task,
)
from danvan.plans.periods import ReportingPeriod
from danvan.shell import registry

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def parse_decimal(raw: str) -> Decimal | None:
    """A number typed the Vietnamese way ("1.234,5") or the computer way ("1234.5")."""
    raw = raw.replace(" ", "")
    if not raw:
        return None
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    return Decimal(raw)


def _need(request: HttpRequest, perm: str, obj: Model | None = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


# --- plans --------------------------------------------------------------------------------------
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    _need(request, "plans.view_plan")
    return render(request, "plans/plan_list.html", {"plans": selectors.plans_for(request.user)})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "plans.view_plan")
    plan = get_object_or_404(selectors.plans_for(request.user), pk=pk)
    progress = selectors.task_progress(plan)
    tasks = list(Task.objects.filter(plan=plan).order_by("order"))
    assignments: dict[int, list[Assignment]] = {}
    for a in (
        Assignment.objects.filter(task__plan=plan).select_related("agency").order_by("agency__name")
    ):
        assignments.setdefault(a.task_id, []).append(a)
    today = timezone.localdate()
    requirements = [
        (
            r,
            selectors.requirement_state(r, today),
            r.submitted_id is None and request.user.has_perm("plans.submit_subplan", r),
        )
        for r in selectors.requirements_for(request.user, plan)
    ]
    can_manage = request.user.has_perm("plans.manage_plan", plan)
    scope = agencies_for(request.user).filter(is_active=True, is_partner=False)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "rows": [(t, progress.get(t.pk), assignments.get(t.pk, [])) for t in tasks],
            "overall": selectors.plan_progress(plan),
            "requirements": requirements,
            "late": [r for r, s, _ in requirements if s.code in ("late", "overdue")],
            "can_manage": can_manage,
            "require_form": RequireSubplansForm(agencies=scope) if can_manage else None,
            "assign_form": AssignForm(plan=plan, agencies=scope) if can_manage else None,
            "implementations": plan.implementations.select_related("agency"),
        },
    )


@login_required
@require_POST
def plan_require(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    _need(request, "plans.manage_plan", plan)
    form = RequireSubplansForm(request.POST, agencies=agencies_for(request.user))
    if form.is_valid():
        created = services.plan_require_subplans(
            actor=acting_user(request),
            plan=plan,
            agencies=form.cleaned_data["agencies"],
            due_on=form.cleaned_data["due_on"],
        )
        messages.success(
            request,
            _("Đã yêu cầu %(n)s cơ quan xây dựng kế hoạch thực hiện.") % {"n": len(created)},
        )
    else:
        messages.error(request, _("Chọn ít nhất một cơ quan và hạn ban hành."))
    return redirect("plans:plan-detail", pk=plan.pk)


@login_required
@require_POST
def plan_assign(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    _need(request, "plans.manage_plan", plan)
    form = AssignForm(request.POST, plan=plan, agencies=agencies_for(request.user))
    if form.is_valid():
        for agency in form.cleaned_data["agencies"]:
            services.assignment_create(
                actor=acting_user(request),
                task=form.cleaned_data["task"],
                agency=agency,
                due_on=form.cleaned_data["due_on"],
            )
        messages.success(request, _("Đã giao nhiệm vụ."))
    else:
        messages.error(request, _("Chọn nhiệm vụ và cơ quan thực hiện."))
    return redirect("plans:plan-detail", pk=plan.pk)


@login_required
def subplan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = get_object_or_404(
        SubplanRequirement.objects.select_related("plan", "agency"), pk=pk
    )
    _need(request, "plans.submit_subplan", requirement)
    form = SubplanForm(request.POST or None, plan=requirement.plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.subplan_submit(
                actor=acting_user(request), requirement=requirement, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã ghi nhận kế hoạch thực hiện của cơ quan."))
            return redirect("plans:plan-detail", pk=requirement.plan_id)
    return render(
        request,
        "plans/subplan_form.html",
        {"requirement": requirement, "form": form},
        status=422 if form.errors else 200,
    )


# --- assignments --------------------------------------------------------------------------------
@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    _need(request, "plans.view_plan")
    qs = selectors.assignments_for(request.user)
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        qs = qs.filter(selectors.overdue_q())
    today = timezone.localdate()
    return render(
        request,
        "plans/assignment_list.html",
        {
            "rows": [(a, selectors.is_overdue(a, today)) for a in qs[:500]],
            "overdue_only": overdue_only,
        },
    )


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(selectors.assignments_for(request.user), pk=pk)
    can_update = request.user.has_perm("plans.update_progress", assignment)
    form = ProgressForm(
        request.POST or None, request.FILES or None, initial={"status": assignment.status}
    )
    if request.method == "POST":
        _need(request, "plans.update_progress", assignment)
        if form.is_valid():
            evidence = [form.cleaned_data["evidence"]] if form.cleaned_data["evidence"] else []
            try:
                services.progress_update(
                    actor=acting_user(request),
                    assignment=assignment,
                    status=form.cleaned_data["status"],
                    progress=form.cleaned_data["progress"],
                    note=form.cleaned_data["note"],
                    evidence=evidence,
                )
            except ApplicationError as exc:
                form.add_error(
                    exc.details.get("field") if exc.details.get("field") in form.fields else None,
                    exc.message,
                )
            else:
                messages.success(request, _("Đã cập nhật tiến độ."))
                return redirect("plans:assignment-detail", pk=assignment.pk)
    from danvan.core.files import signed_token
    from danvan.core.models import Attachment

    updates = list(assignment.updates.select_related("reported_by"))
    attachments = {
        int(a.owner_id): a
        for a in Attachment.objects.filter(
            owner_type="plans.progressupdate", owner_id__in=[str(u.pk) for u in updates]
        )
    }
    return render(
        request,
        "plans/assignment_detail.html",
        {
            "assignment": assignment,
            "form": form,
            "can_update": can_update,
            "overdue": selectors.is_overdue(assignment),
            "updates": [
                (
                    u,
                    attachments.get(u.pk),
                    signed_token(attachments[u.pk], request.user) if u.pk in attachments else None,
                )
                for u in updates
            ],
        },
        status=422 if form.errors else 200,
    )


# --- periodic reports ---------------------------------------------------------------------------
def _current_period(template: ReportTemplate) -> ReportingPeriod:
    return ReportingPeriod.containing(template.period_type, timezone.localdate())


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _need(request, "plans.view_plan")
    official = official_of(request.user)
    templates = list(ReportTemplate.objects.filter(is_active=True).prefetch_related("agencies"))
    due = []
    if official is not None:
        for t in templates:
            if any(a.pk == official.agency_id for a in t.agencies.all()):
                for period in (_current_period(t).previous(), _current_period(t)):
                    due.append((t, period))
    reports = selectors.reports_for(request.user).order_by("-period_end", "agency__name")[:200]
    return render(
        request,
        "plans/report_list.html",
        {
            "reports": reports,
            "due": due,
            "templates": templates,
            "can_view_submissions": request.user.has_perm("plans.view_submissions"),
            "current": [(t, _current_period(t), _current_period(t).previous()) for t in templates],
            "can_edit": official is not None
            and request.user.has_perm("plans.edit_report", official.agency),
        },
    )


@login_required
@require_POST
def report_open(request: HttpRequest) -> HttpResponse:
    official = official_of(request.user)
    if official is None:
        raise PermissionDenied
    template = get_object_or_404(ReportTemplate, pk=request.POST.get("template"))
    try:
        period = ReportingPeriod.parse(request.POST.get("period", ""))
    except ValueError as exc:
        raise Http404 from exc
    try:
        report = services.report_open(
            actor=acting_user(request), template=template, agency=official.agency, period=period
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("plans:report-list")
    return redirect("plans:report-detail", pk=report.pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.reports_for(request.user), pk=pk)
    _need(request, "plans.view_report", report)
    report = selectors.report_detail(report.pk)
    user = request.user
    editable = user.has_perm("plans.edit_report", report) and report.status in (
        ReportStatus.DRAFT,
        ReportStatus.RETURNED,
    )
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action")
        actor = acting_user(request)
        try:
            if action == "save":
                _need(request, "plans.edit_report", report)
                for row in report.values.all():
                    raw = request.POST.get(f"value-{row.indicator}", "").strip()
                    try:
                        value = parse_decimal(raw)
                    except InvalidOperation:
                        errors.append(_("Số liệu “%(v)s” không hợp lệ.") % {"v": raw})
                        continue
                    reason = request.POST.get(f"reason-{row.indicator}", "")
                    if value != row.value or reason != row.correction_reason:
                        try:
                            services.report_set_value(
                                actor=actor,
                                report=report,
                                indicator=row.indicator,
                                value=value,
                                reason=reason,
                            )
                        except ApplicationError as exc:
                            errors.append(exc.message)
                services.report_set_sections(
                    actor=actor,
                    report=report,
                    texts={
                        s.pk: request.POST.get(f"section-{s.pk}", s.text)
                        for s in report.sections.all()
                    },
                )
                if not errors:
                    messages.success(request, _("Đã lưu báo cáo."))
            elif action == "refresh":
                services.report_refresh(actor=actor, report=report)
                messages.success(request, _("Đã cập nhật số liệu tự động."))
            elif action == "approve":
                services.report_approve(actor=actor, report=report)
                messages.success(request, _("Đã duyệt báo cáo."))
            elif action == "submit":
                services.report_submit(actor=actor, report=report)
                messages.success(
                    request, _("Đã gửi báo cáo về Ủy ban nhân dân tỉnh (qua Sở Nội vụ).")
                )
            elif action == "return":
                form = ReturnForm(request.POST)
                services.report_return(
                    actor=actor, report=report, reason=form.data.get("reason", "")
                )
                messages.success(request, _("Đã trả lại báo cáo."))
        except ApplicationError as exc:
            errors.append(exc.message)
        if not errors:
            return redirect("plans:report-detail", pk=report.pk)
        report = selectors.report_detail(report.pk)
    rows = []
    for v in report.values.all():
        ind = registry.indicators.get(v.indicator) if v.indicator in registry.indicators else None
        rows.append(
            {
                "value": v,
                "label": ind.label if ind else v.indicator,
                "unit": ind.unit if ind else "",
                "drilldown": ind.drilldown_url([report.agency_id], report.reporting_period.period)
                if ind and ind.drilldown_url
                else None,
            }
        )
    return render(
        request,
        "plans/report_detail.html",
        {
            "report": report,
            "rows": rows,
            "editable": editable,
            "errors": errors,
            "late": selectors.is_late(report),
            "can_approve": user.has_perm("plans.approve_report", report)
            and report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED),
            "can_submit": user.has_perm("plans.submit_report", report)
            and report.status == ReportStatus.APPROVED,
            "can_return": user.has_perm("plans.return_report", report)
            and report.status == ReportStatus.SUBMITTED,
        },
        status=422 if errors else 200,
    )


@login_required
def submissions(request: HttpRequest, template_pk: int, period_key: str) -> HttpResponse:
    _need(request, "plans.view_submissions")
    template = get_object_or_404(ReportTemplate, pk=template_pk)
    try:
        period = ReportingPeriod.parse(period_key)
    except ValueError as exc:
        raise Http404 from exc
    rows = selectors.submissions(template, period)
    scope = set(agencies_for(request.user).values_list("pk", flat=True))
    rows = [r for r in rows if r.agency.pk in scope]
    official = official_of(request.user)
    return render(
        request,
        "plans/submissions.html",
        {
            "template": template,
            "period": period,
            "rows": rows,
            "late": [r for r in rows if r.state in ("submitted_late", "overdue")],
            "submitted": sum(1 for r in rows if r.state.startswith("submitted")),
            "consolidations": Consolidation.objects.filter(
                template=template, period_key=period.key
            ),
            "can_consolidate": request.user.has_perm("plans.consolidate", template)
            and official is not None,
            "previous": period.previous(),
        },
    )


@login_required
@require_POST
def consolidate(request: HttpRequest, template_pk: int, period_key: str) -> HttpResponse:
    template = get_object_or_404(ReportTemplate, pk=template_pk)
    _need(request, "plans.consolidate", template)
    official = official_of(request.user)
    assert official is not None
    try:
        period = ReportingPeriod.parse(period_key)
        consolidation = services.consolidation_create(
            actor=acting_user(request), template=template, period=period, agency=official.agency
        )
    except ValueError as exc:
        raise Http404 from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("plans:submissions", template_pk=template.pk, period_key=period_key)
    messages.success(request, _("Đã lập báo cáo tổng hợp %(s)s.") % {"s": consolidation.symbol})
    return redirect("plans:consolidation", pk=consolidation.pk)


@login_required
def consolidation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "plans.view_submissions")
    consolidation = get_object_or_404(
        Consolidation.objects.select_related("template", "agency"), pk=pk
    )
    return render(
        request,
        "plans/consolidation.html",
        {
            "c": consolidation,
            "table": documents.figures_table(consolidation),
            "period": ReportingPeriod.parse(consolidation.period_key),
        },
    )


@login_required
def consolidation_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    _need(request, "plans.view_submissions")
    if fmt not in CONTENT_TYPES:
        raise Http404
    consolidation = get_object_or_404(
        Consolidation.objects.select_related("template", "agency__parent", "agency__unit"), pk=pk
    )
    content = documents.render(consolidation, fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = consolidation.symbol.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tong-hop-{name}.{fmt}"'
    return response
