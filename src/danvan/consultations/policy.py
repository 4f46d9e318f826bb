"""The published moderation policy for citizens' comments and questions (also used by the
dialogues app): what is not published, and why. Every refusal records one of these reasons.

:func:`screen` points the moderator at what the policy looks for (contact details, insults,
links); it suggests, the moderator decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from danvan.core.text import terms


@dataclass(frozen=True)
class Reason:
    code: str
    label: object
    rule: object


REASONS: tuple[Reason, ...] = (
    Reason(
        "spam",
        _("Quảng cáo, tin rác"),
        _("Nội dung quảng cáo, lặp lại nhiều lần hoặc không liên quan đến dự thảo."),
    ),
    Reason(
        "abuse",
        _("Xúc phạm, thô tục"),
        _("Lời lẽ xúc phạm, thô tục, kích động; xúc phạm danh dự, nhân phẩm của người khác."),
    ),
    Reason(
        "personal_data",
        _("Thông tin cá nhân"),
        _(
            "Có số điện thoại, địa chỉ, số định danh hoặc thông tin riêng của người khác "
            "(hoặc của chính người góp ý) không nên công khai."
        ),
    ),
    Reason(
        "off_topic",
        _("Không thuộc nội dung lấy ý kiến"),
        _(
            "Khiếu nại, tố cáo hoặc yêu cầu giải quyết việc riêng: xin gửi qua kênh tiếp công "
            "dân hoặc phản ánh, kiến nghị."
        ),
    ),
    Reason(
        "unlawful",
        _("Vi phạm pháp luật"),
        _("Nội dung trái pháp luật, tuyên truyền chống Nhà nước, tiết lộ bí mật nhà nước."),
    ),
)
REASON_CODES = tuple(r.code for r in REASONS)
REASON_CHOICES = [(r.code, r.label) for r in REASONS]


def reason_label(code: str) -> str:
    return next((str(r.label) for r in REASONS if r.code == code), code)


_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
_ABUSE = ("do ngu", "mat day", "chet tiet", "vo hoc", "dm", "dcm", "cho chet", "do khon")


def screen(text: str) -> list[str]:
    """The policy reasons a text may fall under (a hint for the moderator)."""
    found: list[str] = []
    if _PHONE.search(text) or _EMAIL.search(text) or _ID.search(text):
        found.append("personal_data")
    words = f" {' '.join(terms(text))} "
    if any(f" {w} " in words for w in _ABUSE):
        found.append("abuse")
    if _LINK.search(text):
        found.append("spam")
    return found
