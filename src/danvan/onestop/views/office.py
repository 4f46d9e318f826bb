"""Back-office screens of the one-stop shop. Thin: parse, authorise, call a service or a
selector, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from danvan.core.calendar import get_calendar
from danvan.core.errors import ApplicationError, NotFoundError
from danvan.onestop import documents, selectors, services
from danvan.onestop.forms import (
    ApologyForm,
    DossierFilterForm,
    ForwardForm,
    ImportForm,
    InsufficientForm,
    NoteForm,
    ProcedureChoiceForm,
    RatingForm,
    ReasonsForm,
    ReceiveForm,
    RegisterForm,
    ResolveForm,
    ReturnResultForm,
    ReviewForm,
    StatisticsForm,
    SupplementForm,
    SupplementRequestForm,
    SuspendForm,
    WithdrawForm,
    lines,
)
from danvan.onestop.importing import export_csv, export_xlsx
from danvan.onestop.models import Dossier, Procedure, RatingChannel
from danvan.onestop.services import ALLOWED_FROM, ApplicantIn, DocumentIn
from danvan.org.models import User
from danvan.org.views.common import acting_user

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    allowed = request.user.has_perm(perm) if obj is None else request.user.has_perm(perm, obj)
    if not allowed:
        raise PermissionDenied


def _dossier(request: HttpRequest, code: str) -> Dossier:
    try:
        dossier = selectors.dossier_for(request.user, code)
    except NotFoundError as exc:
        raise Http404 from exc
    _require(request, "onestop.view_dossier", dossier)
    return dossier


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _documents_in(form: Any) -> list[DocumentIn]:
    docs = [DocumentIn(document_id=int(pk)) for pk in form.cleaned_data.get("documents", [])]
    docs += [DocumentIn(name=n) for n in lines(form.cleaned_data.get("other_documents", ""))]
    return docs


# --- lists -------------------------------------------------------------------------------------
@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    _require(request, "onestop.list_dossier")
    form = DossierFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    f = selectors.DossierFilter(
        q=data.get("q", ""), status=data.get("status", ""), state=data.get("state", "")
    )
    page = Paginator(selectors.dossier_list(request.user, f), 25).get_page(request.GET.get("page"))
    now, cal = timezone.now(), get_calendar()
    rows = [(d, d.deadline_state(now, cal)) for d in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "onestop/dossier_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "counts": selectors.dossier_counts_for(request.user),
            "query_string": query.urlencode(),
            "can_receive": request.user.has_perm("onestop.receive_dossier"),
            "can_see_late": request.user.has_perm("onestop.view_late_dossiers"),
            "can_register": request.user.has_perm("onestop.export_register"),
            "can_stats": request.user.has_perm("onestop.view_statistics"),
        },
    )


@login_required
def late_list(request: HttpRequest) -> HttpResponse:
    """Running dossiers past due without an apology: what the head of the agency must act on."""
    _require(request, "onestop.view_late_dossiers")
    page = Paginator(selectors.late_without_apology_for(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "onestop/late_list.html", {"page": page, "now": timezone.now()})


# --- receiving ---------------------------------------------------------------------------------
@login_required
def dossier_receive(request: HttpRequest) -> HttpResponse:
    _require(request, "onestop.receive_dossier")
    procedures = selectors.procedures_receivable_by(request.user)
    chooser = ProcedureChoiceForm(request.GET or None, procedures=procedures)
    procedure: Procedure | None = None
    if chooser.is_bound and chooser.is_valid():
        procedure = chooser.cleaned_data["procedure"]
    form = None
    if procedure is not None:
        form = ReceiveForm(request.POST or None, procedure=procedure)
        if request.method == "POST" and form.is_valid():
            c = form.cleaned_data
            try:
                dossier = services.dossier_receive(
                    actor=acting_user(request),
                    procedure=procedure,
                    applicant=ApplicantIn(
                        name=c["applicant_name"],
                        phone=c["phone"],
                        address=c["address"],
                        id_number=c["id_number"],
                        email=c["email"],
                    ),
                    documents=_documents_in(form),
                    channel=c["channel"],
                    received_at=c["received_at"],
                    note=c["note"],
                )
            except ApplicationError as exc:
                field = exc.details.get("field")
                target = {"name": "applicant_name", "phone": "phone", "address": "address"}.get(
                    str(field), str(field) if field in form.fields else None
                )
                form.add_error(target, exc.message)
            else:
                if dossier.missing:
                    messages.warning(
                        request,
                        _(
                            "Hồ sơ %(code)s còn thiếu giấy tờ: lập phiếu yêu cầu bổ sung hoặc từ chối."
                        )
                        % {"code": dossier.code},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và hẹn trả kết quả cho công dân."
                        )
                        % {"code": dossier.code},
                    )
                return redirect("onestop:dossier-detail", code=dossier.code)
    return render(
        request,
        "onestop/receive.html",
        {
            "chooser": chooser,
            "procedure": procedure,
            "form": form,
            "can_backdate": request.user.has_perm("onestop.backdate_dossier"),
        },
    )


# --- one dossier -------------------------------------------------------------------------------
ACTIONS: dict[str, tuple[str, str, Any]] = {
    # url action: (service step, permission, form class)
    "request-supplement": (
        "request_supplement",
        "onestop.request_supplement_dossier",
        SupplementRequestForm,
    ),
    "supplement": ("supplement", "onestop.supplement_dossier", SupplementForm),
    "refuse": ("refuse", "onestop.refuse_dossier", ReasonsForm),
    "forward": ("forward", "onestop.forward_dossier", ForwardForm),
    "return-insufficient": (
        "return_insufficient",
        "onestop.return_insufficient_dossier",
        InsufficientForm,
    ),
    "await-payment": ("await_payment", "onestop.handle_dossier", NoteForm),
    "payment-done": ("payment_done", "onestop.handle_dossier", NoteForm),
    "suspend": ("suspend", "onestop.handle_dossier", SuspendForm),
    "resume": ("resume", "onestop.handle_dossier", NoteForm),
    "apologise": ("apologise", "onestop.apologise_dossier", ApologyForm),
    "resolve": ("resolve", "onestop.resolve_dossier", ResolveForm),
    "return-result": ("return_result", "onestop.return_result_dossier", ReturnResultForm),
    "withdraw": ("withdraw", "onestop.withdraw_dossier", WithdrawForm),
}
ACTION_TITLES = {
    "request-supplement": _l("Yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)"),
    "supplement": _l("Nhận hồ sơ bổ sung"),
    "refuse": _l("Từ chối tiếp nhận (mẫu 03)"),
    "forward": _l("Chuyển giải quyết (ghi phiếu kiểm soát, mẫu 05)"),
    "return-insufficient": _l("Trả lại hồ sơ chưa đủ điều kiện giải quyết"),
    "await-payment": _l("Chờ thực hiện nghĩa vụ tài chính"),
    "payment-done": _l("Đã thực hiện nghĩa vụ tài chính"),
    "suspend": _l("Tạm dừng giải quyết"),
    "resume": _l("Tiếp tục giải quyết"),
    "apologise": _l("Xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)"),
    "resolve": _l("Ghi nhận kết quả giải quyết"),
    "return-result": _l("Trả kết quả cho công dân"),
    "withdraw": _l("Công dân rút hồ sơ"),
}


def _officials_for_forward(dossier: Dossier) -> Any:
    agency = dossier.handling_agency or dossier.procedure.agency or dossier.agency
    return (
        User.objects.filter(memberships__agency=agency, memberships__is_active=True)
        .distinct()
        .order_by("full_name")
    )


def _form_for(action: str, dossier: Dossier, data: Any = None) -> Any:
    """The form of a step, prefixed with its name (several forms share the detail page)."""
    _step, _perm, form_class = ACTIONS[action]
    kwargs: dict[str, Any] = {"prefix": action}
    if form_class is SupplementForm:
        kwargs["procedure"] = dossier.procedure
    elif form_class is ForwardForm:
        target = dossier.handling_agency or dossier.procedure.agency or dossier.agency
        kwargs["officials"] = _officials_for_forward(dossier)
        kwargs["initial"] = {"to_agency": target.pk}
    elif form_class is SupplementRequestForm:
        kwargs["initial"] = {"items": "\n".join(m["name"] for m in dossier.missing)}
    return form_class(data, **kwargs)


def _available_actions(request: HttpRequest, dossier: Dossier) -> list[dict[str, Any]]:
    out = []
    for action, (step, perm, _form) in ACTIONS.items():
        if dossier.status not in ALLOWED_FROM[step]:
            continue
        if not request.user.has_perm(perm, dossier):
            continue
        out.append(
            {
                "action": action,
                "title": ACTION_TITLES[action],
                "form": _form_for(action, dossier),
                "url": reverse("onestop:dossier-action", args=[dossier.code, action]),
            }
        )
    return out


@login_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    now = timezone.now()
    cal = get_calendar()
    return render(
        request,
        "onestop/dossier_detail.html",
        {
            "dossier": dossier,
            "state": dossier.deadline_state(now, cal),
            "late_without_apology": dossier.late_without_apology(now),
            "events": selectors.timeline(dossier, public=False),
            "handovers": list(
                dossier.handovers.select_related("from_agency", "to_agency", "from_user", "to_user")
            ),
            "forms": documents.available_forms(dossier),
            "actions": _available_actions(request, dossier),
            "apology": getattr(dossier, "apology", None) if dossier.apology_count else None,
            "apology_deadline": services.apology_deadline(dossier)
            if dossier.is_running and not dossier.apology_count
            else None,
            "insufficient_deadline": services.insufficient_deadline(dossier)
            if dossier.status == "processing" and not dossier.insufficient_count
            else None,
            "rating": getattr(dossier, "rating", None)
            if dossier.status in ("resolved", "returned")
            else None,
            "can_tablet": request.user.has_perm("onestop.tablet_rating_dossier", dossier)
            and dossier.status in ("resolved", "returned"),
            "lookup_url": services.public_lookup_url(dossier),
        },
    )


def _run(action: str, actor: User, dossier: Dossier, form: Any) -> str:
    c = form.cleaned_data
    if action == "request-supplement":
        services.dossier_request_supplement(
            actor=actor, dossier=dossier, items=lines(c["items"]), reason=c["reason"]
        )
        return _("Đã lập phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.")
    if action == "supplement":
        services.dossier_supplement(
            actor=actor, dossier=dossier, documents=_documents_in(form), note=c["note"]
        )
        return _("Đã nhận hồ sơ bổ sung.")
    if action == "refuse":
        services.dossier_refuse(actor=actor, dossier=dossier, reasons=c["reasons"])
        return _("Đã lập phiếu từ chối tiếp nhận.")
    if action == "forward":
        services.dossier_forward(
            actor=actor,
            dossier=dossier,
            to_agency=c["to_agency"],
            to_user=c["to_user"],
            due_at=c["due_at"],
            step=c["step"],
            note=c["note"],
        )
        return _("Đã chuyển hồ sơ.")
    if action == "return-insufficient":
        services.dossier_return_insufficient(
            actor=actor, dossier=dossier, reason=c["reason"], items=lines(c["items"])
        )
        return _("Đã trả lại hồ sơ để bổ sung.")
    if action == "await-payment":
        services.dossier_await_payment(actor=actor, dossier=dossier, note=c["note"])
        return _("Hồ sơ chờ thực hiện nghĩa vụ tài chính.")
    if action == "payment-done":
        services.dossier_payment_done(actor=actor, dossier=dossier, note=c["note"])
        return _("Đã ghi nhận nghĩa vụ tài chính; tiếp tục giải quyết.")
    if action == "suspend":
        services.dossier_suspend(actor=actor, dossier=dossier, reason=c["reason"])
        return _("Đã tạm dừng giải quyết hồ sơ.")
    if action == "resume":
        services.dossier_resume(actor=actor, dossier=dossier, note=c["note"])
        return _("Đã tiếp tục giải quyết hồ sơ.")
    if action == "apologise":
        services.dossier_apologise(
            actor=actor, dossier=dossier, reason=c["reason"], new_due_at=form.new_due_at()
        )
        return _("Đã lập phiếu xin lỗi và hẹn lại ngày trả kết quả; công dân đã được thông báo.")
    if action == "resolve":
        services.dossier_resolve(
            actor=actor, dossier=dossier, decision=c["decision"], note=c["note"]
        )
        return _("Đã ghi nhận kết quả giải quyết.")
    if action == "return-result":
        services.dossier_return_result(
            actor=actor, dossier=dossier, method=c["method"], note=c["note"]
        )
        return _("Đã trả kết quả.")
    if action == "withdraw":
        services.dossier_withdraw(actor=actor, dossier=dossier, reason=c["reason"])
        return _("Đã ghi nhận công dân rút hồ sơ.")
    raise Http404


@login_required
@require_POST
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    dossier = _dossier(request, code)
    _step, perm, _form = ACTIONS[action]
    _require(request, perm, dossier)
    form = _form_for(action, dossier, request.POST)
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[f].label if f in form.fields else ''}: {', '.join(e)}".lstrip(": ")
            for f, e in form.errors.items()
        )
        messages.error(request, _("Chưa thực hiện được: %(errors)s") % {"errors": errors})
        return redirect(f"{reverse('onestop:dossier-detail', args=[code])}#action-{action}")
    try:
        text = _run(action, acting_user(request), dossier, form)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, text)
    return redirect("onestop:dossier-detail", code=code)


# --- forms 01-05 -------------------------------------------------------------------------------
def _form_doc(request: HttpRequest, code: str, form: str) -> tuple[Dossier, Any, str | None]:
    dossier = _dossier(request, code)
    _require(request, "onestop.print_dossier", dossier)
    found = documents.form_document(dossier, form)
    if found is None:
        raise Http404
    doc, qr_url = found
    return dossier, doc, qr_url


@login_required
def form_print(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """The HTML print view of a form (A4, Decree 30 layout; the browser prints it)."""
    dossier, doc, qr_url = _form_doc(request, code, form)
    return render(
        request,
        "onestop/print.html",
        {
            "doc": doc,
            "dossier": dossier,
            "form_number": form,
            "form_title": documents.FORMS[form],
            "qr": documents.qr_data_uri(qr_url) if qr_url else None,
            "qr_url": qr_url,
        },
    )


@login_required
def form_download(request: HttpRequest, code: str, form: str, fmt: str) -> HttpResponse:
    if fmt not in ("docx", "pdf"):
        raise Http404
    dossier, doc, qr_url = _form_doc(request, code, form)
    return _download(documents.render(doc, fmt, qr_url), fmt, f"mau-{form}-{dossier.code}")


# --- rating on the counter's tablet ------------------------------------------------------------
@login_required
def tablet_rating(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    _require(request, "onestop.tablet_rating_dossier", dossier)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_rate(
                dossier=dossier,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                channel=RatingChannel.TABLET,
                actor=acting_user(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Cảm ơn ông/bà đã đánh giá."))
        return redirect("onestop:dossier-detail", code=code)
    return render(request, "onestop/tablet_rating.html", {"dossier": dossier, "form": form})


# --- registers, statistics ---------------------------------------------------------------------
@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Form 06: the register of the day, as XLSX."""
    _require(request, "onestop.export_register")
    form = RegisterForm(request.GET or None, initial={"day": timezone.localdate()})
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["day"]
        dossiers = list(selectors.register_for(request.user, day))
        content = documents.xlsx([documents.register_sheet(day, dossiers)])
        return _download(content, "xlsx", f"so-theo-doi-ho-so-{day:%Y%m%d}")
    return render(request, "onestop/register.html", {"form": form})


