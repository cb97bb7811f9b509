"""Brand kits: a user's colours, fonts and logo

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-01 15:40:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "brand_kits",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("colors", postgresql.ARRAY(sa.String(7)), nullable=False),
        sa.Column("heading_font", sa.String(40), nullable=False),
        sa.Column("body_font", sa.String(40), nullable=False),
        sa.Column("logo_media_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_brand_kits_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["logo_media_id"],
            ["media_objects.id"],
            name=op.f("fk_brand_kits_logo_media_id_media_objects"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_brand_kits")),
    )


def downgrade() -> None:
    op.drop_table("brand_kits")
