"""Feedback benchmark (issue 6).

1. Submissions per second through the real HTTP server — ``danvan serve --no-worker`` (granian)
   started as a subprocess on a bench database (SQLite) — with 8 concurrent clients against a
   single client measured in the same run. Each client posts Open311 requests (form-encoded: the
   same service as the web form, with its routing, deadlines, audit record, search index, abuse
   limits and the sender's SMS in the outbox). Clients come from many loopback addresses
   (127.x.y.z), as citizens would, so the per-address abuse limit does not refuse them. After the
   run the rows are counted in the database: every accepted submission must be there exactly
   once, none more. Targets: ≥ 200 submissions/s with 8 clients; 8 clients ≥ 0.8× one client's
   throughput; zero lost, zero duplicated, zero "database is locked".
2. The public list's search at 1,000,000 published items (100,000 with ``--quick``): p95 of
   :func:`danvan.feedback.selectors.public_list` with a query (and with a category) against the
   p95 of a primary-key lookup, interleaved in one process. Target: p95 ≤ 10× the lookup.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bench.common import ROOT, Result, bench_database_url, percentile

DANVAN = str(Path(sys.executable).with_name("danvan"))
COMMUNE = "99001"
# granian worker processes (one: the clients share the machine's two cores); BENCH_WEB_WORKERS=2
# to try more.
WEB_WORKERS = os.environ.get("BENCH_WEB_WORKERS", "1")
WORDS = [
    "đường",
    "sạt",
    "lở",
    "ngập",
    "nước",
    "rác",
    "thải",
    "chợ",
    "đèn",
    "chiếu",
    "sáng",
    "cống",
    "thoát",
    "nước",
    "trường",
    "học",
    "trạm",
    "y",
    "tế",
    "hồ",
    "sơ",
    "trễ",
    "hẹn",
    "giấy",
    "chứng",
    "nhận",
    "quyền",
    "sử",
    "dụng",
    "đất",
    "đai",
    "thái",
    "độ",
    "cán",
    "bộ",
    "một",
    "cửa",
    "phí",
    "lệ",
    "phí",
    "xây",
    "dựng",
    "trái",
    "phép",
    "lấn",
    "chiếm",
    "vỉa",
    "hè",
    "nước",
    "sạch",
    "điện",
    "hộ",
    "nghèo",
    "bảo",
    "hiểm",
    "học",
    "bổng",
    "cải",
    "cách",
    "hành",
    "chính",
]
QUERIES = [
    "dat dai",
    "ngap nuoc",
    "thai do",
    "tre hen",
    "rac thai",
    "chieu sang",
    "xay dung",
    "nuoc sach",
    "hoc bong",
    "cong thoat",
]


def _env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "danvan.config.settings",
        "DANVAN_PROFILE": "development",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }


# --- 1. submissions through the HTTP server ----------------------------------------------------
def setup_child() -> None:
    """In the bench database: a province, a commune, its People's Committee and a rule."""
    import django

    django.setup()
    from danvan.feedback.models import RoutingRule
    from danvan.org.models import AdminUnit, Agency, AgencyKind, UnitLevel

    province, _ = AdminUnit.objects.get_or_create(
        code="99", level=UnitLevel.PROVINCE, defaults={"name": "Tỉnh Đo Đạc", "kind": "tỉnh"}
    )
    province.path = f"/{province.pk}/"
    province.save()
    commune, _ = AdminUnit.objects.get_or_create(
        code=COMMUNE,
        level=UnitLevel.COMMUNE,
        defaults={"name": "Xã Đo Đạc", "kind": "xã", "parent": province},
    )
    commune.path = f"{province.path}{commune.pk}/"
    commune.save()
    pc, _ = Agency.objects.get_or_create(
        code="UBND-99",
        defaults={
            "name": "Ủy ban nhân dân tỉnh Đo Đạc",
            "symbol": "UBND",
            "kind": AgencyKind.PEOPLES_COMMITTEE,
            "unit": province,
        },
    )
    cpc, _ = Agency.objects.get_or_create(
        code="UBND-99001",
        defaults={
            "name": "Ủy ban nhân dân xã Đo Đạc",
            "symbol": "UBND",
            "kind": AgencyKind.PEOPLES_COMMITTEE,
            "unit": commune,
            "parent": pc,
        },
    )
    RoutingRule.objects.get_or_create(category="local", unit=commune, defaults={"agency": cpc})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Load:
    clients: int
    elapsed: float = 0.0
    accepted: dict[str, str] = field(default_factory=dict)  # marker -> code
    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.accepted) / self.elapsed if self.elapsed else 0.0


class Addresses:
    """Distinct loopback source addresses, one per connection (one per citizen)."""

    def __init__(self, first_octet: int) -> None:
        self.lock = threading.Lock()
        self.n = 0
        self.first = first_octet

    def next(self) -> str:
        with self.lock:
            self.n += 1
            n = self.n
        return f"127.{self.first}.{(n // 250) % 250}.{n % 250 + 1}"