def _stat_period(request: HttpRequest) -> tuple[StatisticsForm, date, date, str]:
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today
    form = StatisticsForm(
        request.GET or None, initial={"start": start, "end": end, "group_by": "agency"}
    )
    if form.is_bound and form.is_valid():
        c = form.cleaned_data
        return form, c["start"], c["end"], c["group_by"]
    return form, start, end, "agency"


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    _require(request, "onestop.view_statistics")
    form, start, end, group_by = _stat_period(request)
    stats = selectors.statistics(user=request.user, start=start, end=end, group_by=group_by)
    query = request.GET.copy()
    return render(
        request,
        "onestop/statistics.html",
        {"form": form, "stats": stats, "query_string": query.urlencode()},
    )


@login_required
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    _require(request, "onestop.view_statistics")
    _form, start, end, group_by = _stat_period(request)
    stats = selectors.statistics(user=request.user, start=start, end=end, group_by=group_by)
    content = documents.xlsx([documents.statistics_sheet(stats)])
    return _download(content, "xlsx", f"thong-ke-mot-cua-{start:%Y%m%d}-{end:%Y%m%d}")


# --- the catalogue in the back office ----------------------------------------------------------
@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    _require(request, "onestop.list_dossier")
    q = request.GET.get("q", "")
    page = Paginator(selectors.procedure_catalogue(q=q), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "onestop/procedure_list.html",
        {
            "page": page,
            "q": q,
            "query_string": f"q={q}" if q else "",
            "can_import": request.user.has_perm("onestop.import_procedure"),
            "can_reviews": request.user.has_perm("onestop.list_reviews"),
        },
    )


