"""Trigram indexes for campaign search (`q` matches name or description anywhere)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 11:30:00
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ILIKE '%text%' cannot use a b-tree; a trigram GIN index answers it without reading every row.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX IF NOT EXISTS ix_campaigns_name_trgm ON campaigns USING gin (name gin_trgm_ops)")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_campaigns_description_trgm ON campaigns USING gin (description gin_trgm_ops)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_campaigns_description_trgm")
    op.execute("DROP INDEX IF EXISTS ix_campaigns_name_trgm")
