"""Checking a filled-in questionnaire: one place for every channel (form, kiosk, API, paper).

:func:`clean_answers` turns the raw answers ``{question code: value}`` into unsaved
:class:`~danvan.surveys.models.Answer` rows, or raises :class:`ValidationFailed` whose
``details["errors"]`` maps each faulty question code to a Vietnamese message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core.errors import ValidationFailed
from danvan.surveys.models import Answer, Question, QuestionKind
from danvan.surveys.sipas import NOT_APPLICABLE

ERR_INVALID = gettext_noop("Phiếu trả lời chưa hợp lệ: vui lòng xem lại các câu hỏi được đánh dấu.")
ERR_REQUIRED = gettext_noop("Vui lòng trả lời câu hỏi bắt buộc này.")
ERR_SCALE = gettext_noop("Vui lòng chọn một mức từ 1 (rất không hài lòng) đến 5 (rất hài lòng).")
ERR_NA = gettext_noop("Câu hỏi này không có lựa chọn “Không áp dụng”.")
ERR_CHOICE = gettext_noop("Lựa chọn không hợp lệ: vui lòng chọn trong danh sách.")
ERR_ONE_CHOICE = gettext_noop("Câu hỏi này chỉ được chọn một phương án.")
ERR_NUMBER = gettext_noop("Vui lòng nhập một số (ví dụ 2).")
ERR_NUMBER_MIN = gettext_noop("Số nhập vào không được nhỏ hơn {min}.")
ERR_NUMBER_MAX = gettext_noop("Số nhập vào không được lớn hơn {max}.")
ERR_TEXT_LONG = gettext_noop("Ý kiến dài quá {max} ký tự, vui lòng viết ngắn gọn hơn.")
ERR_UNKNOWN_QUESTION = gettext_noop("Phiếu không có câu hỏi mã “{code}”.")
ERR_EMPTY = gettext_noop("Phiếu chưa có câu trả lời nào. Vui lòng trả lời ít nhất một câu hỏi.")
ERR_CONTACT_NAME = gettext_noop("Khi đồng ý để lại thông tin liên hệ, vui lòng ghi họ và tên.")
ERR_CONTACT_WAY = gettext_noop(
    "Khi đồng ý để lại thông tin liên hệ, vui lòng ghi số điện thoại hoặc thư điện tử."
)
ERR_PHONE = gettext_noop("Số điện thoại không hợp lệ (ví dụ 0912345678).")
ERR_EMAIL = gettext_noop("Địa chỉ thư điện tử không hợp lệ.")

TEXT_MAX = 2000
_PHONE = re.compile(r"^\+?[0-9][0-9 .-]{7,16}[0-9]$")


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set):
        return all(_blank(v) for v in value)
    return False


def _one(value: Any) -> Any:
    """A single value out of what a form or JSON gives (a one-element list is fine)."""
    if isinstance(value, list | tuple):
        values = [v for v in value if not _blank(v)]
        if len(values) != 1:
            raise ValueError
        return values[0]
    return value


def _scale(question: Question, value: Any, answer: Answer) -> str | None:
    try:
        value = _one(value)
    except ValueError:
        return ERR_SCALE
    if isinstance(value, str) and value.strip().lower() == NOT_APPLICABLE:
        if not question.allow_na:
            return ERR_NA
        answer.not_applicable = True
        return None
    if isinstance(value, bool):
        return ERR_SCALE
    try:
        number = int(str(value).strip())
    except ValueError:
        return ERR_SCALE
    if not 1 <= number <= 5 or str(number) != str(value).strip():
        return ERR_SCALE
    answer.scale = number
    return None


def _codes(question: Question) -> list[str]:
    return [c.code for c in question.choices.all()]


def _single(question: Question, value: Any, answer: Answer) -> str | None:
    try:
        value = _one(value)
    except ValueError:
        return ERR_ONE_CHOICE
    code = str(value).strip()
    if code not in _codes(question):
        return ERR_CHOICE
    answer.choices = [code]
    return None


def _multiple(question: Question, value: Any, answer: Answer) -> str | None:
    values = value if isinstance(value, list | tuple) else [value]
    allowed = _codes(question)
    picked: list[str] = []
    for v in values:
        if _blank(v):
            continue
        code = str(v).strip()
        if code not in allowed:
            return ERR_CHOICE
        if code not in picked:
            picked.append(code)
    answer.choices = sorted(picked, key=allowed.index)
    return None


def _number(question: Question, value: Any, answer: Answer) -> str | None:
    try:
        value = _one(value)
    except ValueError:
        return ERR_NUMBER
    if isinstance(value, bool):
        return ERR_NUMBER
    text = str(value).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # Vietnamese decimal comma
    try:
        number = Decimal(text)
    except InvalidOperation:
        return ERR_NUMBER
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        return ERR_NUMBER
    number = number.quantize(Decimal("0.01"))
    if question.min_value is not None and number < question.min_value:
        return _(ERR_NUMBER_MIN).format(min=_plain(question.min_value))
    if question.max_value is not None and number > question.max_value:
        return _(ERR_NUMBER_MAX).format(max=_plain(question.max_value))
    answer.number = number
    return None


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _text(question: Question, value: Any, answer: Answer) -> str | None:
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value if not _blank(v))
    text = str(value).replace("\r\n", "\n").strip()
    if len(text) > TEXT_MAX:
        return _(ERR_TEXT_LONG).format(max=TEXT_MAX)
    answer.text = text
    return None


_PARSERS = {
    QuestionKind.SCALE: _scale,
    QuestionKind.SINGLE: _single,
    QuestionKind.MULTIPLE: _multiple,
    QuestionKind.NUMBER: _number,
    QuestionKind.TEXT: _text,
}


def clean_answers(questions: Sequence[Question], raw: Mapping[str, Any]) -> list[Answer]:
    """Check ``raw`` against ``questions`` (with their choices prefetched); return the answers."""
    by_code = {q.code: q for q in questions}
    errors: dict[str, str] = {}
    for code in raw:
        if code not in by_code:
            errors[str(code)] = _(ERR_UNKNOWN_QUESTION).format(code=code)
    answers: list[Answer] = []
    for question in questions:
        value = raw.get(question.code)
        if _blank(value):
            if question.required:
                errors[question.code] = _(ERR_REQUIRED)
            continue
        answer = Answer(question=question)
        problem = _PARSERS[QuestionKind(question.kind)](question, value, answer)
        if problem:
            errors[question.code] = _(problem)
        elif question.kind == QuestionKind.MULTIPLE and not answer.choices:
            if question.required:
                errors[question.code] = _(ERR_REQUIRED)
        else:
            answers.append(answer)
    if errors:
        raise ValidationFailed(_(ERR_INVALID), errors=errors)
    if not answers:
        raise ValidationFailed(_(ERR_EMPTY), errors={})
    return answers


@dataclass(frozen=True)
class Contact:
    """Contact details a respondent chose to leave (then the response is not anonymous)."""

    name: str = ""
    phone: str = ""
    email: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "phone": self.phone, "email": self.email}


def clean_contact(contact: Contact | None) -> Contact | None:
    """None when the respondent stays anonymous; the trimmed contact when it is complete."""
    if contact is None:
        return None
    name, phone, email = (
        contact.name.strip()[:150],
        contact.phone.strip()[:20],
        contact.email.strip()[:254],
    )
    errors: dict[str, str] = {}
    if not name:
        errors["contact_name"] = _(ERR_CONTACT_NAME)
    if not phone and not email:
        errors["contact_phone"] = _(ERR_CONTACT_WAY)
    if phone and not _PHONE.match(phone):
        errors["contact_phone"] = _(ERR_PHONE)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = _(ERR_EMAIL)
    if errors:
        raise ValidationFailed(_(ERR_INVALID), errors=errors)
    return Contact(name=name, phone=phone, email=email)
