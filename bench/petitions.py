"""Petitions benchmark (issue 5): what the denouncer's identity protection and the masked lists
cost, against baselines measured in the same run on the same database.

1. intake of a denunciation (encrypt, redact, blind index, search index, audit) vs intake of a
   complaint (same path without the sealing) — target: p50 ≤ 2×;
2. the handler's list (scope, tags, masked sender, 50 rows) with N petitions vs a bare ORM read of
   50 rows — target: p95 ≤ 10×;
3. the statistics of a year (20 figures: one pass over the petitions with 20 conditional counts,
   one over the reception register) vs one grouped ``COUNT`` over the same rows — target: ≤ 40×.

Runs in a child process with its own DATABASE_URL (``python -m bench.petitions --child``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from bench.common import ROOT, Result, bench_database_url, percentile


def _timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def child(n: int, samples: int) -> dict[str, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.config.settings")
    django.setup()
    from datetime import date, datetime, timedelta

    from django.db.models import Count

    from danvan.core.calendar import TZ
    from danvan.org import services as org_services
    from danvan.org.models import AdminUnit, Agency, User
    from danvan.petitions import selectors, services
    from danvan.petitions.models import Petition
    from danvan.shell.registry import Period

    unit = AdminUnit.objects.create(
        code="B83", name="Tỉnh Đo", kind="tỉnh", level="province", path="/"
    )
    unit.path = f"/{unit.pk}/"
    unit.save()
    agency = Agency.objects.create(
        code="BENCH", name="UBND Đo", symbol="UBND", kind="peoples_committee", unit=unit
    )
    user = User.objects.create(username="bench.handler", full_name="Cán Bộ Đo")
    org_services.official_add(
        actor=None, user=user, agency=agency, roles=["handler", "committee_leader"]
    )
    start = datetime(2026, 3, 2, 9, tzinfo=TZ)

    def receive(kind: str, i: int) -> None:
        services.petition_receive(
            actor=user,
            agency=agency,
            kind=kind,
            received_at=start + timedelta(seconds=i),
            petitioner=services.PetitionerIn(
                name=f"Nguyễn Văn Đo {i}", address=f"Ấp {i % 12}", phone=f"09{i:08d}"
            ),
            content=f"Nguyễn Văn Đo {i} gửi đơn về bồi thường đất đai dự án {i % 50}.",
            subject=f"Đơn về bồi thường đất đai dự án {i % 50}",
        )

    complaints, denunciations = iter(range(10**6)), iter(range(10**6, 2 * 10**6))
    for _ in range(5):  # warm up both paths (imports, caches, prepared statements)
        receive("complaint", next(complaints))
        receive("denunciation", next(denunciations))
    complaint = _timed(lambda: receive("complaint", next(complaints)), samples)
    denunciation = _timed(lambda: receive("denunciation", next(denunciations)), samples)
    # bulk volume (not through the services: the list and statistics are what is measured)
    rows = [
        Petition(
            code=f"BULK-{i}",
            tracking_code=f"B{i:013d}"[:14],
            agency=agency,
            kind=["complaint", "denunciation", "recommendation", "report"][i % 4],
            protected=i % 4 == 1,
            source="post",
            received_at=start + timedelta(hours=i % 5000),
            subject=f"Đơn số {i}",
            content="Nội dung",
            petitioner_name="" if i % 4 == 1 else f"Người {i}",
            status=["received", "accepted", "resolved", "guided"][i % 4],
            current_due_at=start + timedelta(days=i % 90),
        )
        for i in range(n)
    ]
    Petition.objects.bulk_create(rows, batch_size=2000)
    listing = _timed(
        lambda: [selectors.petitioner_label(p) for p in selectors.petitions_for(user)[:50]], samples
    )
    bare = _timed(lambda: list(Petition.objects.order_by("-received_at")[:50]), samples)
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    stats = _timed(lambda: selectors.statistics([agency.pk], period), max(5, samples // 5))
    year = (datetime(2026, 1, 1, tzinfo=TZ), datetime(2027, 1, 1, tzinfo=TZ))
    count = _timed(
        lambda: list(
            Petition.objects.filter(
                agency_id__in=[agency.pk], received_at__gte=year[0], received_at__lt=year[1]
            )
            .values("agency_id")
            .annotate(n=Count("pk"))
        ),
        max(5, samples // 5),
    )
    return {
        "complaint_p50": percentile(complaint, 50),
        "denunciation_p50": percentile(denunciation, 50),
        "list_p95": percentile(listing, 95),
        "bare_p95": percentile(bare, 95),
        "stats_p50": percentile(stats, 50),
        "count_p50": percentile(count, 50),
    }


def run(quick: bool) -> list[Result]:
    n, samples = (3000, 30) if quick else (100_000, 100)
    url = bench_database_url("petitions")
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "danvan.config.settings"}
    subprocess.run([str(ROOT / ".venv/bin/danvan"), "migrate", "-v0"], env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-m", "bench.petitions", "--child", str(n), str(samples)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    m = json.loads(out.stdout.strip().splitlines()[-1])
    return [
        Result(
            "intake of a denunciation (sealed) vs a complaint, p50",
            m["denunciation_p50"],
            m["complaint_p50"],
            "ms",
            "≤ 2×",
            m["denunciation_p50"] <= 2 * m["complaint_p50"],
        ),
        Result(
            f"handler's list, 50 of {n} rows, masked, p95",
            m["list_p95"],
            m["bare_p95"],
            "ms",
            "≤ 10× a bare read",
            m["list_p95"] <= 10 * m["bare_p95"],
        ),
        Result(
            f"statistics of a year over {n} petitions, p50",
            m["stats_p50"],
            m["count_p50"],
            "ms",
            "≤ 40× one grouped COUNT",
            m["stats_p50"] <= 40 * m["count_p50"],
        ),
    ]


if __name__ == "__main__" and "--child" in sys.argv:
    args = sys.argv[sys.argv.index("--child") + 1 :]
    print(json.dumps(child(int(args[0]), int(args[1]))))
