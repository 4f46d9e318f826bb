"""Forms of the surveys app. The answering form itself is rendered from the questionnaire (see
:func:`questionnaire_view`) and checked by the service, in one place for every channel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DateInput
from danvan.org.models import Agency
from danvan.surveys.answers import Contact
from danvan.surveys.models import (
    Campaign,
    CampaignAgency,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    Section,
)
from danvan.surveys.services import ChoiceIn
from danvan.surveys.sipas import NOT_APPLICABLE, NOT_APPLICABLE_LABEL, Element, Scale


# --- the answering form ----------------------------------------------------------------------------
def answers_from(questions: Sequence[Question], data: QueryDict) -> dict[str, Any]:
    """The raw answers of a submitted answering form, by question code."""
    raw: dict[str, Any] = {}
    for q in questions:
        if q.kind == QuestionKind.MULTIPLE:
            values = data.getlist(q.field_name)
            if values:
                raw[q.code] = values
        else:
            value = data.get(q.field_name, "")
            if value != "":
                raw[q.code] = value
    return raw


def contact_from(data: QueryDict) -> Contact | None:
    """The contact details, when the respondent ticked "I agree to leave my contact"."""
    if data.get("contact_consent") not in ("1", "on", "true"):
        return None
    return Contact(
        name=data.get("contact_name", ""),
        phone=data.get("contact_phone", ""),
        email=data.get("contact_email", ""),
    )


@dataclass
class QuestionItem:
    question: Question
    number: int
    value: Any = None
    error: str = ""

    @property
    def values(self) -> list[str]:
        if isinstance(self.value, list):
            return [str(v) for v in self.value]
        return [] if self.value in (None, "") else [str(self.value)]

    @property
    def anchor(self) -> str:
        """The id of the question's first input (what the error summary links to)."""
        if self.question.kind in (QuestionKind.NUMBER, QuestionKind.TEXT):
            return self.question.field_name
        return f"{self.question.field_name}-1"

    @property
    def value_text(self) -> str:
        return "" if self.value is None or isinstance(self.value, list) else str(self.value)


@dataclass
class SectionItem:
    section: Section
    items: list[QuestionItem] = field(default_factory=list)


@dataclass
class QuestionnaireView:
    sections: list[SectionItem]
    errors: dict[str, str]
    scale: list[tuple[str, str]]
    na_value: str = NOT_APPLICABLE
    na_label: str = ""

    @property
    def error_items(self) -> list[QuestionItem]:
        return [i for s in self.sections for i in s.items if i.error]


