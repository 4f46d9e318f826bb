"""Error pages: Vietnamese HTML for people, the API's JSON shape under /api/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_noop as N_


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return JsonResponse(
            {"error": {"code": "not_found", "message": "Không tìm thấy.", "details": {}}},
            status=404,
        )
    return render(
        request,
        "shell/error.html",
        {
            "status": 404,
            "title": N_("Không tìm thấy trang"),
            "text": N_("Trang bạn tìm không tồn tại hoặc đã được chuyển đi."),
        },
        status=404,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return JsonResponse(
            {
                "error": {
                    "code": "forbidden",
                    "message": "Bạn không có quyền thực hiện thao tác này.",
                    "details": {},
                }
            },
            status=403,
        )
    return render(
        request,
        "shell/error.html",
        {
            "status": 403,
            "title": N_("Không có quyền truy cập"),
            "text": N_(
                "Bạn không có quyền xem trang này. Nếu cần, hãy liên hệ thủ trưởng cơ quan hoặc quản trị hệ thống."
            ),
        },
        status=403,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if _api(request):
        return JsonResponse(
            {
                "error": {
                    "code": "server_error",
                    "message": "Lỗi hệ thống, vui lòng thử lại sau.",
                    "details": {},
                }
            },
            status=500,
        )
    return render(
        request,
        "shell/error.html",
        {
            "status": 500,
            "title": N_("Lỗi hệ thống"),
            "text": N_(
                "Hệ thống gặp sự cố. Dữ liệu bạn đã lưu không bị mất; vui lòng thử lại sau ít phút."
            ),
        },
        status=500,
    )
