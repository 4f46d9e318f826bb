"""The secrecy test (issue 5): a denunciation filed with a unique marker name goes through its
whole life — reception register, intake, classification, assignment, acceptance, verification,
extension, resolution, every document, reminders and notifications delivered by the real worker.
Then, as every role other than the assigned handlers and their head, the marker must not appear
in any page, API answer, export, notification, log line, search index or audit record; and a raw
read of every text column of every table of the database must not show it in clear text.

A positive control (a complaint, whose sender is not secret, filed with its own marker) proves
that the scans would find a marker if one were there.
"""

from __future__ import annotations

import html
import io
import json
import logging
import zipfile
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils.encoding import iri_to_uri

from danvan.core import search
from danvan.core.models import AuditRecord, OutboxMessage, SearchEntry
from danvan.core.text import fold
from danvan.org.models import User
from danvan.org.selectors import official_of
from danvan.petitions import services
from danvan.petitions.models import Petition, ReceptionEntry
from danvan.petitions.services import SEARCH_KIND
from tests.petitions.conftest import at, other_handler
from tests.world import World

pytestmark = pytest.mark.django_db(transaction=True)

MARKER = "Quách Thị Zyxwvụt"
MARKER_PHONE = "0976543210"
MARKER_ADDRESS = "Xóm Qưerty số 77"
CONTROL = "Kiểm Chứng Wqpxlổ"
# What must never be seen: the distinctive parts, in every spelling a page or index might use.
NEEDLES = ["zyxwvut", "zyxwv", MARKER_PHONE, "qưerty", "querty"]
CONTROL_NEEDLES = ["wqpxlo"]

ALLOWED = {"handler", "head"}
OTHER_ROLES = [
    "anonymous",
    "citizen",
    "front_desk",
    "committee_leader",
    "home_affairs",
    "inspector",
    "sysadmin",
]


def leaks(blob: Any, needles: list[str] = NEEDLES) -> list[str]:
    """The needles found in ``blob`` (text, bytes, a DOCX/XLSX zip), compared folded."""
    if isinstance(blob, bytes):
        if blob[:2] == b"PK":  # DOCX / XLSX: look inside every part
            with zipfile.ZipFile(io.BytesIO(blob)) as z:
                text = " ".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
        else:
            text = blob.decode("utf-8", "ignore")
    else:
        text = str(blob)
    folded = fold(text)
    return [n for n in needles if fold(n) in folded]


def strip_echo(body: bytes, path: str) -> bytes:
    """Remove the echo of the tester's own query (the search box, the language switch's
    ``next`` field): a page repeating what the visitor typed leaks nothing stored."""
    if "?" not in path or body[:2] == b"PK":
        return body
    text = body.decode("utf-8", "ignore")
    for _key, value in parse_qsl(path.split("?", 1)[1]):
        for variant in {
            value,
            html.escape(value),
            quote(value),
            quote_plus(value),
            iri_to_uri(value),
            quote(value, safe=""),
        }:
            text = text.replace(variant, "")
    return text.encode()


