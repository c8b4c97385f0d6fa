"""Resume and facilitator tokens stored only as SHA-256 hashes; wrong join codes kept for throttling.

Revision ID: 0002
Revises: 0001

The token columns keep their names and width (a SHA-256 in hex is 64 characters): every
stored token is replaced by its hash, so every link handed out before still opens.
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    _hash_column("assessments", "token")
    _hash_column("workshops", "facilitator_token")
    op.create_table(
        "join_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_join_attempts_client", "join_attempts", ["client", "failed_at"])


def _hash_column(table_name: str, column: str) -> None:
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(column, sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(table.c.id, table.c[column])).all()
    update = sa.update(table).where(table.c.id == sa.bindparam("row_id")).values({column: sa.bindparam("hashed")})
    for start in range(0, len(rows), BATCH):
        connection.execute(update, [{"row_id": row_id, "hashed": hashlib.sha256(token.encode()).hexdigest()}
                                    for row_id, token in rows[start:start + BATCH]])


def downgrade() -> None:
    raise NotImplementedError("Hashed tokens cannot be turned back into tokens; restore a backup instead.")
