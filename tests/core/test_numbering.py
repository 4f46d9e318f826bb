"""Numbers and symbols of outgoing documents (Decree 30/2020/NĐ-CP): one gap-free sequence per
issuer, type and year, safe under concurrent issuers."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from danvan.core import numbering
from danvan.core.models import DocumentSequence, IssuedNumber
from tests.world import World


# --- symbols and date lines ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "symbol"),
    [
        ((5, "KH", "UBND"), "05/KH-UBND"),
        ((12, "CV", "UBND", "VX"), "12/UBND-VX"),
        ((3, "CV", "SNV"), "03/SNV"),
        ((120, "QĐ", "UBND"), "120/QĐ-UBND"),
        ((7, "BC", "UBND", "VP"), "07/BC-UBND-VP"),
        ((1, "TTr", "SNV"), "01/TTr-SNV"),
    ],
)
def test_format_symbol(args: tuple, symbol: str) -> None:
    assert numbering.format_symbol(*args) == symbol


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (date(2026, 1, 5), "Bến Tre, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "Bến Tre, ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 15), "Bến Tre, ngày 15 tháng 3 năm 2026"),
        (date(2026, 12, 31), "Bến Tre, ngày 31 tháng 12 năm 2026"),
        (date(2026, 10, 1), "Bến Tre, ngày 01 tháng 10 năm 2026"),
        (date(2026, 9, 9), "Bến Tre, ngày 09 tháng 9 năm 2026"),
    ],
)
def test_date_line(day: date, line: str) -> None:
    assert numbering.date_line("Bến Tre", day) == line


def test_months_three_to_twelve_have_no_leading_zero_and_days_under_ten_do() -> None:
    for month in range(1, 13):
        line = numbering.date_line("Vĩnh Long", date(2026, month, 3))
        expected_month = f"{month:02d}" if month <= 2 else str(month)
        assert line == f"Vĩnh Long, ngày 03 tháng {expected_month} năm 2026"


# --- sequences -------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_numbers_follow_each_other_per_issuer_type_and_year() -> None:
    on = date(2026, 3, 2)
    a = [
        numbering.issue_number(issuer="SNV", issuer_symbol="SNV", doc_type="BC", on=on)
        for _ in range(3)
    ]
    assert [i.number for i in a] == [1, 2, 3]
    assert [i.symbol for i in a] == ["01/BC-SNV", "02/BC-SNV", "03/BC-SNV"]
    assert a[0].line == "Số: 01/BC-SNV"
    # another type and another issuer have their own sequences
    assert (
        numbering.issue_number(issuer="SNV", issuer_symbol="SNV", doc_type="KH", on=on).number == 1
    )
    assert (
        numbering.issue_number(issuer="UBND-A", issuer_symbol="UBND", doc_type="BC", on=on).number
        == 1
    )
    assert (
        numbering.issue_number(issuer="SNV", issuer_symbol="SNV", doc_type="BC", on=on).number == 4
    )


@pytest.mark.django_db
def test_numbers_restart_at_one_in_a_new_year() -> None:
    for _ in range(3):
        numbering.issue_number(
            issuer="SNV", issuer_symbol="SNV", doc_type="QĐ", on=date(2026, 12, 31)
        )
    first = numbering.issue_number(
        issuer="SNV", issuer_symbol="SNV", doc_type="QĐ", on=date(2027, 1, 1)
    )
    assert first.number == 1
    assert first.symbol == "01/QĐ-SNV"
    assert (
        numbering.issue_number(
            issuer="SNV", issuer_symbol="SNV", doc_type="QĐ", on=date(2026, 12, 31)
        ).number
        == 4
    )


@pytest.mark.django_db
def test_every_number_is_entered_in_the_register(world: World) -> None:
    agency = world.agencies["home_affairs"]
    issued = numbering.issue_number(
        issuer=agency.code,
        issuer_symbol=agency.symbol,
        doc_type="BC",
        on=date(2026, 3, 2),
        title="Báo cáo công tác cải cách hành chính",
        obj=agency,
        actor=world.user("home_affairs"),
    )
    row = IssuedNumber.objects.get()
    assert (row.issuer, row.doc_type, row.year, row.number) == ("SNV", "BC", 2026, 1)
    assert row.symbol == issued.symbol == "01/BC-SNV"
    assert row.title == "Báo cáo công tác cải cách hành chính"
    assert row.object_type == "org.agency"
    assert row.object_id == str(agency.pk)
    assert row.issued_by == world.user("home_affairs")


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_its_number_back() -> None:
    on = date(2026, 3, 2)
    assert (
        numbering.issue_number(issuer="SNV", issuer_symbol="SNV", doc_type="TB", on=on).number == 1
    )

    class Abort(Exception):
        pass

    taken: list[int] = []

    @transaction.atomic
    def issue_then_fail() -> None:
        taken.append(
            numbering.issue_number(issuer="SNV", issuer_symbol="SNV", doc_type="TB", on=on).number
        )
        raise Abort

    with pytest.raises(Abort):
        issue_then_fail()
    assert taken == [2]
    again = numbering.issue_number(issuer="SNV", issuer_symbol="SNV", doc_type="TB", on=on)
    assert again.number == 2
    assert sorted(IssuedNumber.objects.filter(doc_type="TB").values_list("number", flat=True)) == [
        1,
        2,
    ]
    assert DocumentSequence.objects.get(issuer="SNV", doc_type="TB", year=2026).last_number == 2


@pytest.mark.django_db
def test_the_first_number_of_a_sequence_is_also_given_back_on_rollback() -> None:
    @transaction.atomic
    def issue_then_fail() -> None:
        numbering.issue_number(
            issuer="STP", issuer_symbol="STP", doc_type="GM", on=date(2026, 3, 2)
        )
        raise RuntimeError

    with pytest.raises(RuntimeError):
        issue_then_fail()
    assert not DocumentSequence.objects.filter(issuer="STP").exists()
    assert (
        numbering.issue_number(
            issuer="STP", issuer_symbol="STP", doc_type="GM", on=date(2026, 3, 2)
        ).number
        == 1
    )


# --- concurrency -----------------------------------------------------------------------------------
THREADS = 8
PER_THREAD = 25


def _thread_database(tmp_path: Path) -> Callable[[], None]:
    """What each thread does before touching the database.

    PostgreSQL (and a file SQLite test database): nothing, each thread opens its own connection
    to the test database. The default SQLite test database lives in memory in shared-cache mode,
    where writers get "database table is locked" at once instead of waiting (the busy timeout does
    not apply to shared-cache locks) -- not how production runs. So there the migrated test
    database is copied to a file and the threads connect to that file with the same settings as
    production (WAL, BEGIN IMMEDIATE, busy timeout).
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return lambda: None
    connection.ensure_connection()
    path = tmp_path / "numbering.sqlite3"
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    file_settings = {**connection.settings_dict, "NAME": str(path)}
    wrapper_class = type(connections[DEFAULT_DB_ALIAS])

    def use_file() -> None:
        connections[DEFAULT_DB_ALIAS] = wrapper_class(file_settings, alias=DEFAULT_DB_ALIAS)

    return use_file


