"""``/auth/token`` (OAuth2 password form) and ``/users/me``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select

from api.convert import user_public
from api.db.models import User
from api.deps import CtxDep, CurrentUser, SessionDep
from api.errors import Unauthorized
from api.schemas.auth import Token, UserPublic
from api.security import create_token, verify_password

router = APIRouter(tags=["auth"])


@router.post("/auth/token")
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], ctx: CtxDep,
          session: SessionDep) -> Token:
    """Exchange a user name and password for an expiring bearer token."""
    user = session.scalar(select(User).where(User.name == form.username))
    if user is None or not verify_password(form.password, user.password_hash):
        raise Unauthorized("wrong user name or password")
    access, seconds = create_token(user.id, ctx.signing_key, ctx.settings.token_minutes)
    return Token(access_token=access, expires_in=seconds)


@router.get("/users/me")
def me(user: CurrentUser) -> UserPublic:
    """The signed-in user, their role and provinces."""
    return user_public(user)
