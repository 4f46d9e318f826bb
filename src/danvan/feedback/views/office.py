"""Back-office screens: the inbox, an item with its actions, the overdue list, routing rules,
reply templates and statistics. Thin: parse, authorise, call a service or a selector, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from danvan.core import files
from danvan.core.documents import render_xlsx
from danvan.core.errors import ApplicationError, NotFoundError
from danvan.feedback import selectors, services, stats
from danvan.feedback.forms import (
    AnswerForm,
    ApproveForm,
    AssignForm,
    InboxFilterForm,
    MergeForm,
    OfficeFeedbackForm,
    PublishForm,
    ReplyTemplateForm,
    ReturnForm,
    RoutingRuleForm,
    TransferForm,
)
from danvan.feedback.models import Channel, Feedback, ReplyTemplate, RoutingRule, Status
from danvan.feedback.views.common import add_error, query_string
from danvan.org.selectors import agencies_for, official_of
from danvan.org.views.common import acting_user
from danvan.shell.registry import Period

ERR_NO_TARGET = gettext_noop("Không tìm thấy phản ánh có mã này trong phạm vi của bạn.")


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _item(request: HttpRequest, pk: int) -> Feedback:
    try:
        item = selectors.item_for(request.user, pk)
    except NotFoundError:
        raise Http404 from None
    _require(request, "feedback.view_feedback", item)
    return item


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _require(request, "feedback.view_inbox")
    form = InboxFilterForm(request.GET or None)
    f = selectors.InboxFilter()
    if form.is_valid():
        f = selectors.InboxFilter(**form.cleaned_data)
    page = Paginator(selectors.inbox(request.user, f), 30).get_page(request.GET.get("page"))
    official = official_of(request.user)
    can_add = official is not None and request.user.has_perm(
        "feedback.add_feedback", official.agency
    )
    return render(
        request,
        "feedback/office/inbox.html",
        {"form": form, "page": page, "query_string": query_string(request), "can_add": can_add},
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Enter feedback that reached the agency in writing or by phone."""
    official = official_of(request.user)
    if official is None or not request.user.has_perm("feedback.add_feedback", official.agency):
        raise PermissionDenied
    form = OfficeFeedbackForm(
        request.POST or None,
        request.FILES or None,
        initial={"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.feedback_submit(
                    actor=acting_user(request),
                    data=services.Submission(
                        category=data["category"],
                        title=data["title"],
                        content=data["content"],
                        dossier_code=data["dossier_code"],
                        unit=data["unit"],
                        address=data["address"],
                        latitude=data["latitude"],
                        longitude=data["longitude"],
                        sender_name=data["sender_name"],
                        sender_address=data["sender_address"],
                        sender_phone=data["sender_phone"],
                        sender_email=data["sender_email"],
                        publish_consent=data["publish_consent"],
                        channel=Channel.OFFICE,
                    ),
                    uploads=data["attachments"],
                    received_at=data["received_at"],
                    at_agency=official.agency,
                )
            except ApplicationError as exc:
                if exc.status == 403:
                    raise PermissionDenied from exc
                add_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã vào sổ phản ánh %(code)s; hãy báo mã tra cứu cho người gửi.")
                    % {"code": item.code},
                )
                return redirect("feedback:detail", pk=item.pk)
    return render(request, "feedback/office/new.html", {"form": form}, status=status)


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    _require(request, "feedback.view_overdue")
    items = list(selectors.overdue_for(request.user)[:500])
    return render(request, "feedback/office/overdue.html", {"items": items})


