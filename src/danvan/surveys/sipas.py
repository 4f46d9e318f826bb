"""The SIPAS method (Ministry of Home Affairs, Decision 1001/QĐ-BNV, 2023) as data: the five
elements, the 5-point satisfaction scale, and the sample size n = N / (1 + N·e²)."""

from __future__ import annotations

import math
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_MARGIN = Decimal("0.05")
#: answers on the 5-point scale that count as satisfied (4 = hài lòng, 5 = rất hài lòng)
SATISFIED = (4, 5)


class Element(models.TextChoices):
    """The five SIPAS elements, and "custom" for a section of the organiser's own."""

    ACCESS = "access", _("Tiếp cận dịch vụ hành chính công")
    PROCEDURES = "procedures", _("Thủ tục hành chính")
    OFFICIALS = "officials", _("Công chức trực tiếp giải quyết công việc")
    RESULTS = "results", _("Kết quả cung ứng dịch vụ hành chính công")
    FEEDBACK = "feedback", _("Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị")
    CUSTOM = "custom", _("Nội dung khác (tự đặt)")


SIPAS_ELEMENTS = [e for e in Element if e != Element.CUSTOM]


class Scale(models.IntegerChoices):
    VERY_DISSATISFIED = 1, _("Rất không hài lòng")
    DISSATISFIED = 2, _("Không hài lòng")
    NEUTRAL = 3, _("Bình thường")
    SATISFIED = 4, _("Hài lòng")
    VERY_SATISFIED = 5, _("Rất hài lòng")


NOT_APPLICABLE = "na"
NOT_APPLICABLE_LABEL = _("Không áp dụng, không có ý kiến")


def target_sample(population: int, margin: Decimal | float | str = DEFAULT_MARGIN) -> int:
    """The sample needed for ``population`` people served: n = N / (1 + N·e²), rounded up.

    >>> target_sample(1000)
    286
    """
    if population <= 0:
        return 0
    e = Decimal(str(margin))
    if not Decimal(0) < e < Decimal(1):
        raise ValueError("margin of error must lie strictly between 0 and 1")
    n = Decimal(population) / (Decimal(1) + Decimal(population) * e * e)
    return min(population, math.ceil(n))
