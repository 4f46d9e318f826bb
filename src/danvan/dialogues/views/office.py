"""Back-office screens: schedule, questions and answers, minutes, commitments and their progress,
dialogues per commune against the yearly minimum."""

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
from django.views.decorators.http import require_POST

from danvan.core import files
from danvan.core.errors import ApplicationError
from danvan.dialogues import selectors, services
from danvan.dialogues.forms import (
    AnswerForm,
    CommitmentForm,
    DialogueForm,
    HeldForm,
    QuestionModerateForm,
    ReportForm,
    RoomQuestionForm,
)
from danvan.dialogues.models import DialogueStatus, Question
from danvan.dialogues.views.public import CONTENT_TYPES, minutes_response
from danvan.org.selectors import official_of
from danvan.org.views.common import acting_user


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _official(request: HttpRequest) -> Any:
    official = official_of(request.user)
    if official is None:
        raise PermissionDenied
    return official


def _field_error(form: Any, exc: ApplicationError) -> None:
    field = exc.details.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
def dialogue_list(request: HttpRequest) -> HttpResponse:
    _official(request)
    q = request.GET.get("q", "").strip()[:200]
    page = Paginator(selectors.dialogues_for(request.user, q=q), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dialogues/office/list.html",
        {
            "page": page,
            "q": q,
            "can_add": request.user.has_perm("dialogues.add_dialogue"),
            "overdue": selectors.commitments_for(request.user, overdue_only=True).count(),
        },
    )


@login_required
def dialogue_create(request: HttpRequest) -> HttpResponse:
    _require(request, "dialogues.add_dialogue")
    official = _official(request)
    lead = official.agency.mobilisation_lead
    form = DialogueForm(
        request.POST or None,
        initial={
            "host_name": f"{lead.user.get_full_name()}, {lead.position}" if lead else "",
            "accepts_questions": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            dialogue = services.dialogue_schedule(
                actor=acting_user(request),
                agency=official.agency,
                participants=list(d.pop("participants")),
                affected_units=list(d.pop("affected_units")),
                host=lead,
                **d,
            )
        except ApplicationError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, _("Đã lên lịch và công bố trên cổng thông tin."))
            return redirect("dialogues:detail", pk=dialogue.pk)
    return render(
        request, "dialogues/office/form.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.dialogue_for(request.user, pk)
    _require(request, "dialogues.view_dialogue", d)
    return render(
        request,
        "dialogues/office/detail.html",
        {
            "d": d,
            "questions": selectors.questions_of(d),
            "commitments": selectors.commitments_of(d),
            "can_change": request.user.has_perm("dialogues.change_dialogue", d),
            "can_sign": request.user.has_perm("dialogues.issue_minutes", d),
            "room_form": RoomQuestionForm(),
            "answer_form": AnswerForm(),
            "held_form": HeldForm(
                initial={
                    "minutes_text": d.minutes_text,
                    "attendance": d.attendance,
                    "secretary": d.secretary,
                }
            ),
            "commitment_form": CommitmentForm(initial={"owner": d.agency}),
            "moderate_form": QuestionModerateForm(),
            "started": timezone.now() >= d.starts_at,
        },
    )


def _dialogue_action(request: HttpRequest, pk: int, perm: str = "dialogues.change_dialogue") -> Any:
    d = selectors.dialogue_for(request.user, pk)
    _require(request, perm, d)
    return d


def _done(request: HttpRequest, pk: int, ok: str, call: Any) -> HttpResponse:
    try:
        call()
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)
    return redirect("dialogues:detail", pk=pk)


@login_required
@require_POST
def room_question(request: HttpRequest, pk: int) -> HttpResponse:
    d = _dialogue_action(request, pk)
    form = RoomQuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập câu hỏi."))
        return redirect("dialogues:detail", pk=pk)
    return _done(
        request,
        pk,
        _("Đã ghi nhận câu hỏi tại hội nghị."),
        lambda: services.question_record(
            actor=acting_user(request), dialogue=d, **form.cleaned_data
        ),
    )


def _question(request: HttpRequest, pk: int) -> Question:
    q = get_object_or_404(Question.objects.select_related("dialogue__agency__unit"), pk=pk)
    if not request.user.has_perm("dialogues.view_dialogue", q.dialogue):
        raise Http404
    _require(request, "dialogues.change_dialogue", q.dialogue)
    return q


@login_required
@require_POST
def question_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(request, pk)
    form = QuestionModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn tiếp nhận hoặc không."))
        return redirect("dialogues:detail", pk=q.dialogue_id)
    return _done(
        request,
        q.dialogue_id,
        _("Đã kiểm duyệt câu hỏi."),
        lambda: services.question_moderate(
            actor=acting_user(request),
            question=q,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        ),
    )


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _(services.ERR_ANSWER))
        return redirect("dialogues:detail", pk=q.dialogue_id)
    return _done(
        request,
        q.dialogue_id,
        _("Đã ghi nhận trả lời."),
        lambda: services.question_answer(
            actor=acting_user(request), question=q, **form.cleaned_data
        ),
    )


