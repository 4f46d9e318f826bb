"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at ``/open311/v2/``.

One service per feedback category. ``POST requests`` goes through the same service as the web
form (:func:`danvan.feedback.services.feedback_submit`): the same required fields, attachment
and abuse limits, routing and deadlines. ``GET requests`` shows only what is public: status,
dates, the responsible agency, the commune, and — once published — the redacted question and
answer; never the sender's data. Errors come in the standard's format (``[{"code",
"description"}]`` / ``<errors><error>…``) with the HTTP status of ``code``.

``jurisdiction_id`` is accepted (one jurisdiction: the province). ``api_key`` is required for
posting as soon as the operator has issued a key (``danvan open311_key add NAME``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt

from danvan.core import refcache
from danvan.core.calendar import TZ
from danvan.core.errors import ApplicationError, RateLimited
from danvan.feedback import selectors, services
from danvan.feedback.models import (
    IDENTITY_REQUIRED,
    Category,
    Channel,
    Feedback,
    Open311Key,
    Status,
)
from danvan.feedback.redaction import redact
from danvan.feedback.views.common import client_ip
from danvan.org.models import AdminUnit, UnitLevel

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-28T00:00:00+07:00"  # when the service list last changed
MAX_RESULTS = 1000
DEFAULT_DAYS = 90
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

ERR_METHOD = gettext_noop("Phương thức không được hỗ trợ.")
ERR_API_KEY = gettext_noop("api_key không hợp lệ: không thể tạo phản ánh.")
ERR_SERVICE = gettext_noop("service_code không hợp lệ: {code}.")
ERR_SERVICE_MISSING = gettext_noop("Thiếu service_code.")
ERR_LOCATION = gettext_noop(
    "Cần vị trí: lat và long, hoặc address_string, hoặc address_id (mã xã, phường)."
)
ERR_LATLONG = gettext_noop("lat, long không hợp lệ.")
ERR_ADDRESS_ID = gettext_noop("address_id không phải mã xã, phường hiện hành: {code}.")
ERR_MEDIA = gettext_noop("media_url phải là địa chỉ http hoặc https.")
ERR_DATE = gettext_noop("{name} không đúng định dạng W3C, ví dụ 2026-03-01T00:00:00+07:00.")
ERR_RANGE = gettext_noop("Khoảng thời gian tra cứu không được quá 90 ngày.")
ERR_STATUS = gettext_noop("status chỉ nhận open, closed.")
ERR_NOT_FOUND = gettext_noop("Không tìm thấy phản ánh {id}.")

SERVICE_DESCRIPTIONS = {
    Category.REGULATION: gettext_noop(
        "Phản ánh, kiến nghị về quy định hành chính (không phù hợp, trái luật, không thống nhất). "
        "Bắt buộc ghi họ tên, địa chỉ, số điện thoại (Nghị định 20/2008/NĐ-CP)."
    ),
    Category.DOSSIER: gettext_noop(
        "Phản ánh về việc giải quyết thủ tục hành chính, một hồ sơ cụ thể (chậm, trễ hẹn, "
        "yêu cầu thêm giấy tờ)."
    ),
    Category.CONDUCT: gettext_noop(
        "Phản ánh hành vi nhũng nhiễu, gây phiền hà, thờ ơ của cán bộ, công chức."
    ),
    Category.LOCAL: gettext_noop(
        "Vấn đề ở địa phương: đường sá, ngập nước, rác thải, trật tự đô thị…"
    ),
    Category.INITIATIVE: gettext_noop("Sáng kiến, đề xuất cải cách hành chính."),
}
KEYWORDS = {
    Category.REGULATION: "quy định, thủ tục, văn bản",
    Category.DOSSIER: "hồ sơ, trễ hẹn, một cửa",
    Category.CONDUCT: "cán bộ, thái độ, nhũng nhiễu",
    Category.LOCAL: "đường, ngập, rác, môi trường",
    Category.INITIATIVE: "sáng kiến, đề xuất",
}
GROUP = "Phản ánh, kiến nghị"

# XML: the element name of each item of a list.
_ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering -----------------------------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _to_xml(parent: ET.Element, tag: str, value: Any) -> None:
    node = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, child in value.items():
            _to_xml(node, key, child)
    elif isinstance(value, list):
        for child in value:
            _to_xml(node, _ITEM_TAGS.get(tag, "item"), child)
    else:
        node.text = _text(value)


def render(data: Any, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """``data`` as JSON, or as XML under ``<root>`` (a list: one element per item)."""
    if fmt == "xml":
        top = ET.Element(root)
        if isinstance(data, list):
            for item in data:
                _to_xml(top, _ITEM_TAGS.get(root, "item"), item)
        else:
            for key, value in data.items():
                _to_xml(top, key, value)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render([{"code": status, "description": description}], fmt, "errors", status)


def endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Errors of the view in the standard's format."""

    def wrapped(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, fmt, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.status, exc.description)
        except RateLimited as exc:
            response = error(fmt, 429, exc.message)
            response["Retry-After"] = str(exc.details.get("retry_after", 60))
            return response
        except ApplicationError as exc:
            return error(fmt, 400 if exc.status in (409, 422) else exc.status, exc.message)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    # Open311 clients (citizens' apps, other systems) post without a cookie or a CSRF token, as
    # the standard expects. Exempting is safe because nothing here acts on a cookie's authority:
    # a POST is an anonymous citizen's report (see _post_request), gated by the API key when
    # keys are issued and by the abuse limits, and the GETs show no personal data and a request's
    # text only once it is published.
    return csrf_exempt(wrapped)


def _only(request: HttpRequest, *methods: str) -> None:
    if request.method not in methods:
        raise Open311Error(405, _(ERR_METHOD))


def w3c(moment: datetime | None) -> str | None:
    return timezone.localtime(moment, TZ).isoformat(timespec="seconds") if moment else None


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/open311/v2").rstrip("/")


# --- discovery and services ----------------------------------------------------------------------
@endpoint
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    data = {
        "changeset": CHANGESET,
        "contact": _("Văn phòng UBND tỉnh {province} — {site}").format(
            province=settings.SITE_PROVINCE, site=settings.PUBLIC_BASE_URL
        ),
        "key_service": _("Liên hệ quản trị hệ thống {site} để được cấp api_key.").format(
            site=settings.SITE_NAME
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": _base_url(request),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(data, fmt, "discovery")


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.value,
        "service_name": str(category.label),
        "description": _(SERVICE_DESCRIPTIONS[category]),
        "metadata": True,
        "type": "realtime",
        "keywords": KEYWORDS[category],
        "group": GROUP,
    }


@endpoint
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    return render([_service(c) for c in Category], fmt, "services")


def _category(code: str) -> Category:
    try:
        return Category(code)
    except ValueError:
        raise Open311Error(404, _(ERR_SERVICE).format(code=code)) from None


def _attribute(
    code: str,
    description: str,
    *,
    required: bool,
    order: int,
    datatype: str = "string",
    values: list[dict[str, str]] | None = None,
    datatype_description: str = "",
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": datatype_description or None,
        "order": order,
        "description": description,
    }
    if values is not None:
        out["values"] = values
    return out


def attributes_of(category: Category) -> list[dict[str, Any]]:
    communes = [
        {"key": u.code, "name": f"{u.name} — {u.parent.name}" if u.parent else u.name}
        for u in selectors.communes()
    ]
    attrs = [
        _attribute("title", _("Tiêu đề (nếu bỏ trống: đầu nội dung)"), required=False, order=1),
        _attribute(
            "commune",
            _("Xã, phường nơi xảy ra (mã đơn vị hành chính)"),
            required=category == Category.LOCAL,
            order=2,
            datatype="singlevaluelist",
            values=communes,
        ),
        _attribute(
            "sender_address",
            _("Địa chỉ người gửi"),
            required=category in IDENTITY_REQUIRED,
            order=3,
        ),
        _attribute(
            "publish_consent",
            _("Đồng ý công khai nội dung (đã bỏ thông tin cá nhân)"),
            required=False,
            order=4,
            datatype="singlevaluelist",
            values=[{"key": "1", "name": _("Đồng ý")}, {"key": "0", "name": _("Không đồng ý")}],
        ),
    ]
    if category == Category.DOSSIER:
        attrs.append(_attribute("dossier_code", _("Mã hồ sơ"), required=False, order=5))
    return attrs


@endpoint
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    category = _category(code)
    return render(
        {"service_code": category.value, "attributes": attributes_of(category)},
        fmt,
        "service_definition",
    )


# --- requests ------------------------------------------------------------------------------------
def _key_name(api_key: str) -> str | None:
    """The client's name when posting needs a key (any active key issued), else ""; None when
    the key is missing or wrong."""
    keys = refcache.memo(
        "feedback.open311_keys",
        lambda: dict(Open311Key.objects.filter(is_active=True).values_list("key_hash", "name")),
        depends_on=(Open311Key,),
    )
    if not keys:
        return ""
    if not api_key:
        return None
    return keys.get(hashlib.sha256(api_key.encode()).hexdigest())


def _decimal(value: str) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise Open311Error(400, _(ERR_LATLONG)) from None
    if not number.is_finite():
        raise Open311Error(400, _(ERR_LATLONG))
    return number.quantize(Decimal("0.000001"))


def _commune(code: str) -> AdminUnit | None:
    if not code:
        return None
    unit = AdminUnit.objects.filter(
        code=code, level=UnitLevel.COMMUNE, valid_to__isnull=True
    ).first()
    if unit is None:
        raise Open311Error(400, _(ERR_ADDRESS_ID).format(code=code))
    return unit


def _title_from(description: str) -> str:
    first = description.strip().splitlines()[0] if description.strip() else ""
    if len(first) <= 100:
        return first
    cut = first[:100].rsplit(" ", 1)[0]
    return f"{cut}…"


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "co", "có", "dong y", "đồng ý"}


def submission_from(post: Any) -> services.Submission:
    """Map the standard's parameters (and our attributes) onto a submission."""
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _(ERR_SERVICE_MISSING))
    try:
        category = Category(code)
    except ValueError:
        raise Open311Error(400, _(ERR_SERVICE).format(code=code)) from None
    attrs = {
        m.group(1): value
        for key, value in post.items()
        if (m := re.fullmatch(r"attribute\[(\w+)\]", key))
    }
    lat, lng = _decimal(post.get("lat", "").strip()), _decimal(post.get("long", "").strip())
    address = post.get("address_string", "").strip()
    address_id = post.get("address_id", "").strip()
    if (lat is None or lng is None) and not address and not address_id:
        raise Open311Error(400, _(ERR_LOCATION))
    media_url = post.get("media_url", "").strip()
    if media_url and not re.match(r"^https?://", media_url, re.IGNORECASE):
        raise Open311Error(400, _(ERR_MEDIA))
    description = post.get("description", "")
    name = " ".join(p for p in (post.get("first_name", ""), post.get("last_name", "")) if p)
    return services.Submission(
        category=category,
        title=(attrs.get("title") or _title_from(description))[:200],
        content=description,
        dossier_code=attrs.get("dossier_code", "")[:40],
        unit=_commune(address_id or attrs.get("commune", "")),
        address=address[:255],
        latitude=lat,
        longitude=lng,
        media_url=media_url[:500],
        sender_name=name.strip()[:120],
        sender_address=attrs.get("sender_address", "")[:255],
        sender_phone=post.get("phone", "").strip()[:20],
        sender_email=post.get("email", "").strip()[:254],
        publish_consent=_truthy(attrs.get("publish_consent", "")),
        channel=Channel.OPEN311,
    )


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    client = _key_name(request.POST.get("api_key", "").strip())
    if client is None:
        raise Open311Error(403, _(ERR_API_KEY))
    data = submission_from(request.POST)
    item = services.feedback_submit(
        # always anonymous: a cross-site POST from a signed-in official's browser must not be
        # recorded in the official's name (the view is exempt from CSRF checks)
        actor=AnonymousUser(),
        data=data,
        # An application with a key posts for many citizens from its own server: its address
        # is not a citizen's, so only the per-phone limit applies to it.
        ip=None if client else client_ip(request),
        actor_label=f"open311:{client}" if client else "open311",
    )
    notice = _("Đã tiếp nhận, chuyển tới {agency}. Hạn trả lời: {due}.").format(
        agency=item.agency.name, due=timezone.localtime(item.due_at, TZ).strftime("%d/%m/%Y")
    )
    return render(
        [{"service_request_id": item.code, "service_notice": notice, "account_id": None}],
        fmt,
        "service_requests",
    )


def _status_notes(item: Feedback) -> str:
    if item.status == Status.MERGED:
        target = item.duplicate_of.code if item.duplicate_of else ""
        return _("Trùng nội dung với phản ánh {code}; được trả lời chung.").format(code=target)
    if item.status == Status.ANSWERED:
        return item.public_answer if item.published_at else _("Đã trả lời người gửi.")
    return str(item.get_status_display())


def as_request(item: Feedback) -> dict[str, Any]:
    """One request as the standard describes it — public fields only."""
    published = item.published_at is not None
    consent = item.publish_consent
    personal = services.personal_values(item)
    place = item.unit.name if item.unit else ""
    address = redact(item.address, personal) if consent and item.address else place
    return {
        "service_request_id": item.code,
        "status": selectors.public_status(item),
        "status_notes": _status_notes(item),
        "service_name": str(item.get_category_display()),
        "service_code": item.category,
        "description": (item.public_content or item.public_title) if published else "",
        "agency_responsible": item.agency.name,
        "service_notice": _("Hạn trả lời: {due}").format(
            due=timezone.localtime(item.due_at, TZ).strftime("%d/%m/%Y")
        ),
        "requested_datetime": w3c(item.received_at),
        "updated_datetime": w3c(item.updated_at),
        "expected_datetime": w3c(item.due_at),
        "address": address,
        "address_id": item.unit.code if item.unit else "",
        "zipcode": "",
        "lat": float(item.latitude) if consent and item.latitude is not None else None,
        "long": float(item.longitude) if consent and item.longitude is not None else None,
        "media_url": item.media_url if consent else "",
    }


def _requests_qs() -> QuerySet[Feedback]:
    return Feedback.objects.select_related("agency", "unit", "duplicate_of")


def _parse_date(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+"))
    if value is None:
        raise Open311Error(400, _(ERR_DATE).format(name=name))
    return value if timezone.is_aware(value) else value.replace(tzinfo=TZ)


def _search_window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """The period a GET /requests searches. Not a deadline (those come from the core calendar
    and its rules): GeoReport v2 defines the search window in calendar days, 90 by default and
    at most, counted from whichever end the client gives (the last 90 days when it gives none)."""
    window = timedelta(days=DEFAULT_DAYS)
    if start is None:
        end = end or timezone.now()
        start = end - window
    elif end is None:
        end = start + window
    if end - start > window:
        raise Open311Error(400, _(ERR_RANGE))
    return start, end


def _get_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    qs = _requests_qs()
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:  # overrides every other parameter
        qs = qs.filter(code__in=[services.normalise_code(i) or i for i in ids])
    else:
        codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
        if codes:
            for code in codes:
                _category_or_400(code)
            qs = qs.filter(category__in=codes)
        start, end = _search_window(
            _parse_date(request, "start_date"), _parse_date(request, "end_date")
        )
        qs = qs.filter(received_at__gte=start, received_at__lte=end)
        statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _(ERR_STATUS))
        if statuses == {"open"}:
            qs = qs.filter(selectors.OPEN_Q)
        elif statuses == {"closed"}:
            qs = qs.filter(~selectors.OPEN_Q)
    items = list(qs.order_by("-received_at", "-pk")[:MAX_RESULTS])
    return render([as_request(i) for i in items], fmt, "service_requests")


def _category_or_400(code: str) -> Category:
    try:
        return Category(code)
    except ValueError:
        raise Open311Error(400, _(ERR_SERVICE).format(code=code)) from None


@endpoint
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD", "POST")
    if request.method == "POST":
        return _post_request(request, fmt)
    return _get_requests(request, fmt)


@endpoint
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    code = services.normalise_code(request_id) or request_id
    item = _requests_qs().filter(Q(code=code)).first()
    if item is None:
        raise Open311Error(404, _(ERR_NOT_FOUND).format(id=request_id))
    return render([as_request(item)], fmt, "service_requests")
