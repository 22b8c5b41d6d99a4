"""One router per resource, mounted under ``/api/v1`` by ``api.main``."""

from fastapi import APIRouter

from api.routes import (
    audit,
    auth,
    fleet,
    health,
    jobs,
    orders,
    outcomes,
    plans,
    provinces,
    scenarios,
    sites,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router, auth.router, provinces.router, sites.router, fleet.router, orders.router,
    outcomes.router, plans.router, jobs.router, audit.router, scenarios.router,
)

__all__ = ["ROUTERS"]