def _client(
    port: int,
    run: str,
    number: int,
    deadline: float,
    load: Load,
    addresses: Addresses,
    per_connection: int,
    lock: threading.Lock,
) -> None:
    rng = random.Random(f"{run}-{number}")
    i = 0
    conn: http.client.HTTPConnection | None = None
    while time.monotonic() < deadline:
        if conn is None or i % per_connection == 0:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=30, source_address=(addresses.next(), 0)
            )
        marker = f"bench-{run}-{number}-{i}"
        words = " ".join(rng.choice(WORDS) for _ in range(12))
        body = urllib.parse.urlencode(
            {
                "service_code": "local",
                "address_id": COMMUNE,
                "description": f"Phản ánh {marker}: {words}.",
                "phone": f"09{number:02d}{i:06d}",
                "attribute[publish_consent]": "1",
            }
        )
        started = time.perf_counter()
        try:
            conn.request(
                "POST",
                "/open311/v2/requests.json",
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            response = conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as exc:
            with lock:
                load.errors.append(f"{type(exc).__name__}: {exc}")
            conn.close()
            conn = None
            i += 1
            continue
        took = time.perf_counter() - started
        with lock:
            load.statuses[response.status] = load.statuses.get(response.status, 0) + 1
            load.latencies.append(took)
            if response.status == 200:
                load.accepted[marker] = json.loads(payload)[0]["service_request_id"]
            elif len(load.errors) < 20:
                load.errors.append(f"{response.status}: {payload[:200]!r}")
        i += 1
    if conn is not None:
        conn.close()


def _load(port: int, run: str, clients: int, seconds: float, first_octet: int) -> Load:
    load = Load(clients)
    lock = threading.Lock()
    addresses = Addresses(first_octet)
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_client,
            args=(port, run, n, deadline, load, addresses, 5, lock),
            daemon=True,
        )
        for n in range(clients)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    load.elapsed = time.monotonic() - started
    return load


