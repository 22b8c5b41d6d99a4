"""Roles and what each may see: the one place that answers 'may this user ...?'.

``deps.py`` turns these answers into 403 (the role may not do it) or 404 (the
thing is outside the user's provinces or not theirs).
"""

from __future__ import annotations

from enum import StrEnum

from api.db.models import User


class Role(StrEnum):
    """Who a user is."""

    ADMIN = "admin"
    MANAGER = "manager"
    DISPATCHER = "dispatcher"
    COURIER = "courier"


def role_of(user: User) -> Role:
    """The user's role."""
    return Role(user.role)


def sees_province(user: User, code: str) -> bool:
    """Whether ``user`` works on province ``code`` (admins and national managers: all)."""
    role = role_of(user)
    if role is Role.ADMIN:
        return True
    if role is Role.MANAGER and not user.provinces:
        return True
    return code in user.provinces
