"""Work in progress kept in the database rather than in the process serving it: an answers file chosen for import
and not yet imported, and an agreed answer being written on the projector. A replica that dies takes its sessions
with it; the page the browser reconnects with finds these again.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("workshop_id", sa.Integer(), sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True),
        sa.Column("name", sa.String(255), nullable=False, server_default=""),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("kind", "key", name="uq_drafts_kind_key"),
    )
    op.create_index("ix_drafts_saved_at", "drafts", ["saved_at"])


def downgrade() -> None:
    op.drop_index("ix_drafts_saved_at", table_name="drafts")
    op.drop_table("drafts")
