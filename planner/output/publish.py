"""Publishing a run's outputs: check ``--out`` before any work, swap the new outputs in safely.

A run writes everything into a staging folder beside ``out_dir`` and swaps it in
only at the end. Three promises:

- **Nothing the planner did not write is deleted.** :func:`check_out_dir` refuses,
  before any solving, an ``out_dir`` that is a file, holds an input file, or holds
  anything but an earlier plan's own files; and a folder that cannot be written.
- **``out_dir`` never goes missing.** On Linux the swap is one atomic exchange
  (``renameat2(RENAME_EXCHANGE)``); elsewhere two renames, with a journal beside
  ``out_dir`` recording the new folder's identity (device and inode, which a
  rename keeps).
- **A killed run is repaired by the next one.** :func:`recover` reads the journal:
  if the new folder is in place it removes the old one, otherwise it puts the old
  one back; it also removes staging folders of runs that are no longer alive.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from planner.exceptions import InputError

#: What the planner writes into ``out_dir`` (docs: README "Outputs"); anything else is
#: the dispatcher's and makes the folder one the planner will not replace.
OWN_FILES = frozenset({"plan.json", "kpis.json", "index.html", "backlog.json"})
OWN_FOLDERS = {"routes": (".pdf", ".csv"), "maps": (".html",)}
#: Free space required before solving: a day's outputs (maps inline Leaflet, ~0.5 MB
#: each; route sheets ~50 kB) stay far below this for a few hundred couriers.
MIN_FREE_BYTES = 200 * 2**20

_STAGING = ".{name}.staging-{pid}-"
_OLD = ".{name}.old-{pid}"
_LEFTOVER = re.compile(r"(?:staging|old)-(?P<pid>[0-9]+)(?:-|$)")


def _journal(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.publish.json")


def check_out_dir(out_dir: Path, inputs: Sequence[Path] = ()) -> None:
    """Refuse an output folder the run could not fill or must not replace, before solving.

    Parameters
    ----------
    out_dir
        The ``--out`` folder; it need not exist.
    inputs
        The run's input files: none may lie inside ``out_dir``.

    Raises
    ------
    InputError
        ``out_dir`` is an existing file; holds an input file; is not empty and
        holds something other than an earlier plan's own files; or its parent
        cannot be created or written, or has less than :data:`MIN_FREE_BYTES` free.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"'{out_dir}' is a file, not a folder: choose another --out",
                         field="--out")
    root = out_dir.resolve()
    for f in inputs:
        if root == Path(f).resolve() or root in Path(f).resolve().parents:
            raise InputError(f"'{out_dir}' holds the input file '{f}', and the outputs "
                             "replace this folder: choose another --out", field="--out")
    if out_dir.is_dir():
        foreign = _foreign_entries(out_dir)
        if foreign:
            shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
            raise InputError(f"'{out_dir}' is not empty and holds files the planner did not "
                             f"write ({shown}): choose a new or empty folder", field="--out")
    _check_writable(out_dir.parent if out_dir.parent != Path() else Path.cwd())


def _foreign_entries(out_dir: Path) -> list[str]:
    """Names inside ``out_dir`` that are not an earlier plan's own files."""
    foreign = []
    for entry in sorted(out_dir.iterdir()):
        if entry.name in OWN_FILES and entry.is_file():
            continue
        if entry.name in OWN_FOLDERS and entry.is_dir() and not entry.is_symlink():
            suffixes = OWN_FOLDERS[entry.name]
            foreign += [f"{entry.name}/{p.name}" for p in sorted(entry.iterdir())
                        if not (p.is_file() and p.suffix.lower() in suffixes)]
            continue
        foreign.append(entry.name)
    return foreign


