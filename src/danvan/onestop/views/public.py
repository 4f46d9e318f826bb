"""Citizens' pages of the one-stop shop: the procedure catalogue, the look-up of a dossier by
its code and the last 4 digits of the phone number (or by the QR code of the receipt), and the
rating of the service. They work without JavaScript and on a 360 px wide phone."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.errors import ApplicationError, NotFoundError, RateLimited
from danvan.core.middleware import client_ip
from danvan.onestop import selectors, services
from danvan.onestop.forms import CatalogueFilterForm, LookupForm, RatingForm
from danvan.onestop.models import Dossier, Rating, RatingChannel


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(
        request.GET or None,
        fields=selectors.fields_in_use(),
        agencies=selectors.agencies_with_procedures(),
    )
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.procedure_catalogue(
        q=data.get("q") or "",
        field=data.get("field"),
        agency=data.get("agency"),
        level=data.get("level") or "",
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "onestop/public/catalogue.html",
        {"form": form, "page": page, "query_string": query.urlencode()},
    )


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure = selectors.procedure_detail(code)
    except NotFoundError as exc:
        raise Http404 from exc
    return render(request, "onestop/public/procedure.html", {"procedure": procedure})


def procedure_form_download(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """A form of a published procedure (public information), always as a download."""
    try:
        procedure = selectors.procedure_detail(code)
    except NotFoundError as exc:
        raise Http404 from exc
    form = next((f for f in procedure.forms.all() if f.pk == pk), None)
    if form is None:
        raise Http404
    if form.attachment is None:
        if form.url:
            return redirect(form.url)
        raise Http404
    att = form.attachment
    response = FileResponse(
        att.file.open("rb"),
        as_attachment=True,
        filename=att.original_name,
        content_type=att.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _result(request: HttpRequest, dossier: Dossier, status: int = 200) -> HttpResponse:
    rating_form = None
    rated = Rating.objects.filter(dossier=dossier).exists()
    if not rated and dossier.status in ("resolved", "returned"):
        rating_form = RatingForm()
    return render(
        request,
        "onestop/public/lookup_result.html",
        {
            "dossier": dossier,
            "events": selectors.timeline(dossier, public=True),
            "token": services.lookup_token(dossier.code),
            "rating_form": rating_form,
            "rated": rated,
            "overdue": dossier.is_running
            and dossier.due_at is not None
            and dossier.due_at < timezone.now(),
        },
        status=status,
    )


def lookup(request: HttpRequest) -> HttpResponse:
    """Enter the code and the last 4 digits of the phone; a wrong combination reveals nothing."""
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = selectors.public_lookup(
                code=form.cleaned_data["code"],
                phone_last4=form.cleaned_data["phone_last4"],
                client=client_ip(request) or "unknown",
            )
        except RateLimited as exc:
            form.add_error(None, exc.message)
            return render(request, "onestop/public/lookup.html", {"form": form}, status=429)
        except NotFoundError as exc:
            form.add_error(None, exc.message)
        else:
            return _result(request, dossier)
    return render(request, "onestop/public/lookup.html", {"form": form})


def lookup_code(request: HttpRequest, code: str) -> HttpResponse:
    """The look-up from the receipt's QR code (a link signed for this dossier)."""
    token = request.GET.get("t", "")
    if not token or not services.lookup_token_valid(code.upper(), token):
        return redirect("onestop-public:lookup")
    try:
        dossier = selectors.dossier_by_token(code)
    except NotFoundError as exc:
        raise Http404 from exc
    return _result(request, dossier)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    token = request.POST.get("t", "")
    if not services.lookup_token_valid(code.upper(), token):
        raise Http404
    try:
        dossier = selectors.dossier_by_token(code)
    except NotFoundError as exc:
        raise Http404 from exc
    form = RatingForm(request.POST)
    back = f"{reverse('onestop-public:lookup-code', args=[dossier.code])}?t={token}"
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn mức độ hài lòng."))
        return redirect(back)
    try:
        services.dossier_rate(
            dossier=dossier,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            channel=RatingChannel.WEB,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cảm ơn ông/bà đã đánh giá chất lượng phục vụ."))
    return redirect(back)
