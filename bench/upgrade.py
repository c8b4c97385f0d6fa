"""Benchmark: upgrade a first-release database holding many assessments and print how long it took.

    python bench/upgrade.py [--assessments 10000] [--answers 20] [--database sqlite|postgresql]

The database is built with the first release's DDL (tests/data/release-1), filled with
`--assessments` assessments of `--answers` answers each, then upgraded to the newest
migration as the app does at start-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from storage import schema  # noqa: E402
from storage.engine import connect, writing  # noqa: E402

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def build(url: str, assessments: int, answers: int) -> None:
    """A first-release database at `url` with that many assessments and answers."""
    engine = create_engine(url)
    dialect = engine.dialect.name
    stamp = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as conn:
        for statement in (ROOT / "tests/data/release-1" / f"schema.{dialect}.sql").read_text().split(";"):
            if "CREATE" in statement:
                conn.exec_driver_sql(statement)
        targets = "CAST('{}' AS JSON)" if dialect == "postgresql" else "'{}'"
        conn.execute(text(f"INSERT INTO assessments (id, token, questionnaire_id, questionnaire_version, organisation, "
                          f"targets, created_at, updated_at) VALUES (:id, :token, 'quick-check', '1.0.0', 'Org', "
                          f"{targets}, :at, :at)"),
                     [{"id": i, "token": secrets.token_urlsafe(32), "at": stamp} for i in range(1, assessments + 1)])
        value = "CAST('2' AS JSON)" if dialect == "postgresql" else "'2'"
        conn.execute(text(f"INSERT INTO answers (assessment_id, question_id, value, note, updated_at) "
                          f"VALUES (:a, :q, {value}, '', :at)"),
                     [{"a": a, "q": f"q{n}", "at": stamp} for a in range(1, assessments + 1) for n in range(answers)])
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    if args.database == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp()}/phasegate.db"
    else:
        schema_name = f"bench_{secrets.token_hex(4)}"
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema_name}"')
        url = f"{POSTGRES}?options=-csearch_path%3D{schema_name}"
    build(url, args.assessments, args.answers)
    engine = connect(url)
    start = time.perf_counter()
    before, after = schema.upgrade(engine, writing)
    elapsed = time.perf_counter() - start
    print(f"{args.database}: {args.assessments:,} assessments, {args.assessments * args.answers:,} answers: "
          f"upgraded {before} -> {after} in {elapsed:.2f} s")
    engine.dispose()
    if args.database == "postgresql":
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema_name}" CASCADE')


if __name__ == "__main__":
    main()
