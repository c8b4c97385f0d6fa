"""A pilot may name the group of pilots that pursue the same outcome.

- `pilots.pilot_group`: the register's `group:` (optional text); stuck pilots of one group
  are proposed for merging rather than each for stopping. Empty for every pilot stored
  before it.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pilots", sa.Column("pilot_group", sa.String(120), nullable=True))


def downgrade() -> None:
    op.drop_column("pilots", "pilot_group")
