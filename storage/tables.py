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
    Date,
    DateTime,
    Float,
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
    # Prepared-by, colour, logo and commentary for its PDF, deck and exports; the client's industry and size.
    Column("branding", JSON(none_as_null=True), nullable=True),
    Column("profile", JSON(none_as_null=True), nullable=True),
    # The engagement language: the dashboard, the presenter view and the workshop's reports speak it.
    Column("language", String(16), nullable=False, default="en", server_default="en"),
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
    # The earlier assessment this one re-assesses (its progress is measured against it).
    Column("baseline_id", Integer, ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True),
    # Prepared-by, colour, logo and commentary for its reports.
    Column("branding", JSON(none_as_null=True), nullable=True),
    # A workshop participant the facilitator removed: kept, but left out of every aggregate.
    Column("removed_at", DateTime(timezone=True), nullable=True),
    # The date of the answers file it was imported from: its pilots' ages count to that day (NULL: today).
    Column("taken_on", Date, nullable=True),
    # The language its screens and reports speak, as chosen when it was started or since ('en' before 0013).
    Column("language", String(16), nullable=False, default="en", server_default="en"),
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

# The pilot register of an assessment, or the one register a workshop's room keeps.
pilots = Table(
    "pilots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), nullable=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True),
    Column("position", Integer, nullable=False),
    Column("name", String(120), nullable=False),
    Column("stage", String(64), nullable=False),
    Column("started", String(7), nullable=False),  # YYYY-MM
    Column("production_since", String(7), nullable=True),
    Column("owner", Boolean, nullable=False, default=False, server_default=false()),
    Column("kpi_baseline", Boolean, nullable=False, default=False, server_default=false()),
    Column("blockers", JSON, nullable=False, default=list),
    Column("value", Float, nullable=True),
    Column("note", Text, nullable=False, default="", server_default=""),
    Column("pilot_group", String(120), nullable=True),  # the register's `group:` ("group" is an SQL keyword)
    # Copied from the workshop a re-run repeats, not yet confirmed or changed by the facilitator.
    Column("carried_over", Boolean, nullable=False, default=False, server_default=false()),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_pilots_assessment", "assessment_id", "position"),
    Index("ix_pilots_workshop", "workshop_id", "position"),
)

# Who may open a workshop when consultants sign in: its owner, and those it was given to.
workshop_access = Table(
    "workshop_access",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("subject", String(255), nullable=False),  # the identity provider's issuer and subject
    Column("email", String(255), nullable=False, default="", server_default=""),
    Column("role", String(20), nullable=False),  # "owner" or "shared"
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Column("granted_by", String(255), nullable=True),  # the owner's address for a share; empty before 0009
    UniqueConstraint("workshop_id", "subject", name="uq_workshop_access_workshop_subject"),
    Index("ix_workshop_access_subject", "subject"),
)

# When a consultant last signed out: an identity token issued before it opens nothing, in any tab or browser.
sign_outs = Table(
    "sign_outs",
    metadata,
    Column("subject", String(255), primary_key=True),
    Column("signed_out_at", DateTime(timezone=True), nullable=False),
)

# A workshop's audit lines, e.g. a participant removed and by whom. A line written before 0014 has no facts: it
# shows its sentence as written.
workshop_events = Table(
    "workshop_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(255), nullable=False, default="", server_default=""),
    Column("action", String(40), nullable=False),
    Column("detail", Text, nullable=False, default="", server_default=""),  # the sentence in English, as written
    Column("facts", JSON(none_as_null=True), nullable=True),  # what the sentence names, to say it in any language
    Index("ix_workshop_events_workshop", "workshop_id", "at"),
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

# Work in progress kept outside the process serving it, so a replica's death does not lose it: an answers file
# chosen for import and not yet imported (kind "import", keyed by the SHA-256 of the token in the page's address),
# and an agreed answer being written on the projector (kind "consensus", keyed by workshop and question).
drafts = Table(
    "drafts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("key", String(200), nullable=False),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True),
    Column("name", String(255), nullable=False, default="", server_default=""),
    Column("body", Text, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("kind", "key", name="uq_drafts_kind_key"),
    Index("ix_drafts_saved_at", "saved_at"),
)

# The scored summary of each finished self-assessment and each closed workshop, so lists and the benchmark query
# figures instead of scoring every stored response again (storage/summaries.py keeps them current).
summaries = Table(
    "summaries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), nullable=True, unique=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True, unique=True),
    Column("kind", String(20), nullable=False),  # "assessment" or "workshop"
    Column("questionnaire_id", String(64), nullable=False),
    Column("questionnaire_version", String(40), nullable=False),
    Column("fingerprint", String(80), nullable=False),  # the scoring rules and questionnaire content it was scored with
    Column("stamp", DateTime(timezone=True), nullable=True),  # an assessment's updated_at when it was scored
    Column("organisation", String(200), nullable=False, default=""),
    Column("organisation_key", String(200), nullable=False, default=""),  # the name as the benchmark compares it
    Column("at", DateTime(timezone=True), nullable=True),  # finished, or closed
    Column("size", String(20), nullable=True),
    Column("industry", String(64), nullable=True),
    Column("ai_role", String(20), nullable=True),
    Column("scored", Boolean, nullable=False),  # False: its questionnaire version is unavailable, or nobody answered
    Column("phase", Integer, nullable=True),
    Column("phase_name", String(120), nullable=True),
    Column("achieved", Integer, nullable=True),
    Column("complete", Boolean, nullable=True),
    Column("overall_index", Float, nullable=True),
    Column("assessed", Integer, nullable=False, default=0),  # domains with a real answer
    Column("scored_at", DateTime(timezone=True), nullable=False),
    Index("ix_summaries_questionnaire", "questionnaire_id", "kind"),
)

summary_domains = Table(
    "summary_domains",
    metadata,
    Column("summary_id", Integer, ForeignKey("summaries.id", ondelete="CASCADE"), primary_key=True),
    Column("domain_id", String(120), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("assessed", Boolean, nullable=False),
    Column("domain_index", Float, nullable=True),  # "index" is an SQL keyword
    Column("level", Integer, nullable=True),  # the half-phase level the benchmark compares
    Column("achieved", Integer, nullable=False),
    Column("attainment", Float, nullable=True),  # of the working phase
)
