"""An assessment imported from an answers file keeps the file's date.

- `assessments.taken_on`: the `date:` of the answers file it was imported from (the day it
  was taken), so its pilot register's ages count to that day, as the command line counts
  them for the same file. Empty for an assessment answered in the app: its date is today.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assessments", sa.Column("taken_on", sa.Date, nullable=True))


def downgrade() -> None:
    op.drop_column("assessments", "taken_on")
