"""Agencies' office hours for the core calendar."""

from __future__ import annotations

from danvan.core.calendar import HoursProvider, OfficeHours
from danvan.org.models import Agency


class AgencyHours(HoursProvider):
    def hours(self, owner_id: int) -> OfficeHours | None:
        agency = Agency.objects.filter(pk=owner_id).first()
        return agency.office_hours() if agency else None

    def choices(self) -> list[tuple[int, str]]:
        return list(
            Agency.objects.filter(is_active=True).order_by("name").values_list("pk", "name")
        )
