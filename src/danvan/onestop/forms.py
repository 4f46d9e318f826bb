"""Forms of the one-stop shop (parsing only: the rules live in the services)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.calendar import TZ
from danvan.onestop.models import (
    Channel,
    Decision,
    Level,
    Procedure,
    ReturnMethod,
    Score,
    Status,
)
from danvan.org.models import Agency, User

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """An ``<input type="datetime-local">`` read in Asia/Ho_Chi_Minh."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
    input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        if result is not None and timezone.is_naive(result):
            result = result.replace(tzinfo=TZ)
        return result


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


# --- back office: receiving --------------------------------------------------------------------
class ProcedureChoiceForm(forms.Form):
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục hành chính"), queryset=Procedure.objects.none(), to_field_name="code"
    )

    def __init__(self, *args: Any, procedures: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures  # type: ignore[attr-defined]
        self.fields["procedure"].label_from_instance = lambda p: f"{p.code} — {p.name}"  # type: ignore[attr-defined]


class ReceiveForm(forms.Form):
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=200)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=300)
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (CCCD)"), max_length=20, required=False
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"), choices=Channel.choices, initial=Channel.COUNTER
    )
    documents = forms.MultipleChoiceField(
        label=_("Giấy tờ đã nhận (đối chiếu với danh mục của thủ tục)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_documents = forms.CharField(
        label=_("Giấy tờ khác (mỗi dòng một giấy tờ)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    received_at = LocalDateTimeField(
        label=_("Thời điểm tiếp nhận"),
        required=False,
        help_text=_("Để trống: bây giờ. Nhập lùi ngày cần quyền riêng và được ghi nhật ký."),
    )
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, procedure: Procedure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [  # type: ignore[attr-defined]
            (
                str(d.pk),
                f"{d.name} ({d.count_label}){'' if d.required else ' — nếu có'}",
            )
            for d in procedure.documents.all()
        ]


# --- back office: steps ------------------------------------------------------------------------
class SupplementRequestForm(forms.Form):
    items = forms.CharField(
        label=_("Giấy tờ, nội dung cần bổ sung (mỗi dòng một mục, nêu đầy đủ một lần)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Lý do, hướng dẫn"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class SupplementForm(forms.Form):
    documents = forms.MultipleChoiceField(
        label=_("Giấy tờ bổ sung đã nhận"), widget=forms.CheckboxSelectMultiple, required=False
    )
    other_documents = forms.CharField(
        label=_("Giấy tờ khác (mỗi dòng một giấy tờ)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    note = forms.CharField(label=_("Ghi chú"), required=False)

    def __init__(self, *args: Any, procedure: Procedure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [  # type: ignore[attr-defined]
            (str(d.pk), d.name) for d in procedure.documents.all()
        ]


class ReasonsForm(forms.Form):
    reasons = forms.CharField(
        label=_("Lý do từ chối (mỗi dòng một lý do)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ForwardForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        label=_("Chuyển đến cơ quan"), queryset=Agency.objects.filter(is_active=True)
    )
    to_user = forms.ModelChoiceField(
        label=_("Cán bộ xử lý (không bắt buộc)"), queryset=User.objects.none(), required=False
    )
    due_at = LocalDateTimeField(
        label=_("Hạn xử lý của bước này"),
        required=False,
        help_text=_("Để trống: bằng hạn giải quyết của hồ sơ."),
    )
    step = forms.CharField(label=_("Nội dung bước"), max_length=200, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args: Any, officials: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if officials is not None:
            self.fields["to_user"].queryset = officials  # type: ignore[attr-defined]
            self.fields["to_user"].label_from_instance = lambda u: u.get_full_name()  # type: ignore[attr-defined]


class InsufficientForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do hồ sơ chưa đủ điều kiện"), widget=forms.Textarea(attrs={"rows": 2})
    )
    items = forms.CharField(
        label=_("Nội dung cần bổ sung (mỗi dòng một mục)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Lý do tạm dừng"), max_length=500)


class ApologyForm(forms.Form):
    reason = forms.CharField(label=_("Lý do chậm"), widget=forms.Textarea(attrs={"rows": 2}))
    new_due_date = forms.DateField(label=_("Ngày hẹn mới"), widget=DateInput())
    new_due_time = forms.TimeField(
        label=_("Giờ hẹn"),
        initial=time(9, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def new_due_at(self) -> datetime:
        return datetime.combine(
            self.cleaned_data["new_due_date"], self.cleaned_data["new_due_time"], TZ
        )


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Kết quả"), choices=Decision.choices, initial=Decision.APPROVED
    )
    note = forms.CharField(
        label=_("Nội dung kết quả (bắt buộc khi từ chối, nêu rõ lý do)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReturnResultForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Hình thức trả kết quả"), choices=ReturnMethod.choices, initial=ReturnMethod.COUNTER
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ (theo đơn của công dân)"), max_length=500, required=False
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ý kiến (không bắt buộc)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


# --- lists, reports ----------------------------------------------------------------------------
STATE_CHOICES = [
    ("", _("Tất cả")),
    ("unfinished", _("Chưa hoàn thành")),
    ("mine", _("Tôi đang xử lý")),
    ("due_soon", _("Sắp đến hạn")),
    ("overdue", _("Quá hạn")),
    ("late_without_apology", _("Quá hạn, chưa xin lỗi")),
]


class DossierFilterForm(forms.Form):
    q = forms.CharField(label=_("Mã hồ sơ hoặc tên người nộp"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả")), *Status.choices], required=False
    )
    state = forms.ChoiceField(label=_("Tiến độ"), choices=STATE_CHOICES, required=False)


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=60,
        help_text=_("In trên giấy tiếp nhận, ví dụ STP-261128-0001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone_last4 = forms.CharField(
        label=_("4 số cuối số điện thoại đã đăng ký"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        help_text=_("Gõ có dấu hoặc không dấu, ví dụ: khai sinh, dang ky ket hon."),
    )
    field = forms.TypedChoiceField(
        label=_("Lĩnh vực"), required=False, coerce=int, empty_value=None
    )
    agency = forms.TypedChoiceField(
        label=_("Cơ quan giải quyết"), required=False, coerce=int, empty_value=None
    )
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"), choices=[("", _("Tất cả")), *Level.choices], required=False
    )

    def __init__(self, *args: Any, fields: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Tất cả"))] + [(f.pk, f.name) for f in fields]  # type: ignore[attr-defined]
        self.fields["agency"].choices = [("", _("Tất cả"))] + [(a.pk, a.name) for a in agencies]  # type: ignore[attr-defined]


class StatisticsForm(forms.Form):
    start = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    end = forms.DateField(label=_("Đến ngày"), widget=DateInput())
    group_by = forms.ChoiceField(
        label=_("Thống kê theo"),
        choices=[("agency", _("Cơ quan")), ("field", _("Lĩnh vực"))],
        initial="agency",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data


class RegisterForm(forms.Form):
    day = forms.DateField(label=_("Ngày"), widget=DateInput())


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh mục thủ tục (XLSX hoặc CSV)"),
        help_text=_("Mỗi dòng một thủ tục, theo mẫu xuất từ Cơ sở dữ liệu quốc gia về TTHC."),
    )


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("Năm rà soát"), min_value=2000, max_value=2100)
    proposals = forms.CharField(
        label=_("Phương án đơn giản hóa"), widget=forms.Textarea(attrs={"rows": 4})
    )
    proposed_days = forms.DecimalField(
        label=_("Thời hạn giải quyết đề xuất"), min_value=0, max_digits=6, decimal_places=2
    )
    proposed_fee = forms.IntegerField(label=_("Phí, lệ phí đề xuất (đồng)"), min_value=0)
    proposed_documents = forms.IntegerField(label=_("Số thành phần hồ sơ đề xuất"), min_value=0)
    cost_per_day = forms.IntegerField(
        label=_("Chi phí một ngày chờ của người dân (đồng)"), min_value=0, initial=250_000
    )
    cost_per_document = forms.IntegerField(
        label=_("Chi phí chuẩn bị một giấy tờ (đồng)"), min_value=0, initial=50_000
    )
