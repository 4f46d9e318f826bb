"""Forms of the petitions app (parsing only: the rules live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DateInput, DateTimeLocalInput
from danvan.org.models import Agency, Official
from danvan.petitions.models import (
    Assignment,
    Complexity,
    IdentityStorage,
    Outcome,
    PetitionKind,
    ReceptionDay,
    Source,
    Status,
    StoreReason,
    Tag,
)
from danvan.petitions.services import REVEAL_PURPOSES, VisitorIn

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_full_name()} — {obj.position}"


class ReceptionDayChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.day:%d/%m/%Y} — {obj.leader.user.get_full_name()}"


class TagField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Tag.objects.all(),
            to_field_name="code",
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            label=_("Nhóm vấn đề"),
            **kwargs,
        )


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo mã, nội dung, người gửi"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Phân loại"), required=False, choices=[("", _("Tất cả")), *PetitionKind.choices]
    )
    tag = forms.ChoiceField(label=_("Nhóm vấn đề"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tag"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Tất cả"))] + [(t.code, t.label) for t in Tag.objects.all()]


class PetitionReceiveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Phân loại đơn"), choices=PetitionKind.choices)
    source = forms.ChoiceField(label=_("Nguồn đơn"), choices=Source.choices, initial=Source.POST)
    source_body = forms.CharField(label=_("Cơ quan chuyển đến (nếu có)"), required=False)
    received_at = forms.DateTimeField(
        label=_("Thời điểm nhận đơn"), widget=DateTimeLocalInput(), input_formats=DT_FORMATS
    )
    name = forms.CharField(label=_("Họ và tên người gửi đơn"), required=False, max_length=200)
    address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=300)
    phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=20)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    sealed_ref = forms.CharField(
        label=_("Số hồ sơ giấy niêm phong (tố cáo)"),
        required=False,
        max_length=100,
        help_text=_("Bắt buộc khi cơ quan không lưu thông tin người tố cáo trong hệ thống."),
    )
    signers_count = forms.IntegerField(label=_("Số người đứng tên"), min_value=1, initial=1)
    subject = forms.CharField(label=_("Trích yếu"), max_length=300)
    content = forms.CharField(label=_("Nội dung đơn"), widget=forms.Textarea(attrs={"rows": 5}))
    round = forms.TypedChoiceField(
        label=_("Lần khiếu nại"),
        choices=[("1", _("Lần đầu")), ("2", _("Lần hai"))],
        coerce=int,
        required=False,
        empty_value=None,
    )
    first_round_code = forms.CharField(
        label=_("Mã đơn khiếu nại lần đầu (nếu khiếu nại lần hai)"), required=False
    )
    decision_complained = forms.CharField(
        label=_("Quyết định, hành vi bị khiếu nại"), required=False, max_length=300
    )
    decision_known_on = forms.DateField(
        label=_("Ngày biết được quyết định, hành vi"), required=False, widget=DateInput()
    )
    is_complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    is_remote = forms.BooleanField(label=_("Người gửi ở vùng sâu, vùng xa"), required=False)
    tags = TagField()


CONDITIONS = [
    ("language", _("Đơn dùng tiếng Việt")),
    ("date", _("Đơn ghi ngày, tháng, năm")),
    ("name", _("Đơn ghi họ tên người gửi")),
    ("address", _("Đơn ghi địa chỉ")),
    ("signature", _("Đơn có chữ ký hoặc điểm chỉ")),
]


class ClassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Phân loại"), choices=PetitionKind.choices)
    round = forms.TypedChoiceField(
        label=_("Lần khiếu nại"),
        choices=[("", "—"), ("1", _("Lần đầu")), ("2", _("Lần hai"))],
        coerce=int,
        required=False,
        empty_value=None,
    )
    competent = forms.TypedChoiceField(
        label=_("Thẩm quyền"),
        choices=[("1", _("Thuộc thẩm quyền")), ("0", _("Không thuộc thẩm quyền"))],
        coerce=lambda v: v == "1",
    )
    is_complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    is_remote = forms.BooleanField(label=_("Vùng sâu, vùng xa"), required=False)
    complexity = forms.ChoiceField(
        label=_("Mức độ phức tạp (tố cáo)"), choices=Complexity.choices, required=False
    )
    false_name = forms.BooleanField(label=_("Tố cáo nặc danh hoặc mạo danh"), required=False)
    sealed_ref = forms.CharField(label=_("Số hồ sơ giấy niêm phong"), required=False)
    tags = TagField()
    note = forms.CharField(
        label=_("Ý kiến xử lý"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in CONDITIONS:
            self.fields[f"cond_{key}"] = forms.BooleanField(label=label, required=False)

    def conditions(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(f"cond_{key}")) for key, _label in CONDITIONS}


class AcceptForm(forms.Form):
    accepted_at = forms.DateTimeField(
        label=_("Ngày thụ lý (để trống: bây giờ)"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=DT_FORMATS,
    )
    is_complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    is_remote = forms.BooleanField(label=_("Vùng sâu, vùng xa"), required=False)
    complexity = forms.ChoiceField(
        label=_("Mức độ phức tạp (tố cáo)"), choices=Complexity.choices, required=False
    )


class GuideForm(forms.Form):
    guided_to = forms.CharField(label=_("Cơ quan có thẩm quyền"), max_length=200)
    note = forms.CharField(label=_("Ghi chú"), required=False)


class TransferForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        label=_("Chuyển đến cơ quan trong hệ thống"),
        queryset=Agency.objects.filter(is_active=True, is_partner=False),
        required=False,
    )
    to_name = forms.CharField(label=_("Hoặc cơ quan ngoài hệ thống"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False)


class StoreForm(forms.Form):
    reason = forms.ChoiceField(label=_("Lý do lưu đơn"), choices=StoreReason.choices)
    note = forms.CharField(label=_("Ghi chú"), required=False)


class DuplicateForm(forms.Form):
    existing = forms.CharField(label=_("Mã vụ việc đang giải quyết"))


class AssignForm(forms.Form):
    official = OfficialChoiceField(label=_("Cán bộ"), queryset=Official.objects.none())
    duty = forms.ChoiceField(label=_("Nhiệm vụ"), choices=Assignment.Duty.choices)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["official"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Official.objects.filter(agency=agency, is_active=True).select_related(
            "user"
        )


class ExtendForm(forms.Form):
    complexity = forms.ChoiceField(label=_("Mức độ phức tạp"), choices=Complexity.choices)
    reason = forms.CharField(label=_("Lý do gia hạn"), widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Kết quả xác minh"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Outcome.choices)
    summary = forms.CharField(
        label=_("Nội dung kết luận, quyết định"), widget=forms.Textarea(attrs={"rows": 3})
    )
    resolved_at = forms.DateTimeField(
        label=_("Ngày ban hành (để trống: bây giờ)"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=DT_FORMATS,
    )
    legal_effect_date = forms.DateField(
        label=_("Ngày có hiệu lực pháp luật (để trống: theo luật)"),
        required=False,
        widget=DateInput(),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do giải quyết lại"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RevealForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Mục đích xem thông tin người gửi đơn"),
        choices=[(k, _(v)) for k, v in REVEAL_PURPOSES.items()],
    )


def _parse_people(text: str, representative: bool) -> list[VisitorIn]:
    people = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts or not parts[0]:
            continue
        parts += [""] * 3
        people.append(
            VisitorIn(
                name=parts[0], address=parts[1], phone=parts[2], representative=representative
            )
        )
    return people


class ReceptionForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp"), widget=DateTimeLocalInput(), input_formats=DT_FORMATS
    )
    kind = forms.ChoiceField(label=_("Loại việc"), choices=PetitionKind.choices)
    visitor_count = forms.IntegerField(label=_("Tổng số người đến"), min_value=1, initial=1)
    representatives = forms.CharField(
        label=_("Người đại diện (đoàn từ 5 người)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một người: Họ tên | Địa chỉ | Số điện thoại."),
    )
    others = forms.CharField(
        label=_("Người đến khác"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một người: Họ tên | Địa chỉ | Số điện thoại."),
    )
    sealed_ref = forms.CharField(label=_("Số hồ sơ giấy niêm phong (tố cáo)"), required=False)
    content = forms.CharField(
        label=_("Nội dung trình bày"), widget=forms.Textarea(attrs={"rows": 4})
    )
    documents_received = forms.CharField(
        label=_("Tài liệu, giấy tờ nhận"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    guidance = forms.CharField(
        label=_("Nội dung hướng dẫn, trả lời tại chỗ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reception_day = ReceptionDayChoiceField(
        label=_("Buổi tiếp của lãnh đạo (nếu có)"),
        queryset=ReceptionDay.objects.none(),
        required=False,
    )
    create_petition = forms.BooleanField(label=_("Lập đơn để xử lý"), required=False)
    subject = forms.CharField(label=_("Trích yếu (khi lập đơn)"), required=False, max_length=300)
    is_complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    is_remote = forms.BooleanField(label=_("Vùng sâu, vùng xa"), required=False)
    tags = TagField()

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reception_day"]
        assert isinstance(field, forms.ModelChoiceField)
        if agency is not None:
            field.queryset = (
                ReceptionDay.objects.filter(agency=agency)
                .select_related("leader__user")
                .order_by("-day")[:30]
            )

    def visitors(self) -> list[VisitorIn]:
        return _parse_people(self.cleaned_data.get("representatives", ""), True) + _parse_people(
            self.cleaned_data.get("others", ""), False
        )


class ReceptionDayForm(forms.Form):
    leader = OfficialChoiceField(label=_("Lãnh đạo tiếp"), queryset=Official.objects.none())
    day = forms.DateField(label=_("Ngày"), widget=DateInput())
    start_time = forms.TimeField(label=_("Từ giờ"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Đến giờ"), widget=forms.TimeInput(attrs={"type": "time"}))
    kind = forms.ChoiceField(label=_("Loại"), choices=ReceptionDay.Kind.choices)
    location = forms.CharField(label=_("Địa điểm"), max_length=200)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)
    published = forms.BooleanField(
        label=_("Công bố trên cổng thông tin"), required=False, initial=True
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["leader"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Official.objects.filter(agency=agency, is_active=True).select_related(
            "user"
        )


class SettingsForm(forms.Form):
    identity_storage = forms.ChoiceField(
        label=_("Lưu thông tin người tố cáo"),
        choices=IdentityStorage.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    purge_existing = forms.BooleanField(
        label=_("Xóa thông tin người tố cáo đã lưu (chỉ giữ số hồ sơ giấy niêm phong)"),
        required=False,
    )


# --- public -------------------------------------------------------------------------------------
class OnlinePetitionForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Gửi đến cơ quan"),
        queryset=Agency.objects.filter(is_active=True, is_partner=False).order_by("name"),
        empty_label=_("— Chọn cơ quan —"),
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn"),
        choices=[
            (PetitionKind.COMPLAINT, _("Khiếu nại")),
            (PetitionKind.RECOMMENDATION, _("Kiến nghị")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    name = forms.CharField(label=_("Họ và tên"), max_length=200)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    subject = forms.CharField(label=_("Tóm tắt nội dung"), max_length=300)
    content = forms.CharField(label=_("Nội dung đơn"), widget=forms.Textarea(attrs={"rows": 6}))
    decision_complained = forms.CharField(
        label=_("Quyết định, hành vi bị khiếu nại (nếu khiếu nại)"), required=False, max_length=300
    )
    decision_known_on = forms.DateField(
        label=_("Ngày ông/bà biết được quyết định, hành vi đó"), required=False, widget=DateInput()
    )
    attachment = forms.FileField(
        label=_("Tài liệu kèm theo (PDF, JPG, PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )
    attachment2 = forms.FileField(
        label=_("Tài liệu kèm theo khác"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )
    confirm = forms.BooleanField(
        label=_("Tôi cam đoan nội dung trình bày là đúng sự thật."), required=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("Cần ghi số điện thoại hoặc thư điện tử để nhận thông báo."))
        return data


class TrackForm(forms.Form):
    ma = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=20,
        help_text=_("Mã gồm 12 ký tự, ví dụ ABCD-EFGH-JKLM, được cấp khi gửi đơn."),
    )