def _detail_context(request: HttpRequest, item: Feedback, **forms: Any) -> dict[str, Any]:
    user = request.user
    can = {
        action: user.has_perm(f"feedback.{action}_feedback", item)
        for action in ("assign", "transfer", "merge", "answer", "approve", "publish")
    }
    is_open = item.status in (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_APPROVAL)
    template_id = request.GET.get("template")
    answer_initial = {"text": item.answer_text}
    if template_id and template_id.isdigit():
        template = selectors.templates_for(user).filter(pk=int(template_id)).first()
        if template is not None:
            answer_initial = {"text": services.render_template(template, item)}
    ctx: dict[str, Any] = {
        "item": item,
        "events": selectors.events_of(item),
        "attachments": [(a, files.signed_token(a, user)) for a in selectors.attachments_of(item)],
        "can": can,
        "is_open": is_open,
        "duplicates": list(item.duplicates.all().only("pk", "code", "title")),
        "templates": list(selectors.templates_for(user, item.category)) if can["answer"] else [],
        "similar": (
            selectors.similar_items(user, item)
            if can["merge"] and item.status in (Status.RECEIVED, Status.PROCESSING)
            else []
        ),
        "assign_form": forms.get("assign_form") or AssignForm(item=item),
        "transfer_form": forms.get("transfer_form") or TransferForm(item=item),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(initial=answer_initial),
        "approve_form": forms.get("approve_form")
        or ApproveForm(initial={"text": item.answer_text}),
        "return_form": forms.get("return_form") or ReturnForm(),
        "publish_form": forms.get("publish_form")
        or PublishForm(
            initial=(
                {
                    "public_title": item.public_title,
                    "public_content": item.public_content,
                    "public_answer": item.public_answer,
                }
                if item.published_at
                else services.public_draft(item)
            )
        ),
    }
    if item.duplicate_of_id:
        ctx["duplicate_of"] = Feedback.objects.filter(pk=item.duplicate_of_id).first()
    return ctx


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return render(request, "feedback/office/detail.html", _detail_context(request, item))


def _act(
    request: HttpRequest, pk: int, form_name: str, form: Any, call: Any, success: str
) -> HttpResponse:
    """Validate ``form``, call the service, redirect with a message; or show the page with the
    form's errors (status 422), or 409 for a refused state change."""
    item = _item(request, pk)
    if form.is_valid():
        try:
            call(item, form.cleaned_data)
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            add_error(form, exc)
            status = exc.status if exc.status in (409, 422) else 422
        else:
            messages.success(request, success)
            return redirect("feedback:detail", pk=pk)
    else:
        status = 422
    item = selectors.item_for(request.user, pk)
    return render(
        request,
        "feedback/office/detail.html",
        _detail_context(request, item, **{form_name: form}),
        status=status,
    )


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    _require(request, "feedback.assign_feedback", item)
    return _act(
        request,
        pk,
        "assign_form",
        AssignForm(request.POST, item=item),
        lambda it, d: services.feedback_assign(
            actor=acting_user(request), item=it, handler=d["handler"].user
        ),
        _("Đã giao cán bộ xử lý."),
    )


