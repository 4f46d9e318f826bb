"""One-stop shop benchmarks (``python -m bench onestop [--quick]``), on a database of their own.

1. The generator: ``danvan onestop generate --dossiers N`` (1,000,000; quick: 50,000) — time and
   peak memory. Target: 1,000,000 in under 10 minutes, under 1 GB.
2. The public look-up (``GET /api/v1/public/dossiers/{code}?phone_last4=``) served by the
   production server (granian, as ``danvan serve`` starts it: one process per core, two threads
   each), against a bare WSGI app giving the same answer (the dossier and its public timeline, two
   indexed queries, nothing else) on the same database, served the same way, measured in the same
   run with wrk at 32 connections. Target: ≥ 0.25× the bare throughput, p99 ≤ 50 ms.
3. The statistics page over the whole year (all agencies) against one dossier's detail page
   (target ≤ 2×), and against a naive GROUP BY over the dossiers (shown for comparison).

Needs ``wrk`` (Debian package) for part 2.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import time

from bench.common import ROOT, Result, bench_database_url

VENV = ROOT / ".venv" / "bin"
# Both servers run as `danvan serve` does by default: one process per core, two threads each.
WORKERS = os.cpu_count() or 1
THREADS = 2
OUT = ROOT / "var" / "bench"

BARE_APP = r'''
"""A bare WSGI app: the same indexed look-ups as the public API (the dossier, its timeline),
nothing else (no framework, no rate limit, no translation, no security headers)."""
import json, os, sqlite3, threading
from urllib.parse import parse_qs

URL = os.environ["DATABASE_URL"]
_local = threading.local()
SQL = ("SELECT d.code, d.status, d.appointment_at, d.phone_last4, p.code, p.name, d.id "
       "FROM onestop_dossier d JOIN onestop_procedure p ON p.id = d.procedure_id WHERE d.code = {}")
EVENTS = ("SELECT at, kind, public_note FROM onestop_dossierevent WHERE dossier_id = {} "
          "ORDER BY at, id")


def _conn():
    c = getattr(_local, "c", None)
    if c is None:
        if URL.startswith("sqlite"):
            c = sqlite3.connect(URL.split("sqlite:///", 1)[1], check_same_thread=False)
            c.execute("PRAGMA journal_mode=WAL")
            _local.mark = "?"
        else:
            import psycopg
            c = psycopg.connect(URL, autocommit=True)
            _local.mark = "%s"
        _local.c = c
    return c


def application(environ, start_response):
    code = environ.get("PATH_INFO", "").rsplit("/", 1)[-1]
    digits = parse_qs(environ.get("QUERY_STRING", "")).get("phone_last4", [""])[0]
    conn = _conn()
    row = conn.execute(SQL.format(_local.mark), (code,)).fetchone()
    if row is None or row[3] != digits:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"error": "not found"}']
    # the same answer as ours: the dossier and its public timeline
    events = conn.execute(EVENTS.format(_local.mark), (row[6],)).fetchall()
    body = json.dumps({"code": row[0], "status": row[1], "appointment_at": str(row[2]),
                       "procedure": {"code": row[4], "name": row[5]},
                       "timeline": [{"at": str(at), "step": kind, "note": note}
                                    for at, kind, note in events]}).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
'''

PAGES_SCRIPT = r"""
import os, statistics, sys, time, json
import django
django.setup()
from django.db import connection
from django.test import Client
from danvan.org.models import User
from danvan.onestop.models import Dossier

runs = int(sys.argv[1])
user = User.objects.get(username="quantri")
client = Client()
client.force_login(user)
code = Dossier.objects.order_by("-received_at").values_list("code", flat=True)[500]


def median(fn):
    for _ in range(3):
        fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def page(url):
    def run():
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
    return run


def naive():
    with connection.cursor() as c:
        c.execute(
            "SELECT agency_id, field_id, channel, status, timeliness, COUNT(*) FROM onestop_dossier "
            "WHERE received_at >= %s GROUP BY agency_id, field_id, channel, status, timeliness",
            ["2000-01-01"],
        )
        c.fetchall()


