"""A re-run workshop's pilot register starts as the earlier run's, each pilot to be confirmed.

- `pilots.carried_over`: the pilot was copied from the workshop this one re-runs and the
  facilitator has not yet confirmed or changed it. False for every pilot stored before it.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pilots", sa.Column("carried_over", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("pilots", "carried_over")
