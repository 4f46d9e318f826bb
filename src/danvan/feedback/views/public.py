"""Citizens' pages: send feedback, follow it by its code, read the published answers. They work
without JavaScript on a small phone."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from danvan.core import files
from danvan.core.errors import ApplicationError, NotFoundError, RateLimited
from danvan.feedback import selectors, services
from danvan.feedback.forms import FeedbackForm, PublicSearchForm, TrackForm
from danvan.feedback.models import IDENTITY_REQUIRED, Category, Channel
from danvan.feedback.views.common import add_error, client_ip, page_number, query_string

MSG_SENT = gettext_noop(
    "Đã gửi phản ánh, kiến nghị. Mã tra cứu của bạn là {code}: hãy ghi lại để theo dõi."
)
ERR_SPAM = gettext_noop("Không gửi được phản ánh. Vui lòng thử lại.")
ERR_CODE = gettext_noop("Không tìm thấy phản ánh có mã này. Hãy kiểm tra lại mã tra cứu.")


def submit(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            if data.get("website"):
                form.add_error(None, _(ERR_SPAM))
            else:
                try:
                    item = services.feedback_submit(
                        actor=request.user,
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
                            channel=Channel.WEB,
                        ),
                        uploads=data["attachments"],
                        ip=client_ip(request),
                    )
                except RateLimited as exc:
                    form.add_error(None, exc.message)
                    status = 429
                except ApplicationError as exc:
                    add_error(form, exc)
                else:
                    messages.success(request, _(MSG_SENT).format(code=item.code))
                    return redirect("feedback-public:track", code=item.code)
    return render(
        request,
        "feedback/public/submit.html",
        {
            "form": form,
            "identity_required": [str(Category(c).label) for c in IDENTITY_REQUIRED],
            "max_files": services.MAX_ATTACHMENTS,
        },
        status=status,
    )


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = services.normalise_code(form.cleaned_data["code"])
        if code and selectors.track(code) is not None:
            return redirect("feedback-public:track", code=code)
        form.add_error("code", _(ERR_CODE))
    return render(
        request,
        "feedback/public/track_lookup.html",
        {"form": form},
        status=404 if form.errors else 200,
    )


@require_GET
def track(request: HttpRequest, code: str) -> HttpResponse:
    normal = services.normalise_code(code)
    if normal and normal != code:
        return redirect("feedback-public:track", code=normal)
    tracking = selectors.track(code)
    if tracking is None:
        raise Http404
    answer_files = []
    if tracking.answered_by is not None:
        answer_files = [
            (a, files.signed_token(a, request.user))
            for a in selectors.attachments_of(tracking.answered_by, services.PURPOSE_ANSWER)
        ]
    return render(
        request,
        "feedback/public/track.html",
        {
            "t": tracking,
            "item": tracking.item,
            "answer": tracking.answered_by,
            "answer_files": answer_files,
        },
    )


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    form = PublicSearchForm(request.GET or None)
    q, category = "", ""
    if form.is_valid():
        q, category = form.cleaned_data["q"], form.cleaned_data["category"]
    page = selectors.public_list(q=q, category=category, page=page_number(request))
    return render(
        request,
        "feedback/public/list.html",
        {"form": form, "page": page, "q": q, "query_string": query_string(request)},
    )


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.public_item(pk)
    except NotFoundError:
        raise Http404 from None
    answer_files = [
        (a, files.signed_token(a, request.user))
        for a in selectors.attachments_of(item, services.PURPOSE_ANSWER)
    ]
    return render(
        request, "feedback/public/detail.html", {"item": item, "answer_files": answer_files}
    )
