"""Every table, in one metadata: what the migrations in `storage/migrations/` build, step by step.

A change here is a new migration too (a test compares the two). Assessments and their
answers are queried in `storage/repository.py`; workshops, consensus answers and join
attempts in `storage/workshops.py`. Secret tokens are stored only as SHA-256 hashes.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

workshops = Table(
    "workshops",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("facilitator_token", String(64), nullable=False, unique=True),  # SHA-256 of the token, hex
    Column("join_code", String(32), nullable=False, unique=True),
    Column("client", String(200), nullable=False, default=""),
    Column("questionnaire_id", String(64), nullable=False),
    Column("questionnaire_version", String(40), nullable=False),
    Column("roles", JSON, nullable=False, default=list),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("closes_at", DateTime(timezone=True), nullable=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # The earlier workshop for the same client that this one re-runs.
    Column("baseline_id", Integer, ForeignKey("workshops.id", ondelete="SET NULL"), nullable=True),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(64), nullable=False, unique=True),  # SHA-256 of the resume token, hex
    Column("questionnaire_id", String(64), nullable=False),
    Column("questionnaire_version", String(40), nullable=False),
    Column("organisation", String(200), nullable=False, default=""),
    Column("role", String(60), nullable=True),
    Column("targets", JSON, nullable=False, default=dict),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    # From an imported answers file: the organisation's size and industry, and the pilot register (as written).
    Column("profile", JSON(none_as_null=True), nullable=True),
    Column("pilots", JSON(none_as_null=True), nullable=True),
    # The earlier assessment this one re-assesses (its progress is measured against it).
    Column("baseline_id", Integer, ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True),
    Index("ix_assessments_workshop", "workshop_id"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", String(120), nullable=False),
    # NULL: only a note so far, no answer yet
    Column("value", JSON(none_as_null=True), nullable=True),
    Column("note", Text, nullable=False, default=""),
    # Pre-filled from the baseline and not yet confirmed or changed by the respondent.
    Column("carried_over", Boolean, nullable=False, default=False, server_default=false()),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("assessment_id", "question_id", name="uq_answers_assessment_question"),
)

consensus = Table(
    "consensus",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", String(120), nullable=False),
    Column("value", JSON(none_as_null=True), nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workshop_id", "question_id", name="uq_consensus_workshop_question"),
)

# Wrong join codes, per client (a SHA-256 of its address, never the address itself), for throttling.
join_attempts = Table(
    "join_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client", String(64), nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Index("ix_join_attempts_client", "client", "failed_at"),
)
