"""Forms of the core screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.calendar import hours_provider
from danvan.core.models import CalendarException, DeadlineRule, DeadlineUnit


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DeadlineForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Thời điểm bắt đầu (tiếp nhận)"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    amount = forms.DecimalField(label=_("Thời hạn"), min_value=0, max_value=3650, decimal_places=2)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=DeadlineUnit.choices)
    agency = forms.TypedChoiceField(
        label=_("Cơ quan (giờ làm việc)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ChoiceField)
        agency.choices = [
            ("", _("Giờ hành chính chung")),
            *hours_provider().choices(),
        ]


class CalendarExceptionForm(forms.ModelForm):
    class Meta:
        model = CalendarException
        fields = ["day", "is_working_day", "name", "legal_basis"]
        widgets = {"day": DateInput()}


class DeadlineRuleForm(forms.ModelForm):
    class Meta:
        model = DeadlineRule
        fields = [
            "key",
            "variant",
            "amount",
            "unit",
            "effective_from",
            "title",
            "legal_basis",
            "verified",
            "note",
        ]
        widgets = {"effective_from": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}


class AuditSearchForm(forms.Form):
    q = forms.CharField(label=_("Hành động, đối tượng hoặc người thực hiện"), required=False)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput())
