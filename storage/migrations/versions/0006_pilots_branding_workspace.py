"""Pilot registers get their own table; branding is stored; consultants own workshops; participants can be removed.

- `pilots`: one row per pilot, of an assessment or of a workshop (the room's one register).
  Registers stored by 0005 as JSON on the assessment move here, nothing dropped.
- `assessments.branding`, `workshops.branding`: prepared-by, colour, logo and commentary.
- `workshops.profile`: the organisation's industry and size, for the benchmark.
- `assessments.removed_at`: a participant the facilitator removed from every aggregate.
- `workshop_access`: who (a signed-in consultant's subject) owns or was given a workshop.
- `workshop_events`: the workshop's audit lines (a participant removed, say).

Revision ID: 0006
Revises: 0005
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_PILOT_FIELDS = ("name", "stage", "started", "production_since", "owner", "kpi_baseline", "blockers", "value", "note")


def upgrade() -> None:
    pilots = op.create_table(
        "pilots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id", ondelete="CASCADE"), nullable=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("stage", sa.String(64), nullable=False),
        sa.Column("started", sa.String(7), nullable=False),
        sa.Column("production_since", sa.String(7), nullable=True),
        sa.Column("owner", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("kpi_baseline", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("blockers", sa.JSON, nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_pilots_assessment", "pilots", ["assessment_id", "position"])
    op.create_index("ix_pilots_workshop", "pilots", ["workshop_id", "position"])

    conn = op.get_bind()
    old = sa.table("assessments", sa.column("id", sa.Integer), sa.column("pilots", sa.JSON),
                   sa.column("updated_at", sa.DateTime(timezone=True)))
    rows = conn.execute(sa.select(old.c.id, old.c.pilots, old.c.updated_at).where(old.c.pilots.is_not(None))).all()
    moved = []
    for assessment_id, register, updated_at in rows:
        if isinstance(register, str):
            register = json.loads(register)
        for position, entry in enumerate(register or ()):
            moved.append({"assessment_id": assessment_id, "workshop_id": None, "position": position,
                          "name": entry["name"], "stage": entry["stage"], "started": entry["started"],
                          "production_since": entry.get("production_since"),
                          "owner": bool(entry.get("owner")), "kpi_baseline": bool(entry.get("kpi_baseline")),
                          "blockers": list(entry.get("blockers") or ()), "value": entry.get("value"),
                          "note": entry.get("note") or "", "updated_at": updated_at})
    if moved:
        op.bulk_insert(pilots, moved)
    op.drop_column("assessments", "pilots")

    op.add_column("assessments", sa.Column("branding", sa.JSON(none_as_null=True), nullable=True))
    op.add_column("assessments", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("workshops", sa.Column("branding", sa.JSON(none_as_null=True), nullable=True))
    op.add_column("workshops", sa.Column("profile", sa.JSON(none_as_null=True), nullable=True))

    op.create_table(
        "workshop_access",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("email", sa.String(255), nullable=False, server_default=""),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workshop_id", "subject", name="uq_workshop_access_workshop_subject"),
    )
    op.create_index("ix_workshop_access_subject", "workshop_access", ["subject"])
    op.create_table(
        "workshop_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False, server_default=""),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_workshop_events_workshop", "workshop_events", ["workshop_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_workshop_events_workshop", "workshop_events")
    op.drop_table("workshop_events")
    op.drop_index("ix_workshop_access_subject", "workshop_access")
    op.drop_table("workshop_access")
    op.drop_column("workshops", "profile")
    op.drop_column("workshops", "branding")
    op.drop_column("assessments", "removed_at")
    op.drop_column("assessments", "branding")

    op.add_column("assessments", sa.Column("pilots", sa.JSON(none_as_null=True), nullable=True))
    conn = op.get_bind()
    registers: dict[int, list] = {}
    for row in conn.execute(sa.text(
            "SELECT assessment_id, name, stage, started, production_since, owner, kpi_baseline, blockers, value, note "
            "FROM pilots WHERE assessment_id IS NOT NULL ORDER BY assessment_id, position")).mappings():
        entry = {name: row[name] for name in _PILOT_FIELDS}
        if isinstance(entry["blockers"], str):
            entry["blockers"] = json.loads(entry["blockers"])
        entry["owner"], entry["kpi_baseline"] = bool(entry["owner"]), bool(entry["kpi_baseline"])
        registers.setdefault(row["assessment_id"], []).append({k: v for k, v in entry.items() if v not in (None, "")})
    assessments = sa.table("assessments", sa.column("id", sa.Integer), sa.column("pilots", sa.JSON))
    for assessment_id, register in registers.items():
        conn.execute(assessments.update().where(assessments.c.id == assessment_id).values(pilots=register))
    op.drop_index("ix_pilots_workshop", "pilots")
    op.drop_index("ix_pilots_assessment", "pilots")
    op.drop_table("pilots")
