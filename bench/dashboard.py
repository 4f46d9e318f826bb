"""Dashboard benchmark (issue 7).

A province's data: three years at 1,000,000 dossiers a year (``--quick``: 300,000), tens of
thousands of feedback items and petitions, the plans demo (assignments, reports). The leaders'
dashboard (province-wide, Home Affairs' view, with its ranking) is timed against a single
dossier's detail page in the same run (target ≤ 2×), both as leaders see it (figures cached for five
minutes per scope) and recomputed (``?fresh=1``, as when the cache has expired), and the same
dashboard on a database with 10,000 dossiers (target: at three million, within 1.5× of its time
at ten thousand).

Each database is built in a child process (``python -m bench.dashboard --child N``); feedback
items and petitions are written in bulk with realistic states and dates (the services are
measured elsewhere)."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import time

from bench.common import ROOT, Result, bench_database_url, percentile

FEEDBACK = 40_000
PETITIONS = 20_000


def _bulk_feedback(n: int, rng: random.Random) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from danvan.feedback.models import Category, Feedback, Status
    from danvan.org.models import Agency

    agencies = list(Agency.objects.filter(is_active=True, is_partner=False))
    now = timezone.now()
    rows = []
    for i in range(n):
        received = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        due = received + timedelta(days=14)
        answered = received + timedelta(days=rng.randint(1, 25)) if rng.random() < 0.85 else None
        status = Status.ANSWERED if answered and answered < now else Status.PROCESSING
        rows.append(
            Feedback(
                code=f"PA-B{i:08d}",
                category=rng.choice(Category.values),
                title=f"Phản ánh số {i}",
                content="Nội dung phản ánh về thủ tục hành chính.",
                agency=rng.choice(agencies),
                status=status,
                received_at=received,
                routed_at=received,
                transfer_due_at=received,
                due_at=due,
                answered_at=answered if status == Status.ANSWERED else None,
            )
        )
        if len(rows) == 5000:
            Feedback.objects.bulk_create(rows)
            rows.clear()
    Feedback.objects.bulk_create(rows)


def _bulk_petitions(n: int, rng: random.Random) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from danvan.org.models import Agency
    from danvan.petitions.models import Petition, PetitionKind, Source, Status

    agencies = list(Agency.objects.filter(is_active=True, is_partner=False))
    now = timezone.now()
    kinds = [
        PetitionKind.COMPLAINT,
        PetitionKind.COMPLAINT,
        PetitionKind.RECOMMENDATION,
        PetitionKind.REPORT,
        PetitionKind.DENUNCIATION,
    ]
    rows = []
    for i in range(n):
        received = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        status = rng.choice(
            [
                Status.RESOLVED,
                Status.RESOLVED,
                Status.ACCEPTED,
                Status.GUIDED,
                Status.TRANSFERRED,
                Status.STORED,
                Status.RECEIVED,
            ]
        )
        accepted = (
            received + timedelta(days=5) if status in (Status.RESOLVED, Status.ACCEPTED) else None
        )
        due = accepted + timedelta(days=30) if accepted else received + timedelta(days=14)
        resolved = due - timedelta(days=rng.randint(-10, 20)) if status == Status.RESOLVED else None
        rows.append(
            Petition(
                code=f"DT-B-{i:08d}",
                tracking_code=f"B{i:011d}",
                agency=rng.choice(agencies),
                kind=rng.choice(kinds),
                source=Source.POST,
                received_at=received,
                subject=f"Đơn số {i} về bồi thường đất đai",
                content="Nội dung đơn.",
                status=status,
                handled_at=accepted or (received + timedelta(days=7)),
                accepted_at=accepted,
                resolution_due_at=due if accepted else None,
                current_due_at=due if status in (Status.RECEIVED, Status.ACCEPTED) else None,
                resolved_at=resolved,
            )
        )
        if len(rows) == 5000:
            Petition.objects.bulk_create(rows)
            rows.clear()
    Petition.objects.bulk_create(rows)


def child(dossiers: int, extras: bool, samples: int) -> dict[str, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.config.settings")
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from danvan.onestop.models import Dossier
    from danvan.org.demo import load_org_demo
    from danvan.org.models import User

    call_command("migrate", verbosity=0)
    load_org_demo()
    started = time.monotonic()
    call_command(
        "onestop",
        "generate",
        "--dossiers",
        str(dossiers),
        "--years",
        "3",
        "--catalogue",
        stdout=io.StringIO(),
    )
    rng = random.Random(5793)
    if extras:
        _bulk_feedback(FEEDBACK, rng)
        _bulk_petitions(PETITIONS, rng)
        from danvan.plans.demo import load_plans_demo

        load_plans_demo()
    load_s = time.monotonic() - started
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(User.objects.get(username="lanhdao.tinh"))  # province-wide leader
    code = Dossier.objects.order_by("-received_at").values_list("code", flat=True).first()
    dashboard_url = "/office/dashboard/?rank=onestop.on_time_rate"
    detail_url = f"/office/onestop/dossiers/{code}/"
    for url in (dashboard_url, detail_url):  # warm up (imports, caches, the survey indices)
        for _ in range(2):
            assert client.get(url).status_code == 200, url

    def timed(url: str) -> list[float]:
        out = []
        for _ in range(samples):
            t0 = time.perf_counter()
            response = client.get(url)
            out.append(time.perf_counter() - t0)
            assert response.status_code == 200
        return out

    dash, detail, cold = [], [], []
    for _ in range(3):  # interleaved
        dash += timed(dashboard_url)
        detail += timed(detail_url)
        cold += timed(f"{dashboard_url}&fresh=1")  # recomputed, as after the cache expires
    return {
        "cold_p50_ms": percentile(cold, 50) * 1000,
        "cold_p95_ms": percentile(cold, 95) * 1000,
        "dossiers": Dossier.objects.count(),
        "load_s": load_s,
        "dashboard_p50_ms": percentile(dash, 50) * 1000,
        "dashboard_p95_ms": percentile(dash, 95) * 1000,
        "detail_p50_ms": percentile(detail, 50) * 1000,
    }


def _run_child(name: str, dossiers: int, extras: bool) -> dict[str, float]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "danvan.config.settings",
        "DANVAN_PROFILE": "development",
        "DEBUG": "false",
        "DATABASE_URL": bench_database_url(name),
        "AXES_ENABLED": "false",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.dashboard",
            "--child",
            str(dossiers),
            "1" if extras else "0",
            "10",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(out.stdout[-3000:] + out.stderr[-6000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[Result]:
    big_n = 300_000 if quick else 3_000_000
    big = _run_child("dashboard_big", big_n, True)
    small = _run_child("dashboard_small", 10_000, True)
    return [
        Result(
            f"dashboard over {big['dossiers']:,} dossiers vs a dossier's page",
            big["dashboard_p50_ms"],
            big["detail_p50_ms"],
            "ms",
            "≤ 2× the detail page",
            big["dashboard_p50_ms"] <= 2 * big["detail_p50_ms"],
            f"p95 {big['dashboard_p95_ms']:.1f} ms; data loaded in {big['load_s']:.0f} s",
        ),
        Result(
            f"dashboard recomputed (?fresh=1) over {big['dossiers']:,} dossiers vs a dossier's page",
            big["cold_p50_ms"],
            big["detail_p50_ms"],
            "ms",
            "≤ 2× the detail page",
            big["cold_p50_ms"] <= 2 * big["detail_p50_ms"],
            f"p95 {big['cold_p95_ms']:.1f} ms; at {small['dossiers']:,}: "
            f"{small['cold_p50_ms']:.1f} ms",
        ),
        Result(
            f"dashboard at {big['dossiers']:,} vs at {small['dossiers']:,} dossiers",
            big["dashboard_p50_ms"],
            small["dashboard_p50_ms"],
            "ms",
            "≤ 1.5× its time at 10,000",
            big["dashboard_p50_ms"] <= 1.5 * small["dashboard_p50_ms"],
        ),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(int(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4]))))
    else:
        for res in run(quick="--quick" in sys.argv):
            print(res.line())
