"""Forms of the dialogues app (parsing only: the rules live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.consultations.policy import REASON_CHOICES
from danvan.core.forms import DateInput, DateTimeLocalInput
from danvan.dialogues.models import CommitmentStatus, DialogueKind
from danvan.org.models import AdminUnit, Agency

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


class DialogueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=DialogueKind.choices)
    topic = forms.CharField(label=_("Chủ đề"), max_length=300)
    description = forms.CharField(
        label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    host_name = forms.CharField(label=_("Lãnh đạo chủ trì (họ tên, chức vụ)"), max_length=200)
    place = forms.CharField(label=_("Địa điểm"), max_length=300)
    starts_at = forms.DateTimeField(
        label=_("Bắt đầu"), widget=DateTimeLocalInput(), input_formats=DT_FORMATS
    )
    ends_at = forms.DateTimeField(
        label=_("Kết thúc"), widget=DateTimeLocalInput(), input_formats=DT_FORMATS
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Cơ quan tham dự"), queryset=Agency.objects.filter(is_active=True), required=False
    )
    affected_units = forms.ModelMultipleChoiceField(
        label=_("Địa bàn, đối tượng"), queryset=AdminUnit.objects.current(), required=False
    )
    accepts_questions = forms.BooleanField(
        label=_("Nhận câu hỏi trước qua cổng"), required=False, initial=True
    )


class QuestionForm(forms.Form):
    author_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    author_address = forms.CharField(label=_("Nơi ở (ấp, xã)"), max_length=200)
    phone = forms.CharField(
        label=_("Số điện thoại (không công khai)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    body = forms.CharField(
        label=_("Câu hỏi, kiến nghị"), widget=forms.Textarea(attrs={"rows": 5}), max_length=3000
    )


class RoomQuestionForm(forms.Form):
    author_name = forms.CharField(label=_("Người hỏi"), max_length=150, required=False)
    author_address = forms.CharField(label=_("Nơi ở"), max_length=200, required=False)
    body = forms.CharField(label=_("Câu hỏi, kiến nghị"), widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(
        label=_("Trả lời tại hội nghị"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    answered_by = forms.CharField(label=_("Người trả lời"), max_length=200, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Trả lời"), widget=forms.Textarea(attrs={"rows": 3}))
    answered_by = forms.CharField(label=_("Người trả lời"), max_length=200)


class QuestionModerateForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Tiếp nhận")), ("reject", _("Không tiếp nhận"))]
    )
    reason = forms.ChoiceField(choices=[("", "—"), *REASON_CHOICES], required=False)


class HeldForm(forms.Form):
    minutes_text = forms.CharField(
        label=_("Tóm tắt diễn biến"), widget=forms.Textarea(attrs={"rows": 5})
    )
    attendance = forms.IntegerField(label=_("Số người dân tham dự"), min_value=0, required=False)
    secretary = forms.CharField(label=_("Thư ký"), max_length=150, required=False)


class CommitmentForm(forms.Form):
    description = forms.CharField(
        label=_("Nội dung cam kết"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(
        label=_("Cơ quan thực hiện"), queryset=Agency.objects.filter(is_active=True)
    )
    due_on = forms.DateField(label=_("Hạn hoàn thành"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ReportForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=CommitmentStatus.choices)
    text = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3}))
    done_on = forms.DateField(
        label=_("Ngày hoàn thành (nếu đã xong)"), required=False, widget=DateInput()
    )
    evidence = forms.FileField(label=_("Minh chứng (ảnh, PDF, DOCX)"), required=False)
