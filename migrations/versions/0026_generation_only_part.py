"""Generations may regenerate one part of the ad copy

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 15:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("generations", sa.Column("only", sa.String(16), nullable=True))


def downgrade() -> None:
    op.drop_column("generations", "only")