def api(client: Client, method: str, path: str, body: dict | None = None) -> Any:
    fn = getattr(client, method)
    if body is None:
        return fn(f"/api/v1{path}")
    return fn(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


def raw_database_dump() -> list[tuple[str, str, str]]:
    """Every value of every column of every table, read with plain SQL: (table, column, text)."""
    out: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            names = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    if value is None or isinstance(value, int | float):
                        continue
                    if isinstance(value, memoryview):
                        value = value.tobytes()
                    text = (
                        value.decode("utf-8", "ignore") if isinstance(value, bytes) else str(value)
                    )
                    out.append((table, name, text))
    return out


@pytest.fixture
def story(world: World, caplog: Any) -> dict[str, Any]:
    """The denunciation's whole life, done by the handler (who received it) and the head."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="danvan")  # steps log at INFO, off by default
    for role in [
        "handler",
        "head",
        "front_desk",
        "committee_leader",
        "inspector",
        "sysadmin",
        "home_affairs",
    ]:
        u = world.user(role)
        u.email = f"{role.replace('_', '.')}@example.vn"
        u.save()
    handler_c, head_c = Client(), Client()
    handler_c.force_login(world.user("handler"))
    head_c.force_login(world.user("head"))
    agency = world.own("handler")

    # 1. the denouncer comes to the reception office; the handler enters the visit
    r = handler_c.post(
        "/office/petitions/reception/new/",
        {
            "received_at": "2026-03-02T09:00",
            "kind": "denunciation",
            "visitor_count": "1",
            "others": f"{MARKER} | {MARKER_ADDRESS} | {MARKER_PHONE}",
            "content": f"Tôi là {MARKER}, ở {MARKER_ADDRESS}, tố cáo cán bộ địa chính xã nhận tiền.",
            "guidance": f"Đã hướng dẫn {MARKER} bổ sung chứng cứ.",
            "create_petition": "on",
            "subject": f"Tố cáo của {MARKER} về cán bộ địa chính",
            "tags": ["official_conduct"],
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    entry = ReceptionEntry.objects.get()
    petition = entry.petition
    assert petition is not None and petition.protected

    # 2. a second, written denunciation by the same person through the API
    r = api(
        handler_c,
        "post",
        "/petitions",
        {
            "kind": "denunciation",
            "received_at": "2026-03-03T10:00:00+07:00",
            "petitioner": {"name": MARKER, "address": MARKER_ADDRESS, "phone": MARKER_PHONE},
            "signers_count": 1,
            "content": f"{MARKER} tố cáo bổ sung: cán bộ địa chính xã nhận tiền của nhiều hộ.",
            "subject": f"Đơn tố cáo bổ sung của {MARKER}",
        },
    )
    assert r.status_code == 201, r.content
    assert not leaks(r.content), "the API must not echo the identity"
    written = Petition.objects.get(pk=r.json()["id"])

    # 3. classification (view), duplicate linking (view), assignment (view)
    conditions = {
        f"classify-cond_{k}": "on" for k in ["language", "date", "name", "address", "signature"]
    }
    r = handler_c.post(
        f"/office/petitions/{petition.pk}/classify/",
        {
            "classify-kind": "denunciation",
            "classify-competent": "1",
            "classify-complexity": "especially_complex",
            "classify-note": f"{MARKER} có đủ điều kiện",
            **conditions,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    r = handler_c.post(
        f"/office/petitions/{written.pk}/duplicate/", {"duplicate-existing": petition.code}
    )
    assert r.status_code == 302
    official = official_of(world.user("handler"))
    assert official is not None
    r = head_c.post(
        f"/office/petitions/{petition.pk}/assign/",
        {"assign-official": official.pk, "assign-duty": "resolve"},
    )
    assert r.status_code == 302

    # 4. acceptance, extension twice, verification, a reveal by each allowed person (API + views)
    assert (
        api(
            handler_c,
            "post",
            f"/petitions/{petition.pk}/accept",
            {"accepted_at": "2026-03-04T09:00:00+07:00"},
        ).status_code
        == 200
    )
    r = api(
        head_c,
        "post",
        f"/petitions/{petition.pk}/extend",
        {"reason": f"Cần làm việc thêm với {MARKER}"},
    )
    assert r.status_code == 200, r.content
    assert (
        api(
            head_c, "post", f"/petitions/{petition.pk}/extend", {"reason": "Xác minh tại nhiều nơi"}
        ).status_code
        == 200
    )
    r = handler_c.post(
        f"/office/petitions/{petition.pk}/verify/",
        {"verify-note": f"Làm việc với {MARKER} ngày 10/3"},
    )
    assert r.status_code == 302
    shown = api(handler_c, "get", f"/petitions/{petition.pk}").json()
    assert shown["petitioner"]["name"] == MARKER and shown["petitioner"]["masked"] is False
    r = head_c.post(f"/office/petitions/{petition.pk}/reveal/", {"reveal-purpose": "protect"})
    assert r.status_code == 200 and leaks(r.content)  # the head sees it
    r = entry_reveal = handler_c.post(
        f"/office/petitions/reception/{entry.pk}/reveal/", {"reveal-purpose": "contact"}
    )
    assert entry_reveal.status_code == 200 and leaks(r.content)  # the receiver sees the visit
    # 5. resolution with its conclusion; every document downloaded by the allowed ones
    r = api(
        handler_c,
        "post",
        f"/petitions/{petition.pk}/resolve",
        {"outcome": "partly_right", "summary": f"Tố cáo của {MARKER} đúng một phần."},
    )
    assert r.status_code == 200, r.content
    petition.refresh_from_db()
    docs = list(petition.documents.all())
    assert {d.kind for d in docs} == {"acceptance", "extension", "denunciation_conclusion"}
    for d in docs:
        got = handler_c.get(f"/office/petitions/{petition.pk}/documents/{d.pk}.docx")
        assert got.status_code == 200
        if d.kind != "denunciation_conclusion":  # a conclusion never names the denouncer
            assert leaks(got.content), d.kind
    # 6. reminders and notifications go out through the real worker
    from danvan.petitions.tasks import remind_petition_deadlines

    remind_petition_deadlines.enqueue()
    call_command("worker", batch=True)
    # 7. the positive control: a complaint, whose sender is not secret
    services.petition_receive(
        actor=world.user("handler"),
        agency=agency,
        kind="complaint",
        received_at=at(2026, 3, 5),
        petitioner=services.PetitionerIn(name=CONTROL, phone="0911000222"),
        content=f"{CONTROL} khiếu nại quyết định hành chính.",
        subject="Khiếu nại kiểm chứng",
    )
    call_command("worker", batch=True)
    return {"petition": Petition.objects.get(pk=petition.pk), "written": written, "entry": entry}


def _get_everything(
    client: Client, role: str, story: dict[str, Any], world: World
) -> list[tuple[str, int, bytes]]:
    p: Petition = story["petition"]
    entry: ReceptionEntry = story["entry"]
    docs = list(p.documents.all())
    paths = [
        "/",
        "/lich-tiep-cong-dan/",
        "/don-thu/gui/",
        "/don-thu/tra-cuu/",
        "/office/",
        "/office/petitions/",
        f"/office/petitions/?{urlencode({'q': MARKER})}",
        "/office/petitions/?q=zyxwvut",
        f"/office/petitions/{p.pk}/",
        f"/office/petitions/{story['written'].pk}/",
        "/office/petitions/reception/",
        f"/office/petitions/reception/{entry.pk}/",
        "/office/petitions/reception/?q=zyxwv",
        "/office/petitions/overdue/",
        "/office/petitions/long-running/",
        "/office/petitions/schedule/",
        "/office/petitions/statistics/?from=2026-01-01&to=2026-12-31",
        "/office/petitions/statistics/?from=2026-01-01&to=2026-12-31&format=xlsx",
        "/office/petitions/export.xlsx",
        f"/office/petitions/export.xlsx?{urlencode({'q': MARKER})}",
        f"/office/petitions/{p.pk}/redacted.docx",
        f"/office/petitions/{p.pk}/redacted.pdf",
        *[f"/office/petitions/{p.pk}/documents/{d.pk}.docx" for d in docs],
        f"/office/petitions/{p.pk}/documents/{docs[0].pk}.pdf",
        "/office/audit/",
        f"/office/audit/?{urlencode({'q': MARKER})}",
        "/office/outbox/",
        "/api/v1/petitions",
        "/api/v1/petitions?overdue=true",
        f"/api/v1/petitions?{urlencode({'q': MARKER})}",
        f"/api/v1/petitions/{p.pk}",
        f"/api/v1/petitions/{story['written'].pk}",
    ]
    out = []
    for path in paths:
        r = client.get(path)
        body = r.getvalue() if r.streaming else r.content  # type: ignore[attr-defined]
        out.append((path, r.status_code, strip_echo(body, path)))
    # refused actions must not reveal either
    for path, data in [
        (f"/office/petitions/{p.pk}/reveal/", {"reveal-purpose": "contact"}),
        (f"/office/petitions/reception/{entry.pk}/reveal/", {"reveal-purpose": "contact"}),
        (f"/office/petitions/{p.pk}/reopen/", {"reopen-reason": "xem lại"}),
    ]:
        r = client.post(path, data)
        out.append((f"POST {path}", r.status_code, r.content))
    r = client.post("/don-thu/tra-cuu/", {"ma": p.tracking_code})
    out.append(("POST tracking", r.status_code, r.content))
    return out


def test_the_denouncer_stays_secret_from_everyone_else(
    world: World, story: dict[str, Any], caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="danvan")  # steps log at INFO, off by default
    p: Petition = story["petition"]
    # the allowed ones do see the identity (so the checks below are not vacuous)
    for role in ALLOWED:
        c = Client()
        c.force_login(world.user(role))
        assert leaks(api(c, "get", f"/petitions/{p.pk}").content), role

    others = {role: world.user(role) for role in OTHER_ROLES}
    others["handler of another agency"] = other_handler(world)
    seen_detail = set()
    for role, user in others.items():
        client = Client()
        if role != "anonymous":
            client.force_login(user)
        for path, status, body in _get_everything(client, role, story, world):
            found = leaks(body)
            assert not found, f"{role} sees {found} at {path} ({status})"
            if path == f"/office/petitions/{p.pk}/" and status == 200:
                seen_detail.add(role)
            if path.startswith("POST") and "reveal" in path:
                assert status in ((302,) if role == "anonymous" else (403, 404)), (
                    role,
                    path,
                    status,
                )
    # some of them do see the case itself — only not who sent it
    assert {"front_desk", "committee_leader", "inspector"} <= seen_detail

    # notifications: the outbox and what the worker delivered
    messages = list(OutboxMessage.objects.all())
    assert messages and all(m.status == "sent" for m in messages)
    for m in messages:
        assert not leaks(f"{m.recipient} {m.subject} {m.body}"), m.body
    assert mail.outbox
    for m in mail.outbox:
        assert not leaks(f"{m.to} {m.subject} {m.body}"), m.body
    # log lines, of the whole story (setup) and of everyone's visits (call), every level
    records = caplog.get_records("setup") + caplog.get_records("call")
    lines = [f"{r.name} {r.levelname} {r.getMessage()}" for r in records]
    assert any("petitions.petition_accept" in line for line in lines)  # the steps are logged
    for line in lines:
        assert not leaks(line), line
    # the search index: no entry holds it, no search finds the case by it
    for entry in SearchEntry.objects.all():
        assert not leaks(entry.body), entry
    assert search.search_ids(SEARCH_KIND, MARKER) == []
    assert search.search_ids(SEARCH_KIND, "zyxwvut") == []
    # the audit trail: object texts, before/after and data of every record
    audit_records = list(AuditRecord.objects.all())
    assert any(r.action == "petitions.identity_reveal" for r in audit_records)
    for rec in audit_records:
        text = json.dumps(
            [rec.object_repr, rec.actor_label, rec.changes, rec.data], ensure_ascii=False
        )
        assert not leaks(text), (rec.action, text)
    # the database, read raw: every column of every table (search and FTS tables included)
    dump = raw_database_dump()
    tables = {t for t, _c, _v in dump}
    assert "petitions_petition" in tables and "core_searchentry" in tables
    hits = [(t, c) for t, c, v in dump if leaks(v)]
    assert hits == [], f"marker in clear text in {hits}"
    # positive control: the complaint's (non-secret) sender is found by the same scans
    control_hits = {t for t, _c, v in dump if leaks(v, CONTROL_NEEDLES)}
    assert {"petitions_petition", "core_searchentry"} <= control_hits
    # and the secret is really there, sealed
    assert services.identity_of(p).name == MARKER
    assert User.objects.filter(full_name__icontains="zyxwv").count() == 0
