"""Campaign list indexes match the list's order exactly: (created_at, id) and (owner_id, created_at, id)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 12:00:00
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Lists are ordered by (created_at DESC, id DESC). An index on created_at alone makes Postgres sort every
    # row sharing a timestamp (an "incremental sort"): with many equal timestamps a page read thousands of rows.
    op.create_index("ix_campaigns_created_id", "campaigns", ["created_at", "id"])
    op.create_index("ix_campaigns_owner_created_id", "campaigns", ["owner_id", "created_at", "id"])
    op.drop_index("ix_campaigns_created", table_name="campaigns")
    op.drop_index("ix_campaigns_owner_created", table_name="campaigns")


def downgrade() -> None:
    op.create_index("ix_campaigns_owner_created", "campaigns", ["owner_id", "created_at"])
    op.create_index("ix_campaigns_created", "campaigns", ["created_at"])
    op.drop_index("ix_campaigns_owner_created_id", table_name="campaigns")
    op.drop_index("ix_campaigns_created_id", table_name="campaigns")
