"""Writes of the org app. Each service is atomic, validates, and writes its audit record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.core import audit
from danvan.core.errors import PermissionDeniedError, ValidationFailed
from danvan.org.models import AdminUnit, Agency, Official, OfficialRole, User
from danvan.org.roles import Role

ERR_LEAD_OTHER_AGENCY = "Lãnh đạo phụ trách dân vận phải là cán bộ của chính cơ quan này."
ERR_NOT_ALLOWED = "Bạn không có quyền thực hiện thao tác này."
ERR_UNKNOWN_ROLE = "Vai trò không hợp lệ: {role}."


@transaction.atomic
def agency_set_mobilisation_lead(*, actor: User, agency: Agency, lead: Official | None) -> Agency:
    """Name the leader in charge of mass-mobilisation work of ``agency`` (plan II.3)."""
    if not actor.has_perm("org.set_lead_agency", agency):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))
    if lead is not None and lead.agency_id != agency.pk:
        raise ValidationFailed(_(ERR_LEAD_OTHER_AGENCY), field="lead")
    before = audit.snapshot(agency, ["mobilisation_lead"])
    agency.mobilisation_lead = lead
    agency.full_clean()
    agency.save(update_fields=["mobilisation_lead", "updated_at"])
    audit.record(
        actor=actor,
        action="org.agency_set_mobilisation_lead",
        obj=agency,
        changes=audit.changes_of(agency, before),
        data={"lead": str(lead.user) if lead else None},
    )
    return agency


@transaction.atomic
def official_add(
    *,
    actor: User | None,
    user: User,
    agency: Agency,
    roles: list[str],
    position: str = "",
) -> Official:
    """Make ``user`` an official of ``agency`` with ``roles`` (or update the roles held there)."""
    for role in roles:
        if role not in Role.values:
            raise ValidationFailed(_(ERR_UNKNOWN_ROLE).format(role=role), field="roles")
    official, created = Official.objects.get_or_create(
        user=user, agency=agency, defaults={"position": position}
    )
    before_roles = sorted(official.roles.values_list("role", flat=True))
    before = audit.snapshot(official, ["position"])
    if position and official.position != position:
        official.position = position
        official.save(update_fields=["position", "updated_at"])
    official.roles.exclude(role__in=roles).delete()
    for role in roles:
        OfficialRole.objects.get_or_create(official=official, role=role)
    changes = audit.changes_of(official, before)
    if before_roles != sorted(roles):
        changes["roles"] = [before_roles, sorted(roles)]
    if created or changes:
        audit.record(
            actor=actor,
            action="org.official_add" if created else "org.official_update",
            obj=official,
            changes=changes,
        )
    return official


@transaction.atomic
def unit_link_successors(*, actor: Any, unit: AdminUnit, successors: list[AdminUnit]) -> AdminUnit:
    """Record that ``unit`` was replaced by ``successors`` (merger or split)."""
    before = sorted(unit.successors.values_list("pk", flat=True))
    unit.successors.add(*successors)
    after = sorted(unit.successors.values_list("pk", flat=True))
    if before != after:
        audit.record(
            actor=actor,
            action="org.unit_link_successors",
            obj=unit,
            changes={"successors": [before, after]},
        )
    return unit
