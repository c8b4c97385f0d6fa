"""Re-run workshops: a workshop may name the earlier workshop for the same client it re-runs.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on SQLite too (see 0003): a table rebuild would cascade-delete the participants.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE workshops ADD COLUMN baseline_id INTEGER "
                   "REFERENCES workshops (id) ON DELETE SET NULL")
    else:
        op.add_column("workshops", sa.Column("baseline_id", sa.Integer, nullable=True))
        op.create_foreign_key("workshops_baseline_id_fkey", "workshops", "workshops",
                              ["baseline_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    op.drop_column("workshops", "baseline_id")
