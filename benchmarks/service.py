"""The service under load: 50 concurrent clients for 30 s on loopback, reading a stored plan.

A real server (``bcci-dispatch serve --demo --workers 2 --no-access-log`` on a fresh
SQLite file in ``bench-results/service``) plans the demo day once and publishes it; then 50
clients share 30 seconds of requests: 25 read the plan (``GET /plans/{id}``),
13 one courier's route sheet (PDF, as that courier) and 12 the job's status.
The clients are `wrk <https://github.com/wg/wrk>`_ (Debian's ``wrk``), a
compiled load generator: one process per endpoint, all three at once, each
with its own latency histogram, so a Python client does not compete with the
server for this machine's two cores. Every client sends its bearer token and
``Accept-Encoding: gzip`` (as every HTTP library does) and waits for each
response before the next request (closed loop, ``--timeout 30s`` so that no
slow response drops out of the percentiles).

The table shows requests per second, p50/p99/max latency and errors per
endpoint (any response that is not 2xx, and every socket error or timeout).
Target: no errors, p99 under 200 ms for reading the stored plan. Below the
table: the server's CPU time per request (its processes' user + system time
over the load, divided by the requests), a figure that does not depend on
what else loads the machine, wrk's own CPU, and the machine's load average.
A 3 s warm-up (not counted) comes first, so that every server process has
read the stored documents once.

``--full`` runs three load rounds on the same server and shows each figure's
median; ``BENCH_LOAD_S`` shortens a round (e.g. ``BENCH_LOAD_S=5`` to try a change).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
from rich.console import Console
from rich.table import Table

BIN = Path(sys.executable).parent / "bcci-dispatch"
#: Seconds of one load round (the issue's 30 s; ``BENCH_LOAD_S`` for a shorter try).
DURATION_S = float(os.environ.get("BENCH_LOAD_S", "30"))
#: Seconds of load before the measured rounds.
WARM_UP_S = 3.0
PLAN_LIMIT_S = 10.0
TARGET_P99_MS = 200.0
PLAN_ENDPOINT = "GET /plans/{id}"
PASSWORD = "bench-password"
#: ``serve`` options: two server processes on this two-core machine, without the access log
#: (reads are audited either way); ``BENCH_SERVE_ARGS`` to compare set-ups.
SERVE_ARGS: tuple[str, ...] = tuple(
    os.environ.get("BENCH_SERVE_ARGS", "--workers 2 --no-access-log").split())
#: wrk's script: the bearer token from ``BENCH_TOKEN``, gzip accepted, non-2xx responses
#: counted per thread, and one JSON line of figures at the end (latencies in µs).
WRK_SCRIPT = """\
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Accept-Encoding"] = "gzip"
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do bad_total = bad_total + t:get("bad") end
  local e = summary.errors
  io.write(string.format('{"requests": %d, "duration_us": %d, "bad_status": %d, '
    .. '"socket_errors": %d, "timeouts": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, bad_total, e.connect + e.read + e.write,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""
console = Console()


@dataclass(frozen=True)
class Endpoint:
    """One kind of request: its name in the table, path, token and number of clients."""

    name: str
    path: str
    token: str
    clients: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _users_add(url: str, name: str, *args: str) -> None:
    subprocess.run([str(BIN), "--database-url", url, "users", "add", name, *args],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its live descendants."""
    total = 0.0
    root = psutil.Process(pid)
    for proc in (root, *root.children(recursive=True)):
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _children_cpu_s() -> float:
    """User + system CPU seconds of this process's ended (waited-for) children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def _server(url: str, log: Path) -> Iterator[tuple[str, int]]:
    port = _free_port()
    with log.open("w") as out:
        proc = subprocess.Popen([str(BIN), "--database-url", url, "serve", "--demo",
                                 "--port", str(port), *SERVE_ARGS], stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.25)
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(60)


def _token(base: str, name: str) -> str:
    r = httpx.post(f"{base}/auth/token", data={"username": name, "password": PASSWORD})
    r.raise_for_status()
    token: str = r.json()["access_token"]
    return token


def _planned_day(base: str, url: str) -> tuple[int, str, str]:
    """Plan and publish the demo day; (plan id, job id, a courier with a route)."""
    _users_add(url, "bench-dispatcher", "--role", "dispatcher", "--province", "20")
    h = {"Authorization": f"Bearer {_token(base, 'bench-dispatcher')}"}
    with httpx.Client(base_url=base, headers=h, timeout=60) as c:
        day = c.get("/provinces/20/orders", params={"limit": 1}).json()[0]["accepted_on"]
        job = c.post("/provinces/20/plans", json={"date": day, "time_limit_s": PLAN_LIMIT_S})
        job.raise_for_status()
        job_id, plan_id = job.json()["job_id"], job.json()["plan_id"]
        while (state := c.get(f"/jobs/{job_id}").json())["status"] in ("queued", "running"):
            time.sleep(1)
        if state["status"] != "succeeded":
            raise RuntimeError(f"the demo day was not planned: {state}")
        c.post(f"/plans/{plan_id}/publish").raise_for_status()
        courier = c.get(f"/plans/{plan_id}/summary").json()["couriers"][0]
    _users_add(url, "bench-courier", "--role", "courier", "--province", "20",
               "--courier", courier)
    return plan_id, job_id, courier


def _wrk(base: str, endpoint: Endpoint, script: Path, log: Path,
         seconds: float) -> subprocess.Popen[str]:
    """Start one wrk process loading ``endpoint`` for ``seconds``."""
    with log.open("w") as out:
        return subprocess.Popen(
            ["wrk", "--threads", "1", "--connections", str(endpoint.clients),
             "--duration", f"{seconds:g}s", "--timeout", "30s", "--script", str(script),
             base + endpoint.path],
            stdout=subprocess.PIPE, stderr=out, text=True,
            env={**os.environ, "BENCH_TOKEN": endpoint.token})


#: The kinds of error wrk counts (summed over rounds, never a median): non-2xx
#: responses, socket errors (connect, read, write) and timeouts.
ERROR_KINDS = ("bad_status", "socket_errors", "timeouts")


def _figures(wrk_out: str) -> dict[str, Any]:
    """wrk's JSON line (the script's ``done``): requests, errors of each kind, latencies (ms)."""
    raw = json.loads(wrk_out.strip().splitlines()[-1])
    seconds = raw["duration_us"] / 1e6
    return {"requests": raw["requests"], "req_s": raw["requests"] / seconds,
            "errors": sum(raw[k] for k in ERROR_KINDS), **{k: raw[k] for k in ERROR_KINDS},
            "p50_ms": raw["p50_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
            "max_ms": raw["max_us"] / 1000}


def _round(base: str, pid: int, endpoints: list[Endpoint], out: Path, label: str, *,
           seconds: float = DURATION_S) -> dict[str, Any]:
    """One load round: every endpoint's wrk at once; figures per endpoint, CPU and load."""
    script = out / "load.lua"
    script.write_text(WRK_SCRIPT)
    server_before, wrk_before = _cpu_s(pid), _children_cpu_s()
    procs = {e.name: _wrk(base, e, script, out / f"wrk-{label}-{i}.log", seconds)
             for i, e in enumerate(endpoints)}
    results = {name: _figures(p.communicate()[0]) for name, p in procs.items()}
    for name, p in procs.items():
        if p.returncode != 0:
            raise RuntimeError(f"wrk failed for {name} (exit {p.returncode}); see {out}")
    requests = sum(r["requests"] for r in results.values())
    return {"endpoints": results, "requests": requests,
            "server_cpu_ms": 1000 * (_cpu_s(pid) - server_before) / max(requests, 1),
            "wrk_cpu_ms": 1000 * (_children_cpu_s() - wrk_before) / max(requests, 1),
            "load_1min": os.getloadavg()[0]}


def _median(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure's median over ``rounds`` (errors: their sum)."""
    names = rounds[0]["endpoints"]
    endpoints = {name: {key: (sum if key in ("errors", *ERROR_KINDS) else statistics.median)(
        [r["endpoints"][name][key] for r in rounds]) for key in rounds[0]["endpoints"][name]}
        for name in names}
    figures = {key: statistics.median([r[key] for r in rounds])
               for key in ("requests", "server_cpu_ms", "wrk_cpu_ms", "load_1min")}
    return {"endpoints": endpoints, **figures}


def _table(endpoints: list[Endpoint], result: dict[str, Any], rounds: int) -> Table:
    of = f", median of {rounds} rounds" if rounds > 1 else ""
    clients = sum(e.clients for e in endpoints)
    table = Table(title=f"service: {clients} clients × {DURATION_S:g} s on loopback (wrk{of})")
    for col in ("endpoint", "clients", "req/s", "p50 ms", "p99 ms", "max ms", "errors"):
        table.add_column(col, justify="left" if col == "endpoint" else "right")
    for e in endpoints:
        f = result["endpoints"][e.name]
        table.add_row(e.name, str(e.clients), f"{f['req_s']:.0f}", f"{f['p50_ms']:.1f}",
                      f"{f['p99_ms']:.1f}", f"{f['max_ms']:.0f}", str(f["errors"]))
    return table


def _endpoints(base: str, url: str) -> list[Endpoint]:
    """Plan and publish the demo day; the three kinds of request with their clients (50)."""
    plan_id, job_id, courier = _planned_day(base, url)
    disp, mine = _token(base, "bench-dispatcher"), _token(base, "bench-courier")
    return [Endpoint(PLAN_ENDPOINT, f"/plans/{plan_id}", disp, 25),
            Endpoint("GET sheet.pdf (courier)",
                     f"/plans/{plan_id}/routes/{courier}/sheet.pdf", mine, 13),
            Endpoint("GET /jobs/{id}", f"/jobs/{job_id}", disp, 12)]


#: Marks a run folder whose load had errors; the next run keeps it beside its own.
FAILED = "FAILED"


def _fresh(out: Path) -> None:
    """An empty ``out`` for a run: the last run's folder is removed, unless it had errors.

    A folder marked :data:`FAILED` is moved to ``<out>-failed-<its mtime, UTC>``
    so that a run that could not be reproduced keeps its server log and wrk's
    output for the diagnosis.
    """
    if (out / FAILED).exists():
        stamp = dt.datetime.fromtimestamp((out / FAILED).stat().st_mtime, dt.UTC)
        out.rename(out.with_name(f"{out.name}-failed-{stamp:%Y%m%dT%H%M%S}"))
    elif out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)


def run(quick: bool, out: Path) -> bool:
    """Serve the demo, plan it once, load it (three rounds unless quick); True when no errors."""
    if shutil.which("wrk") is None:
        console.print("service: wrk (the load generator) is not installed: "
                      "`apt-get install wrk` on Debian/Ubuntu; section skipped", style="bold red")
        return True
    rounds = 1 if quick else 3
    _fresh(out)
    url = f"sqlite:///{(out / 'service.sqlite3').resolve()}"
    os.environ.pop("DATABASE_URL", None)
    with _server(url, out / "server.log") as (base, pid):
        endpoints = _endpoints(base, url)
        # Warm-up, not counted: every server process has read the stored documents once.
        _round(base, pid, endpoints, out, "warm-up", seconds=WARM_UP_S)
        results = [_round(base, pid, endpoints, out, str(n)) for n in range(rounds)]
    (out / "load.json").write_text(json.dumps(results, indent=1))
    result = _median(results)
    console.print(_table(endpoints, result, rounds))
    console.print(f"server CPU {result['server_cpu_ms']:.2f} ms per request "
                  f"(serve {' '.join(SERVE_ARGS) or '(defaults)'}); wrk's own CPU "
                  f"{result['wrk_cpu_ms']:.2f} ms per request; machine load average "
                  f"{result['load_1min']:.1f} (1 min, at the end; {os.cpu_count()} cores)")
    errors: int = sum(f["errors"] for f in result["endpoints"].values())
    p99 = result["endpoints"][PLAN_ENDPOINT]["p99_ms"]
    met = errors == 0 and p99 < TARGET_P99_MS
    console.print(f"target (no errors, p99 under {TARGET_P99_MS:g} ms reading a stored plan): "
                  f"{'met' if met else 'NOT met'} ({errors} errors, plan p99 {p99:.0f} ms)")
    if errors:
        kinds = {k: sum(f[k] for f in result["endpoints"].values()) for k in ERROR_KINDS}
        (out / FAILED).write_text(json.dumps(kinds) + "\n")
        console.print(f"errors by kind: {kinds}; the server log and wrk's output stay in "
                      f"{out} (a later run moves them aside, it does not delete them)")
    return errors == 0

