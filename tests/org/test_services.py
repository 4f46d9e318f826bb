"""Services and selectors of the org app."""

from __future__ import annotations

import pytest

from danvan.core.errors import PermissionDeniedError, ValidationFailed
from danvan.core.models import AuditRecord
from danvan.org import services
from danvan.org.models import Official
from danvan.org.selectors import agencies_for, official_of
from tests.permissions import fresh
from tests.world import World, user


def test_head_names_the_mobilisation_lead_and_it_is_audited(world: World) -> None:
    head = fresh(world.user("head"))
    agency = world.own("head")
    lead = Official.objects.get(user=world.user("committee_leader"), agency=agency)
    services.agency_set_mobilisation_lead(actor=head, agency=agency, lead=lead)
    agency.refresh_from_db()
    assert agency.mobilisation_lead == lead
    record = AuditRecord.objects.get(action="org.agency_set_mobilisation_lead")
    assert record.actor_id == head.pk
    assert record.changes == {"mobilisation_lead": [None, lead.pk]}


def test_lead_must_belong_to_the_agency(world: World) -> None:
    outsider = Official.objects.get(user=world.user("home_affairs"))
    with pytest.raises(ValidationFailed, match="phải là cán bộ của chính cơ quan này"):
        services.agency_set_mobilisation_lead(
            actor=fresh(world.user("head")), agency=world.own("head"), lead=outsider
        )
    assert AuditRecord.objects.filter(action="org.agency_set_mobilisation_lead").count() == 0


def test_head_cannot_name_the_lead_of_another_agency(world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        services.agency_set_mobilisation_lead(
            actor=fresh(world.user("head")), agency=world.other, lead=None
        )


def test_official_add_records_changes_only_when_something_changed(world: World) -> None:
    u = user("moi", "Cán Bộ Mới")
    services.official_add(
        actor=None, user=u, agency=world.other, roles=["handler"], position="Chuyên viên"
    )
    services.official_add(
        actor=None, user=u, agency=world.other, roles=["handler"], position="Chuyên viên"
    )
    services.official_add(actor=None, user=u, agency=world.other, roles=["handler", "head"])
    actions = list(
        AuditRecord.objects.filter(object_type="org.official")
        .order_by("seq")
        .values_list("action", "changes")
    )
    assert actions[-2][0] == "org.official_add"
    assert actions[-1] == ("org.official_update", {"roles": [["handler"], ["handler", "head"]]})


def test_unknown_role_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed, match="Vai trò không hợp lệ"):
        services.official_add(actor=None, user=user("x"), agency=world.other, roles=["boss"])


def test_scopes_of_agencies(world: World) -> None:
    codes = lambda role: set(agencies_for(fresh(world.user(role))).values_list("code", flat=True))  # noqa: E731
    everything = {a.code for a in world.agencies.values()}
    assert codes("front_desk") == {"UBND-A"}
    assert codes("head") == {"UBND-A"}
    assert codes("committee_leader") == {"UBND-A", "UBND-A1"}
    assert codes("home_affairs") == everything
    assert codes("sysadmin") == everything
    assert codes("inspector") == everything  # provincial inspectorate: the whole province
    assert codes("citizen") == set()


def test_official_of_a_citizen_is_none(world: World) -> None:
    assert official_of(world.user("citizen")) is None
    assert official_of(world.user("anonymous")) is None
