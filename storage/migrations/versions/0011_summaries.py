"""Scored summaries stored beside each finished self-assessment and closed workshop, so the benchmark and lists
query figures instead of scoring every stored response again.

- `summaries`: per result, the questionnaire and version, the fingerprint of the scoring rules and questionnaire
  content it was scored with, the organisation and its profile, the overall phase and index.
- `summary_domains`: per result and domain, the index, the half-phase level the benchmark compares, the phases
  achieved and the attainment of the working phase.

Every finished self-assessment and closed workshop stored before is scored with the questionnaire version it names
(one the library does not hold is stored as unscored, and scored again once it is available). The backfill reads the
tables through the current code, so it runs in the newest migration that adds a column to them (0013 now).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summaries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessments.id", ondelete="CASCADE"), nullable=True,
                  unique=True),
        sa.Column("workshop_id", sa.Integer(), sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True,
                  unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("questionnaire_id", sa.String(64), nullable=False),
        sa.Column("questionnaire_version", sa.String(40), nullable=False),
        sa.Column("fingerprint", sa.String(80), nullable=False),
        sa.Column("stamp", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("organisation_key", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("size", sa.String(20), nullable=True),
        sa.Column("industry", sa.String(64), nullable=True),
        sa.Column("ai_role", sa.String(20), nullable=True),
        sa.Column("scored", sa.Boolean(), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=True),
        sa.Column("phase_name", sa.String(120), nullable=True),
        sa.Column("achieved", sa.Integer(), nullable=True),
        sa.Column("complete", sa.Boolean(), nullable=True),
        sa.Column("overall_index", sa.Float(), nullable=True),
        sa.Column("assessed", sa.Integer(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_summaries_questionnaire", "summaries", ["questionnaire_id", "kind"])
    op.create_table(
        "summary_domains",
        sa.Column("summary_id", sa.Integer(), sa.ForeignKey("summaries.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("domain_id", sa.String(120), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("assessed", sa.Boolean(), nullable=False),
        sa.Column("domain_index", sa.Float(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("achieved", sa.Integer(), nullable=False),
        sa.Column("attainment", sa.Float(), nullable=True),
    )
    # The summaries of what is stored are made by the newest migration's upgrade (0013): they are read through the
    # repository, whose tables are the newest ones, and a column added after this revision is not there yet.


def downgrade() -> None:
    op.drop_table("summary_domains")
    op.drop_index("ix_summaries_questionnaire", table_name="summaries")
    op.drop_table("summaries")
