"""Publishing outputs: ``--out`` checked before solving, a swap that a killed run cannot break."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from planner.backlog import Backlog, write_backlog
from planner.exceptions import InputError
from planner.output.publish import (
    MANIFEST,
    check_out_dir,
    make_staging,
    out_path,
    recover,
    remove_staging,
    swap_in,
    write_manifest,
)


def _plan_folder(d: Path, text: str) -> Path:
    """An earlier plan's folder: plan.json and one route sheet, with its manifest."""
    (d / "routes").mkdir(parents=True)
    (d / "plan.json").write_text(text, encoding="utf-8")
    (d / "routes" / "BT-01.pdf").write_bytes(b"%PDF")
    write_manifest(d)
    return d


@pytest.mark.parametrize(
    ("make", "inputs", "expected"),
    [
        (lambda out: out.write_text("x"), [], "is a file, not a folder"),
        (lambda out: (out.mkdir(), (out / "orders.csv").write_text("x")), ["orders.csv"],
         "holds the input file"),
        (lambda out: (out.mkdir(), (out / "ghi chú.txt").write_text("x")), [],
         "holds files the planner did not write (ghi chú.txt)"),
        (lambda out: (_plan_folder(out, "{}"), (out / "routes" / "notes.txt").write_text("x")),
         [], "routes/notes.txt"),
        (lambda out: (_plan_folder(out, "{}"), (out / "routes" / "ghi chú.csv").write_text("x"),
                      (out / "maps" / "tuyến.html").parent.mkdir(),
                      (out / "maps" / "tuyến.html").write_text("x")),
         [], "routes/ghi chú.csv"),
        (lambda out: (out.mkdir(), (out / "plan.json").write_text("{}")), [],
         "holds files the planner did not write (plan.json)"),
    ],
)
def test_an_out_folder_that_must_not_be_replaced_is_refused(
        tmp_path: Path, make: object, inputs: list[str], expected: str) -> None:
    """A file, a folder holding inputs or the dispatcher's own files: refused before solving."""
    out = tmp_path / "out"
    assert callable(make)
    make(out)
    with pytest.raises(InputError, match="field '--out'") as exc:
        check_out_dir(out, [out / name for name in inputs])
    assert expected in str(exc.value)


def test_a_dispatchers_file_with_a_planner_extension_is_kept(tmp_path: Path) -> None:
    """A file the manifest does not name is foreign even in ``routes/`` with a ``.csv`` name."""
    out = _plan_folder(tmp_path / "out", "{}")
    (out / "routes" / "BT-02.csv").write_text("the dispatcher's own notes")
    with pytest.raises(InputError, match=r"did not write \(routes/BT-02.csv\)"):
        check_out_dir(out)


def test_a_file_below_a_file_names_the_whole_path(tmp_path: Path) -> None:
    """``--out notes.txt/sub`` names ``notes.txt/sub`` as the path that cannot be made."""
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(InputError) as exc:
        check_out_dir(tmp_path / "notes.txt" / "sub")
    assert f"so '{tmp_path / 'notes.txt' / 'sub'}' cannot be created" in str(exc.value)


