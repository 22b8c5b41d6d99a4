"""Alembic environment and revisions of the service's database."""
