"""Sign in (with the second factor when the account has one), sign out, lockout, TOTP set-up."""

from __future__ import annotations

import time
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.core import audit
from danvan.org.forms import LoginForm, OtpConfirmForm
from danvan.org.middleware import SESSION_LAST_SEEN, SESSION_MEMBERSHIP
from danvan.org.selectors import memberships_of
from danvan.org.views.common import acting_user

ERR_OTP = "Mã xác thực hai bước không đúng hoặc đã hết hạn."
LOCKED = (
    "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút "
    "hoặc liên hệ quản trị hệ thống."
)


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "org/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        device = confirmed_device(user)
        if device is not None:
            token = form.cleaned_data.get("otp_token") or ""
            matched = match_token(user, token) if token else None
            if matched is None:
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": user.get_username()},
                    request=self.request,
                )
                form.add_error("otp_token", _(ERR_OTP))
                return self.form_invalid(form)
        auth_login(self.request, user)
        if device is not None:
            otp_login(self.request, matched)
        self.request.session[SESSION_LAST_SEEN] = int(time.time())
        audit.record(actor=user, action="org.login", obj=user, object_repr=user.get_username())
        return redirect(self.get_success_url())


def lockout_response(
    request: HttpRequest, response: HttpResponseBase | None = None, credentials: Any = None
) -> HttpResponse:
    """What a locked-out user sees (django-axes calls this), in Vietnamese; JSON for the API."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "locked_out", "message": _(LOCKED), "details": {}}}, status=429
        )
    return render(request, "org/locked_out.html", {"message": _(LOCKED)}, status=429)


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app (TOTP): scan the QR code, confirm with a code."""
    user = acting_user(request)
    if confirmed_device(user) is not None and request.user.is_verified():  # type: ignore[union-attr]
        messages.info(request, _("Tài khoản đã bật xác thực hai bước."))
        return redirect("shell:office-home")
    device = confirmed_device(user)
    confirming_existing = device is not None
    if device is None:
        device = TOTPDevice.objects.filter(
            user=user, confirmed=False
        ).first() or TOTPDevice.objects.create(user=user, name="DânVận", confirmed=False)
    form = OtpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit.record(
                    actor=user, action="org.otp_enable", obj=user, object_repr=user.get_username()
                )
            otp_login(request, device)
            messages.success(request, _("Đã xác thực hai bước."))
            return redirect("shell:office-home")
        form.add_error("token", _(ERR_OTP))
    qr = None
    if not confirming_existing:
        qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    return render(
        request,
        "org/otp_setup.html",
        {
            "form": form,
            "qr": qr,
            "confirming_existing": confirming_existing,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    wanted = int(request.POST.get("membership") or 0)
    if any(m.pk == wanted for m in memberships_of(request.user)):
        request.session[SESSION_MEMBERSHIP] = wanted
    return redirect("shell:office-home")
