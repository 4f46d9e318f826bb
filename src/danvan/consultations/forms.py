"""Forms of the consultations app (parsing only: the rules live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.consultations.models import (
    Consultation,
    DraftKind,
    IdentityLevel,
    ResponseOutcome,
    Section,
    SectionKind,
)
from danvan.consultations.policy import REASON_CHOICES
from danvan.core.forms import DateTimeLocalInput
from danvan.org.models import AdminUnit

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Tên dự thảo"), max_length=300)
    kind = forms.ChoiceField(label=_("Loại dự thảo"), choices=DraftKind.choices)
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    opens_at = forms.DateTimeField(
        label=_("Bắt đầu lấy ý kiến"), widget=DateTimeLocalInput(), input_formats=DT_FORMATS
    )
    closes_at = forms.DateTimeField(
        label=_("Kết thúc lấy ý kiến"),
        widget=DateTimeLocalInput(),
        input_formats=DT_FORMATS,
        help_text=_(
            "Dự thảo văn bản quy phạm pháp luật: thời gian lấy ý kiến theo quy định tối thiểu."
        ),
    )
    identity_level = forms.ChoiceField(
        label=_("Yêu cầu về danh tính người góp ý"), choices=IdentityLevel.choices
    )
    affected_units = forms.ModelMultipleChoiceField(
        label=_("Địa bàn chịu tác động"),
        queryset=AdminUnit.objects.none(),
        required=False,
        help_text=_("Giữ phím Ctrl để chọn nhiều đơn vị."),
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["affected_units"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = units if units is not None else AdminUnit.objects.current()

    @classmethod
    def initial_of(cls, c: Consultation) -> dict[str, Any]:
        return {
            "title": c.title,
            "kind": c.kind,
            "summary": c.summary,
            "opens_at": c.opens_at,
            "closes_at": c.closes_at,
            "identity_level": c.identity_level,
            "affected_units": list(c.affected_units.all()),
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp dự thảo (.docx)"),
        help_text=_(
            "Các phần được nhận biết theo đề mục “Chương”, “Mục”, “Điều 1.”, hoặc các mục đánh số I., 1."
        ),
    )


class SectionsTextForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung dự thảo"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Dán toàn văn dự thảo; mỗi đề mục (Chương, Mục, Điều N., I., 1.) trên một dòng."
        ),
    )


class SectionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại"), choices=SectionKind.choices, initial=SectionKind.ARTICLE
    )
    number = forms.CharField(label=_("Số hiệu"), max_length=40, required=False)
    heading = forms.CharField(label=_("Tiêu đề"), max_length=300, required=False)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 4}))


class AttachForm(forms.Form):
    file = forms.FileField(label=_("Tệp đính kèm (PDF, DOCX, XLSX, ảnh)"))


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)[:120]


class CommentForm(forms.Form):
    section = SectionChoiceField(
        label=_("Góp ý cho"),
        queryset=Section.objects.none(),
        required=False,
        empty_label=_("Toàn bộ dự thảo"),
    )
    body = forms.CharField(
        label=_("Nội dung góp ý"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=10,
        max_length=5000,
    )
    author_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    organisation = forms.CharField(
        label=_("Cơ quan, tổ chức (nếu góp ý thay mặt tổ chức)"), max_length=200, required=False
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    follow = forms.BooleanField(
        label=_("Nhận thông báo khi kết thúc lấy ý kiến và khi công bố kết quả"), required=False
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = consultation.sections.order_by("order")
        level = consultation.identity_level
        if level == IdentityLevel.SIGNED_IN:
            drop = ["author_name", "phone", "email"]
        elif level == IdentityLevel.ANONYMOUS_PHONE:
            drop = ["author_name", "organisation", "phone", "email"]
        else:
            drop = []
        for name in drop:
            del self.fields[name]
        if level == IdentityLevel.NAMED:
            self.fields["author_name"].help_text = _("Bắt buộc (hoặc tên cơ quan, tổ chức).")
            self.fields["phone"].help_text = _(
                "Ghi số điện thoại hoặc thư điện tử; không công khai."
            )


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        help_text=_(
            "Chúng tôi gửi mã xác minh 6 chữ số qua tin nhắn. Số điện thoại không được công khai."
        ),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác minh"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class FollowForm(forms.Form):
    contact = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử"),
        max_length=254,
        help_text=_("Để nhận thông báo khi kết thúc lấy ý kiến và khi công bố kết quả."),
    )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("publish", _("Đăng công khai")), ("reject", _("Không đăng"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Lý do không đăng"), choices=[("", "—"), *REASON_CHOICES], required=False
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class ResponseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=ResponseOutcome.choices)
    text = forms.CharField(
        label=_("Nội dung tiếp thu, giải trình"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ReportForm(forms.Form):
    signer = forms.CharField(label=_("Họ tên người ký"), max_length=150)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=150)


class PublishForm(forms.Form):
    final_text = forms.CharField(
        label=_("Văn bản hoàn chỉnh sau tiếp thu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    final_file = forms.FileField(label=_("Hoặc đính kèm tệp (PDF, DOCX)"), required=False)
