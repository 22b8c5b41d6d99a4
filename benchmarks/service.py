"""The service under load: 50 concurrent clients for 30 s on loopback, reading a stored plan.

A real server (``bcci-dispatch serve --demo --workers 2`` on a fresh SQLite file in
``bench-results/service``) plans the demo day once and publishes it; then 50
clients share 30 seconds of requests: the plan (``GET /plans/{id}``, 1 in 2),
one courier's route sheet (PDF, as that courier) and the job's status. The
table shows requests per second and p50/p99 latency per endpoint; every
non-2xx response counts as an error. Target: no errors, p99 under 200 ms for
reading the stored plan. Below the table: the server's CPU time per request
(its processes' user + system time over the load, divided by the requests),
a figure that does not depend on what else loads the machine.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psutil
from rich.console import Console
from rich.table import Table

BIN = Path(sys.executable).parent / "bcci-dispatch"
CLIENTS = 50
DURATION_S = 30.0
PLAN_LIMIT_S = 10.0
TARGET_P99_MS = 200.0
PASSWORD = "bench-password"
#: ``serve`` options: two server processes on this two-core machine (``BENCH_SERVE_ARGS=""``
#: for one, to compare set-ups).
SERVE_ARGS: tuple[str, ...] = tuple(os.environ.get("BENCH_SERVE_ARGS", "--workers 2").split())
console = Console()


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


def _token(base: str, name: str) -> dict[str, str]:
    r = httpx.post(f"{base}/auth/token", data={"username": name, "password": PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _planned_day(base: str, url: str) -> tuple[int, str, str]:
    """Plan and publish the demo day; (plan id, job id, a courier with a route)."""
    _users_add(url, "bench-dispatcher", "--role", "dispatcher", "--province", "20")
    h = _token(base, "bench-dispatcher")
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


async def _load(base: str, targets: list[tuple[str, str, dict[str, str]]]
                ) -> dict[str, dict[str, Any]]:
    stats: dict[str, dict[str, Any]] = {name: {"ms": [], "errors": 0, "kinds": set()}
                                        for name, _, _ in targets}
    until = time.monotonic() + DURATION_S
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)

    async def client(n: int, http: httpx.AsyncClient) -> None:
        i = n
        while time.monotonic() < until:
            name, path, headers = targets[i % len(targets)]
            i += 1
            t0 = time.perf_counter()
            try:
                r = await http.get(path, headers=headers)
                failure = None if r.status_code < 300 else f"HTTP {r.status_code}"
            except httpx.HTTPError as err:
                failure = type(err).__name__
            stats[name]["ms"].append((time.perf_counter() - t0) * 1000)
            if failure is not None:
                stats[name]["errors"] += 1
                stats[name]["kinds"].add(failure)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(n, http) for n in range(CLIENTS)))
    return stats


def _table(stats: dict[str, dict[str, Any]]) -> Table:
    table = Table(title=f"service: {CLIENTS} clients × {DURATION_S:g} s on loopback")
    for col in ("endpoint", "requests", "req/s", "p50 ms", "p99 ms", "errors"):
        table.add_column(col, justify="left" if col == "endpoint" else "right")
    for name, s in stats.items():
        ms = sorted(s["ms"])
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))] if ms else float("nan")
        table.add_row(name, str(len(ms)), f"{len(ms) / DURATION_S:.1f}",
                      f"{statistics.median(ms):.1f}" if ms else "-", f"{p99:.1f}",
                      f"{s['errors']} {', '.join(sorted(s['kinds']))}".strip())
    return table


def run(quick: bool, out: Path) -> bool:
    """Serve the demo, plan it once, load it; True when no request failed."""
    del quick  # one size: the 50 clients for 30 s
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    url = f"sqlite:///{(out / 'service.sqlite3').resolve()}"
    os.environ.pop("DATABASE_URL", None)
    with _server(url, out / "server.log") as (base, pid):
        plan_id, job_id, courier = _planned_day(base, url)
        disp, mine = _token(base, "bench-dispatcher"), _token(base, "bench-courier")
        plan = ("GET /plans/{id}", f"/plans/{plan_id}", disp)
        targets = [plan, ("GET .../sheet.pdf (courier)",
                          f"/plans/{plan_id}/routes/{courier}/sheet.pdf", mine),
                   plan, ("GET /jobs/{id}", f"/jobs/{job_id}", disp)]
        cpu_before, client_before = _cpu_s(pid), sum(os.times()[:2])
        stats = asyncio.run(_load(base, targets))
        cpu_s, client_s = _cpu_s(pid) - cpu_before, sum(os.times()[:2]) - client_before
    console.print(_table(stats))
    requests = sum(len(s["ms"]) for s in stats.values())
    console.print(f"server CPU: {cpu_s:.1f} s for {requests} requests = "
                  f"{1000 * cpu_s / max(requests, 1):.2f} ms per request "
                  f"(serve {' '.join(SERVE_ARGS) or '(defaults)'}); the clients' own CPU: "
                  f"{1000 * client_s / max(requests, 1):.2f} ms per request")
    plan_ms = sorted(stats["GET /plans/{id}"]["ms"])
    p99 = plan_ms[min(len(plan_ms) - 1, int(len(plan_ms) * 0.99))]
    verdict = "meets" if p99 < TARGET_P99_MS else "misses"
    console.print(f"reading a stored plan: p99 {p99:.0f} ms {verdict} the "
                  f"{TARGET_P99_MS:g} ms target")
    return all(s["errors"] == 0 for s in stats.values())
