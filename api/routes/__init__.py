"""One router per resource, mounted under ``/api/v1`` by ``api.main``."""

from fastapi import APIRouter

from api.routes import auth, health

ROUTERS: tuple[APIRouter, ...] = (health.router, auth.router)

__all__ = ["ROUTERS"]
