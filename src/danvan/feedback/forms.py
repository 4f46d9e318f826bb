"""Forms of the feedback app. They parse and label; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.feedback import selectors
from danvan.feedback.models import Category, ReplyTemplate, RoutingRule, Status
from danvan.org.models import AdminUnit, Agency, Official

ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>`` (works without JavaScript)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.parent.name}" if obj.parent_id else obj.name


class FeedbackForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Loại phản ánh, kiến nghị"),
        choices=[("", _("— Chọn —")), *Category.choices],
    )
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ (nếu có)"),
        max_length=40,
        required=False,
        help_text=_("Chỉ khi phản ánh về việc giải quyết một hồ sơ: ghi mã trên giấy tiếp nhận."),
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    content = forms.CharField(
        label=_("Nội dung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mô tả rõ sự việc, thời gian, địa điểm và đề xuất của bạn."),
    )
    unit = CommuneChoiceField(
        label=_("Xã, phường, thị trấn nơi xảy ra"),
        queryset=AdminUnit.objects.none(),
        required=False,
        empty_label=_("— Chọn xã, phường —"),
        help_text=_("Bắt buộc với phản ánh về vấn đề ở địa phương."),
    )
    address = forms.CharField(label=_("Địa chỉ, địa điểm cụ thể"), max_length=255, required=False)
    latitude = forms.DecimalField(
        label=_("Vĩ độ (không bắt buộc)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Kinh độ (không bắt buộc)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    attachments = MultipleFileField(
        label=_("Ảnh, tài liệu đính kèm"),
        help_text=_("Tối đa 5 tệp ảnh (JPG, PNG, WEBP) hoặc PDF, mỗi tệp không quá 10 MB."),
    )
    sender_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    sender_address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    sender_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    sender_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    publish_consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý công khai nội dung phản ánh (đã bỏ thông tin cá nhân) cùng câu trả lời"
        ),
        required=False,
    )
    # A field people never see nor fill; robots that fill every field are refused.
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = selectors.communes()


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=20,
        help_text=_("Ví dụ: PA-7K3Q-X9M2 (in hoa hay thường đều được)."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=200)
    category = forms.ChoiceField(
        label=_("Loại phản ánh"),
        required=False,
        choices=[("", _("Tất cả")), *Category.choices],
    )


# --- back office ---------------------------------------------------------------------------------
class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    state = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("open", _("Đang xử lý (chưa trả lời)")),
            ("due_soon", _("Sắp đến hạn")),
            ("overdue", _("Quá hạn")),
            ("mine", _("Tôi được giao")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *Status.choices]
    )
    category = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả")), *Category.choices]
    )


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_full_name()} — {obj.position}" if obj.position else str(obj.user)


class AssignForm(forms.Form):
    handler = OfficialChoiceField(label=_("Cán bộ xử lý"), queryset=Official.objects.none())

    def __init__(self, *args: Any, item: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["handler"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.handlers_for(item)


class TransferForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Chuyển tới cơ quan có thẩm quyền"), queryset=Agency.objects.none()
    )
    reason = forms.CharField(
        label=_("Lý do (vì sao không thuộc thẩm quyền)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, item: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Agency.objects.filter(is_active=True, is_partner=False)
            .exclude(pk=item.agency_id)
            .order_by("name")
        )


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Mã phản ánh đã có (bản gốc)"),
        max_length=20,
        help_text=_("Phản ánh này sẽ được đóng và trả lời chung với phản ánh gốc."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10000
    )
    attachments = MultipleFileField(
        label=_("Tệp đính kèm trả lời"),
        help_text=_("Văn bản trả lời đã ký (PDF) hoặc ảnh; tối đa 5 tệp."),
    )


class ApproveForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung trả lời (có thể sửa trước khi duyệt)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
    )
    publish = forms.BooleanField(
        label=_("Công khai ngay câu trả lời (đã bỏ thông tin cá nhân)"),
        required=False,
        initial=True,
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Ý kiến chỉ đạo (lý do trả lại)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class PublishForm(forms.Form):
    public_title = forms.CharField(label=_("Tiêu đề công khai"), max_length=200)
    public_content = forms.CharField(
        label=_("Nội dung phản ánh công khai"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Chỉ công khai khi người gửi đồng ý. Thông tin cá nhân luôn được ẩn."),
    )
    public_answer = forms.CharField(
        label=_("Nội dung trả lời công khai"), widget=forms.Textarea(attrs={"rows": 6})
    )


class RoutingRuleForm(forms.ModelForm):
    unit = forms.ModelChoiceField(
        label=_("Địa bàn"),
        queryset=AdminUnit.objects.none(),
        required=False,
        empty_label=_("— Toàn tỉnh —"),
    )

    class Meta:
        model = RoutingRule
        fields = ["category", "unit", "agency", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = AdminUnit.objects.filter(valid_to__isnull=True).order_by("path")
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(is_active=True, is_partner=False).order_by("name")


class ReplyTemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["category", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


class OfficeFeedbackForm(FeedbackForm):
    """Feedback that reached the agency in writing or by phone, entered by an official."""

    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Ngày giờ cơ quan nhận văn bản hoặc cuộc gọi."),
    )
    publish_consent = forms.BooleanField(
        label=_("Người gửi đồng ý công khai nội dung (đã bỏ thông tin cá nhân)"), required=False
    )
