"""The audit trail: append-only by database triggers, hash-chained, checked by ``danvan audit
verify``. The attacker tests drop the triggers first (as someone with database rights could) and
show that the chain still gives them away."""

from __future__ import annotations

import io
import itertools
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from danvan.core import audit
from danvan.core.context import RequestInfo, reset_request_info, set_request_info
from danvan.core.models import AuditHead, AuditRecord, CalendarException
from tests.world import World

pytestmark = pytest.mark.django_db


def _records(n: int, actor: Any = None) -> list[AuditRecord]:
    return [
        audit.record(
            actor=actor,
            action=f"test.action_{i}",
            object_type="test.thing",
            object_id=str(i),
            data={"i": i, "tên": "Nguyễn Văn Ấn"},
        )
        for i in range(1, n + 1)
    ]


def _drop_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER core_audit_no_change ON core_auditrecord")
        else:
            cursor.execute("DROP TRIGGER core_audit_no_update")
            cursor.execute("DROP TRIGGER core_audit_no_delete")


def _verify_command() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _broken_command() -> str:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)
    return err.getvalue()


# --- the chain -------------------------------------------------------------------------------------
def test_records_are_numbered_and_chained(world: World) -> None:
    base = AuditRecord.objects.count()  # building the world audited its officials
    recs = _records(5, actor=world.user("sysadmin"))
    assert [r.seq for r in recs] == [base + 1, base + 2, base + 3, base + 4, base + 5]
    first = AuditRecord.objects.get(seq=1)
    assert first.prev_hash == audit.GENESIS
    assert recs[0].prev_hash == AuditRecord.objects.get(seq=base).hash
    for prev, rec in itertools.pairwise(recs):
        assert rec.prev_hash == prev.hash
        assert len(rec.hash) == 64
    head = AuditHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (base + 5, recs[-1].hash)
    assert recs[0].actor_id == world.user("sysadmin").pk
    assert recs[0].actor_label == world.user("sysadmin").get_username()


def test_a_chain_of_several_records_verifies(world: World) -> None:
    base = AuditRecord.objects.count()
    _records(7, actor=world.user("handler"))
    result = audit.verify()
    assert result.ok
    assert result.checked == base + 7
    out, err = _verify_command()
    assert f"{base + 7} bản ghi" in out
    assert err == ""


def test_verify_reads_back_what_the_database_stored_across_batches() -> None:
    # values that change shape through a JSON column (dates, tuples, nested maps) still verify
    from datetime import UTC, date, datetime

    for i in range(12):
        audit.record(
            actor=None,
            action="test.shapes",
            object_id=str(i),
            data={
                "day": date(2026, 2, 17),
                "at": datetime(2026, 2, 17, 1, 2, tzinfo=UTC),
                "pair": (1, "hai"),
                "nested": {"x": [1.5, None, True]},
            },
        )
    assert audit.verify(batch=5) == audit.VerifyResult(True, 12)


@pytest.mark.parametrize(
    "value",
    [
        1e20,
        1.5e300,
        -0.0,
        2.5e10,
        0.1 + 0.2,
        1e-7,
        12345678901234567890,
        float("nan"),
        float("inf"),
    ],
)
def test_numbers_that_json_columns_rewrite_still_verify(value: float) -> None:
    # PostgreSQL's jsonb gives 1e20 back as 100000000000000000000 and -0.0 as 0
    rec = audit.record(actor=None, action="test.number", data={"v": value, "list": [value]})
    assert audit.verify().ok
    stored = AuditRecord.objects.get(pk=rec.pk).data["v"]
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        assert stored == value


def test_an_empty_trail_verifies() -> None:
    assert audit.verify().ok
    assert audit.verify().checked == 0


def test_the_system_is_the_actor_when_nobody_is_signed_in() -> None:
    rec = audit.record(actor=None, action="test.system")
    assert rec.actor_id is None
    assert rec.actor_label == "hệ thống"


# --- the triggers ----------------------------------------------------------------------------------
def test_update_through_the_orm_is_refused_by_the_database() -> None:
    rec = _records(2)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=rec.pk).update(action="test.forged")
    assert AuditRecord.objects.get(pk=rec.pk).action == "test.action_1"


def test_update_through_save_is_refused_by_the_database() -> None:
    rec = _records(1)[0]
    rec.action = "test.forged"
    with pytest.raises(DatabaseError), transaction.atomic():
        rec.save()
    assert AuditRecord.objects.get(pk=rec.pk).action == "test.action_1"


def test_delete_through_the_orm_is_refused_by_the_database() -> None:
    _records(3)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(seq=2).delete()
    assert AuditRecord.objects.count() == 3


