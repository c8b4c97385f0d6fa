"""The schema of the first release, as its create_all made it.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("facilitator_token", sa.String(64), nullable=False, unique=True),
        sa.Column("join_code", sa.String(32), nullable=False, unique=True),
        sa.Column("client", sa.String(200), nullable=False),
        sa.Column("questionnaire_id", sa.String(64), nullable=False),
        sa.Column("questionnaire_version", sa.String(40), nullable=False),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("questionnaire_id", sa.String(64), nullable=False),
        sa.Column("questionnaire_version", sa.String(40), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("role", sa.String(60), nullable=True),
        sa.Column("targets", sa.JSON, nullable=False),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_assessments_workshop", "assessments", ["workshop_id"])
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("assessment_id", "question_id", name="uq_answers_assessment_question"),
    )
    op.create_table(
        "consensus",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workshop_id", "question_id", name="uq_consensus_workshop_question"),
    )


def downgrade() -> None:
    for table in ("consensus", "answers", "assessments", "workshops"):
        op.drop_table(table)