@login_required
def procedure_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _require(request, "onestop.list_dossier")
    procedures = list(
        Procedure.objects.select_related("field", "agency")
        .prefetch_related("documents", "forms")
        .order_by("code")
    )
    if fmt == "xlsx":
        content = export_xlsx(procedures)
    elif fmt == "csv":
        content = export_csv(procedures)
    else:
        raise Http404
    return _download(content, fmt, f"danh-muc-tthc-{timezone.localdate():%Y%m%d}")


@login_required
def procedure_import(request: HttpRequest) -> HttpResponse:
    _require(request, "onestop.import_procedure")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            form.add_error("file", _("Tệp quá lớn (tối đa 10 MB)."))
        elif not upload.name.lower().endswith((".xlsx", ".csv")):
            form.add_error("file", _("Chỉ nhận tệp .xlsx hoặc .csv."))
        else:
            report = services.procedures_import(
                actor=acting_user(request), file_name=upload.name, content=upload.read()
            )
    return render(request, "onestop/procedure_import.html", {"form": form, "report": report})


@login_required
def procedure_review(request: HttpRequest, code: str) -> HttpResponse:
    procedure = Procedure.objects.select_related("agency__unit", "field").filter(code=code).first()
    if procedure is None:
        raise Http404
    _require(request, "onestop.review_procedure", procedure)
    today = timezone.localdate()
    form = ReviewForm(
        request.POST or None,
        initial={
            "year": today.year,
            "proposed_days": procedure.processing_amount,
            "proposed_fee": procedure.fee_amount,
            "proposed_documents": procedure.documents.count(),
        },
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.procedure_review_create(actor=acting_user(request), procedure=procedure, **c)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Đã ghi nhận kết quả rà soát thủ tục %(code)s.") % {"code": code}
            )
            return redirect("onestop:review-list")
    return render(request, "onestop/review_form.html", {"form": form, "procedure": procedure})


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    _require(request, "onestop.list_reviews")
    reviews = list(selectors.reviews_for(request.user)[:200])
    return render(request, "onestop/review_list.html", {"reviews": reviews})