def _in_thread[T](setup: Callable[[], None], fn: Callable[[], T]) -> T:
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            setup()
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc
        finally:
            connections.close_all()

    t = threading.Thread(target=run)
    t.start()
    t.join(timeout=60)
    if "error" in box:
        raise box["error"]
    return box["value"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_get_every_number_exactly_once(tmp_path: Path) -> None:
    """8 threads, each issuing 25 numbers in their own transactions: 1..200, none twice.

    PostgreSQL queues the writers on the sequence row (INSERT ... ON CONFLICT DO UPDATE); SQLite
    serialises them (BEGIN IMMEDIATE and the busy timeout)."""
    setup = _thread_database(tmp_path)
    on = date(2026, 3, 2)
    errors: list[BaseException] = []
    got: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def issue() -> None:
        try:
            setup()
            barrier.wait()
            for _ in range(PER_THREAD):
                with transaction.atomic():
                    n = numbering.issue_number(
                        issuer="UBND-P", issuer_symbol="UBND", doc_type="QĐ", on=on
                    ).number
                with lock:
                    got.append(n)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    total = THREADS * PER_THREAD
    assert len(got) == total
    assert sorted(got) == list(range(1, total + 1))

    def stored() -> tuple[list[int], int]:
        numbers = IssuedNumber.objects.filter(issuer="UBND-P", doc_type="QĐ").values_list(
            "number", flat=True
        )
        last = DocumentSequence.objects.get(issuer="UBND-P", doc_type="QĐ", year=2026).last_number
        return sorted(numbers), last

    register, last = _in_thread(setup, stored)
    assert register == list(range(1, total + 1))
    assert last == total