def _check_writable(parent: Path) -> None:
    existing = parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"'{existing}' is a file, so '{parent}' cannot be created",
                         field="--out")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=parent)
        os.close(fd)
        Path(probe).unlink()
    except OSError as err:
        raise InputError(f"cannot write into '{parent}': {err.strerror}", field="--out") from None
    free = shutil.disk_usage(parent).free
    if free < MIN_FREE_BYTES:
        raise InputError(f"'{parent}' has only {free // 2**20} MiB free; the outputs need "
                         f"{MIN_FREE_BYTES // 2**20} MiB", field="--out")


def make_staging(out_dir: Path) -> Path:
    """A new, empty staging folder beside ``out_dir``, named after this process."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    prefix = _STAGING.format(name=out_dir.name, pid=os.getpid())
    return Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))


def merge_into(staging: Path, out_dir: Path) -> None:
    """Move each entry of ``staging`` into ``out_dir``, replacing entries of the same name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for entry in sorted(staging.iterdir()):
        target = out_dir / entry.name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        entry.replace(target)


def swap_in(staging: Path, out_dir: Path) -> None:
    """Make ``staging`` the new ``out_dir``; the old one is removed once the new one is in.

    Raises
    ------
    OSError
        The swap failed; ``out_dir`` is as it was (and ``staging`` is left to the caller).
    """
    staging, out_dir = Path(staging), Path(out_dir)
    recover(out_dir)
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    journal = _journal(out_dir)
    new = staging.stat()
    old = out_dir.with_name(_OLD.format(name=out_dir.name, pid=os.getpid()))
    _write_journal(journal, {"new": [new.st_dev, new.st_ino], "old": old.name,
                             "staging": staging.name})
    if _exchange(staging, out_dir):
        old = staging  # it now holds the old outputs
    else:
        out_dir.rename(old)
        try:
            staging.rename(out_dir)
        except OSError:
            old.rename(out_dir)
            journal.unlink()
            raise
    shutil.rmtree(old, ignore_errors=True)
    journal.unlink()


def recover(out_dir: Path) -> None:
    """Finish or undo a swap that a killed run left half-done; remove dead runs' staging.

    After this, ``out_dir`` is either the old plan or the complete new one (the
    journal tells which is in place), and no leftover folder of a run that is no
    longer alive stays beside it.
    """
    out_dir = Path(out_dir)
    journal = _journal(out_dir)
    if journal.exists():
        _replay(journal, out_dir)
    if not out_dir.parent.is_dir():
        return
    for entry in out_dir.parent.iterdir():
        pid = _leftover_pid(entry.name, out_dir.name)
        if pid is not None and not _alive(pid) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def _leftover_pid(name: str, out_name: str) -> int | None:
    """The process id in a staging or old folder's name for ``out_name``, else None.

    ``..out.staging-…`` is the staging :func:`planner.output.write_outputs` makes
    when it is pointed at a staging folder itself (runs of earlier versions did).
    """
    for prefix in (f".{out_name}.", f"..{out_name}."):
        if name.startswith(prefix):
            m = _LEFTOVER.match(name, len(prefix))
            return int(m["pid"]) if m else None
    return None


def _replay(journal: Path, out_dir: Path) -> None:
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        new_id = tuple(record["new"])
        old = out_dir.with_name(str(record["old"]))
        staging = out_dir.with_name(str(record["staging"]))
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # written atomically: unreadable means foreign
        return
    in_place = out_dir.exists() and _identity(out_dir) == new_id
    if not in_place and not out_dir.exists():
        if old.is_dir():
            old.rename(out_dir)  # killed between the two renames: the old plan comes back
        elif staging.is_dir():
            staging.rename(out_dir)
    for leftover in (old, staging):
        if leftover.is_dir() and leftover != out_dir:
            shutil.rmtree(leftover, ignore_errors=True)
    journal.unlink(missing_ok=True)


def _identity(p: Path) -> tuple[int, int]:
    st = p.stat()
    return st.st_dev, st.st_ino


def _write_journal(journal: Path, record: dict[str, object]) -> None:
    tmp = journal.with_name(journal.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        json.dump(record, f)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(journal)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2``); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(done == 0)
