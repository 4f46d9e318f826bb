"""Forms of the org app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from danvan.org.models import Official


class LoginForm(AuthenticationForm):
    """User name, password and — when the account has one — the code of its authenticator app."""

    otp_token = forms.CharField(
        label=_("Mã xác thực hai bước"),
        required=False,
        max_length=8,
        help_text=_("6 chữ số trên ứng dụng xác thực, nếu tài khoản đã bật xác thực hai bước."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: sau 5 lần sai liên tiếp, tài khoản "
            "sẽ bị tạm khóa 15 phút."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")


class OtpConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Mã 6 chữ số"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_full_name()} — {obj.position}"


class MobilisationLeadForm(forms.Form):
    lead = OfficialChoiceField(
        label=_("Lãnh đạo phụ trách công tác dân vận"),
        queryset=Official.objects.none(),
        required=False,
        empty_label=_("— Chưa phân công —"),
    )

    def __init__(self, *args: Any, agency: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lead"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Official.objects.filter(agency=agency, is_active=True).select_related(
            "user"
        )