def questionnaire_view(
    questions: Sequence[Question],
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> QuestionnaireView:
    """What the answering template needs: sections, numbered questions, values and errors."""
    values = values or {}
    errors = dict(errors or {})
    sections: list[SectionItem] = []
    for number, q in enumerate(questions, start=1):
        if not sections or sections[-1].section.pk != q.section_id:
            sections.append(SectionItem(q.section))
        sections[-1].items.append(
            QuestionItem(q, number, values.get(q.code), errors.get(q.code, ""))
        )
    return QuestionnaireView(
        sections=sections,
        errors=errors,
        scale=[(str(v), str(label)) for v, label in Scale.choices],
        na_label=str(NOT_APPLICABLE_LABEL),
    )


# --- back office -----------------------------------------------------------------------------------
class QuestionnaireForm(forms.Form):
    code = forms.SlugField(
        label=_("Mã phiếu"),
        max_length=40,
        help_text=_("Chữ không dấu, số và dấu gạch ngang, ví dụ sipas-2026."),
    )
    title = forms.CharField(label=_("Tên phiếu"), max_length=300)
    title_en = forms.CharField(label=_("Tên phiếu (tiếng Anh)"), max_length=300, required=False)
    intro = forms.CharField(
        label=_("Lời giới thiệu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    intro_en = forms.CharField(
        label=_("Lời giới thiệu (tiếng Anh)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SectionForm(forms.Form):
    element = forms.ChoiceField(label=_("Yếu tố SIPAS"), choices=Element.choices)
    title = forms.CharField(label=_("Tiêu đề phần"), max_length=300)
    title_en = forms.CharField(label=_("Tiêu đề phần (tiếng Anh)"), max_length=300, required=False)
    in_index = forms.BooleanField(
        label=_("Tính vào chỉ số hài lòng chung"), required=False, initial=True
    )


class QuestionForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Thuộc phần"), queryset=Section.objects.none())
    code = forms.CharField(label=_("Mã câu hỏi"), max_length=20, help_text=_("Ví dụ TC1, CC3."))
    kind = forms.ChoiceField(label=_("Loại câu hỏi"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Nội dung câu hỏi"), max_length=500)
    text_en = forms.CharField(
        label=_("Nội dung câu hỏi (tiếng Anh)"), max_length=500, required=False
    )
    help = forms.CharField(label=_("Gợi ý"), max_length=300, required=False)
    help_en = forms.CharField(label=_("Gợi ý (tiếng Anh)"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Bắt buộc trả lời"), required=False, initial=True)
    allow_na = forms.BooleanField(
        label=_("Cho phép chọn “Không áp dụng” (thang 5 mức)"), required=False
    )
    min_value = forms.DecimalField(label=_("Giá trị nhỏ nhất (câu hỏi số)"), required=False)
    max_value = forms.DecimalField(label=_("Giá trị lớn nhất (câu hỏi số)"), required=False)
    choices = forms.CharField(
        label=_("Các phương án (câu hỏi lựa chọn)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Mỗi dòng một phương án: mã | nội dung | nội dung tiếng Anh. Ví dụ: nam | Nam | Male"
        ),
    )

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        section = self.fields["section"]
        assert isinstance(section, forms.ModelChoiceField)
        section.queryset = questionnaire.sections.all()

    def choice_list(self) -> list[ChoiceIn]:
        rows = []
        for i, line in enumerate(self.cleaned_data.get("choices", "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 1:
                rows.append(ChoiceIn(code=str(i), label=parts[0]))
            else:
                rows.append(
                    ChoiceIn(
                        code=parts[0], label=parts[1], label_en=parts[2] if len(parts) > 2 else ""
                    )
                )
        return rows

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        return {
            "section": question.section_id,
            "code": question.code,
            "kind": question.kind,
            "text": question.text,
            "text_en": question.text_en,
            "help": question.help,
            "help_en": question.help_en,
            "required": question.required,
            "allow_na": question.allow_na,
            "min_value": question.min_value,
            "max_value": question.max_value,
            "choices": "\n".join(
                " | ".join(p for p in (c.code, c.label, c.label_en) if p)
                for c in question.choices.all()
            ),
        }


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Tên đợt khảo sát"), max_length=300)
    title_en = forms.CharField(label=_("Tên đợt (tiếng Anh)"), max_length=300, required=False)
    questionnaire = forms.ModelChoiceField(
        label=_("Phiếu khảo sát"), queryset=Questionnaire.objects.none()
    )
    agency = forms.ModelChoiceField(label=_("Cơ quan tổ chức"), queryset=Agency.objects.none())
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DateInput())
    margin = forms.DecimalField(
        label=_("Sai số cho phép (e)"),
        initial="0.05",
        min_value=0.001,
        max_value=0.5,
        decimal_places=3,
        help_text=_("Cỡ mẫu mỗi cơ quan n = N / (1 + N·e²); phương pháp SIPAS dùng e = 0,05."),
    )
    allow_public_link = forms.BooleanField(
        label=_("Nhận phiếu qua đường dẫn công khai của cơ quan"), required=False, initial=True
    )
    allow_kiosk = forms.BooleanField(
        label=_("Nhận phiếu tại máy khảo sát ở quầy"), required=False, initial=True
    )

    def __init__(
        self,
        *args: Any,
        agencies: Any,
        editing: Campaign | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        q = self.fields["questionnaire"]
        a = self.fields["agency"]
        assert isinstance(q, forms.ModelChoiceField) and isinstance(a, forms.ModelChoiceField)
        q.queryset = Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED)
        a.queryset = agencies
        if editing is not None:
            del self.fields["questionnaire"]
            del self.fields["agency"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."))
        return data


class ParticipantForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Cơ quan được khảo sát"), queryset=Agency.objects.none()
    )
    population = forms.IntegerField(
        label=_("Tổng thể N (số lượt phục vụ trong kỳ)"),
        min_value=0,
        max_value=10_000_000,
        help_text=_("Ví dụ số hồ sơ đã trả kết quả trong kỳ; cỡ mẫu n được tính tự động."),
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        a = self.fields["agency"]
        assert isinstance(a, forms.ModelChoiceField)
        a.queryset = agencies


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.agency.name)


class PaperEntryForm(forms.Form):
    """The paper sheet's particulars; the answers come from the questionnaire's inputs."""

    participant = ParticipantChoiceField(
        label=_("Cơ quan được đánh giá"), queryset=CampaignAgency.objects.none()
    )
    paper_ref = forms.CharField(
        label=_("Số phiếu giấy"),
        max_length=40,
        required=False,
        help_text=_("Số in hoặc ghi trên phiếu, để không nhập một phiếu hai lần."),
    )
    answered_on = forms.DateField(label=_("Ngày người dân điền phiếu"), widget=DateInput())
    field = forms.CharField(label=_("Lĩnh vực (nếu có)"), max_length=200, required=False)

    def __init__(self, *args: Any, participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.fields["participant"]
        assert isinstance(p, forms.ModelChoiceField)
        p.queryset = participants


class KioskForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Agency.objects.none())
    name = forms.CharField(
        label=_("Tên máy, vị trí"), max_length=120, help_text=_("Ví dụ: Máy tính bảng quầy số 2.")
    )
    idle_seconds = forms.IntegerField(
        label=_("Tự xóa phiếu đang làm dở sau (giây)"), min_value=10, max_value=3600, initial=90
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        a = self.fields["agency"]
        assert isinstance(a, forms.ModelChoiceField)
        a.queryset = agencies


class InvitationForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Agency.objects.none())
    subject_id = forms.CharField(
        label=_("Mã hồ sơ (nếu có)"),
        max_length=64,
        required=False,
        help_text=_("Mỗi hồ sơ chỉ được mời một lần trong một đợt khảo sát."),
    )
    field = forms.CharField(label=_("Lĩnh vực"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Số điện thoại nhận tin nhắn (nếu người dân đồng ý)"),
        max_length=20,
        required=False,
    )
    email = forms.EmailField(label=_("Thư điện tử (nếu người dân đồng ý)"), required=False)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        a = self.fields["agency"]
        assert isinstance(a, forms.ModelChoiceField)
        a.queryset = agencies


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy phiếu"), max_length=300)


class ResultsFilterForm(forms.Form):
    start = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput())
    by_field = forms.BooleanField(label=_("Chia theo lĩnh vực"), required=False)
