"""Back-office screens: prepare a draft, open and close it, moderate, answer, report, publish."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.consultations import policy, selectors, services
from danvan.consultations.forms import (
    AttachForm,
    ConsultationForm,
    ImportForm,
    ModerateForm,
    PublishForm,
    ReportForm,
    ResponseForm,
    SectionForm,
    SectionsTextForm,
)
from danvan.consultations.models import (
    Comment,
    CommentStatus,
    Consultation,
    ConsultationStatus,
)
from danvan.consultations.views.public import CONTENT_TYPES, report_response
from danvan.core import files
from danvan.core.errors import ApplicationError
from danvan.org.selectors import official_of
from danvan.org.views.common import acting_user


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _field_error(form: Any, exc: ApplicationError) -> None:
    field = exc.details.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    if official_of(request.user) is None:
        raise PermissionDenied
    q = request.GET.get("q", "").strip()[:200]
    status = request.GET.get("status", "")
    page = Paginator(selectors.consultations_for(request.user, q=q, status=status), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "consultations/office/list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": ConsultationStatus.choices,
            "can_add": request.user.has_perm("consultations.add_consultation"),
            "pending": selectors.pending_comments_for(request.user).count(),
        },
    )


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    _require(request, "consultations.add_consultation")
    official = official_of(request.user)
    assert official is not None
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            c = services.consultation_create(
                actor=acting_user(request),
                agency=official.agency,
                title=d["title"],
                kind=d["kind"],
                summary=d["summary"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                identity_level=d["identity_level"],
                affected_units=list(d["affected_units"]),
            )
        except ApplicationError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, _("Đã tạo dự thảo. Hãy nhập nội dung các điều, mục."))
            return redirect("consultations:detail", pk=c.pk)
    return render(
        request,
        "consultations/office/form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.consultation_for(request.user, pk)
    _require(request, "consultations.change_consultation", c)
    form = ConsultationForm(request.POST or None, initial=ConsultationForm.initial_of(c))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        units = list(d.pop("affected_units"))
        try:
            services.consultation_update(
                actor=acting_user(request), consultation=c, affected_units=units, **d
            )
        except ApplicationError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("consultations:detail", pk=c.pk)
    return render(
        request,
        "consultations/office/form.html",
        {"form": form, "c": c},
        status=422 if form.errors else 200,
    )


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.consultation_for(request.user, pk)
    _require(request, "consultations.view_consultation", c)
    comments = list(selectors.comments_of(c))
    can_change = request.user.has_perm("consultations.change_consultation", c)
    return render(
        request,
        "consultations/office/detail.html",
        {
            "c": c,
            "sections": list(c.sections.order_by("order")),
            "comments": comments,
            "pending": [x for x in comments if x.status == CommentStatus.PENDING],
            "published": [x for x in comments if x.status == CommentStatus.PUBLISHED],
            "rejected": [x for x in comments if x.status == CommentStatus.REJECTED],
            "unanswered": sum(
                1
                for x in comments
                if x.status == CommentStatus.PUBLISHED and selectors.response_of(x) is None
            ),
            "attachments": selectors.attachments_of(c),
            "can_change": can_change,
            "can_moderate": request.user.has_perm("consultations.moderate_comment", c),
            "can_respond": request.user.has_perm("consultations.respond_comment", c),
            "can_publish": request.user.has_perm("consultations.publish_consultation", c),
            "import_form": ImportForm(),
            "text_form": SectionsTextForm(),
            "section_form": SectionForm(),
            "attach_form": AttachForm(),
            "report_form": ReportForm(
                initial={"signer": c.report_signer, "signer_position": c.report_signer_position}
            ),
            "publish_form": PublishForm(),
            "moderate_form": ModerateForm(),
            "reason_label": policy.reason_label,
        },
    )


def _post_action(request: HttpRequest, pk: int, perm: str) -> Consultation:
    c = selectors.consultation_for(request.user, pk)
    _require(request, perm, c)
    return c


@login_required
@require_POST
def sections_import(request: HttpRequest, pk: int) -> HttpResponse:
    c = _post_action(request, pk, "consultations.change_consultation")
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            n = services.sections_import_docx(
                actor=acting_user(request), consultation=c, upload=form.cleaned_data["file"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã nhập %(n)d phần từ tệp dự thảo.") % {"n": n})
    else:
        messages.error(request, _("Hãy chọn tệp .docx."))
    return redirect("consultations:detail", pk=c.pk)


@login_required
@require_POST
def sections_text(request: HttpRequest, pk: int) -> HttpResponse:
    c = _post_action(request, pk, "consultations.change_consultation")
    try:
        if "text" in request.POST:
            form: Any = SectionsTextForm(request.POST)
            if form.is_valid():
                n = services.sections_from_text(
                    actor=acting_user(request), consultation=c, text=form.cleaned_data["text"]
                )
                messages.success(request, _("Đã tách thành %(n)d phần.") % {"n": n})
            else:
                messages.error(request, _("Hãy nhập nội dung dự thảo."))
        else:
            form = SectionForm(request.POST)
            if form.is_valid():
                services.section_add(
                    actor=acting_user(request), consultation=c, **form.cleaned_data
                )
                messages.success(request, _("Đã thêm một phần."))
            else:
                messages.error(request, _("Hãy nhập nội dung của phần cần thêm."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("consultations:detail", pk=c.pk)


@login_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    c = _post_action(request, pk, "consultations.change_consultation")
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.consultation_attach(
                actor=acting_user(request), consultation=c, upload=form.cleaned_data["file"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã đính kèm tệp."))
    return redirect("consultations:detail", pk=c.pk)


@login_required
@require_POST
def open_(request: HttpRequest, pk: int) -> HttpResponse:
    c = _post_action(request, pk, "consultations.change_consultation")
    try:
        services.consultation_open(actor=acting_user(request), consultation=c)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã công bố dự thảo để lấy ý kiến trên cổng thông tin."))
    return redirect("consultations:detail", pk=c.pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    c = _post_action(request, pk, "consultations.change_consultation")
    try:
        services.consultation_close(actor=acting_user(request), consultation=c)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã kết thúc lấy ý kiến và thông báo cho người theo dõi."))
    return redirect("consultations:detail", pk=c.pk)


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if official_of(request.user) is None:
        raise PermissionDenied
    comments = list(selectors.pending_comments_for(request.user)[:200])
    return render(
        request,
        "consultations/office/moderation.html",
        {
            "comments": [
                (x, [policy.reason_label(f) for f in policy.screen(x.body)]) for x in comments
            ],
            "form": ModerateForm(),
            "reasons": policy.REASONS,
            "reason_label": policy.reason_label,
        },
    )


def _comment_for(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("consultation__agency__unit", "section"), pk=pk
    )
    if not request.user.has_perm("consultations.view_consultation", comment.consultation):
        raise Http404
    return comment


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request, pk)
    _require(request, "consultations.moderate_comment", comment)
    form = ModerateForm(request.POST)
    if form.is_valid():
        try:
            services.comment_moderate(
                actor=acting_user(request),
                comment=comment,
                publish=form.cleaned_data["decision"] == "publish",
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã kiểm duyệt ý kiến số %(n)d.") % {"n": comment.number})
    else:
        messages.error(request, _("Hãy chọn đăng hoặc không đăng."))
    return redirect(request.POST.get("next") or "consultations:moderation")


@login_required
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request, pk)
    _require(request, "consultations.respond_comment", comment)
    existing = selectors.response_of(comment)
    form = ResponseForm(
        request.POST or None,
        initial={"outcome": existing.outcome, "text": existing.text} if existing else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_respond(
                actor=acting_user(request), comment=comment, **form.cleaned_data
            )
        except ApplicationError as exc:
            _field_error(form, exc)
        else:
            messages.success(
                request, _("Đã lưu tiếp thu, giải trình ý kiến số %(n)d.") % {"n": comment.number}
            )
            return redirect(f"{_detail_url(comment.consultation)}#y-kien-{comment.pk}")
    return render(
        request,
        "consultations/office/respond.html",
        {"comment": comment, "form": form},
        status=422 if form.errors else 200,
    )


def _detail_url(c: Consultation) -> str:
    from django.urls import reverse

    return reverse("consultations:detail", args=[c.pk])


@login_required
@require_POST
def issue_report(request: HttpRequest, pk: int) -> HttpResponse:
    c = _post_action(request, pk, "consultations.publish_consultation")
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            c = services.synthesis_issue(
                actor=acting_user(request), consultation=c, **form.cleaned_data
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã cấp số báo cáo %(s)s.") % {"s": c.report_symbol})
    else:
        messages.error(request, _(services.ERR_SIGNER))
    return redirect("consultations:detail", pk=c.pk)


@login_required
def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    c = selectors.consultation_for(request.user, pk)
    _require(request, "consultations.view_consultation", c)
    if not c.report_symbol:
        raise Http404
    return report_response(c, fmt)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    c = _post_action(request, pk, "consultations.publish_consultation")
    form = PublishForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.consultation_publish(
                actor=acting_user(request),
                consultation=c,
                final_text=form.cleaned_data["final_text"],
                final_upload=form.cleaned_data["final_file"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã công bố báo cáo tổng hợp và văn bản hoàn chỉnh."))
    return redirect("consultations:detail", pk=c.pk)


@login_required
def attachment(request: HttpRequest, pk: int, att: int) -> HttpResponse:
    c = selectors.consultation_for(request.user, pk)
    _require(request, "consultations.view_consultation", c)
    a = next((x for x in selectors.attachments_of(c) if x.pk == att), None)
    if a is None:
        raise Http404
    return redirect("attachment-download", token=files.signed_token(a, request.user))
