"""Budgets that track spend: flight dates, spend entries, and the thresholds already announced

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 15:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("campaigns", sa.Column("budget_starts_on", sa.Date(), nullable=True))
    op.add_column("campaigns", sa.Column("budget_ends_on", sa.Date(), nullable=True))
    op.create_table(
        "campaign_spend",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_campaign_spend_amount_positive")),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_campaign_spend_campaign_id_campaigns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_campaign_spend_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_spend")),
    )
    op.create_index("ix_campaign_spend_campaign", "campaign_spend", ["campaign_id", "spent_on"])
    op.create_table(
        "campaign_budget_alerts",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_budget_alerts_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "threshold", name=op.f("pk_campaign_budget_alerts")),
    )


def downgrade() -> None:
    op.drop_table("campaign_budget_alerts")
    op.drop_table("campaign_spend")
    op.drop_column("campaigns", "budget_ends_on")
    op.drop_column("campaigns", "budget_starts_on")
