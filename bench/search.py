"""Search benchmark (issue 3): 1,000,000 short Vietnamese texts; the p95 latency of a folded
full-text query against the p95 of a plain primary-key lookup, measured in the same run, on SQLite
and on PostgreSQL. Target: search p95 ≤ 10× lookup p95.

Each database run happens in a child process configured with its own DATABASE_URL
(``python -m bench.search --child``)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time

from bench.common import ROOT, Result, bench_database_url, percentile

KIND = "bench.text"
WORDS = (
    "đất đai khiếu nại tố cáo bồi thường giải phóng mặt bằng cấp giấy chứng nhận quyền sử dụng "
    "hộ tịch khai sinh kết hôn chứng thực bản sao hồ sơ trễ hạn thái độ cán bộ tiếp công dân "
    "đường giao thông nông thôn ngập nước rác thải môi trường chợ trường học trạm y tế điện "
    "nước sạch an ninh trật tự xây dựng trái phép lấn chiếm vỉa hè hỗ trợ hộ nghèo người có công "
    "bảo hiểm xã hội học bổng thuế phí lệ phí đăng ký kinh doanh giấy phép xây dựng cải cách "
    "hành chính một cửa dịch vụ công trực tuyến phản ánh kiến nghị đối thoại cam kết dân vận"
).split()
PLACES = ["An Hội", "Phú Khương", "Châu Thành", "Ba Tri", "Bình Đại", "Giồng Trôm", "Mỏ Cày",
          "Chợ Lách", "Thạnh Phú", "Tân Thạch", "Sơn Đông", "Mỹ Thạnh An"]
QUERIES = ["dat dai", "khieu nai", "boi thuong giai phong", "đất đai Ba Tri", "tre han",
           "12/BC-UBND", "nuoc sach", "thai do can bo", "giay phep xay dung", "ho ngheo",
           "khiếu nại: đất", "cam ket doi thoai", "Phú Khương", "hoc bong", "ngap nuoc"]


def _text(rng: random.Random, i: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
    return f"Phản ánh số {i}: {words} tại {rng.choice(PLACES)}"


def child(n: int, samples: int) -> dict[str, float]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from danvan.core import search
    from danvan.core.models import SearchEntry

    call_command("migrate", verbosity=0)
    rng = random.Random(5793)
    started = time.monotonic()
    batch = 20_000
    for start in range(0, n, batch):
        rows = [(i, _text(rng, i)) for i in range(start, min(n, start + batch))]
        search.index_many(KIND, rows, batch_size=batch)
    load_s = time.monotonic() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE core_searchentry")
    else:
        with connection.cursor() as c:
            c.execute("INSERT INTO core_search_fts(core_search_fts) VALUES ('optimize')")
            c.execute("ANALYZE")
    ids = list(SearchEntry.objects.values_list("pk", flat=True)[: min(n, 200_000)])
    lookup: list[float] = []
    query: list[float] = []
    hits = 0
    for k in range(samples):  # interleaved, so both see the same machine state
        pk = rng.choice(ids)
        t0 = time.perf_counter()
        entry = SearchEntry.objects.filter(pk=pk).first()
        lookup.append(time.perf_counter() - t0)
        assert entry is not None
        q = QUERIES[k % len(QUERIES)]
        t0 = time.perf_counter()
        found = search.search_ids(KIND, q, limit=20)
        query.append(time.perf_counter() - t0)
        hits += bool(found)
    return {
        "vendor": connection.vendor,
        "rows": SearchEntry.objects.count(),
        "load_s": load_s,
        "lookup_p95_ms": percentile(lookup, 95) * 1000,
        "search_p95_ms": percentile(query, 95) * 1000,
        "search_p50_ms": percentile(query, 50) * 1000,
        "queries_with_hits": hits / samples,
    }


def run(quick: bool = False) -> list[Result]:
    n = 100_000 if quick else 1_000_000
    results = []
    databases = ["sqlite", "postgres"]
    for db in databases:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "danvan.config.settings",
               "DANVAN_PROFILE": "development", "DEBUG": "false"}
        if db == "postgres":
            env["BENCH_DATABASE"] = "postgres"
        env["DATABASE_URL"] = _url(db)
        out = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.search", "--child", str(n), "2000"],
            env=env, cwd=ROOT, capture_output=True, text=True, check=False,
        )
        if out.returncode != 0:
            print(out.stdout[-2000:], out.stderr[-4000:])
            results.append(Result(f"search p95 ({db})", float("nan"), float("nan"), "ms",
                                  "≤ 10× lookup", False, "run failed"))
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        ratio_ok = r["search_p95_ms"] <= 10 * r["lookup_p95_ms"]
        results.append(Result(
            f"search p95 over {r['rows']:,} texts ({r['vendor']})", r["search_p95_ms"],
            r["lookup_p95_ms"], "ms", "p95 ≤ 10× pk lookup p95", ratio_ok and r["queries_with_hits"] > 0.9,
            f"p50 {r['search_p50_ms']:.2f} ms; indexed in {r['load_s']:.0f} s; "
            f"{r['queries_with_hits']:.0%} of queries found rows",
        ))
    return results


def _url(db: str) -> str:
    if db == "postgres":
        os.environ["BENCH_DATABASE"] = "postgres"
        try:
            return bench_database_url("search")
        finally:
            del os.environ["BENCH_DATABASE"]
    return bench_database_url("search")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        for res in run(quick="--quick" in sys.argv):
            print(res.line())
