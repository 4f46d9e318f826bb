"""Per request: which membership the user acts in (``request.official``), the idle timeout of
officials' sessions, and the second factor that the production profile requires of officials."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from danvan.org.selectors import memberships_of, use_membership

SESSION_MEMBERSHIP = "danvan_membership"
SESSION_LAST_SEEN = "danvan_last_seen"
_OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz", "/api/")


class OfficialMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.official = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated and not request.path.startswith("/api/"):
            memberships = memberships_of(user)
            request.memberships = memberships  # type: ignore[attr-defined]
            if memberships:
                official = use_membership(user, request.session.get(SESSION_MEMBERSHIP))
                request.official = official  # type: ignore[attr-defined]
                response = self._idle_timeout(request) or self._second_factor(request)
                if response is not None:
                    return response
        return self.get_response(request)

    def _idle_timeout(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        last = request.session.get(SESSION_LAST_SEEN)
        if last is not None and now - int(last) > settings.OFFICIAL_IDLE_TIMEOUT:
            logout(request)
            messages.warning(
                request,
                _("Phiên làm việc đã kết thúc vì không hoạt động quá lâu. Vui lòng đăng nhập lại."),
            )
            return redirect(f"{reverse('org:login')}?next={request.path}")
        if last is None or now - int(last) > 30:
            request.session[SESSION_LAST_SEEN] = now
        return None

    def _second_factor(self, request: HttpRequest) -> HttpResponse | None:
        if not settings.OTP_REQUIRED_FOR_OFFICIALS:
            return None
        if request.user.is_verified():  # type: ignore[union-attr]
            return None
        allowed = {reverse("org:otp-setup"), reverse("org:logout"), reverse("org:login")}
        if request.path in allowed or request.path.startswith(_OPEN_PREFIXES):
            return None
        return redirect("org:otp-setup")
