"""The service for dispatchers, managers and couriers (FastAPI over SQLAlchemy); imports planner.

``create_app(Settings(...))`` builds the application; ``bcci-dispatch`` (``api.cli``)
serves it and adds users.
"""

from api.config import Settings
from api.main import create_app

__all__ = ["Settings", "create_app"]
