"""Public pages: drafts open for comments, commenting on a section (with the identity check the
consultation asks for), following, and the published synthesis. Work without JavaScript."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.consultations import policy, selectors, services
from danvan.consultations.documents import synthesis_document
from danvan.consultations.forms import CodeForm, CommentForm, FollowForm, PhoneForm
from danvan.consultations.models import Consultation, ConsultationStatus, IdentityLevel, Section
from danvan.core import files
from danvan.core.documents import render_docx, render_pdf
from danvan.core.errors import ApplicationError
from danvan.core.models import Attachment

SESSION_PHONES = "consult_phones"
SESSION_PENDING = "consult_phone_pending"
VERIFIED_FOR = 3600  # seconds a verified phone may be used to comment
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def consultation_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    state = request.GET.get("state", "")
    page = Paginator(selectors.public_consultations(q=q, state=state), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "consultations/public/list.html",
        {
            "page": page,
            "q": q,
            "state": state,
            "states": [(s, ConsultationStatus(s).label) for s in selectors.PUBLIC_STATUSES],
            "found_comments": selectors.public_comment_search(q, limit=20) if q else [],
        },
    )


def _verified_phone(request: HttpRequest, c: Consultation) -> str | None:
    entry = request.session.get(SESSION_PHONES, {}).get(str(c.pk))
    if entry and time.time() - entry["at"] < VERIFIED_FOR:
        return str(entry["phone"])
    return None


def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.public_consultation(pk)
    comments = selectors.public_comments(c)
    by_section: dict[int | None, list[Any]] = {}
    for comment in comments:
        by_section.setdefault(comment.section_id, []).append(comment)
    sections = [(s, by_section.get(s.pk, [])) for s in c.sections.all()]
    attachments = selectors.attachments_of(c)
    return render(
        request,
        "consultations/public/detail.html",
        {
            "c": c,
            "sections": sections,
            "general_comments": by_section.get(None, []),
            "comment_count": len(comments),
            "accepts": c.accepts_comments(),
            "not_started": timezone.now() < c.opens_at,
            "published": c.status == ConsultationStatus.PUBLISHED,
            "draft_files": [a for a in attachments if a.purpose == "draft"],
            "final_files": [a for a in attachments if a.purpose == "final"],
            "follow_form": FollowForm(),
            "reasons": policy.REASONS,
            "responses": c.status == ConsultationStatus.PUBLISHED,
        },
    )


def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """The comment form (GET ?phan=<section id>), behind the identity step the draft requires."""
    c = selectors.public_consultation(pk)
    if not c.accepts_comments():
        messages.error(request, _(services.ERR_NOT_OPEN))
        return redirect("consultations-public:detail", pk=c.pk)
    section_id = request.POST.get("section") or request.GET.get("phan") or None
    section = None
    if section_id:
        section = Section.objects.filter(consultation=c, pk=section_id).first()
    ctx: dict[str, Any] = {"c": c, "section": section}
    level = c.identity_level
    if level == IdentityLevel.SIGNED_IN and not request.user.is_authenticated:
        ctx["needs_login"] = f"{reverse('org:login')}?next={request.get_full_path()}"
        return render(request, "consultations/public/comment.html", ctx)
    verified = _verified_phone(request, c) if level == IdentityLevel.ANONYMOUS_PHONE else None
    if level == IdentityLevel.ANONYMOUS_PHONE and not verified:
        pending = request.session.get(SESSION_PENDING, {}).get(str(c.pk))
        ctx["phone_form"] = PhoneForm(initial={"phone": pending or ""})
        ctx["code_form"] = CodeForm() if pending else None
        ctx["pending_phone"] = pending
        return render(request, "consultations/public/comment.html", ctx)
    form = CommentForm(request.POST or None, consultation=c, initial={"section": section})
    ctx["form"] = form
    ctx["verified_phone"] = verified
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.comment_submit(
                actor=request.user,
                consultation=c,
                body=data["body"],
                section=data["section"],
                author_name=data.get("author_name", ""),
                organisation=data.get("organisation", ""),
                phone=data.get("phone", ""),
                email=data.get("email", ""),
                verified_phone=verified,
                follow=data["follow"],
            )
        except ApplicationError as exc:
            form.add_error(
                exc.details.get("field") if exc.details.get("field") in form.fields else None,
                exc.message,
            )
        else:
            messages.success(
                request,
                _(
                    "Cảm ơn bạn đã góp ý (ý kiến số %(n)d). Ý kiến sẽ được đăng công khai sau khi kiểm duyệt."
                )
                % {"n": created.number},
            )
            url = reverse("consultations-public:detail", args=[c.pk])
            return redirect(f"{url}#phan-{created.section_id}" if created.section_id else url)
    return render(
        request, "consultations/public/comment.html", ctx, status=422 if form.errors else 200
    )


@require_POST
def phone_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1 (``action=send``): text a code; step 2 (``action=confirm``): check it."""
    c = selectors.public_consultation(pk)
    back = reverse("consultations-public:comment", args=[c.pk])
    if request.POST.get("phan"):
        back += f"?phan={int(request.POST['phan'])}"
    pending = dict(request.session.get(SESSION_PENDING, {}))
    try:
        if request.POST.get("action") == "confirm":
            phone = services.phone_check_confirm(
                consultation=c, phone=pending.get(str(c.pk), ""), code=request.POST.get("code", "")
            )
            phones = dict(request.session.get(SESSION_PHONES, {}))
            phones[str(c.pk)] = {"phone": phone, "at": time.time()}
            request.session[SESSION_PHONES] = phones
            pending.pop(str(c.pk), None)
            request.session[SESSION_PENDING] = pending
            messages.success(request, _("Đã xác minh số điện thoại. Mời bạn nhập nội dung góp ý."))
        else:
            check = services.phone_check_start(consultation=c, phone=request.POST.get("phone", ""))
            pending[str(c.pk)] = check.phone
            request.session[SESSION_PENDING] = pending
            messages.success(
                request, _("Đã gửi mã xác minh tới số %(phone)s.") % {"phone": check.phone}
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(back)


@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.public_consultation(pk)
    form = FollowForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_follow(consultation=c, contact=form.cleaned_data["contact"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Bạn sẽ nhận thông báo khi kết thúc lấy ý kiến và khi công bố kết quả.")
            )
    else:
        messages.error(request, _(services.ERR_RECIPIENT))
    return redirect("consultations-public:detail", pk=c.pk)


def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The published synthesis report, DOCX or PDF."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    c = selectors.public_consultation(pk)
    if c.status != ConsultationStatus.PUBLISHED or not c.report_symbol:
        raise Http404
    return report_response(c, fmt)


def report_response(c: Consultation, fmt: str) -> HttpResponse:
    doc = synthesis_document(selectors.synthesis(c))
    content = render_docx(doc) if fmt == "docx" else render_pdf(doc)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = c.report_symbol.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tong-hop-{name}.{fmt}"'
    return response


def attachment(request: HttpRequest, pk: int, att: int) -> HttpResponse:
    """A public file of the draft: redirected to a link signed for this visitor."""
    c = selectors.public_consultation(pk)
    a = get_object_or_404(
        Attachment,
        pk=att,
        owner_type=Consultation._meta.label_lower,
        owner_id=str(c.pk),
        purpose__in=("draft", "final"),
    )
    if a.purpose == "final" and c.status != ConsultationStatus.PUBLISHED:
        raise Http404
    return redirect("attachment-download", token=files.signed_token(a, request.user))
