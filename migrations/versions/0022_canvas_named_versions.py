"""Named canvas versions

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 14:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "canvas_named_versions",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("named_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_canvas_named_versions_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["named_by"], ["users.id"], name=op.f("fk_canvas_named_versions_named_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("campaign_id", "version", name=op.f("pk_canvas_named_versions")),
    )


def downgrade() -> None:
    op.drop_table("canvas_named_versions")
