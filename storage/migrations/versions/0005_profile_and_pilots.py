"""An assessment keeps the organisation profile and the pilot register of the answers file it was imported from.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assessments", sa.Column("profile", sa.JSON(none_as_null=True), nullable=True))
    op.add_column("assessments", sa.Column("pilots", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    op.drop_column("assessments", "pilots")
    op.drop_column("assessments", "profile")