@pytest.mark.parametrize("given", [".", "./", ""])
def test_the_current_folder_as_out_is_no_traceback(tmp_path: Path, given: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """``--out .`` (or ``./``, ``''``) is the current folder, by its absolute path."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert out_path(Path(given)) == work
    recover(Path(given))
    check_out_dir(Path(given))
    (work / "orders.csv").write_text("x")
    with pytest.raises(InputError, match="holds the input file"):
        check_out_dir(Path(given), [Path("orders.csv")])


def test_the_root_folder_as_out_is_refused() -> None:
    """``--out /`` cannot be replaced as a whole: an input error, not a traceback."""
    with pytest.raises(InputError, match="root folder"):
        recover(Path("/"))


def test_outputs_get_the_umasks_permissions(tmp_path: Path) -> None:
    """The published folder and backlog.json are readable as the umask allows (not 0700/0600)."""
    old = os.umask(0o022)
    try:
        staging = make_staging(tmp_path / "out")
        write_backlog(staging / "backlog.json", Backlog(as_of=dt.date(2026, 11, 23), entries=()))
        swap_in(staging, tmp_path / "out")
        remove_staging(staging)
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "out" / "backlog.json").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "out" / MANIFEST).is_file()


@pytest.mark.parametrize("state", ["missing", "empty", "earlier plan"])
def test_a_new_empty_or_earlier_plan_folder_is_accepted(tmp_path: Path, state: str) -> None:
    """A folder that does not exist, is empty, or holds only an earlier plan may be replaced."""
    out = tmp_path / "deep" / "out"
    if state == "empty":
        out.mkdir(parents=True)
    elif state == "earlier plan":
        _plan_folder(out, "{}")
    check_out_dir(out, [tmp_path / "orders.csv"])


def test_a_full_disk_is_refused_before_solving(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Less free space than the outputs need is an input error, not a traceback after solving."""

    class Usage(NamedTuple):
        total: int
        used: int
        free: int

    monkeypatch.setattr(shutil, "disk_usage", lambda _: Usage(10, 10, 1024))
    with pytest.raises(InputError, match="MiB free"):
        check_out_dir(tmp_path / "out")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    """A folder the planner cannot write into is refused with its path."""
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(InputError, match="cannot write"):
            check_out_dir(ro / "out")
    finally:
        ro.chmod(0o700)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two renames"])
def test_swap_in_replaces_the_plan_and_leaves_nothing_beside_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    """The new outputs replace the old ones; no staging, old folder or journal stays."""
    if not exchange:
        monkeypatch.setattr("planner.output.publish._exchange", lambda *_: False)
    out = _plan_folder(tmp_path / "out", "old")
    staging = make_staging(out)
    _plan_folder(staging / "x", "new")
    swap_in(staging / "x", out)
    shutil.rmtree(staging)
    assert (out / "plan.json").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _half_swapped(tmp_path: Path, *, renamed_new: bool) -> tuple[Path, Path, Path]:
    """The folders a run killed inside the two-rename swap leaves, with its journal."""
    out = tmp_path / "out"
    old = tmp_path / ".out.old-999999999"
    staging = tmp_path / ".out.staging-999999999-abc"
    _plan_folder(old, "old")
    _plan_folder(staging, "new")
    st = staging.stat()
    (tmp_path / ".out.publish.json").write_text(json.dumps(
        {"new": [st.st_dev, st.st_ino], "old": old.name, "staging": staging.name}))
    if renamed_new:
        staging.rename(out)
    return out, old, staging


@pytest.mark.parametrize(("renamed_new", "kept"), [(False, "old"), (True, "new")])
def test_recover_after_a_kill_between_the_renames(tmp_path: Path, renamed_new: bool,
                                                  kept: str) -> None:
    """Killed with ``out`` missing, the old plan comes back; with the new one in, it stays."""
    out, _, _ = _half_swapped(tmp_path, renamed_new=renamed_new)
    recover(out)
    assert (out / "plan.json").read_text(encoding="utf-8") == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_recover_removes_dead_runs_staging_only(tmp_path: Path) -> None:
    """A dead run's staging goes; a live run's (this process) and others' folders stay.

    A folder named with this process's id that this process did not make was left
    by an earlier process with the same id (ids are reused, e.g. in containers): it goes.
    """
    dead = tmp_path / ".out.staging-999999999-x"
    inner = tmp_path / "..out.staging-999999999-x.staging-999999999-w"
    reused = tmp_path / f".out.staging-{os.getpid()}-y"
    other = tmp_path / ".notes.staging-999999999-z"
    for d in (dead, inner, reused, other):
        d.mkdir()
    live = make_staging(tmp_path / "out")
    recover(tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])


def test_a_run_killed_while_writing_is_cleaned_by_the_next(tmp_path: Path) -> None:
    """SIGKILL while the staging folder fills: ``out`` is untouched, the next run cleans up."""
    out = _plan_folder(tmp_path / "out", "old")
    code = ("import os, signal, sys; from pathlib import Path; "
            "from planner.output.publish import make_staging; "
            "s = make_staging(Path(sys.argv[1])); (s / 'plan.json').write_text('half'); "
            "os.kill(os.getpid(), signal.SIGKILL)")
    subprocess.run([sys.executable, "-c", code, str(out)], check=False)
    assert len(list(tmp_path.iterdir())) == 2, "out and the dead run's staging"
    recover(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (out / "plan.json").read_text(encoding="utf-8") == "old"
