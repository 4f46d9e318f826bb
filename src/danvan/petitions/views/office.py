"""Back-office screens of the petitions app. Thin: parse, authorise, call a service or a
selector, render. A protected identity reaches a template only through the audited reveal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core import files
from danvan.core.documents import render_docx, render_pdf, render_xlsx
from danvan.core.errors import ApplicationError, InvalidTransition, PermissionDeniedError
from danvan.core.models import Attachment
from danvan.org.models import Agency
from danvan.org.selectors import official_of
from danvan.petitions import exports, forms, selectors, services
from danvan.petitions.documents import document_for, redacted_copy
from danvan.petitions.identity import Identity
from danvan.petitions.models import (
    Petition,
    PetitionDocument,
    PetitionKind,
    ReceptionDay,
    ReceptionEntry,
    Status,
)
from danvan.shell.registry import Period

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PAGE_SIZE = 50


def _official_agency(request: HttpRequest) -> Agency:
    official = official_of(request.user)
    if official is None:
        raise PermissionDenied
    return official.agency


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _file(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- list, export -------------------------------------------------------------------------------
def _filtered(request: HttpRequest) -> tuple[forms.ListFilterForm, Any]:
    form = forms.ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.petitions_for(
        request.user,
        status=data.get("status", ""),
        kind=data.get("kind", ""),
        tag=data.get("tag", ""),
        q=data.get("q", ""),
    )
    return form, qs


@login_required
def petition_list(request: HttpRequest) -> HttpResponse:
    official = official_of(request.user)
    if official is None or not request.user.has_perm("petitions.view_register"):
        raise PermissionDenied
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {"p": p, "sender": selectors.petitioner_label(p), "timeliness": p.timeliness(now)}
        for p in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "petitions/office/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query_string": query.urlencode(),
            "can_add": request.user.has_perm("petitions.add_petition", official.agency),
            "can_export": request.user.has_perm("petitions.export_petitions"),
        },
    )


@login_required
def petition_export(request: HttpRequest) -> HttpResponse:
    _require(request, "petitions.export_petitions")
    _form, qs = _filtered(request)
    content = render_xlsx([exports.petitions_sheet(list(qs[:5000]), timezone.now())])
    return _file(content, "xlsx", f"don-thu-{timezone.localdate():%Y%m%d}")


# --- intake -------------------------------------------------------------------------------------
@login_required
def petition_new(request: HttpRequest) -> HttpResponse:
    agency = _official_agency(request)
    _require(request, "petitions.add_petition", agency)
    form = forms.PetitionReceiveForm(
        request.POST or None,
        initial={"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        first_round = None
        if d.get("first_round_code"):
            first_round = Petition.objects.filter(code=d["first_round_code"].strip()).first()
            if first_round is None:
                form.add_error("first_round_code", _("Không tìm thấy đơn có mã này."))
        if not form.errors:
            try:
                petition = services.petition_receive(
                    actor=request.user,
                    agency=agency,
                    kind=d["kind"],
                    received_at=d["received_at"],
                    petitioner=services.PetitionerIn(
                        name=d["name"], address=d["address"], phone=d["phone"], email=d["email"]
                    ),
                    content=d["content"],
                    subject=d["subject"],
                    signers_count=d["signers_count"],
                    source=d["source"],
                    source_body=d["source_body"],
                    round=d["round"],
                    first_round=first_round,
                    is_complex=d["is_complex"],
                    is_remote=d["is_remote"],
                    decision_complained=d["decision_complained"],
                    decision_known_on=d["decision_known_on"],
                    tags=[t.code for t in d["tags"]],
                    sealed_ref=d["sealed_ref"],
                )
            except ApplicationError as exc:
                form.add_error(
                    exc.details.get("field") if exc.details.get("field") in form.fields else None,
                    exc.message,
                )
            else:
                messages.success(request, _("Đã vào sổ đơn %(code)s.") % {"code": petition.code})
                return redirect("petitions:detail", pk=petition.pk)
    return render(
        request,
        "petitions/office/form.html",
        {"form": form, "title": _("Nhận đơn"), "submit": _("Vào sổ đơn"), "back": "petitions:list"},
        status=422 if form.errors else 200,
    )


# --- detail and steps ---------------------------------------------------------------------------
def _get_visible(request: HttpRequest, pk: int) -> Petition:
    petition = selectors.petition_for(request.user, pk)
    if petition is None:
        raise Http404
    if not request.user.has_perm("petitions.view_petition", petition):
        raise PermissionDenied
    return petition


def _action_forms(petition: Petition, data: Any = None, which: str = "") -> dict[str, Any]:
    def bound(name: str, cls: Any, **kw: Any) -> Any:
        return cls(data if which == name else None, prefix=name, **kw)

    initial_classify = {
        "kind": petition.kind,
        "round": petition.round,
        "competent": "0" if petition.competent is False else "1",
        "is_complex": petition.is_complex,
        "is_remote": petition.is_remote,
        "complexity": petition.complexity,
        "tags": [t.code for t in petition.tags.all()],
        **{f"cond_{k}": v is not False for k, v in _conditions(petition).items()},
    }
    classify = forms.ClassifyForm(
        data if which == "classify" else None, prefix="classify", initial=initial_classify
    )
    return {
        "classify": classify,
        "accept": bound("accept", forms.AcceptForm),
        "guide": bound("guide", forms.GuideForm),
        "transfer": bound("transfer", forms.TransferForm),
        "store": bound("store", forms.StoreForm),
        "duplicate": bound("duplicate", forms.DuplicateForm),
        "assign": bound("assign", forms.AssignForm, agency=petition.agency),
        "extend": bound("extend", forms.ExtendForm),
        "verify": bound("verify", forms.VerifyForm),
        "resolve": bound("resolve", forms.ResolveForm),
        "reopen": bound("reopen", forms.ReopenForm),
        "reveal": forms.RevealForm(prefix="reveal"),
    }


def _conditions(petition: Petition) -> dict[str, bool | None]:
    return {
        "language": petition.cond_language,
        "date": petition.cond_date,
        "name": petition.cond_name,
        "address": petition.cond_address,
        "signature": petition.cond_signature,
    }


def _detail(
    request: HttpRequest,
    petition: Petition,
    *,
    data: Any = None,
    which: str = "",
    error: str = "",
    identity: Identity | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    can = {
        "handle": user.has_perm("petitions.handle_petition", petition),
        "assign": user.has_perm("petitions.assign_petition", petition),
        "verify": user.has_perm("petitions.verify_petition", petition),
        "extend": user.has_perm("petitions.extend_petition", petition),
        "resolve": user.has_perm("petitions.resolve_petition", petition),
        "reopen": user.has_perm("petitions.reopen_petition", petition),
        "reveal": user.has_perm("petitions.reveal_identity", petition),
    }
    candidates = (
        selectors.duplicate_candidates(user, petition)
        if can["handle"] and petition.status == Status.RECEIVED
        else []
    )
    return render(
        request,
        "petitions/office/detail.html",
        {
            "p": petition,
            "sender": selectors.petitioner_label(petition),
            "identity": identity,
            "timeliness": petition.timeliness(now),
            "can": can,
            "forms": _action_forms(petition, data, which),
            "which": which,
            "error": error,
            "candidates": candidates,
            "events": list(petition.events.all()),
            "documents": list(petition.documents.all()),
            "extensions": list(petition.extensions.all()),
            "assignments": [a for a in petition.assignments.all() if a.active],
            "attachments": [
                (a, reverse("attachment-download", args=[files.signed_token(a, user)]))
                for a in Attachment.objects.filter(
                    owner_type="petitions.petition", owner_id=str(petition.pk)
                ).order_by("pk")
            ],
            "Status": Status,
            "is_denunciation": petition.kind == PetitionKind.DENUNCIATION,
            "is_complaint": petition.kind == PetitionKind.COMPLAINT,
        },
        status=status,
    )


@login_required
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_visible(request, pk))


@login_required
@require_POST
def petition_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the sender's identity on this response only (recorded in the audit trail)."""
    petition = _get_visible(request, pk)
    form = forms.RevealForm(request.POST, prefix="reveal")
    if not form.is_valid():
        return _detail(request, petition, error=_("Cần chọn mục đích xem thông tin."), status=422)
    try:
        ident = services.identity_reveal(
            actor=request.user, petition=petition, purpose=form.cleaned_data["purpose"]
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except ApplicationError as exc:
        return _detail(request, petition, error=exc.message, status=422)
    response = _detail(request, petition, identity=ident)
    response["Cache-Control"] = "private, no-store"
    return response


def _run(request: HttpRequest, petition: Petition, action: str, form: Any) -> Any:
    d = form.cleaned_data
    user = request.user
    if action == "classify":
        return services.petition_classify(
            actor=user,
            petition=petition,
            kind=d["kind"],
            round=d["round"],
            conditions=form.conditions(),
            competent=d["competent"],
            is_complex=d["is_complex"],
            is_remote=d["is_remote"],
            complexity=d["complexity"] or None,
            tags=[t.code for t in d["tags"]],
            false_name=d["false_name"],
            sealed_ref=d["sealed_ref"],
            note=d["note"],
        )
    if action == "accept":
        return services.petition_accept(
            actor=user,
            petition=petition,
            accepted_at=d["accepted_at"],
            is_complex=d["is_complex"],
            is_remote=d["is_remote"],
            complexity=d["complexity"] or None,
        )
    if action == "guide":
        return services.petition_guide(
            actor=user, petition=petition, guided_to=d["guided_to"], note=d["note"]
        )
    if action == "transfer":
        return services.petition_transfer(
            actor=user,
            petition=petition,
            to_agency=d["to_agency"],
            to_name=d["to_name"],
            note=d["note"],
        )
    if action == "store":
        return services.petition_store(
            actor=user, petition=petition, reason=d["reason"], note=d["note"]
        )
    if action == "duplicate":
        existing = selectors.petitions_for(user).filter(code=d["existing"].strip()).first()
        if existing is None:
            raise ApplicationError(_("Không tìm thấy vụ việc có mã này."))
        return services.petition_link_duplicate(actor=user, petition=petition, existing=existing)
    if action == "assign":
        return services.petition_assign(
            actor=user, petition=petition, official=d["official"], duty=d["duty"]
        )
    if action == "extend":
        return services.petition_extend(
            actor=user, petition=petition, reason=d["reason"], complexity=d["complexity"]
        )
    if action == "verify":
        return services.petition_record_verification(actor=user, petition=petition, note=d["note"])
    if action == "resolve":
        return services.petition_resolve(
            actor=user,
            petition=petition,
            outcome=d["outcome"],
            summary=d["summary"],
            resolved_at=d["resolved_at"],
            legal_effect_date=d["legal_effect_date"],
        )
    if action == "reopen":
        return services.petition_reopen(actor=user, petition=petition, reason=d["reason"])
    raise Http404


DONE = {
    "classify": _("Đã ghi kết quả phân loại đơn."),
    "accept": _("Đã thụ lý đơn và lập thông báo thụ lý."),
    "guide": _("Đã hướng dẫn người gửi đơn và lập văn bản hướng dẫn."),
    "transfer": _("Đã chuyển đơn và lập phiếu chuyển."),
    "store": _("Đã lưu đơn."),
    "duplicate": _("Đã gắn đơn trùng vào vụ việc đang giải quyết."),
    "assign": _("Đã phân công cán bộ."),
    "extend": _("Đã gia hạn và lập thông báo gia hạn."),
    "verify": _("Đã ghi kết quả xác minh."),
    "resolve": _("Đã ghi kết quả giải quyết và lập văn bản."),
    "reopen": _("Đã mở lại vụ việc để giải quyết lại."),
}


ACTION_PERMS = {
    **dict.fromkeys(
        ["classify", "accept", "guide", "transfer", "store", "duplicate"],
        "petitions.handle_petition",
    ),
    "assign": "petitions.assign_petition",
    "extend": "petitions.extend_petition",
    "verify": "petitions.verify_petition",
    "resolve": "petitions.resolve_petition",
    "reopen": "petitions.reopen_petition",
}


@login_required
@require_POST
def petition_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in DONE:
        raise Http404
    petition = _get_visible(request, pk)
    _require(request, ACTION_PERMS[action], petition)
    form = _action_forms(petition, request.POST, action)[action]
    if not form.is_valid():
        return _detail(request, petition, data=request.POST, which=action, status=422)
    try:
        _run(request, petition, action, form)
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except InvalidTransition as exc:
        return _detail(
            request, petition, data=request.POST, which=action, error=exc.message, status=409
        )
    except ApplicationError as exc:
        petition = _get_visible(request, pk)
        return _detail(
            request, petition, data=request.POST, which=action, error=exc.message, status=422
        )
    messages.success(request, DONE[action])
    return redirect("petitions:detail", pk=petition.pk)


@login_required
def petition_document(request: HttpRequest, pk: int, doc_id: int, fmt: str) -> HttpResponse:
    """A document of the case. A protected identity is filled in only for those who may see
    it, and each such download is an audited reveal."""
    if fmt not in ("docx", "pdf"):
        raise Http404
    petition = _get_visible(request, pk)
    doc = get_object_or_404(PetitionDocument, pk=doc_id, petition=petition)
    doc.petition = petition
    ident: Identity | None = None
    if request.user.has_perm("petitions.reveal_identity", petition):
        if not petition.protected:
            ident = services.identity_of(petition)
        elif petition.identity_sealed:
            ident = services.identity_reveal(
                actor=request.user, petition=petition, purpose="document"
            )
    official_doc = document_for(doc, ident)
    content = render_docx(official_doc) if fmt == "docx" else render_pdf(official_doc)
    return _file(content, fmt, f"{petition.code}-{doc.kind}")


@login_required
def petition_redacted(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The redacted copy of the file for whoever verifies the content."""
    if fmt not in ("docx", "pdf"):
        raise Http404
    petition = _get_visible(request, pk)
    _require(request, "petitions.verify_petition", petition)
    events = [
        (e.at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y"), e.label, e.note)
        for e in petition.events.all()
    ]
    doc = redacted_copy(petition, events, timezone.localdate())
    content = render_docx(doc) if fmt == "docx" else render_pdf(doc)
    return _file(content, fmt, f"{petition.code}-ban-sao-da-che")


# --- overdue, long-running, statistics ----------------------------------------------------------
@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    _require(request, "petitions.view_overdue")
    now = timezone.now()
    rows = list(selectors.overdue_for(request.user, now)[:500])
    return render(
        request,
        "petitions/office/overdue.html",
        {
            "title": _("Đơn thư quá hạn"),
            "intro": _(
                "Đơn đang xử lý hoặc đang giải quyết đã quá hạn theo quy định, trong phạm vi của bạn."
            ),
            "rows": [{"p": p, "sender": selectors.petitioner_label(p)} for p in rows],
            "now": now,
            "kind": "overdue",
        },
    )


@login_required
def long_running(request: HttpRequest) -> HttpResponse:
    _require(request, "petitions.view_overdue")
    now = timezone.now()
    rows = list(selectors.long_running_for(request.user, now)[:500])
    return render(
        request,
        "petitions/office/overdue.html",
        {
            "title": _("Vụ việc tồn đọng, kéo dài"),
            "intro": _(
                "Vụ việc quá hạn giải quyết hoặc đã phải giải quyết lại từ hai lần trở lên."
            ),
            "rows": [{"p": p, "sender": selectors.petitioner_label(p)} for p in rows],
            "now": now,
            "kind": "long_running",
        },
    )


def _period(request: HttpRequest) -> Period:
    today = timezone.localdate()
    default_start = date(today.year, 1, 1)
    try:
        start = date.fromisoformat(request.GET.get("from") or default_start.isoformat())
        end = date.fromisoformat(request.GET.get("to") or today.isoformat())
    except ValueError:
        start, end = default_start, today
    if end < start:
        start, end = end, start
    return Period(start, end)


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    _require(request, "petitions.view_statistics")
    period = _period(request)
    agencies = list(
        selectors.stats_agencies(request.user).select_related("unit").order_by("unit__path", "name")
    )
    by_agency = selectors.statistics_by_agency([a.pk for a in agencies], period)
    rows = [(a, by_agency.get(a.pk, {})) for a in agencies]
    rows = [(a, r) for a, r in rows if any(r.values())] or rows[:20]
    total = selectors.statistics([a.pk for a in agencies], period)
    if request.GET.get("format") == "xlsx":
        return _file(
            render_xlsx([exports.statistics_sheet(rows, total, period)]),
            "xlsx",
            f"thong-ke-don-thu-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
        )
    return render(
        request,
        "petitions/office/statistics.html",
        {
            "period": period,
            "keys": selectors.STAT_KEYS,
            "labels": selectors.STAT_LABELS,
            "rows": [(a, [r.get(k, 0) for k in selectors.STAT_KEYS]) for a, r in rows],
            "total": [total[k] for k in selectors.STAT_KEYS],
        },
    )


# --- reception register -------------------------------------------------------------------------
@login_required
def reception_list(request: HttpRequest) -> HttpResponse:
    _require(request, "petitions.view_register")
    official = official_of(request.user)
    assert official is not None
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.reception_entries_for(request.user, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [{"e": e, "visitors": selectors.entry_visitors_label(e)} for e in page]
    return render(
        request,
        "petitions/office/reception_list.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "query_string": f"q={q}" if q else "",
            "can_add": request.user.has_perm("petitions.add_receptionentry", official.agency),
        },
    )


@login_required
def reception_new(request: HttpRequest) -> HttpResponse:
    agency = _official_agency(request)
    _require(request, "petitions.add_receptionentry", agency)
    form = forms.ReceptionForm(
        request.POST or None,
        agency=agency,
        initial={"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = services.reception_record(
                actor=request.user,
                agency=agency,
                received_at=d["received_at"],
                kind=d["kind"],
                visitors=form.visitors(),
                visitor_count=d["visitor_count"],
                content=d["content"],
                documents_received=d["documents_received"],
                guidance=d["guidance"],
                reception_day=d["reception_day"],
                create_petition=d["create_petition"],
                subject=d["subject"],
                tags=[t.code for t in d["tags"]],
                is_complex=d["is_complex"],
                is_remote=d["is_remote"],
                sealed_ref=d["sealed_ref"],
            )
        except ApplicationError as exc:
            field = exc.details.get("field")
            if field == "visitors":
                field = "representatives"
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            if entry.petition_id:
                messages.success(
                    request,
                    _("Đã vào sổ tiếp công dân %(code)s và lập đơn %(petition)s.")
                    % {"code": entry.code, "petition": entry.petition.code},  # type: ignore[union-attr]
                )
                return redirect("petitions:detail", pk=entry.petition_id)
            messages.success(request, _("Đã vào sổ tiếp công dân %(code)s.") % {"code": entry.code})
            return redirect("petitions:reception-detail", pk=entry.pk)
    return render(
        request,
        "petitions/office/form.html",
        {
            "form": form,
            "title": _("Tiếp công dân — vào sổ"),
            "submit": _("Vào sổ"),
            "back": "petitions:reception",
            "intro": _(
                "Đoàn từ 5 người trở lên cùng một nội dung là vụ việc đông người: 5-10 người cử "
                "1-2 người đại diện; trên 10 người cử tối đa 5 người đại diện."
            ),
        },
        status=422 if form.errors else 200,
    )


def _entry_visible(request: HttpRequest, pk: int) -> ReceptionEntry:
    entry = selectors.reception_entries_for(request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


@login_required
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_visible(request, pk)
    return _reception_detail(request, entry)


def _reception_detail(
    request: HttpRequest, entry: ReceptionEntry, identity: Identity | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "petitions/office/reception_detail.html",
        {
            "e": entry,
            "visitors": selectors.entry_visitors_label(entry),
            "identity": identity,
            "can_reveal": request.user.has_perm("petitions.reveal_receptionentry", entry),
            "reveal_form": forms.RevealForm(prefix="reveal"),
        },
        status=status,
    )


@login_required
@require_POST
def reception_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_visible(request, pk)
    form = forms.RevealForm(request.POST, prefix="reveal")
    if not form.is_valid():
        return _reception_detail(request, entry, status=422)
    try:
        ident = services.reception_identity_reveal(
            actor=request.user, entry=entry, purpose=form.cleaned_data["purpose"]
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _reception_detail(request, entry, status=422)
    response = _reception_detail(request, entry, identity=ident)
    response["Cache-Control"] = "private, no-store"
    return response


# --- reception schedule -------------------------------------------------------------------------
def _month(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in (request.GET.get("month") or "").split("-"))
        date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    _require(request, "petitions.view_receptionday")
    agency = _official_agency(request)
    year, month = _month(request)
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    can_change = request.user.has_perm("petitions.change_receptionday", agency)
    form = forms.ReceptionDayForm(request.POST or None, agency=agency) if can_change else None
    if request.method == "POST":
        _require(request, "petitions.change_receptionday", agency)
        assert form is not None
        if form.is_valid():
            d = form.cleaned_data
            try:
                item = services.reception_day_add(
                    actor=request.user,
                    agency=agency,
                    leader=d["leader"],
                    day=d["day"],
                    start_time=d["start_time"],
                    end_time=d["end_time"],
                    kind=d["kind"],
                    location=d["location"],
                    note=d["note"],
                    published=d["published"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Đã thêm ngày tiếp công dân %(day)s.") % {"day": f"{item.day:%d/%m/%Y}"},
                )
                return redirect(f"{request.path}?month={item.day:%Y-%m}")
    prev_month = (first - timedelta(days=1)).strftime("%Y-%m")
    next_month = (last + timedelta(days=1)).strftime("%Y-%m")
    return render(
        request,
        "petitions/office/schedule.html",
        {
            "days": selectors.reception_days_for(request.user, first, last),
            "shortfalls": selectors.reception_shortfalls(request.user, year, month),
            "form": form,
            "first": first,
            "prev_month": prev_month,
            "next_month": next_month,
            "can_change": can_change,
        },
        status=422 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def schedule_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ReceptionDay.objects.select_related("agency"), pk=pk)
    try:
        services.reception_day_remove(actor=request.user, item=item)
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    messages.success(request, _("Đã xóa ngày tiếp công dân."))
    return redirect("petitions:schedule")


# --- agency settings ----------------------------------------------------------------------------
@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    agency = _official_agency(request)
    _require(request, "petitions.change_petitionsettings", agency)
    current = services.settings_for(agency)
    form = forms.SettingsForm(
        request.POST or None, initial={"identity_storage": current.identity_storage}
    )
    if request.method == "POST" and form.is_valid():
        services.settings_set(
            actor=request.user,
            agency=agency,
            identity_storage=form.cleaned_data["identity_storage"],
            purge_existing=form.cleaned_data["purge_existing"],
        )
        messages.success(request, _("Đã lưu thiết lập."))
        return redirect("petitions:settings")
    return render(
        request,
        "petitions/office/settings.html",
        {"form": form, "agency": agency, "current": current},
    )
