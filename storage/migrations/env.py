"""Alembic's entry point: migrations run on the connection `storage.schema` hands over, inside its transaction."""

from alembic import context

from storage.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
