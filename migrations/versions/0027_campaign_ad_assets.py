"""Editable responsive search ad assets per campaign (edit, pin, lock)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01 15:30:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_ad_assets",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("headlines", postgresql.JSONB(), nullable=False),
        sa.Column("descriptions", postgresql.JSONB(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_ad_assets_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", name=op.f("pk_campaign_ad_assets")),
    )
    # Campaigns that already have ad copy start with their latest completed run's texts.
    op.execute(
        """
        INSERT INTO campaign_ad_assets (campaign_id, headlines, descriptions)
        SELECT DISTINCT ON (g.campaign_id) g.campaign_id,
               (SELECT coalesce(jsonb_agg(jsonb_build_object('text', h, 'pin', null, 'locked', false)), '[]')
                  FROM jsonb_array_elements_text(g.result -> 'ad_copy' -> 'headlines') AS h),
               (SELECT coalesce(jsonb_agg(jsonb_build_object('text', d, 'pin', null, 'locked', false)), '[]')
                  FROM jsonb_array_elements_text(g.result -> 'ad_copy' -> 'descriptions') AS d)
        FROM generations g
        WHERE g.status = 'completed' AND g.result ? 'ad_copy'
        ORDER BY g.campaign_id, g.completed_at DESC
        """
    )


def downgrade() -> None:
    op.drop_table("campaign_ad_assets")
