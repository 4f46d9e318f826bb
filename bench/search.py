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
# Subjects of citizens' feedback and petitions, roughly in order of frequency (Zipf-like draw).
SUBJECTS = [
    "tranh chấp đất đai",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "bồi thường giải phóng mặt bằng",
    "hồ sơ trễ hạn",
    "thái độ cán bộ",
    "đường giao thông nông thôn",
    "ngập nước",
    "rác thải",
    "ô nhiễm môi trường",
    "xây dựng trái phép",
    "lấn chiếm vỉa hè",
    "hỗ trợ hộ nghèo",
    "chế độ người có công",
    "bảo hiểm xã hội",
    "học bổng",
    "thuế thu nhập cá nhân",
    "lệ phí trước bạ",
    "đăng ký kinh doanh",
    "giấy phép xây dựng",
    "chứng thực bản sao",
    "khai sinh",
    "đăng ký kết hôn",
    "nước sạch",
    "điện chiếu sáng",
    "an ninh trật tự",
    "tiếng ồn",
    "chợ tạm",
    "trường học",
    "trạm y tế",
    "cầu khỉ",
    "sạt lở bờ sông",
    "xâm nhập mặn",
    "dịch bệnh trên cây dừa",
    "giá thu mua dừa",
    "tái định cư",
    "thu hồi đất",
    "quy hoạch treo",
    "cải cách hành chính",
    "dịch vụ công trực tuyến",
    "tiếp công dân",
    "khiếu nại quyết định hành chính",
    "tố cáo cán bộ",
    "đối thoại với dân",
    "cam kết sau đối thoại",
    "phong trào dân vận khéo",
    "nông thôn mới",
]
VERBS = [
    "phản ánh",
    "kiến nghị",
    "đề nghị",
    "khiếu nại",
    "hỏi về",
    "góp ý",
    "tố cáo",
    "yêu cầu giải quyết",
]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Hồ",
    "Dương",
    "Lý",
    "Đoàn",
    "Châu",
    "Lâm",
    "Mai",
    "Tạ",
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Kim", "Hữu", "Thành"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Hương",
    "Khang",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Ngân",
    "Nhân",
    "Phúc",
    "Phương",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thu",
    "Trang",
    "Trí",
    "Trung",
    "Tuấn",
    "Tú",
    "Uyên",
    "Vân",
    "Việt",
    "Vinh",
    "Xuân",
    "Yến",
]
STREETS = [
    "Đồng Khởi",
    "Hùng Vương",
    "Nguyễn Đình Chiểu",
    "Lê Lợi",
    "Cách Mạng Tháng Tám",
    "Trần Quốc Tuấn",
    "Đoàn Hoàng Minh",
    "Nguyễn Huệ",
    "Phan Đình Phùng",
    "Ngô Quyền",
]


def _places() -> list[str]:
    from vietnam_provinces import Ward
    from vietnam_provinces.legacy import Ward as LegacyWard

    names = [w.name for w in LegacyWard.iter_by_province(83)]  # type: ignore[arg-type]
    names += [w.name for w in Ward.iter_by_province(86)]  # type: ignore[arg-type]
    return sorted(set(names))


PLACES = _places()
QUERIES = [
    "dat dai",
    "tranh chấp đất đai",
    "boi thuong giai phong mat bang",
    "đất đai Ba Tri",
    "tre han",
    "12/BC-UBND",
    "nuoc sach",
    "thai do can bo",
    "giay phep xay dung",
    "ho ngheo",
    "khiếu nại: đất",
    "cam ket doi thoai",
    "Phú Khương",
    "hoc bong",
    "ngap nuoc Mỏ Cày",
    "Nguyễn Văn Hùng",
    "xam nhap man",
    "duong Dong Khoi",
    "ho so STP-260315",
    "tai dinh cu Binh Dai",
]


ZIPF = [1 / (k + 1) for k in range(len(SUBJECTS))]


def _text(rng: random.Random, i: int) -> str:
    """A short, realistic feedback line: who, what, where, with a code or an address."""
    person = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    subject, second = rng.choices(SUBJECTS, weights=ZIPF, k=2)
    second = second if rng.random() < 0.3 else ""
    place = rng.choice(PLACES)
    extra = rng.choice(
        [
            f"số {rng.randint(1, 400)} đường {rng.choice(STREETS)}",
            f"hồ sơ STP-{rng.randint(240101, 261231)}-{rng.randint(1, 9999):04d}",
            f"ấp {rng.randint(1, 12)}",
            f"theo văn bản số {rng.randint(1, 999)}/UBND-NC",
        ]
    )
    return f"Ông/bà {person} {rng.choice(VERBS)} {subject} {second} tại {place}, {extra} (PAKN {i})".replace(
        "  ", " "
    )


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
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "danvan.config.settings",
            "DANVAN_PROFILE": "development",
            "DEBUG": "false",
        }
        if db == "postgres":
            env["BENCH_DATABASE"] = "postgres"
        env["DATABASE_URL"] = _url(db)
        out = subprocess.run(
            [sys.executable, "-m", "bench.search", "--child", str(n), "2000"],
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
                    f"search p95 ({db})",
                    float("nan"),
                    float("nan"),
                    "ms",
                    "≤ 10× lookup",
                    False,
                    "run failed",
                )
            )
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        ratio_ok = r["search_p95_ms"] <= 10 * r["lookup_p95_ms"]
        results.append(
            Result(
                f"search p95 over {r['rows']:,} texts ({r['vendor']})",
                r["search_p95_ms"],
                r["lookup_p95_ms"],
                "ms",
                "p95 ≤ 10× pk lookup p95",
                ratio_ok and r["queries_with_hits"] > 0.9,
                f"p50 {r['search_p50_ms']:.2f} ms; indexed in {r['load_s']:.0f} s; "
                f"{r['queries_with_hits']:.0%} of queries found rows",
            )
        )
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
