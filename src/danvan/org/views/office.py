"""Back-office screens of the org app: agencies, their officials and mobilisation leads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.documents import render_docx, render_pdf, render_xlsx
from danvan.core.errors import ApplicationError
from danvan.core.numbering import issue_number
from danvan.org import services
from danvan.org.documents import leads_document, leads_sheet
from danvan.org.forms import MobilisationLeadForm
from danvan.org.models import Agency
from danvan.org.selectors import agencies_for, official_of, officials_for
from danvan.org.views.common import acting_user

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("org.view_agency"):
        raise PermissionDenied
    agencies = list(agencies_for(request.user))
    return render(
        request,
        "org/agency_list.html",
        {
            "agencies": agencies,
            "missing_lead": sum(1 for a in agencies if a.mobilisation_lead_id is None),
            "can_export": request.user.has_perm("org.export_agencies"),
        },
    )


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(agencies_for(request.user), pk=pk)
    if not request.user.has_perm("org.view_agency", agency):
        raise PermissionDenied
    can_set_lead = request.user.has_perm("org.set_lead_agency", agency)
    return render(
        request,
        "org/agency_detail.html",
        {
            "agency": agency,
            "officials": officials_for(request.user).filter(agency=agency),
            "form": MobilisationLeadForm(
                agency=agency, initial={"lead": agency.mobilisation_lead_id}
            ),
            "can_set_lead": can_set_lead,
        },
    )


@login_required
@require_POST
def agency_set_lead(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("org.set_lead_agency", agency):
        raise PermissionDenied
    form = MobilisationLeadForm(request.POST, agency=agency)
    if form.is_valid():
        try:
            services.agency_set_mobilisation_lead(
                actor=acting_user(request), agency=agency, lead=form.cleaned_data["lead"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã cập nhật lãnh đạo phụ trách công tác dân vận."))
    else:
        messages.error(request, _("Lựa chọn không hợp lệ."))
    return redirect("org:agency-detail", pk=agency.pk)


@login_required
def agency_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The agencies in the user's scope and their mobilisation leads, as a numbered report
    (DOCX/PDF, Decree 30 format) or an XLSX table."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    if not request.user.has_perm("org.export_agencies"):
        raise PermissionDenied
    official = official_of(request.user)
    assert official is not None  # has_perm above implies an official
    agencies = list(agencies_for(request.user).filter(is_active=True))
    today = timezone.localdate()
    if fmt == "xlsx":
        content = render_xlsx([leads_sheet(agencies)])
    else:
        issued = issue_number(
            issuer=official.agency.code,
            issuer_symbol=official.agency.symbol,
            doc_type="BC",
            on=today,
            title="Danh sách lãnh đạo phụ trách công tác dân vận",
            actor=request.user,
        )
        doc = leads_document(
            issuer=official.agency, agencies=agencies, symbol=issued.symbol, on=today
        )
        content = render_docx(doc) if fmt == "docx" else render_pdf(doc)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="lanh-dao-dan-van-{today:%Y%m%d}.{fmt}"'
    )
    return response