@login_required
@require_POST
def held(request: HttpRequest, pk: int) -> HttpResponse:
    d = _dialogue_action(request, pk)
    form = HeldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _(services.ERR_MINUTES_TEXT))
        return redirect("dialogues:detail", pk=pk)
    return _done(
        request,
        pk,
        _("Đã ghi nhận kết quả cuộc đối thoại."),
        lambda: services.dialogue_record_held(
            actor=acting_user(request), dialogue=d, **form.cleaned_data
        ),
    )


@login_required
@require_POST
def minutes_issue(request: HttpRequest, pk: int) -> HttpResponse:
    d = _dialogue_action(request, pk, "dialogues.issue_minutes")
    return _done(
        request,
        pk,
        _("Đã cấp số biên bản."),
        lambda: services.minutes_issue(actor=acting_user(request), dialogue=d),
    )


@login_required
def minutes(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    d = selectors.dialogue_for(request.user, pk)
    if not d.minutes_symbol:
        raise Http404
    return minutes_response(d, fmt)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    d = _dialogue_action(request, pk)
    return _done(
        request,
        pk,
        _("Đã hủy cuộc đối thoại."),
        lambda: services.dialogue_cancel(
            actor=acting_user(request), dialogue=d, reason=request.POST.get("reason", "")
        ),
    )


@login_required
@require_POST
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    d = _dialogue_action(request, pk)
    form = CommitmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập nội dung, cơ quan thực hiện và hạn hoàn thành."))
        return redirect("dialogues:detail", pk=pk)
    return _done(
        request,
        pk,
        _("Đã ghi nhận cam kết."),
        lambda: services.commitment_add(
            actor=acting_user(request), dialogue=d, **form.cleaned_data
        ),
    )


@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    _official(request)
    overdue_only = request.GET.get("overdue") == "1"
    rows = selectors.with_states(
        list(selectors.commitments_for(request.user, overdue_only=overdue_only)[:500])
    )
    return render(
        request,
        "dialogues/office/commitments.html",
        {
            "rows": rows,
            "overdue_only": overdue_only,
            "summary": selectors.summarise(rows),
        },
    )


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.commitment_for(request.user, pk)
    can_report = request.user.has_perm("dialogues.report_commitment", c)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.commitment_report(
                    actor=acting_user(request),
                    commitment=c,
                    text=form.cleaned_data["text"],
                    status=form.cleaned_data["status"],
                    evidence=form.cleaned_data["evidence"],
                    done_on=form.cleaned_data["done_on"],
                )
            except ApplicationError as exc:
                _field_error(form, exc)
            else:
                messages.success(request, _("Đã báo cáo tiến độ thực hiện cam kết."))
                return redirect("dialogues:commitment", pk=c.pk)
    reports = list(c.reports.select_related("evidence", "reported_by"))
    links = {r.pk: files.signed_token(r.evidence, request.user) for r in reports if r.evidence}
    return render(
        request,
        "dialogues/office/commitment.html",
        {
            "c": c,
            "reports": [(r, links.get(r.pk)) for r in reports],
            "form": form,
            "can_report": can_report,
        },
        status=422 if form.errors else 200,
    )


@login_required
def counts(request: HttpRequest) -> HttpResponse:
    _require(request, "dialogues.view_counts")
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam", today.year))
    except ValueError:
        year = today.year
    rows = selectors.dialogue_counts(
        units=selectors.units_for_counts(request.user),
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    communes = [r for r in rows if r.minimum]
    return render(
        request,
        "dialogues/office/counts.html",
        {
            "rows": rows,
            "year": year,
            "years": range(today.year - 3, today.year + 1),
            "below": sum(1 for r in communes if not r.meets_minimum),
            "communes": len(communes),
            "held_status": DialogueStatus.HELD,
        },
    )
