"""The one module converting between tables, API shapes and planner types."""

from __future__ import annotations

from api.db.models import User
from api.schemas.auth import UserPublic


def user_public(user: User) -> UserPublic:
    """A user as the API shows it."""
    return UserPublic(id=user.id, name=user.name, role=user.role,
                      provinces=sorted(user.provinces), courier_id=user.courier_id)
