"""``bcci-dispatch``: users add (password from standard input, or generated and shown once),
serve, and its options' rules, the same as ``planner``'s (planner/commands/_args.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import uvicorn

from api.cli import main
from api.db import make_engine, make_sessionmaker, upgrade
from api.db.models import Province, User
from api.security import verify_password
from planner.commands._args import province_code
from planner.exceptions import InputError
from planner.output.publish import refuse_a_file


def _user(url: str, name: str) -> User | None:
    engine = make_engine(url, pooled=False)
    with make_sessionmaker(engine)() as session:
        user = session.query(User).filter_by(name=name).one_or_none()
    engine.dispose()
    return user


def test_users_add_reads_the_password_from_stdin(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The first admin is made on a new database, with the piped password."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    assert main(["--database-url", url, "users", "add", "root", "--role", "admin"]) == 0
    user = _user(url, "root")
    assert user is not None
    assert verify_password("s3cret", user.password_hash)


def test_users_add_generates_a_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """With nothing on standard input a password is generated and printed once."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["users", "add", "boss", "--role", "manager"]) == 0
    shown = capsys.readouterr().out.split("password (shown once): ")[1].strip()
    user = _user(f"sqlite:///{tmp_path / 'env.sqlite3'}", "boss")
    assert user is not None
    assert verify_password(shown, user.password_hash)


@pytest.mark.parametrize("args", [
    ["x", "--role", "dispatcher"],
    ["x", "--role", "courier", "--province", "20"],
    ["x", "--role", "admin", "--province", "20"],
    ["x", "--role", "dispatcher", "--province", "99"],
])
def test_users_add_refuses_a_scope_that_does_not_fit(tmp_path: Path, args: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Dispatchers need a province, couriers a courier id, admins none; provinces must exist."""
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    url = f"sqlite:///{tmp_path / 'bad.sqlite3'}"
    assert main(["--database-url", url, "users", "add", *args]) == 2


@pytest.mark.parametrize(("args", "logged"), [([], True), (["--no-access-log"], False)])
def test_serve_access_log_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            args: list[str], logged: bool) -> None:
    """``serve --no-access-log`` runs uvicorn without its per-request log; the default logs."""
    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda _app, **kwargs: seen.update(kwargs))
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert main(["--database-url", url, "serve", "--port", "8123", *args]) == 0
    assert seen["access_log"] is logged


def _with_province(url: str, code: str, name: str) -> None:
    """A new database at ``url`` holding one province."""
    engine = make_engine(url, pooled=False)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        session.add(Province(code=code, name=name))
        session.commit()
    engine.dispose()


def test_users_add_takes_a_province_without_its_leading_zero(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--province 4`` is Cao Bằng's ``04``, as in ``planner demo --province``."""
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    _with_province(url, "04", "Tỉnh Cao Bằng")
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    assert main(["--database-url", url, "users", "add", "d", "--role", "dispatcher",
                 "--province", "4", "--province", "04"]) == 0
    user = _user(url, "d")
    assert user is not None
    assert [link.province_code for link in user.province_links] == ["04"]


@pytest.mark.parametrize("command", [
    ["users", "add", "x", "--role", "dispatcher", "--province", "99"],
    ["scenarios", "import", ".", "--province", "99"],
])
def test_a_bad_province_has_planners_words_and_opens_no_database(
        tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Not a 2025 code: exit 2 with ``planner demo --province``'s sentence, no database made."""
    db = tmp_path / "none.sqlite3"
    assert main(["--database-url", f"sqlite:///{db}", *command]) == 2
    with pytest.raises(InputError) as planner_words:
        province_code("99")
    assert capsys.readouterr().err == f"bcci-dispatch: {planner_words.value}\n"
    assert "the 34 provinces of 2025 are: 01 " in str(planner_words.value)
    assert not db.exists()


def test_scenarios_import_refuses_a_file_for_its_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file where the run's folder goes: the folder options' sentence (refuse_a_file)."""
    a_file = tmp_path / "comparison.csv"
    a_file.write_text("scenario\n", encoding="utf-8")
    db = tmp_path / "none.sqlite3"
    assert main(["--database-url", f"sqlite:///{db}", "scenarios", "import", str(a_file),
                 "--province", "20"]) == 2
    with pytest.raises(InputError) as shared_words:
        refuse_a_file(a_file, "FOLDER")
    assert capsys.readouterr().err == f"bcci-dispatch: {shared_words.value}\n"
    assert not db.exists()


@pytest.mark.parametrize(("option", "words"), [
    (["--workers", "0"], "argument --workers: must be at least 1 (got 0)"),
    (["--workers", "+2x"], "argument --workers: '+2x' is not a whole number"),
    (["--demo-date", "2026-13-01"], "argument --demo-date: '2026-13-01' is not a date YYYY-MM-DD"),
])
def test_serve_options_have_planners_words(option: list[str], words: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Counts and dates are refused by argparse with the sentences of every planner command."""
    with pytest.raises(SystemExit) as e:
        main(["serve", *option])
    assert e.value.code == 2
    assert capsys.readouterr().err.rstrip().endswith(f"bcci-dispatch serve: error: {words}")
