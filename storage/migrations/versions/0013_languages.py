"""The language a person answers and reads in is kept with what they answer.

- `assessments.language`: the language a self-assessment (or a workshop participant) chose; its screens and its
  reports speak it. 'en' for every assessment stored before it: English is what they were answered in.
- `workshops.language`: the engagement language, which the dashboard, the presenter view and the workshop's
  reports speak. 'en' for every workshop stored before it.

Then the summary of every finished self-assessment and closed workshop is stored (see 0011): the repository reads
them with every column the code knows, so this runs once they are all there.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("assessments", "workshops"):
        op.add_column(table, sa.Column("language", sa.String(16), nullable=False, server_default="en"))
    # here for start-up time: alembic reads every migration to list the revisions; only this upgrade scores
    from storage.summaries import backfill

    backfill(op.get_bind())


def downgrade() -> None:
    for table in ("assessments", "workshops"):
        op.drop_column(table, "language")