def _wait_healthy(port: int, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not start")


def throughput(quick: bool) -> list[Result]:
    seconds = 8.0 if quick else 20.0
    url = bench_database_url("feedback")
    path = url.removeprefix("sqlite:///")
    env = _env(url)
    subprocess.run([DANVAN, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [sys.executable, "-m", "bench.feedback", "--setup"], env=env, cwd=ROOT, check=True
    )
    port = _free_port()
    log_path = ROOT / "var" / "bench" / "feedback-server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                DANVAN,
                "serve",
                "--no-worker",
                "--no-accounts",
                "--workers",
                WEB_WORKERS,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy(port, server)
            warm = _load(port, "warm", 2, 2.0, 200)  # warm the code paths and connections
            single = _load(port, "one", 1, seconds, 1)
            multi = _load(port, "eight", 8, seconds, 100)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    server_log = log_path.read_text(errors="replace")
    locked = server_log.count("database is locked")
    # Count what the database holds.
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT code, content FROM feedback_feedback").fetchall()
    codes = [code for code, _content in rows]
    markers: dict[str, int] = {}
    for _code, content in rows:
        marker = content.split(":", 1)[0].removeprefix("Phản ánh ").strip()
        markers[marker] = markers.get(marker, 0) + 1
    lost = duplicated = 0
    accepted = {m for load in (warm, single, multi) for m in load.accepted}
    for marker in accepted:
        n = markers.get(marker, 0)
        lost += n == 0
        duplicated += max(0, n - 1)
    duplicated += len(codes) - len(set(codes))
    unaccounted = sum(1 for m in markers if m not in accepted)
    failures = sum(n for s, n in multi.statuses.items() if s != 200) + len(multi.errors)
    failures += sum(n for s, n in single.statuses.items() if s != 200) + len(single.errors)
    sound = lost == 0 and duplicated == 0 and locked == 0 and unaccounted == 0
    note = (
        f"rows {len(rows)} = accepted {len(accepted)}; lost {lost}; duplicated {duplicated}; "
        f"unaccounted {unaccounted}; 'database is locked' {locked}; "
        f"non-200 {failures}; p95 {percentile(multi.latencies, 95) * 1000:.0f} ms (8) vs "
        f"{percentile(single.latencies, 95) * 1000:.0f} ms (1); statuses {multi.statuses}"
    )
    if multi.errors:
        note += f"; first error {multi.errors[0]}"
    return [
        Result(
            "feedback submissions/s, 8 clients (SQLite, granian)",
            multi.rate,
            200.0,
            "req/s",
            "≥ 200 submissions/s",
            multi.rate >= 200 and sound,
            note,
        ),
        Result(
            "feedback submissions/s, 8 clients vs 1 client",
            multi.rate,
            single.rate,
            "req/s",
            "8 clients ≥ 0.8× one client; 0 lost, 0 duplicated, 0 locked",
            multi.rate >= 0.8 * single.rate and sound,
            note,
        ),
    ]


# --- 2. the public list's search at scale --------------------------------------------------------
def search_child(n: int, samples: int) -> dict[str, float]:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from danvan.core import search
    from danvan.feedback import selectors
    from danvan.feedback.models import Category, Feedback

    setup_child()
    from danvan.org.models import AdminUnit, Agency

    agency = Agency.objects.get(code="UBND-99001")
    unit = AdminUnit.objects.get(code=COMMUNE)
    rng = random.Random(5793)
    categories = list(Category.values)
    started = time.monotonic()
    now = timezone.now()
    batch = 20_000
    for start in range(0, n, batch):
        rows = []
        for i in range(start, min(n, start + batch)):
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 8)))
            answer = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 20)))
            moment = now - timedelta(minutes=n - i)
            rows.append(
                Feedback(
                    code=f"B-{i:09d}",
                    category=categories[i % len(categories)],
                    title=title.capitalize(),
                    content=title,
                    unit=unit,
                    agency=agency,
                    status="answered",
                    received_at=moment,
                    routed_at=moment,
                    transfer_due_at=moment,
                    due_at=moment,
                    answered_at=moment,
                    answer_text=answer,
                    public_title=title.capitalize(),
                    public_answer=answer,
                    published_at=moment,
                )
            )
        with transaction.atomic():
            created = Feedback.objects.bulk_create(rows, batch_size=5000)
            search.index_many(
                selectors.PUBLIC_SEARCH_KIND,
                ((f.pk, f"{f.public_title} {f.public_answer}") for f in created),
                batch_size=5000,
            )
    load_s = time.monotonic() - started
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("VACUUM ANALYZE")
        else:
            c.execute("INSERT INTO core_search_fts(core_search_fts) VALUES ('optimize')")
            c.execute("ANALYZE")
    ids = list(Feedback.objects.values_list("pk", flat=True)[:200_000])
    lookup: list[float] = []
    query: list[float] = []
    filtered: list[float] = []
    hits = 0
    for k in range(samples):
        pk = rng.choice(ids)
        t0 = time.perf_counter()
        Feedback.objects.filter(pk=pk).first()
        lookup.append(time.perf_counter() - t0)
        q = QUERIES[k % len(QUERIES)]
        t0 = time.perf_counter()
        page = selectors.public_list(q=q)
        query.append(time.perf_counter() - t0)
        hits += bool(page.items)
        t0 = time.perf_counter()
        selectors.public_list(q=q, category=categories[k % len(categories)])
        filtered.append(time.perf_counter() - t0)
    return {
        "vendor": connection.vendor,
        "rows": Feedback.objects.count(),
        "load_s": load_s,
        "lookup_p95_ms": percentile(lookup, 95) * 1000,
        "search_p95_ms": percentile(query, 95) * 1000,
        "search_p50_ms": percentile(query, 50) * 1000,
        "filtered_p95_ms": percentile(filtered, 95) * 1000,
        "hits": hits / samples,
    }


def public_search(quick: bool) -> list[Result]:
    n = 100_000 if quick else 1_000_000
    url = bench_database_url("feedback_search")
    env = _env(url)
    subprocess.run([DANVAN, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    out = subprocess.run(
        [sys.executable, "-m", "bench.feedback", "--search", str(n), "1000"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        print(out.stdout[-2000:], out.stderr[-4000:])
        return [
            Result(
                "public list search p95",
                float("nan"),
                float("nan"),
                "ms",
                "≤ 10× pk lookup",
                False,
                "run failed",
            )
        ]
    r = json.loads(out.stdout.strip().splitlines()[-1])
    ok = r["search_p95_ms"] <= 10 * r["lookup_p95_ms"] and r["hits"] > 0.9
    ok_filtered = r["filtered_p95_ms"] <= 10 * r["lookup_p95_ms"]
    note = f"p50 {r['search_p50_ms']:.2f} ms; loaded in {r['load_s']:.0f} s; {r['hits']:.0%} of queries found items"
    return [
        Result(
            f"public list search p95 over {r['rows']:,} published items ({r['vendor']})",
            r["search_p95_ms"],
            r["lookup_p95_ms"],
            "ms",
            "p95 ≤ 10× pk lookup p95",
            ok,
            note,
        ),
        Result(
            f"public list search + category p95 over {r['rows']:,} items ({r['vendor']})",
            r["filtered_p95_ms"],
            r["lookup_p95_ms"],
            "ms",
            "p95 ≤ 10× pk lookup p95",
            ok_filtered,
        ),
    ]


def run(quick: bool = False) -> list[Result]:
    return [*throughput(quick), *public_search(quick)]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--setup"]:
        setup_child()
    elif sys.argv[1:2] == ["--search"]:
        print(json.dumps(search_child(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        for res in run(quick="--quick" in sys.argv):
            print(res.line())
