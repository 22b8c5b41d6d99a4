"""Adding a user and storing a comparison take the 34 province codes of 2025 as the API does.

``add_user`` and ``import_run`` apply ``--province``'s rule themselves
(NQ 202/2025/QH15, DOMAIN.md §6: ``4`` is ``04``), so a caller other than
``bcci-dispatch`` cannot give a user, or a comparison, a province kept under
an older code.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db import make_engine, make_sessionmaker, upgrade
from api.db.models import Province, ScenarioRun, User
from api.roles import Role
from api.services.scenarios import ScenarioImportError, import_run
from api.services.users import UserError, add_user


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """A session on a fresh SQLite database holding Cao Bằng (``04``) and Lào Cai's old ``10``."""
    engine = make_engine(f"sqlite:///{tmp_path / 'codes.sqlite3'}", pooled=False)
    upgrade(engine)
    with make_sessionmaker(engine)() as s:
        s.add_all([Province(code="04", name="Tỉnh Cao Bằng"),
                   Province(code="10", name="Tỉnh Lào Cai (trước 2025)")])
        s.commit()
        yield s
    engine.dispose()


def test_a_user_takes_a_code_without_its_leading_zero(session: Session) -> None:
    """``4`` (and ``04`` again) is one link to Cao Bằng's ``04``."""
    user = add_user(session, "lan", Role.DISPATCHER, "pw", provinces=["4", "04"])
    assert [link.province_code for link in user.province_links] == ["04"]


def test_a_user_gets_no_province_of_an_old_code(session: Session) -> None:
    """A row stored under Lào Cai's pre-2025 ``10`` is given to no new user."""
    with pytest.raises(UserError, match="'10' is not a province code; the 34 provinces"):
        add_user(session, "lan", Role.DISPATCHER, "pw", provinces=["10"])
    assert session.scalar(select(User.id)) is None


@pytest.mark.parametrize(("code", "message"), [
    ("4", "no province '04'"),  # normalised, then looked up (its folder is never read)
    ("10", "'10' is not a province code; the 34 provinces"),
])
def test_a_comparison_is_stored_only_for_a_2025_code(session: Session, tmp_path: Path,
                                                     code: str, message: str) -> None:
    """``import_run`` normalises the code and refuses one not of 2025 before reading the folder."""
    session.delete(session.get(Province, "04"))
    session.commit()
    with pytest.raises(ScenarioImportError, match=message):
        import_run(session, tmp_path / "nowhere", code)
    assert session.scalar(select(ScenarioRun.id)) is None