def test_update_and_delete_in_raw_sql_are_refused() -> None:
    _records(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditrecord SET action = 'x' WHERE seq = 1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditrecord")
    assert audit.verify().ok
    assert AuditRecord.objects.count() == 2


# --- an attacker without the triggers --------------------------------------------------------------
def test_an_edited_action_is_reported_at_its_record() -> None:
    _records(5)
    _drop_triggers()
    AuditRecord.objects.filter(seq=3).update(action="test.harmless")
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == 3
    assert result.checked == 2
    err = _broken_command()
    assert "bản ghi số 3" in err
    assert "record 3" in err


def test_an_edit_that_recomputes_its_own_hash_breaks_the_next_link() -> None:
    _records(5)
    _drop_triggers()
    rec = AuditRecord.objects.get(seq=3)
    rec.action = "test.harmless"
    rec.hash = audit.compute_hash(rec)
    rec.save()
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == 4
    assert "bản ghi số 4" in _broken_command()


def test_a_deleted_middle_record_is_reported() -> None:
    _records(5)
    _drop_triggers()
    AuditRecord.objects.filter(seq=3).delete()
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == 3
    assert "bị xóa" in result.reason
    assert "bản ghi số 3" in _broken_command()


def test_deleted_last_records_are_reported_through_the_head() -> None:
    _records(5)
    _drop_triggers()
    AuditRecord.objects.filter(seq__gte=4).delete()
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == 4
    assert "bản ghi số 4" in _broken_command()


def test_swapped_contents_of_two_records_are_detected() -> None:
    _records(5)
    _drop_triggers()
    two, four = AuditRecord.objects.get(seq=2), AuditRecord.objects.get(seq=4)
    fields = ["action", "object_id", "data", "prev_hash", "hash"]
    values_two = {f: getattr(two, f) for f in fields}
    values_four = {f: getattr(four, f) for f in fields}
    AuditRecord.objects.filter(pk=two.pk).update(**values_four)
    AuditRecord.objects.filter(pk=four.pk).update(**values_two)
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == 2
    assert "bản ghi số 2" in _broken_command()


def test_records_renumbered_to_hide_a_deletion_are_detected() -> None:
    _records(5)
    _drop_triggers()
    AuditRecord.objects.filter(seq=3).delete()
    for seq in (4, 5):
        AuditRecord.objects.filter(seq=seq).update(seq=seq - 1)
    AuditHead.objects.filter(pk=1).update(seq=4)
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == 3


# --- what a record holds ---------------------------------------------------------------------------
def test_before_and_after_values_are_stored_with_the_record(world: World) -> None:
    from datetime import date

    exc = CalendarException.objects.create(
        day=date(2026, 3, 4), is_working_day=False, name="Nghỉ bù"
    )
    before = audit.snapshot(exc, ["name", "is_working_day", "created_by"])
    exc.name = "Nghỉ bù (bão lũ)"
    exc.created_by = world.user("sysadmin")
    changes = audit.changes_of(exc, before)
    assert changes == {
        "created_by": [None, world.user("sysadmin").pk],
        "name": ["Nghỉ bù", "Nghỉ bù (bão lũ)"],
    }
    rec = audit.record(
        actor=world.user("sysadmin"),
        action="core.calendar_exception_change",
        obj=exc,
        changes=changes,
    )
    stored = AuditRecord.objects.get(pk=rec.pk)
    assert stored.changes == {
        "created_by": [None, world.user("sysadmin").pk],
        "name": ["Nghỉ bù", "Nghỉ bù (bão lũ)"],
    }
    assert stored.object_type == "core.calendarexception"
    assert stored.object_id == str(exc.pk)
    assert stored.object_repr == str(exc)
    assert audit.verify().ok


def test_an_unchanged_object_has_no_changes() -> None:
    from datetime import date

    exc = CalendarException.objects.create(
        day=date(2026, 3, 4), is_working_day=False, name="Nghỉ bù"
    )
    assert audit.changes_of(exc, audit.snapshot(exc, ["name", "day"])) == {}


def test_the_ip_and_request_id_come_from_the_request_context() -> None:
    token = set_request_info(
        RequestInfo(ip="203.113.0.7", user_agent="pytest", request_id="abc123")
    )
    try:
        rec = audit.record(actor=None, action="test.with_ip")
    finally:
        reset_request_info(token)
    stored = AuditRecord.objects.get(pk=rec.pk)
    assert stored.ip == "203.113.0.7"
    assert stored.request_id == "abc123"
    # outside a request: no IP
    assert audit.record(actor=None, action="test.no_ip").ip is None
    assert audit.verify().ok


def test_an_edited_ip_is_detected() -> None:
    token = set_request_info(RequestInfo(ip="203.113.0.7"))
    try:
        _records(3)
    finally:
        reset_request_info(token)
    _drop_triggers()
    AuditRecord.objects.filter(seq=2).update(ip="10.0.0.1")
    assert audit.verify().broken_seq == 2


def test_a_service_writes_its_record_in_its_transaction(world: World) -> None:
    from datetime import date

    from danvan.core.services import calendar_exception_save

    exc = CalendarException(day=date(2026, 3, 4), is_working_day=False, name="Nghỉ bù")
    calendar_exception_save(actor=world.user("sysadmin"), exception=exc)
    rec = AuditRecord.objects.get(action="core.calendar_exception_add")
    assert rec.data == {"day": "2026-03-04", "working": False, "name": "Nghỉ bù"}
    # a refused call leaves no record
    from danvan.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        calendar_exception_save(
            actor=world.user("handler"),
            exception=CalendarException(day=date(2026, 3, 5), is_working_day=False, name="x"),
        )
    assert AuditRecord.objects.filter(action="core.calendar_exception_add").count() == 1
    assert audit.verify().ok
