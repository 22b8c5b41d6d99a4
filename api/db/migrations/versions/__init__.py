"""Alembic revisions of the service's schema, oldest first."""