@login_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    _require(request, "feedback.transfer_feedback", item)
    return _act(
        request,
        pk,
        "transfer_form",
        TransferForm(request.POST, item=item),
        lambda it, d: services.feedback_transfer(
            actor=acting_user(request), item=it, to_agency=d["agency"], reason=d["reason"]
        ),
        _("Đã chuyển phản ánh tới cơ quan có thẩm quyền và báo cho người gửi."),
    )


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    _require(request, "feedback.merge_feedback", item)

    def call(it: Feedback, d: dict[str, Any]) -> Feedback:
        code = services.normalise_code(d["into"]) or d["into"].strip()
        target = selectors.feedback_for(request.user).filter(code=code).first()
        if target is None:
            raise ApplicationError(_(ERR_NO_TARGET), field="into")
        return services.feedback_merge(
            actor=acting_user(request), item=it, into=target, note=d["note"]
        )

    return _act(
        request,
        pk,
        "merge_form",
        MergeForm(request.POST),
        call,
        _("Đã gộp vào phản ánh gốc; người gửi đã được thông báo."),
    )


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    _require(request, "feedback.answer_feedback", item)
    submit = request.POST.get("action") == "submit"
    return _act(
        request,
        pk,
        "answer_form",
        AnswerForm(request.POST, request.FILES),
        lambda it, d: services.feedback_answer(
            actor=acting_user(request),
            item=it,
            text=d["text"],
            uploads=d["attachments"],
            submit=submit,
        ),
        _("Đã trình lãnh đạo duyệt câu trả lời.") if submit else _("Đã lưu dự thảo trả lời."),
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    _require(request, "feedback.approve_feedback", item)
    return _act(
        request,
        pk,
        "approve_form",
        ApproveForm(request.POST),
        lambda it, d: services.feedback_approve(
            actor=acting_user(request), item=it, text=d["text"], publish=d["publish"]
        ),
        _("Đã duyệt và gửi câu trả lời cho người gửi."),
    )


@login_required
@require_POST
def return_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    _require(request, "feedback.approve_feedback", item)
    return _act(
        request,
        pk,
        "return_form",
        ReturnForm(request.POST),
        lambda it, d: services.feedback_return(actor=acting_user(request), item=it, note=d["note"]),
        _("Đã trả lại dự thảo cho cán bộ xử lý."),
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    _require(request, "feedback.publish_feedback", item)
    return _act(
        request,
        pk,
        "publish_form",
        PublishForm(request.POST),
        lambda it, d: services.feedback_publish(actor=acting_user(request), item=it, **d),
        _("Đã công khai câu trả lời (thông tin cá nhân đã được ẩn)."),
    )


# --- routing rules -------------------------------------------------------------------------------
@login_required
def routing(request: HttpRequest) -> HttpResponse:
    _require(request, "feedback.view_routingrule")
    form = RoutingRuleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.routing_rule_save(actor=acting_user(request), rule=form.instance)
            except ApplicationError as exc:
                if exc.status == 403 and not form.instance.agency_id:
                    raise PermissionDenied from exc
                add_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Đã lưu quy tắc chuyển phản ánh."))
                return redirect("feedback:routing")
    rules = list(selectors.routing_rules_for(request.user))
    editable = {r.pk for r in rules if request.user.has_perm("feedback.change_routingrule", r)}
    return render(
        request,
        "feedback/office/routing.html",
        {"form": form, "rules": rules, "editable": editable},
        status=status,
    )


@login_required
@require_POST
def routing_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RoutingRule.objects.select_related("agency__unit"), pk=pk)
    _require(request, "feedback.change_routingrule", rule)
    services.routing_rule_delete(actor=acting_user(request), rule=rule)
    messages.success(request, _("Đã xóa quy tắc."))
    return redirect("feedback:routing")


# --- reply templates -----------------------------------------------------------------------------
def _new_template(request: HttpRequest) -> ReplyTemplate:
    official = official_of(request.user)
    is_admin = official is not None and official.has_role("sysadmin")
    agency = None if is_admin or official is None else official.agency
    return ReplyTemplate(agency=agency)


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    _require(request, "feedback.view_replytemplate")
    blank = _new_template(request)
    can_add = request.user.has_perm("feedback.change_replytemplate", blank)
    rows = list(selectors.templates_for(request.user))
    editable = {t.pk for t in rows if request.user.has_perm("feedback.change_replytemplate", t)}
    return render(
        request,
        "feedback/office/templates.html",
        {"templates": rows, "editable": editable, "can_add": can_add},
    )


@login_required
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        template = _new_template(request)
    else:
        template = get_object_or_404(selectors.templates_for(request.user), pk=pk)
    _require(request, "feedback.change_replytemplate", template)
    form = ReplyTemplateForm(request.POST or None, instance=template)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.reply_template_save(actor=acting_user(request), template=form.instance)
            except ApplicationError as exc:
                add_error(form, exc)
            else:
                messages.success(request, _("Đã lưu mẫu trả lời."))
                return redirect("feedback:templates")
    return render(
        request,
        "feedback/office/template_form.html",
        {"form": form, "template": template},
        status=status,
    )


@login_required
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(selectors.templates_for(request.user), pk=pk)
    _require(request, "feedback.change_replytemplate", template)
    services.reply_template_delete(actor=acting_user(request), template=template)
    messages.success(request, _("Đã xóa mẫu trả lời."))
    return redirect("feedback:templates")


# --- statistics ----------------------------------------------------------------------------------
def _period(request: HttpRequest) -> Period:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = date(today.year, 1, 1)
    try:
        end = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return Period(start, max(start, end))


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    _require(request, "feedback.view_stats")
    period = _period(request)
    agency_ids = list(agencies_for(request.user).values_list("pk", flat=True))
    report = stats.report(agency_ids, period)
    if request.GET.get("format") == "xlsx":
        content = render_xlsx(stats.sheets(report))
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="phan-anh-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"'
        )
        return response
    return render(
        request,
        "feedback/office/stats.html",
        {"report": report, "period": period},
    )
