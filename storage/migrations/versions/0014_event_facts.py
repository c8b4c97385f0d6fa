"""A workshop's audit line keeps what happened as facts, so each reader reads it in their own language.

- `workshop_events.facts`: the values the line's sentence names (the participant's number, role and answer count;
  the address a workshop was shared with), rendered through the catalogue when the line is shown. Lines stored
  before have none and show their English sentence (`detail`) as written; new lines keep writing that sentence
  too, so an earlier release reads them as before.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workshop_events", sa.Column("facts", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    op.drop_column("workshop_events", "facts")  # every line keeps its English sentence
