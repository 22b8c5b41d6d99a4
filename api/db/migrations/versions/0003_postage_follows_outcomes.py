"""Orders' postage and followed dossier; earlier days' outcomes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade the schema (orders stored before it have no postage and follow nothing)."""
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("postage_vnd", sa.BigInteger(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("follows", sa.String(length=64), nullable=False,
                                   server_default=""))
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("tracking_code", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["province_code"], ["provinces.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("province_code", "tracking_code", "date"),
    )
    op.create_index(op.f("ix_outcomes_province_code"), "outcomes", ["province_code"],
                    unique=False)
    op.create_index(op.f("ix_outcomes_date"), "outcomes", ["date"], unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_index(op.f("ix_outcomes_date"), table_name="outcomes")
    op.drop_index(op.f("ix_outcomes_province_code"), table_name="outcomes")
    op.drop_table("outcomes")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("follows")
        batch.drop_column("postage_vnd")
