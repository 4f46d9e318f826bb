"""Statutory reporting periods (Decree 09/2019/NĐ-CP, *unverified*, see DOMAIN-RULES.md).

The reporting year runs from 15 December of the previous year to 14 December; the first half-year
from 15 December to 14 June; each quarter ends on the 14th of its last month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.shell.registry import Period


class PeriodType(models.TextChoices):
    YEAR = "year", _("Năm")
    HALF_YEAR = "half_year", _("6 tháng")
    QUARTER = "quarter", _("Quý")


@dataclass(frozen=True)
class ReportingPeriod:
    kind: str
    year: int
    number: int  # quarter 1-4, half-year 1-2, year 1

    @property
    def _months(self) -> int:
        return {PeriodType.QUARTER: 3, PeriodType.HALF_YEAR: 6}.get(self.kind, 12)  # type: ignore[call-overload]

    @property
    def count(self) -> int:
        return 12 // self._months

    @property
    def start(self) -> date:
        month = self._months * (self.number - 1)  # 0: 15 December of the previous year
        return date(self.year - 1, 12, 15) if month == 0 else date(self.year, month, 15)

    @property
    def end(self) -> date:
        return date(self.year, self._months * self.number, 14)

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    @property
    def label(self) -> str:
        if self.kind == PeriodType.QUARTER:
            return f"Quý {['I', 'II', 'III', 'IV'][self.number - 1]} năm {self.year}"
        if self.kind == PeriodType.HALF_YEAR:
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"Năm {self.year}"

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.year}-{self.number}"

    def previous(self) -> ReportingPeriod:
        if self.number == 1:
            return ReportingPeriod(self.kind, self.year - 1, self.count)
        return ReportingPeriod(self.kind, self.year, self.number - 1)

    @classmethod
    def parse(cls, key: str) -> ReportingPeriod:
        kind, year, number = key.split("-")
        if kind not in PeriodType.values:
            raise ValueError(key)
        period = cls(kind, int(year), int(number))
        if not 1 <= period.number <= period.count:
            raise ValueError(key)
        return period

    @classmethod
    def containing(cls, kind: str, day: date) -> ReportingPeriod:
        """The period of ``kind`` that contains ``day``."""
        year = day.year + 1 if (day.month, day.day) >= (12, 15) else day.year
        first = cls(kind, year, 1)
        for number in range(1, first.count + 1):
            p = cls(kind, year, number)
            if p.start <= day <= p.end:
                return p
        raise AssertionError(day)  # the periods of a year cover it
