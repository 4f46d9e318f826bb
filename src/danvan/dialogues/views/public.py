"""Public pages: the dialogue schedule (and its iCalendar feed), sending a question in advance,
what was asked and answered, and the follow-up page of every commitment."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from danvan.core.documents import render_docx, render_pdf
from danvan.core.errors import ApplicationError
from danvan.dialogues import ical, selectors, services
from danvan.dialogues.documents import minutes_document
from danvan.dialogues.forms import QuestionForm
from danvan.dialogues.models import CommitmentState, Dialogue, DialogueStatus
from danvan.org.models import Agency

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def dialogue_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    when = request.GET.get("when", "")
    page = Paginator(selectors.public_dialogues(q=q, when=when), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "dialogues/public/list.html", {"page": page, "q": q, "when": when})


def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.public_dialogue(pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_submit(actor=request.user, dialogue=d, **form.cleaned_data)
        except ApplicationError as exc:
            field = exc.details.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Đã gửi câu hỏi. Câu hỏi sẽ được đăng sau khi kiểm duyệt và được trả lời tại buổi đối thoại."
                ),
            )
            return redirect("dialogues-public:detail", pk=d.pk)
    return render(
        request,
        "dialogues/public/detail.html",
        {
            "d": d,
            "questions": selectors.questions_of(d, public=True),
            "commitments": selectors.commitments_of(d),
            "form": form,
            "accepts": d.accepts_questions_now(),
        },
        status=422 if form.errors else 200,
    )


def calendar_feed(request: HttpRequest) -> HttpResponse:
    agency_id = request.GET.get("co-quan")
    agency = (
        Agency.objects.filter(pk=agency_id).first() if agency_id and agency_id.isdigit() else None
    )
    name = f"Lịch đối thoại — {agency.name}" if agency else "Lịch đối thoại với Nhân dân"
    body = ical.feed(selectors.calendar_dialogues(agency.pk if agency else None), name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lich-doi-thoai.ics"'
    return response


def dialogue_ics(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.public_dialogue(pk)
    response = HttpResponse(
        ical.feed([d], name=d.topic), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="doi-thoai-{d.pk}.ics"'
    return response


def minutes(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    d = selectors.public_dialogue(pk)
    if not d.minutes_symbol:
        raise Http404
    return minutes_response(d, fmt)


def minutes_response(d: Dialogue, fmt: str) -> HttpResponse:
    doc = minutes_document(d, selectors.questions_of(d, public=True), selectors.commitments_of(d))
    content = render_docx(doc) if fmt == "docx" else render_pdf(doc)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = d.minutes_symbol.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="bien-ban-{name}.{fmt}"'
    return response


def commitments(request: HttpRequest) -> HttpResponse:
    """The public follow-up page: every commitment of every dialogue, and whether it was kept."""
    state = request.GET.get("state", "")
    if state not in CommitmentState.values:
        state = ""
    rows = selectors.public_commitments(state=state)
    return render(
        request,
        "dialogues/public/commitments.html",
        {
            "rows": rows,
            "state": state,
            "states": CommitmentState.choices,
            "summary": selectors.summarise(selectors.public_commitments())
            if state
            else selectors.summarise(rows),
            "held": DialogueStatus.HELD,
        },
    )
