"""The VRP benchmark's instance folder: ../shared by default, or any folder of sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import vrp


def _set(root: Path, name: str, instances: list[str]) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    for stem in instances:
        (folder / f"{stem}.txt").write_text("25\t200\t1\n", encoding="utf-8")
    rows = "".join(f"{stem},10,828.9369,test\n" for stem in instances)
    (folder / "bks.csv").write_text("instance,vehicles,distance,source\n" + rows,
                                    encoding="utf-8")


def test_held_out_sets_come_from_the_named_folder(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``BENCH_INSTANCES`` the sets, their classes and best-known results are that folder's."""
    _set(tmp_path, "lilim100", ["lc103", "lc109", "lr104", "lr201", "lc203"])
    monkeypatch.setenv("BENCH_INSTANCES", str(tmp_path))
    assert vrp.instance_root() == tmp_path
    assert vrp.has_set("lilim100")
    assert not vrp.has_set("solomon100")  # skipped by the run, not an error
    assert [p.stem for p in vrp.instances("lilim100", quick=True)] == ["lc103", "lc203", "lr104",
                                                                        "lr201"]
    assert [p.stem for p in vrp.instances("lilim100", quick=False)] == [
        "lc103", "lc109", "lc203", "lr104", "lr201"]
    assert vrp.bks("lilim100")["lr104"] == (10, 828.9369)


def test_without_a_folder_the_sets_are_the_shared_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BENCH_INSTANCES", raising=False)
    assert vrp.instance_root() == vrp.SHARED / "benchmarks"


def test_rows_of_another_instance_folder_are_not_reused(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A results file holding the shared lc103 does not stand for a held-out lc103."""
    import json

    _set(tmp_path / "held", "lilim100", ["lc103"])
    results = tmp_path / "results.jsonl"
    shared_row = {"set": "lilim100", "instance": "lc103", "engine": "auto", "time_limit_s": 10.0,
                  "feasible": True, "vehicles": 9, "distance": 1.0,
                  "instances": str(tmp_path / "shared")}
    results.write_text(json.dumps(shared_row) + "\n", encoding="utf-8")
    solved: list[str] = []

    def fake(instance: Path, fmt: str, time_limit: float, work: Path,
             engine: str = "auto") -> dict[str, object]:
        solved.append(instance.stem)
        return {"feasible": True, "vehicles": 10, "distance": 828.9369}

    monkeypatch.setattr(vrp, "solve_ours", fake)
    monkeypatch.setenv("BENCH_INSTANCES", str(tmp_path / "held"))
    rows = vrp.run_set("lilim100", False, 10.0, results, engines=("auto",))
    assert solved == ["lc103"]
    assert [r["vehicles"] for r in rows] == [10]
