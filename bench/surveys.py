"""Surveys benchmark (issue 8): the satisfaction-index selector over a year of answers — 200,000
responses (quick: 20,000) to the SIPAS questionnaire across 20 agencies, about 4.4 million answer
rows — against a baseline measured in the same run: the plainest aggregate over the same rows
(answers counted per agency). Target: the index per agency p95 ≤ 3× the baseline p95, on SQLite
and on PostgreSQL. A 12-month trend and the per-field split are reported too.

Each database run happens in a child process with its own DATABASE_URL
(``python -m bench.surveys --child N SAMPLES``)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

from bench.common import ROOT, Result, bench_database_url, percentile

AGENCIES = 20
FIELDS = ("Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Đăng ký kinh doanh")


def child(n: int, samples: int) -> dict[str, float | int | str]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from danvan.core.calendar import TZ
    from danvan.org.models import AdminUnit, Agency
    from danvan.shell.registry import Period
    from danvan.surveys.demo import sipas_questionnaire
    from danvan.surveys.models import Answer, Campaign, CampaignAgency, Question, Response
    from danvan.surveys.selectors import compute_indices, satisfaction_indices, satisfaction_trend

    call_command("migrate", verbosity=0)
    rng = random.Random(5793)
    province = AdminUnit.objects.create(
        code="83", name="Tỉnh Bến Tre", kind="tỉnh", level="province"
    )
    province.path = f"/{province.pk}/"
    province.save(update_fields=["path"])
    agencies = [
        Agency.objects.create(
            code=f"CQ{i:02d}",
            name=f"Cơ quan {i:02d}",
            symbol="UBND",
            kind="department",
            unit=province,
        )
        for i in range(AGENCIES)
    ]
    questionnaire = sipas_questionnaire()
    campaign = Campaign.objects.create(
        title="Khảo sát năm 2026",
        questionnaire=questionnaire,
        agency=agencies[0],
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        status="open",
    )
    for a in agencies:
        CampaignAgency.objects.create(
            campaign=campaign, agency=a, population=5000, target_sample=371
        )
    questions = list(Question.objects.filter(questionnaire=questionnaire).select_related("section"))
    scale = [q for q in questions if q.kind == "scale"]
    started = time.monotonic()
    batch = 5000
    for start in range(0, n, batch):
        responses = []
        for i in range(start, min(n, start + batch)):
            day = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
            responses.append(
                Response(
                    campaign=campaign,
                    agency=agencies[i % AGENCIES],
                    questionnaire=questionnaire,
                    channel="public",
                    field=rng.choice(FIELDS),
                    answered_on=day,
                    submitted_at=datetime.combine(day, datetime.min.time(), TZ),
                )
            )
        Response.objects.bulk_create(responses, batch_size=batch)
        answers = []
        for r in responses:
            level = 0.6 + 0.35 * ((r.agency_id or 0) % 7) / 7
            for q in scale:
                if q.allow_na and rng.random() < 0.2:
                    answers.append(Answer(response=r, question=q, not_applicable=True))
                else:
                    v = rng.choice((4, 5)) if rng.random() < level else rng.choice((1, 2, 3))
                    answers.append(Answer(response=r, question=q, scale=v))
            answers.append(Answer(response=r, question=questions[-1], text="Góp ý"))
        Answer.objects.bulk_create(answers, batch_size=20_000)
    load_s = time.monotonic() - started
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    baseline: list[float] = []
    ours: list[float] = []
    by_field: list[float] = []
    for k in range(samples):  # interleaved, so both see the same machine state
        t0 = time.perf_counter()
        list(
            Answer.objects.filter(response__campaign_id=campaign.pk)
            .values("response__agency_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        baseline.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        rows = compute_indices(campaign_id=campaign.pk)  # uncached: the real work
        ours.append(time.perf_counter() - t0)
        assert len(rows) == AGENCIES and all(r.overall is not None for r in rows)
        if k < max(2, samples // 5):
            t0 = time.perf_counter()
            compute_indices(campaign_id=campaign.pk, by_field=True)
            by_field.append(time.perf_counter() - t0)
    satisfaction_indices(campaign_id=campaign.pk)
    t0 = time.perf_counter()
    satisfaction_indices(campaign_id=campaign.pk)
    cached_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    trend = satisfaction_trend(
        start=date(2026, 1, 1), end=date(2026, 12, 31), campaign_id=campaign.pk
    )
    trend_s = time.perf_counter() - t0
    assert len(trend) == 12
    one = Period(date(2026, 3, 1), date(2026, 3, 31))
    t0 = time.perf_counter()
    satisfaction_indices(agency_ids=[agencies[3].pk], period=one)
    one_ms = (time.perf_counter() - t0) * 1000
    return {
        "vendor": connection.vendor,
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        "load_s": load_s,
        "baseline_p95_ms": percentile(baseline, 95) * 1000,
        "index_p95_ms": percentile(ours, 95) * 1000,
        "index_p50_ms": percentile(ours, 50) * 1000,
        "by_field_p95_ms": percentile(by_field, 95) * 1000,
        "trend_12_months_ms": trend_s * 1000,
        "one_agency_month_ms": one_ms,
        "cached_ms": cached_ms,
    }


def _url(db: str) -> str:
    if db == "postgres":
        os.environ["BENCH_DATABASE"] = "postgres"
        try:
            return bench_database_url("surveys")
        finally:
            del os.environ["BENCH_DATABASE"]
    return bench_database_url("surveys")


def run(quick: bool = False) -> list[Result]:
    n = 20_000 if quick else 200_000
    samples = 10 if quick else 20
    results = []
    for db in ("sqlite", "postgres"):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "danvan.config.settings",
            "DANVAN_PROFILE": "development",
            "DEBUG": "false",
            "DATABASE_URL": _url(db),
        }
        out = subprocess.run(
            [sys.executable, "-m", "bench.surveys", "--child", str(n), str(samples)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(out.stdout[-2000:], out.stderr[-4000:])
            results.append(
                Result(
                    f"satisfaction index ({db})",
                    float("nan"),
                    float("nan"),
                    "ms",
                    "p95 ≤ 3× baseline",
                    False,
                    "run failed",
                )
            )
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(
            Result(
                f"satisfaction index per agency over {r['responses']:,} responses / "
                f"{r['answers']:,} answers ({r['vendor']})",
                r["index_p95_ms"],
                r["baseline_p95_ms"],
                "ms",
                "p95 ≤ 3× answers-per-agency count p95",
                r["index_p95_ms"] <= 3 * r["baseline_p95_ms"],
                f"p50 {r['index_p50_ms']:.0f} ms; by field p95 {r['by_field_p95_ms']:.0f} ms; "
                f"12-month trend {r['trend_12_months_ms']:.0f} ms; one agency × month "
                f"{r['one_agency_month_ms']:.1f} ms; from the cache {r['cached_ms']:.1f} ms; "
                f"loaded in {r['load_s']:.0f} s",
            )
        )
    return results


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        for res in run(quick="--quick" in sys.argv):
            print(res.line())
