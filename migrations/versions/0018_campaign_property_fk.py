"""campaigns.property_id references properties (ON DELETE SET NULL)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 08:40:00
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # References to properties that no longer exist (allowed before this revision) become null.
    op.execute(
        "UPDATE campaigns SET property_id = NULL WHERE property_id IS NOT NULL AND property_id NOT IN (SELECT id FROM properties)"
    )
    op.create_foreign_key(
        op.f("fk_campaigns_property_id_properties"),
        "campaigns",
        "properties",
        ["property_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_campaigns_property_id_properties"), "campaigns", type_="foreignkey")
