"""Optional coordinates on properties, for distance search

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 14:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("properties", sa.Column("latitude", sa.Float(), nullable=True))
    op.add_column("properties", sa.Column("longitude", sa.Float(), nullable=True))
    op.create_check_constraint(
        op.f("ck_properties_coordinates_valid"),
        "properties",
        "(latitude IS NULL) = (longitude IS NULL) AND latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180",
    )
    op.create_index("ix_properties_latitude_longitude", "properties", ["latitude", "longitude"])


def downgrade() -> None:
    op.drop_index("ix_properties_latitude_longitude", table_name="properties")
    op.drop_constraint(op.f("ck_properties_coordinates_valid"), "properties", type_="check")
    op.drop_column("properties", "longitude")
    op.drop_column("properties", "latitude")
