"""Adding users (``bcci-dispatch users add`` and admins)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Province, User, UserProvince
from api.roles import Role
from api.security import hash_password
from planner.commands._args import province_code
from planner.exceptions import InputError


class UserError(ValueError):
    """A user that cannot be added as asked (one sentence saying why)."""


def add_user(session: Session, name: str, role: Role, password: str, *,
             provinces: Sequence[str] = (), courier_id: str | None = None) -> User:
    """Add user ``name`` with ``role``, scoped to ``provinces`` (committed).

    Managers without provinces are national; dispatchers need at least one
    province; couriers exactly one, and their ``courier_id``. A province is one
    of the 34 of 2025 (``--province``'s rule, NQ 202/2025/QH15, DOMAIN.md §6:
    ``4`` is ``04``), stored in the database: a row kept under an older code
    is given to no new user.

    Raises
    ------
    UserError
        A taken name, a province code not of 2025, an unknown province, or a scope
        that does not fit the role.
    """
    provinces = _codes_2025(provinces)
    _check_scope(role, provinces, courier_id)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise UserError(f"a user named '{name}' already exists")
    known = set(session.scalars(select(Province.code).where(Province.code.in_(provinces))))
    missing = [p for p in provinces if p not in known]
    if missing:
        raise UserError(f"unknown province(s) {', '.join(missing)}: load them first "
                        "(serve --demo, or POST /api/v1/provinces)")
    user = User(name=name, role=role.value, password_hash=hash_password(password),
                courier_id=courier_id)
    user.province_links = [UserProvince(province_code=p) for p in dict.fromkeys(provinces)]
    session.add(user)
    session.commit()
    return user


def _codes_2025(provinces: Sequence[str]) -> list[str]:
    try:
        return list(dict.fromkeys(province_code(p) for p in provinces))
    except InputError as err:
        raise UserError(str(err)) from err


def _check_scope(role: Role, provinces: Sequence[str], courier_id: str | None) -> None:
    if not scope_fits(role, provinces, courier_id):
        raise UserError(
            {Role.ADMIN: "admins have no --province or --courier (they see everything)",
             Role.MANAGER: "managers take --province (none: national), not --courier",
             Role.DISPATCHER: "dispatchers need at least one --province and no --courier",
             Role.COURIER: "couriers need exactly one --province and their --courier id"}[role])


def scope_fits(role: Role, provinces: Sequence[str], courier_id: str | None) -> bool:
    """Whether the scope fits the role."""
    if role is Role.ADMIN:
        return not provinces and courier_id is None
    if role is Role.MANAGER:
        return courier_id is None
    if role is Role.DISPATCHER:
        return bool(provinces) and courier_id is None
    return len(set(provinces)) == 1 and bool(courier_id)
