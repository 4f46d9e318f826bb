"""Statistics and the shell's report indicators against hand-counted data; list pages and
dashboards with their query counts pinned (no N+1)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from danvan.petitions import selectors, services
from danvan.petitions.services import VisitorIn
from danvan.shell.registry import Period, indicators, widgets
from tests.petitions.conftest import at, file_petition
from tests.world import World

pytestmark = pytest.mark.django_db

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def _data(world: World) -> None:
    handler, head, desk = world.user("handler"), world.user("head"), world.user("front_desk")
    agency = world.own("handler")
    # reception: a group of 6 (mass) with a petition, and 2 single visits (one in April)
    services.reception_record(
        actor=desk,
        agency=agency,
        received_at=at(2026, 3, 2),
        kind="complaint",
        visitors=[VisitorIn(f"Người {i}", representative=i == 0) for i in range(6)],
        content="Khiếu nại bồi thường.",
        create_petition=True,
        tags=["land"],
    )
    services.reception_record(
        actor=desk,
        agency=agency,
        received_at=at(2026, 3, 3),
        kind="recommendation",
        visitors=[VisitorIn("Một Người")],
        content="Kiến nghị.",
    )
    services.reception_record(
        actor=desk,
        agency=agency,
        received_at=at(2026, 4, 3),
        kind="report",
        visitors=[VisitorIn("Tháng Tư")],
        content="Phản ánh.",
    )
    # petitions received in March: 3 complaints (incl. the mass one), 2 denunciations
    # (one anonymous), 1 recommendation, 1 report
    on_time = file_petition(world, received_at=at(2026, 3, 2))
    services.petition_accept(actor=handler, petition=on_time, accepted_at=at(2026, 3, 3))
    services.petition_resolve(
        actor=head, petition=on_time, outcome="right", summary="x", resolved_at=at(2026, 3, 25)
    )
    late = file_petition(world, received_at=at(2026, 1, 5))  # received in January
    services.petition_accept(actor=handler, petition=late, accepted_at=at(2026, 1, 6))
    services.petition_resolve(
        actor=head, petition=late, outcome="wrong", summary="x", resolved_at=at(2026, 3, 10)
    )
    d = file_petition(world, kind="denunciation", received_at=at(2026, 3, 4))
    services.petition_accept(actor=handler, petition=d, accepted_at=at(2026, 3, 5))  # due 06/04
    file_petition(world, kind="denunciation", name="", received_at=at(2026, 3, 4))
    r = file_petition(world, kind="recommendation", received_at=at(2026, 3, 5))
    services.petition_transfer(actor=handler, petition=r, to_agency=world.other, at=at(2026, 3, 6))
    g = file_petition(world, kind="report", received_at=at(2026, 3, 9))
    services.petition_guide(actor=handler, petition=g, guided_to="UBND xã", at=at(2026, 3, 10))
    s = file_petition(world, received_at=at(2026, 3, 11))
    services.petition_store(actor=handler, petition=s, reason="already_guided", at=at(2026, 3, 12))
    # the other district's: counted only for it
    file_petition(world, agency=world.other, received_at=at(2026, 3, 5))


def test_statistics_match_the_hand_count(world: World) -> None:
    _data(world)
    own, other = world.own("handler").pk, world.other.pk
    stats = selectors.statistics([own], MARCH)
    assert (
        stats
        == {
            "visits": 2,
            "visitors": 7,
            "mass_visits": 1,
            "received": 7,  # mass complaint, on_time, denunciation, anonymous, recommendation, report, stored
            "complaint": 3,
            "denunciation": 2,
            "recommendation": 1,
            "report": 1,
            "mixed": 0,
            "mass_cases": 1,
            "accepted": 2,  # on_time (03/03) and the denunciation (05/03); "late" was accepted in January
            "transferred": 1,
            "guided": 1,
            "stored": 1,
            "information": 1,
            "resolved": 2,
            "resolved_on_time": 1,
            "resolved_late": 1,
            "overdue": 1,  # the mass complaint: handling due 16/03, still untouched on 31/03
            "long_running": 0,
        }
    )
    by_agency = selectors.statistics_by_agency([own, other], MARCH)
    assert by_agency[other]["received"] == 2  # its own and the transferred one
    assert by_agency[other]["complaint"] == 1
    # the shell's indicators give the same numbers, summed over agencies
    assert indicators.get("petitions.visitors").compute([own], MARCH) == 7
    assert indicators.get("petitions.received").compute([own, other], MARCH) == 9
    assert indicators.get("petitions.resolved_late").compute([own], MARCH) == 1
    assert indicators.get("petitions.mass_cases").compute([own], MARCH) == 1
    assert "petitions.long_running" in indicators


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path)
    assert r.status_code == 200, path
    return len(ctx.captured_queries)


def test_statistics_page_and_its_xlsx(world: World) -> None:
    _data(world)
    client = Client()
    client.force_login(world.user("inspector"))
    path = "/office/petitions/statistics/?from=2026-03-01&to=2026-03-31"
    client.get(path)
    before = queries(client, path)
    for agency in [world.agencies["pc_a1"], world.agencies["pc_b1"], world.agencies["justice"]]:
        services.reception_record(
            actor=_desk(world, agency),
            agency=agency,
            received_at=at(2026, 3, 9),
            kind="report",
            visitors=[VisitorIn("Khách")],
            content="Phản ánh",
            create_petition=True,
        )
    assert queries(client, path) == before  # more agencies with data: not more queries
    r = client.get(path)
    page = r.content.decode()
    assert "Ủy ban nhân dân huyện An Phú" in page and "Lượt tiếp công dân" in page
    r = client.get("/office/petitions/statistics/?from=2026-03-01&to=2026-03-31&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = {row[0]: row for row in ws.iter_rows(min_row=4, values_only=True)}
    assert rows["Ủy ban nhân dân huyện An Phú"][1] == 2  # visits
    assert rows["Tổng cộng"][4] == 12  # received in the province: 9 + the 3 added above


def _desk(world: World, agency):  # type: ignore[no-untyped-def]
    from danvan.org import services as org_services
    from tests.world import user

    key = f"desk_{agency.code}"
    if key not in world.users:
        u = user(key.lower(), "Cán Bộ Tiếp Dân")
        org_services.official_add(actor=None, user=u, agency=agency, roles=["front_desk"])
        world.users[key] = u
    return world.users[key]


def test_list_pages_have_a_fixed_number_of_queries(world: World) -> None:
    for i in range(30):
        file_petition(
            world,
            kind="denunciation" if i % 3 == 0 else "complaint",
            tags=["land", "social_policy"],
        )
    for i in range(10):
        services.reception_record(
            actor=world.user("front_desk"),
            agency=world.own("front_desk"),
            received_at=at(2026, 3, 2),
            kind="denunciation" if i % 2 else "complaint",
            visitors=[VisitorIn(f"Khách {i}")],
            content="Nội dung",
            create_petition=i % 2 == 0,
        )
    client = Client()
    client.force_login(world.user("handler"))
    paths = [
        "/office/petitions/",
        "/office/petitions/?q=bồi thường",
        "/office/petitions/?tag=land",
        "/office/petitions/overdue/",
        "/office/petitions/long-running/",
        "/office/petitions/reception/",
        "/office/",
        "/api/v1/petitions?limit=100",
    ]
    for path in paths:
        client.get(path)  # warm the session and caches
    before = {path: queries(client, path) for path in paths}
    for path, n in before.items():
        assert n <= 25, (path, n)
    exporter = Client()
    exporter.force_login(world.user("head"))
    exporter.get("/office/petitions/export.xlsx")
    export_before = queries(exporter, "/office/petitions/export.xlsx")
    # twice as many rows, tags and visits: the same number of queries
    for i in range(30):
        file_petition(world, kind="mixed" if i % 2 else "complaint", tags=["official_conduct"])
    for i in range(10):
        services.reception_record(
            actor=world.user("front_desk"),
            agency=world.own("front_desk"),
            received_at=at(2026, 3, 3),
            kind="denunciation",
            visitors=[VisitorIn(f"Khách mới {i}")],
            content="Nội dung",
            create_petition=True,
        )
    after = {path: queries(client, path) for path in paths}
    assert after == before
    assert queries(exporter, "/office/petitions/export.xlsx") == export_before
    assert len(client.get("/api/v1/petitions?limit=200").json()) == 75  # 30 + 5 + 30 + 10


def test_the_dashboard_widget_counts_deadlines(world: World) -> None:
    file_petition(world, received_at=at(2026, 3, 2))
    client = Client()
    client.force_login(world.user("handler"))
    page = client.get("/office/").content.decode()
    assert "petitions.deadlines" in widgets
    assert "Đơn thư: thời hạn" in page and "Xem đơn quá hạn" in page
