"""Re-assessment: an assessment may name the earlier one it re-assesses; answers carried over from it are marked.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on SQLite too: it accepts a REFERENCES clause on a new column whose
    # default is NULL, and no table is rebuilt (a rebuild would cascade-delete the answers).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE assessments ADD COLUMN baseline_id INTEGER "
                   "REFERENCES assessments (id) ON DELETE SET NULL")
    else:
        op.add_column("assessments", sa.Column("baseline_id", sa.Integer, nullable=True))
        op.create_foreign_key("assessments_baseline_id_fkey", "assessments", "assessments",
                              ["baseline_id"], ["id"], ondelete="SET NULL")
    op.add_column("answers", sa.Column("carried_over", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("answers", "carried_over")
    op.drop_column("assessments", "baseline_id")
