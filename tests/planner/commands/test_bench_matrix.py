"""``planner bench matrix`` prints a JSON last line with exact matrices on a small graph."""

from __future__ import annotations

import json

import pytest

from planner.cli import main


def test_bench_matrix_small(capsys: pytest.CaptureFixture[str]) -> None:
    """On a 400-node grid with 20 sites the CCH matrix equals scipy's and the keys are present."""
    main(["bench", "matrix", "--sites", "20", "--nodes", "400", "--seed", "1"])
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {
        "nodes",
        "sites",
        "ours_s",
        "ours_build_s",
        "networkx_s",
        "ratio",
        "max_abs_diff_s",
    } <= set(last)
    assert last["sites"] == 20
    assert last["max_abs_diff_s"] <= 1e-6
