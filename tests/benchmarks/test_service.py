"""The service benchmark's bookkeeping: error kinds, and a failed run's logs kept for diagnosis."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import service

WRK_LINE = json.dumps({"requests": 1000, "duration_us": 10_000_000, "bad_status": 2,
                       "socket_errors": 3, "timeouts": 1, "p50_us": 40_000, "p99_us": 150_000,
                       "max_us": 300_000})


def test_figures_count_each_kind_of_error() -> None:
    f = service._figures("Running 10s test\n" + WRK_LINE + "\n")
    assert f["errors"] == 6
    assert (f["bad_status"], f["socket_errors"], f["timeouts"]) == (2, 3, 1)
    assert f["req_s"] == 100.0
    assert f["p99_ms"] == 150.0


def test_errors_of_every_kind_add_up_over_rounds_and_latencies_take_the_median() -> None:
    one = {"endpoints": {"plan": service._figures(WRK_LINE)}, "requests": 1000,
           "server_cpu_ms": 1.0, "wrk_cpu_ms": 0.1, "load_1min": 2.0}
    three = service._median([one, one, one])
    assert three["endpoints"]["plan"]["errors"] == 18
    assert three["endpoints"]["plan"]["socket_errors"] == 9
    assert three["endpoints"]["plan"]["p99_ms"] == 150.0


def test_a_failed_runs_folder_is_moved_aside_not_deleted(tmp_path: Path) -> None:
    out = tmp_path / "service"
    out.mkdir()
    (out / "server.log").write_text("stall at 03:09\n")
    (out / service.FAILED).write_text("{}\n")
    service._fresh(out)
    assert out.is_dir()
    assert not list(out.iterdir())
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("service-failed-")]
    assert len(kept) == 1
    assert (kept[0] / "server.log").read_text() == "stall at 03:09\n"


def test_a_clean_runs_folder_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "service"
    out.mkdir()
    (out / "server.log").write_text("fine\n")
    service._fresh(out)
    assert not list(out.iterdir())
    assert [p.name for p in tmp_path.iterdir()] == ["service"]
