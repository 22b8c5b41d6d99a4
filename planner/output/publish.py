"""Publishing a run's outputs: check ``--out`` before any work, swap the new outputs in safely.

A run writes everything into a staging folder beside ``out_dir`` and swaps it in
only at the end. Three promises:

- **Nothing the planner did not write is deleted.** Every published folder holds a
  manifest (:data:`MANIFEST`) naming the files the planner wrote there.
  :func:`check_out_dir` refuses, before any solving, an ``out_dir`` that is a file,
  holds an input file, or holds anything its manifest does not name (a folder
  without a manifest may hold nothing but empty folders); and a folder that cannot
  be written.
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

#: The list of the files the planner wrote into a published folder (paths relative to
#: it, ``/``-separated); anything else there is the dispatcher's and makes the folder
#: one the planner will not replace.
MANIFEST = ".planner-files.json"
#: Free space required before solving: a day's outputs (maps inline Leaflet, ~0.5 MB
#: each; route sheets ~50 kB) stay far below this for a few hundred couriers.
MIN_FREE_BYTES = 200 * 2**20

_STAGING = ".{name}.staging-{pid}-"
_OLD = ".{name}.old-{pid}"
_LEFTOVER = re.compile(r"(?:staging|old)-(?P<pid>[0-9]+)(?:-|$)")


#: Staging folders this process made and still uses (a leftover with this process's id
#: but not listed here was left by an earlier process that had the same id).
_OWN_STAGING: set[Path] = set()


def out_path(out_dir: Path | str) -> Path:
    """``out_dir`` as an absolute path with a name (``.``, ``./``, ``''`` are the current folder).

    Raises
    ------
    InputError
        ``out_dir`` is the file-system root, which has no parent to stage the outputs in.
    """
    p = Path(out_dir or ".").resolve()
    if not p.name:
        raise InputError(f"'{out_dir}' is the root folder: the outputs replace the --out "
                         "folder as a whole, so choose a folder below it", field="--out")
    return p


def _journal(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.publish.json")


def write_manifest(folder: Path, also: Sequence[str] = ()) -> None:
    """Record every file now in ``folder`` (and the names in ``also``) as the planner's own."""
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    names.discard(MANIFEST)
    (folder / MANIFEST).write_text(json.dumps({"files": sorted(names | set(also))},
                                              ensure_ascii=False, indent=0), encoding="utf-8")


def own_files(folder: Path) -> frozenset[str]:
    """The files the planner wrote into ``folder`` by its manifest (none without one)."""
    try:
        record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return frozenset(str(n) for n in record["files"]) | {MANIFEST}
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()


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
    out_dir = out_path(out_dir)
    refuse_a_file(out_dir)
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
    _check_writable(out_dir.parent)


def refuse_a_file(folder: Path | str, option: str = "--out") -> None:
    """Refuse a folder option (``--out``, ``--export-inputs``) that names a file.

    The one check and message of every command: ``folder`` itself, or the nearest
    of its parents that exists, must be a folder (a file there would otherwise
    surface as a raw ``File exists`` or ``Not a directory`` when it is created).

    Raises
    ------
    InputError
        ``folder`` or its nearest existing parent is a file (naming ``option``).
    """
    folder = Path(folder)
    for p in (folder, *folder.parents):
        if p.exists():
            if p.is_dir():
                return
            what = "not a folder" if p == folder else f"so '{folder}' cannot be created"
            raise InputError(f"'{p}' is a file, {what}: choose another {option}", field=option)


def make_folder(folder: Path, option: str = "--out") -> Path:
    """Create the folder a command writes files of fixed names into (kept if it exists).

    For commands whose outputs replace only their own files (``planner scenarios``,
    ``planner bench vrp``), unlike a day's plan (:func:`check_out_dir`).

    Raises
    ------
    InputError
        ``folder`` is a file (:func:`refuse_a_file`).
    """
    refuse_a_file(folder, option)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _foreign_entries(out_dir: Path) -> list[str]:
    """Paths inside ``out_dir`` (``/``-separated) its manifest does not name as the planner's.

    Folders count only by what they hold (an empty folder is nobody's); a symbolic
    link is never the planner's.
    """
    own = own_files(out_dir)
    foreign = []
    for p in sorted(out_dir.rglob("*")):
        name = p.relative_to(out_dir).as_posix()
        if p.is_symlink() or (not p.is_dir() and name not in own):
            foreign.append(name)
    return foreign


def _check_writable(parent: Path) -> None:
    """Refuse a ``parent`` that cannot be made or written, or has too little room."""
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
    """A new, empty staging folder beside ``out_dir``, named after this process.

    It gets the permissions of a folder made under the umask (``mkdtemp`` makes
    0700 folders, which would make the published folder private).
    """
    out_dir = out_path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    prefix = _STAGING.format(name=out_dir.name, pid=os.getpid())
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))
    staging.chmod(0o777 & ~_umask())
    _OWN_STAGING.add(staging)
    return staging


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_staging(staging: Path) -> None:
    """Remove a staging folder of this process (what is left of it after a swap)."""
    shutil.rmtree(staging, ignore_errors=True)
    _OWN_STAGING.discard(Path(staging))


def merge_into(staging: Path, out_dir: Path) -> None:
    """Move each entry of ``staging`` into ``out_dir``, replacing entries of the same name.

    The manifest of ``out_dir`` then names the files of both.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    earlier = own_files(out_dir)
    write_manifest(staging, also=sorted(earlier - {MANIFEST}))
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
    staging, out_dir = Path(staging), out_path(out_dir)
    write_manifest(staging)
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
    out_dir = out_path(out_dir)
    journal = _journal(out_dir)
    if journal.exists():
        _replay(journal, out_dir)
    if not out_dir.parent.is_dir():
        return
    for entry in out_dir.parent.iterdir():
        pid = _leftover_pid(entry.name, out_dir.name)
        if pid is None or not entry.is_dir() or entry in _OWN_STAGING:
            continue
        if pid == os.getpid() or not _alive(pid):  # this id now: an earlier process had it
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
