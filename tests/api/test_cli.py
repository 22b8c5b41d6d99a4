"""``bcci-dispatch users add``: password from standard input, or generated and shown once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import uvicorn

from api.cli import main
from api.db import make_engine, make_sessionmaker
from api.db.models import User
from api.security import verify_password


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
