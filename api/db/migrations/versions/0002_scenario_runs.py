"""Stored scenario comparisons (``bcci-dispatch scenarios import``), read by managers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 11:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "scenario_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("seeds", sa.Integer(), nullable=False),
        sa.Column("scenarios", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("run_json", sa.Text(), nullable=False),
        sa.Column("comparison_json", sa.Text(), nullable=False),
        sa.Column("days_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["province_code"], ["provinces.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_scenario_runs_province_code"), "scenario_runs", ["province_code"],
                    unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_index(op.f("ix_scenario_runs_province_code"), table_name="scenario_runs")
    op.drop_table("scenario_runs")
