"""Attachments (private uploads) on campaign comments

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 15:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "campaign_comments",
        sa.Column("attachment_ids", postgresql.ARRAY(sa.Uuid()), server_default="{}", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("campaign_comments", "attachment_ids")
