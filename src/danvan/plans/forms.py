"""Forms of the plans app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DateInput
from danvan.org.models import Agency
from danvan.plans.models import AssignmentStatus, Task


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}"


class TaskMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}"


class SubplanForm(forms.Form):
    symbol = forms.CharField(label=_("Số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 12/KH-STP"))
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=500)
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DateInput())
    implements = TaskMultipleChoiceField(
        label=_("Nhiệm vụ của kế hoạch cấp trên được cụ thể hóa"),
        queryset=Task.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["implements"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Task.objects.filter(plan=plan, kind__in=["group", "item"]).order_by(
            "order"
        )


class RequireSubplansForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phải xây dựng kế hoạch"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = forms.DateField(label=_("Hạn ban hành"), widget=DateInput())

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = agencies


class AssignForm(forms.Form):
    task = TaskChoiceField(label=_("Nhiệm vụ"), queryset=Task.objects.none())
    agencies = forms.ModelMultipleChoiceField(
        label=_("Giao cho"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_on = forms.DateField(label=_("Hạn hoàn thành"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, plan: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        task = self.fields["task"]
        assert isinstance(task, forms.ModelChoiceField)
        task.queryset = Task.objects.filter(plan=plan, kind__in=["item", "duty"]).order_by("order")
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = agencies


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=AssignmentStatus.choices)
    progress = forms.IntegerField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_(
            "Để trống: theo tình trạng (chưa triển khai 0%, đang thực hiện 50%, hoàn thành 100%)."
        ),
    )
    note = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(
        label=_("Tài liệu minh chứng (PDF, ảnh, DOCX)"),
        required=False,
    )


class OpenReportForm(forms.Form):
    template = forms.IntegerField(widget=forms.HiddenInput)
    period = forms.CharField(widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}))
