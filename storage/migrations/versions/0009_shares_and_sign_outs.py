"""Who gave each share, and when each consultant last signed out.

- `workshop_access.granted_by`: the address of the owner who shared the workshop (empty for
  the rows written before, whose audit line still names who shared).
- `sign_outs`: a consultant's last sign-out; an identity issued before it no longer opens a
  workshop, so signing out closes every open dashboard and presenter view of theirs.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workshop_access", sa.Column("granted_by", sa.String(255), nullable=True))
    op.create_table(
        "sign_outs",
        sa.Column("subject", sa.String(255), primary_key=True),
        sa.Column("signed_out_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sign_outs")
    with op.batch_alter_table("workshop_access") as batch:
        batch.drop_column("granted_by")