out = {
    "detail_ms": median(page(f"/office/onestop/dossiers/{code}/")),
    "stats_ms": median(page("/office/onestop/statistics/?start=2000-01-01&end=2100-12-31&group_by=agency")),
    "naive_ms": median(naive),
    "dossiers": Dossier.objects.count(),
}
print(json.dumps(out))
"""

LUA = """
codes = {%s}
request = function()
  local pick = codes[math.random(#codes)]
  return wrk.format("GET", "%s" .. pick)
end
"""


def _env(url: str) -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "danvan.config.settings",
            "DANVAN_PROFILE": "development",
            "DEBUG": "false",
            "DANVAN_VAR_DIR": str(OUT / "onestop-var"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def _run(args: list[str], env: dict[str, str], timeout: int = 3600) -> str:
    done = subprocess.run(
        args, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
        )
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, path: str, timeout: float = 60) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server on {port} did not start")


def _wrk(port: int, prefix: str, pairs: list[tuple[str, str]], seconds: int) -> tuple[float, float]:
    """Requests per second and p99 latency (ms) at 32 connections."""
    items = ",".join(f'"{c}?phone_last4={d}"' for c, d in pairs)
    script = OUT / "onestop-lookup.lua"
    script.write_text(LUA % (items, prefix))
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c32",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    text = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    assert m is not None, text
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    if "Non-2xx" in text:
        raise RuntimeError(f"wrk saw errors:\n{text}")
    return rps, p99


def _serve(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def run(quick: bool) -> list[Result]:
    OUT.mkdir(parents=True, exist_ok=True)
    n = 50_000 if quick else 1_000_000
    seconds = 8 if quick else 30
    url = bench_database_url("onestop")
    env = _env(url)
    danvan = str(VENV / "danvan")
    results: list[Result] = []

    _run([danvan, "migrate", "--noinput", "-v0"], env)
    _run(
        [danvan, "shell", "-c", "from danvan.org.demo import load_org_demo; load_org_demo()"],
        env,
    )
    # 1. the generator (a child process of its own: its peak memory is measured alone)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    out = _run([danvan, "onestop", "generate", "--dossiers", str(n), "--years", "1"], env)
    elapsed = time.monotonic() - started
    peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    print(out.strip().splitlines()[-2] if out.strip() else "", flush=True)
    per_million = elapsed * 1_000_000 / n
    results.append(
        Result(
            f"generate {n:,} dossiers (s; scaled to 1,000,000 when quick)",
            per_million,
            600.0,
            "s",
            "≤ 600 s for 1,000,000",
            per_million <= 600,
            note=f"measured {elapsed:.0f} s for {n:,}",
        )
    )
    results.append(
        Result(
            "generator peak memory",
            peak_mb,
            1024.0,
            "MB",
            "≤ 1024 MB",
            peak_mb <= 1024,
        )
    )

    # 2. the look-up: our server against a bare WSGI app, same data, same server
    code_script = (
        "import random; from danvan.onestop.models import Dossier; "
        "ids = list(Dossier.objects.values_list('code', 'phone_last4')[:: max(1, Dossier.objects.count() // 2000)]); "
        "import json; print(json.dumps(ids))"
    )
    pairs = [
        tuple(p)
        for p in json.loads(
            _run([danvan, "shell", "-c", code_script], env).strip().splitlines()[-1]
        )
    ]
    random.shuffle(pairs)
    bare_py = OUT / "onestop_bare.py"
    bare_py.write_text(BARE_APP)
    if shutil.which("wrk") is None:
        results.append(
            Result("look-up throughput", 0, 1, "req/s", "needs wrk", False, "apt-get install wrk")
        )
    else:
        ours_port, bare_port = _free_port(), _free_port()
        ours = _serve(
            [
                danvan,
                "serve",
                "--no-worker",
                "--no-accounts",
                "--port",
                str(ours_port),
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
            ],
            env,
        )
        bare_env = {**env, "PYTHONPATH": str(OUT)}
        bare = _serve(
            [
                str(VENV / "python"),
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(bare_port),
                "--workers",
                str(WORKERS),
                "--blocking-threads",
                str(THREADS),
                "--no-access-log",
                "onestop_bare:application",
            ],
            bare_env,
        )
        try:
            prefix = "/api/v1/public/dossiers/"
            _wait(ours_port, "/healthz")
            _wait(bare_port, f"{prefix}x")
            _wrk(ours_port, prefix, pairs, 3)  # warm up
            _wrk(bare_port, prefix, pairs, 3)
            bare_rps, bare_p99 = _wrk(bare_port, prefix, pairs, seconds)
            ours_rps, ours_p99 = _wrk(ours_port, prefix, pairs, seconds)
        finally:
            _stop(ours)
            _stop(bare)
        results.append(
            Result(
                "public look-up throughput (32 connections)",
                ours_rps,
                bare_rps,
                "req/s",
                "≥ 0.25× bare WSGI",
                ours_rps >= 0.25 * bare_rps,
                note=f"bare p99 {bare_p99:.1f} ms",
            )
        )
        results.append(
            Result("public look-up p99", ours_p99, 50.0, "ms", "≤ 50 ms", ours_p99 <= 50.0)
        )

    # 3. the statistics page against one dossier's page and a naive GROUP BY
    pages_py = OUT / "onestop_pages.py"
    pages_py.write_text(PAGES_SCRIPT)
    measured = json.loads(
        _run([str(VENV / "python"), str(pages_py), "5" if quick else "15"], env)
        .strip()
        .splitlines()[-1]
    )
    results.append(
        Result(
            f"statistics page over {measured['dossiers']:,} dossiers vs a dossier's page",
            measured["stats_ms"],
            measured["detail_ms"],
            "ms",
            "≤ 2× the detail page",
            measured["stats_ms"] <= 2 * measured["detail_ms"],
        )
    )
    results.append(
        Result(
            "statistics page vs a naive GROUP BY over the dossiers",
            measured["stats_ms"],
            measured["naive_ms"],
            "ms",
            "for comparison (lower is better)",
            True,
        )
    )
    return results
