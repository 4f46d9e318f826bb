"""Back-office screens of the core (deadline calculator, calendar exceptions, rule versions,
audit trail, outbox), the attachment download and the health check. Thin: parse, authorise,
call a service or a selector, render."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.core import calendar, deadlines, files, services
from danvan.core.calendar import TZ, get_calendar, hours_provider
from danvan.core.errors import ApplicationError
from danvan.core.forms import AuditSearchForm, CalendarExceptionForm, DeadlineForm, DeadlineRuleForm
from danvan.core.models import (
    Attachment,
    AuditRecord,
    CalendarException,
    DeadlineRule,
    OutboxMessage,
)


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    _require(request, "core.use_calculator")
    result = None
    form = DeadlineForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"]
        hours = None
        if form.cleaned_data["agency"]:
            hours = hours_provider().hours(form.cleaned_data["agency"])
        result = deadlines.add(
            start,
            float(form.cleaned_data["amount"]),
            form.cleaned_data["unit"],
            hours or calendar.DEFAULT_HOURS,
        )
    year = timezone.localdate().year
    cal = get_calendar()
    days_off = [
        d
        for d in cal.non_working_days(date(year, 1, 1), date(year, 12, 31))
        if d.day.weekday() < 5 or d.name not in calendar.WEEKDAY_NAMES
    ]
    return render(
        request,
        "core/calculator.html",
        {
            "form": form,
            "result": result,
            "year": year,
            "days_off": days_off,
            "exceptions": CalendarException.objects.all()[:200],
            "exception_form": CalendarExceptionForm(),
            "can_edit": request.user.has_perm("core.change_calendar"),
        },
    )


@login_required
@require_POST
def calendar_exception_add(request: HttpRequest) -> HttpResponse:
    _require(request, "core.change_calendar")
    form = CalendarExceptionForm(request.POST)
    if form.is_valid():
        try:
            services.calendar_exception_save(actor=request.user, exception=form.instance)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Đã lưu ngày %(day)s.") % {"day": form.instance.day.strftime("%d/%m/%Y")}
            )
            return redirect("core:calculator")
    return render(
        request,
        "core/calculator.html",
        {
            "form": DeadlineForm(),
            "exception_form": form,
            "can_edit": True,
            "exceptions": CalendarException.objects.all()[:200],
            "year": timezone.localdate().year,
            "days_off": [],
        },
        status=422,
    )


@login_required
@require_POST
def calendar_exception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "core.change_calendar")
    exception = get_object_or_404(CalendarException, pk=pk)
    services.calendar_exception_delete(actor=request.user, exception=exception)
    messages.success(request, _("Đã xóa ngày ngoại lệ."))
    return redirect("core:calculator")


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    _require(request, "core.use_calculator")
    can_edit = request.user.has_perm("core.change_deadlinerule")
    form = DeadlineRuleForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        _require(request, "core.change_deadlinerule")
        assert form is not None
        if form.is_valid():
            try:
                rule = services.deadline_rule_add_version(actor=request.user, rule=form.instance)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request, _("Đã thêm phiên bản quy định %(key)s.") % {"key": rule.key}
                )
                return redirect("core:rules")
    today = timezone.localdate()
    all_rules = list(DeadlineRule.objects.all())
    in_force = {
        (r.key, r.variant): r.pk
        for r in sorted(all_rules, key=lambda r: r.effective_from)
        if r.effective_from <= today
    }
    return render(
        request,
        "core/rules.html",
        {
            "rules": all_rules,
            "in_force_ids": set(in_force.values()),
            "form": form,
            "can_edit": can_edit,
        },
        status=422 if form is not None and form.errors else 200,
    )


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    _require(request, "core.view_auditrecord")
    form = AuditSearchForm(request.GET or None)
    qs = AuditRecord.objects.order_by("-seq")
    if form.is_valid():
        q = form.cleaned_data["q"]
        if q:
            qs = qs.filter(
                Q(action__icontains=q)
                | Q(object_repr__icontains=q)
                | Q(actor_label__icontains=q)
                | Q(object_id=q)
            )
        if form.cleaned_data["date_from"]:
            qs = qs.filter(
                occurred_at__gte=datetime.combine(form.cleaned_data["date_from"], time.min, TZ)
            )
        if form.cleaned_data["date_to"]:
            end = form.cleaned_data["date_to"] + timedelta(days=1)
            qs = qs.filter(occurred_at__lt=datetime.combine(end, time.min, TZ))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"form": form, "page": page})


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    _require(request, "core.view_outbox")
    page = Paginator(OutboxMessage.objects.order_by("-created_at"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "core/outbox.html", {"page": page})


def attachment_download(request: HttpRequest, token: str) -> FileResponse:
    """Serve an attachment for a link signed for this user a few minutes ago. Always as a
    download, with its stored (checked) content type: never rendered inline as HTML."""
    pk = files.unsign_token(token, request.user)
    if pk is None:
        raise Http404
    attachment = get_object_or_404(Attachment, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
