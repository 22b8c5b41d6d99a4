"""One router per resource, mounted under ``/api/v1`` by ``api.main``."""

from fastapi import APIRouter

from api.routes import auth, fleet, health, orders, provinces, sites

ROUTERS: tuple[APIRouter, ...] = (
    health.router, auth.router, provinces.router, sites.router, fleet.router, orders.router,
)

__all__ = ["ROUTERS"]
