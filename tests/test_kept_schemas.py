"""The PostgreSQL schemas kept from test to test (`KeptSchemas` in tests/conftest.py) come back empty, their ids
restarted; a schema a test changed is never handed out again."""

from __future__ import annotations

from sqlalchemy import create_engine, func, select, text

from storage import dispose_all, get_engine
from storage import repository as repo
from storage.tables import answers, assessments
from scoring.answers import Answer


def rows(url: str) -> dict[str, int]:
    plain = create_engine(url)
    try:
        with plain.connect() as conn:
            return {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for table in (assessments, answers)}
    finally:
        plain.dispose()


def test_a_kept_schema_comes_back_empty_with_its_ids_restarted(kept_schemas, tiny):
    url, schema = kept_schemas.take()
    try:
        engine = get_engine(url)
        first = repo.create_assessment(engine, tiny.id, tiny.version, organisation="Kept Corp")
        repo.save_answers(engine, first.id, {tiny.questions[0].id: Answer(2)})
        assert rows(url) == {"assessments": 1, "answers": 1}
    finally:
        dispose_all()
    kept_schemas.give_back(url, schema)

    again = kept_schemas.take()
    try:
        assert again == (url, schema)  # kept, not made anew
        assert rows(url) == {"assessments": 0, "answers": 0}
        engine = get_engine(url)
        assert repo.create_assessment(engine, tiny.id, tiny.version).id == first.id  # the ids start over
    finally:
        dispose_all()
        kept_schemas.give_back(*again)


def test_a_schema_the_test_changed_is_dropped_not_kept(kept_schemas):
    url, schema = kept_schemas.take()
    plain = create_engine(url)
    with plain.begin() as conn:
        conn.execute(text("DROP TABLE answers"))
    plain.dispose()
    kept_schemas.give_back(url, schema)
    assert (url, schema) not in kept_schemas.kept
    plain = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        with plain.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": schema}).scalar_one() == 0
    finally:
        plain.dispose()
