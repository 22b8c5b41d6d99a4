"""Passwords (pwdlib, Argon2) and access tokens (PyJWT, HS256, expiring)."""

from __future__ import annotations

import datetime as dt
import secrets

import jwt
from pwdlib import PasswordHash
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.db.models import Meta

ALGORITHM = "HS256"
_KEY_NAME = "token_signing_key"
_hasher = PasswordHash.recommended()


def hash_password(password: str) -> str:
    """An Argon2 hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches ``password_hash``."""
    return _hasher.verify(password, password_hash)


def new_password() -> str:
    """A generated password (about 96 bits), for ``users add`` without one."""
    return secrets.token_urlsafe(12)


def create_token(user_id: int, key: str, minutes: int) -> tuple[str, int]:
    """A signed token naming ``user_id``, and its lifetime in seconds."""
    now = dt.datetime.now(dt.UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + dt.timedelta(minutes=minutes)}
    return jwt.encode(claims, key, algorithm=ALGORITHM), minutes * 60


def user_of_token(token: str, key: str) -> int | None:
    """The user id a valid token names; None when it is expired, tampered or malformed."""
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], options={"require": ["exp"]})
        return int(claims["sub"])
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return None


def signing_key(session: Session, configured: str) -> str:
    """``configured``, or the database's own key (generated once, shared by every process)."""
    if configured:
        return configured
    found = session.scalar(select(Meta.value).where(Meta.key == _KEY_NAME))
    if found is not None:
        return found
    try:
        session.add(Meta(key=_KEY_NAME, value=secrets.token_urlsafe(48)))
        session.commit()
    except IntegrityError:  # another process made it first
        session.rollback()
    return session.scalars(select(Meta.value).where(Meta.key == _KEY_NAME)).one()
