"""Campaign collaborators (editor, commenter, viewer) and email invitations

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 14:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_collaborators",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("added_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "role IN ('editor','commenter','viewer')", name=op.f("ck_campaign_collaborators_role_known")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_collaborators_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_campaign_collaborators_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["added_by"], ["users.id"], name=op.f("fk_campaign_collaborators_added_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("campaign_id", "user_id", name=op.f("pk_campaign_collaborators")),
    )
    op.create_index("ix_campaign_collaborators_user", "campaign_collaborators", ["user_id"])
    op.create_table(
        "campaign_invites",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("invited_by", sa.Uuid(), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("accepted_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role IN ('editor','commenter','viewer')", name=op.f("ck_campaign_invites_role_known")),
        sa.CheckConstraint(
            "status IN ('pending','accepted','declined','revoked')", name=op.f("ck_campaign_invites_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_invites_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by"], ["users.id"], name=op.f("fk_campaign_invites_invited_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["accepted_by"], ["users.id"], name=op.f("fk_campaign_invites_accepted_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_campaign_invites_token_hash")),
    )
    op.create_index(
        "uq_campaign_invites_pending",
        "campaign_invites",
        ["campaign_id", sa.text("lower(email)")],
        unique=True,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index("ix_campaign_invites_email", "campaign_invites", [sa.text("lower(email)")])


def downgrade() -> None:
    op.drop_table("campaign_invites")
    op.drop_table("campaign_collaborators")
