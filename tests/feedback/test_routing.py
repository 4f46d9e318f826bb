"""Routing rules (category × unit → agency): the most specific rule wins; the back office keeps
them (system administrator everywhere, committee leaders for their own unit)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from danvan.core.errors import PermissionDeniedError, ValidationFailed
from danvan.core.models import AuditRecord
from danvan.feedback import services
from danvan.feedback.models import Category, RoutingRule
from tests.feedback.conftest import Submit
from tests.permissions import client_for, fresh
from tests.world import World


def test_a_local_problem_goes_to_the_commune_when_it_has_a_rule(
    world: World, submit: Submit
) -> None:
    item = submit(category=Category.LOCAL, unit=world.units["a1"])
    assert item.agency == world.agencies["pc_a1"]


def test_the_district_rule_covers_its_communes(world: World, submit: Submit) -> None:
    RoutingRule.objects.filter(unit=world.units["a1"]).delete()
    item = submit(category=Category.LOCAL, unit=world.units["a1"])
    assert item.agency == world.agencies["pc_a"]


def test_a_rule_for_the_category_beats_a_rule_for_any_category(
    world: World, submit: Submit
) -> None:
    # huyện B has "any category → UBND huyện B"; regulations go to the Department of Justice
    item = submit(
        category=Category.REGULATION,
        unit=world.units["b1"],
        sender_name="Lê Văn C",
        sender_address="Ấp 1",
        sender_phone="0909000111",
    )
    assert item.agency == world.agencies["justice"]
    other = submit(category=Category.CONDUCT, unit=world.units["b1"])
    assert other.agency == world.agencies["pc_b"]


def test_without_a_place_the_province_wide_rule_applies(world: World, submit: Submit) -> None:
    assert submit(category=Category.CONDUCT).agency == world.agencies["office"]


def test_without_any_rule_the_provinces_committee_receives(world: World, submit: Submit) -> None:
    RoutingRule.objects.all().delete()
    assert submit(category=Category.INITIATIVE).agency == world.agencies["pc_p"]


def test_a_rule_to_an_inactive_agency_is_skipped(world: World, submit: Submit) -> None:
    world.agencies["pc_a1"].is_active = False
    world.agencies["pc_a1"].save()
    item = submit(category=Category.LOCAL, unit=world.units["a1"])
    assert item.agency == world.agencies["pc_a"]


def test_the_rule_that_routed_is_in_the_timeline(world: World, submit: Submit) -> None:
    item = submit(category=Category.LOCAL, unit=world.units["a1"])
    event = item.events.get()
    assert event.to_agency == world.agencies["pc_a1"]
    assert "Xã An Hòa" in event.note


# --- keeping the rules ---------------------------------------------------------------------------
def test_the_administrator_adds_a_province_wide_rule(world: World, rules) -> None:  # type: ignore[no-untyped-def]
    rule = services.routing_rule_save(
        actor=fresh(world.user("sysadmin")),
        rule=RoutingRule(
            category=Category.CONDUCT, unit=None, agency=world.agencies["home_affairs"]
        ),
    )
    assert AuditRecord.objects.filter(
        action="feedback.routing_rule_add", object_id=str(rule.pk)
    ).exists()


def test_a_second_rule_for_the_same_category_and_unit_is_refused(world: World, rules) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as exc:
        services.routing_rule_save(
            actor=fresh(world.user("sysadmin")),
            rule=RoutingRule(category="", unit=None, agency=world.agencies["pc_p"]),
        )
    assert exc.value.message == services.ERR_RULE_EXISTS


def test_a_committee_leader_keeps_rules_of_their_own_unit_only(world: World, rules) -> None:  # type: ignore[no-untyped-def]
    leader = fresh(world.user("committee_leader"))  # UBND huyện A
    services.routing_rule_save(
        actor=leader,
        rule=RoutingRule(
            category=Category.CONDUCT, unit=world.units["a1"], agency=world.agencies["pc_a"]
        ),
    )
    with pytest.raises(PermissionDeniedError):  # a unit of huyện B
        services.routing_rule_save(
            actor=fresh(world.user("committee_leader")),
            rule=RoutingRule(
                category=Category.CONDUCT, unit=world.units["b1"], agency=world.agencies["pc_a"]
            ),
        )
    with pytest.raises(PermissionDeniedError):  # the whole province
        services.routing_rule_save(
            actor=fresh(world.user("committee_leader")),
            rule=RoutingRule(category=Category.DOSSIER, unit=None, agency=world.agencies["pc_a"]),
        )
    with pytest.raises(PermissionDeniedError):  # to an agency of huyện B
        services.routing_rule_save(
            actor=fresh(world.user("committee_leader")),
            rule=RoutingRule(
                category=Category.DOSSIER, unit=world.units["a1"], agency=world.agencies["pc_b"]
            ),
        )


def test_the_routing_page_adds_and_deletes_rules(world: World, rules) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world, "sysadmin")
    page = client.get(reverse("feedback:routing"))
    assert page.status_code == 200
    assert "Sở Tư pháp" in page.content.decode()
    response = client.post(
        reverse("feedback:routing"),
        {
            "category": Category.CONDUCT,
            "unit": world.units["b"].pk,
            "agency": world.agencies["pc_b"].pk,
        },
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get(category=Category.CONDUCT, unit=world.units["b"])
    response = client.post(reverse("feedback:routing-delete", args=[rule.pk]))
    assert response.status_code == 302
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()


def test_the_routing_page_shows_the_refusal_on_the_form(world: World, rules) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world, "sysadmin")
    response = client.post(
        reverse("feedback:routing"), {"category": "", "agency": world.agencies["pc_p"].pk}
    )
    assert response.status_code == 422
    assert services.ERR_RULE_EXISTS in response.content.decode()
