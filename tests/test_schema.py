"""The schema: migrations build it, a first-release database upgrades with nothing lost, tokens kept as hashes."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text

from storage import dispose_all, get_engine, schema
from storage import repository as repo
from storage import workshops as ws
from storage.engine import StorageError, connect, writing
from storage.tables import answers, assessments, consensus, metadata, workshops
from tests.conftest import DATA, _drop_postgres_schema, _postgres_schema_url

RELEASE_1 = DATA / "release-1"
ROWS = json.loads((RELEASE_1 / "rows.json").read_text())
OLD_TOKEN = ROWS["assessments"][0]["token"]
OLD_FACILITATOR = ROWS["workshops"][0]["facilitator_token"]


@pytest.fixture
def first_release_database(database_url):
    """A database as the first release left it: its DDL, then its rows, and no migration version."""
    engine = create_engine(database_url)
    dialect = engine.dialect.name
    with engine.begin() as conn:
        for statement in (RELEASE_1 / f"schema.{dialect}.sql").read_text().split(";"):
            if "CREATE" in statement:
                conn.exec_driver_sql(statement)
        for table in ("workshops", "assessments", "answers", "consensus"):
            for row in ROWS[table]:
                columns = ", ".join(row)
                values = ", ".join(_literal(conn, table, name) for name in row)
                conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), _params(row))
        if dialect == "postgresql":  # the ids above were given, so move the sequences past them
            for table in ("workshops", "assessments", "answers", "consensus"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
    engine.dispose()
    yield database_url
    dispose_all()


def _literal(conn, table: str, name: str) -> str:
    json_columns = {"roles", "targets", "value"}
    if name in json_columns and conn.dialect.name == "postgresql":
        return f"CAST(:{name} AS JSON)"
    return f":{name}"


def _params(row: dict) -> dict:
    json_columns = {"roles", "targets", "value"}
    return {name: json.dumps(value) if name in json_columns and value is not None else value
            for name, value in row.items()}


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_first_release_database_is_stamped_and_upgraded_with_nothing_lost(first_release_database):
    engine = get_engine(first_release_database)
    assert schema.current(engine) == schema.head()
    for table in (workshops, assessments, answers, consensus):
        assert _count(engine, table) == len(ROWS[table.name])
    found = repo.find_assessment(engine, OLD_TOKEN)
    assert found.organisation == "Example Corp" and found.targets == {"governance": 3} and found.finished
    saved = repo.load_answers(engine, found.id)
    assert saved["data.inventory"].value == 2 and saved["data.inventory"].note == "Inventory kept in a spreadsheet"
    assert saved["governance.board"].value == "dont_know"
    assert saved["mlops.pipelines"].value is None and saved["mlops.pipelines"].note == "Only a note so far"
    workshop = ws.find_by_token(engine, OLD_FACILITATOR)
    assert workshop.client == "Client Bank" and workshop.is_closed()
    assert [p.role for p in ws.list_participants(engine, workshop.id)] == ["Executive", "Engineer"]
    assert ws.load_consensus(engine, workshop.id)["data.inventory"].note == "Agreed after discussion"


def test_upgraded_tokens_are_hashes_and_new_rows_follow_the_old_ones(first_release_database):
    engine = get_engine(first_release_database)
    with engine.connect() as conn:
        stored = conn.execute(select(assessments.c.token).order_by(assessments.c.id)).scalars().all()
    assert OLD_TOKEN not in stored and repo.hash_token(OLD_TOKEN) in stored
    fresh = repo.create_assessment(engine, "quick-check", "1.0.0")
    assert fresh.id == len(ROWS["assessments"]) + 1
    assert repo.find_assessment(engine, fresh.token).id == fresh.id


def test_upgrading_an_upgraded_database_changes_nothing(first_release_database):
    engine = get_engine(first_release_database)
    assert schema.upgrade(engine, writing) == (schema.head(), schema.head())
    assert repo.find_assessment(engine, OLD_TOKEN) is not None


def _migrated(url: str):
    """A database built the long way: every migration from the first, on an empty database."""
    engine = connect(url)
    with writing(engine) as conn:
        command.upgrade(schema._config(conn), "head")
    return engine


def _described(engine) -> dict:
    """Everything the database says of its tables, its version and the nulls, keys, indexes and checks they
    hold; names the database made up itself left out."""
    found = inspect(engine)
    described = {}
    for table in sorted(found.get_table_names()):
        described[table] = {
            "columns": {c["name"]: (str(c["type"]), c["nullable"], c.get("default")) for c in found.get_columns(table)},
            "primary key": tuple(found.get_pk_constraint(table)["constrained_columns"]),
            "foreign keys": sorted((tuple(fk["constrained_columns"]), fk["referred_table"],
                                    tuple(fk["referred_columns"]), _on_delete(engine, table, fk))
                                   for fk in found.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in found.get_indexes(table)),
            "unique": sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table)),
            "checks": sorted(" ".join(c["sqltext"].split()) for c in found.get_check_constraints(table)),
        }
    with engine.connect() as conn:
        described["version"] = MigrationContext.configure(conn).get_current_revision()
    return described


def _on_delete(engine, table: str, fk: dict) -> str | None:
    """What deleting the referred row does: as reflected, or on SQLite, where reflection misses it for a column
    added later with its REFERENCES inline (see _without_unreflected_on_delete), as the table's SQL says."""
    if engine.dialect.name != "sqlite" or len(fk["constrained_columns"]) != 1:
        return fk["options"].get("ondelete")
    with engine.connect() as conn:
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).scalar_one()
    column = re.escape(fk["constrained_columns"][0])
    clause = re.search(rf'(?:FOREIGN KEY\s*\("?{column}"?\)|(?:^|[\s,(])"?{column}"?\s+[\w()]+)\s+REFERENCES\s+"?'
                       rf'{re.escape(fk["referred_table"])}"?\s*\([^)]*\)(?:\s+ON DELETE\s+(SET NULL|CASCADE|RESTRICT|'
                       rf'NO ACTION|SET DEFAULT))?', sql, re.IGNORECASE)
    assert clause, f"no REFERENCES for {table}.{fk['constrained_columns'][0]} in {sql}"
    return clause.group(1)


def test_a_new_database_is_built_from_the_table_definitions_as_the_migrations_would_build_it(database_url, tmp_path):
    """A new database gets its tables at once from `storage/tables.py`; one upgraded from the first migration
    reads back the same, in everything the database can tell, down to the nulls, the defaults and the keys."""
    new = get_engine(database_url)
    other = (f"sqlite:///{tmp_path / 'migrated.db'}" if new.dialect.name == "sqlite"
             else _postgres_schema_url())
    url = other if isinstance(other, str) else other[0]
    try:
        migrated = _described(_migrated(url))
        assert migrated["version"] == schema.head()
        built = _described(new)
        assert built == migrated
    finally:
        if not isinstance(other, str):
            _drop_postgres_schema(other[1])
        dispose_all()


def test_the_migrations_build_exactly_the_tables_the_code_uses(database_url):
    engine = _migrated(database_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        if conn.dialect.name == "sqlite":
            differences = _without_unreflected_on_delete(differences)
    assert differences == []


def _without_unreflected_on_delete(differences: list) -> list:
    """SQLite's reflection does not read ON DELETE of a column added later (an inline REFERENCES clause), so a
    foreign key shows as removed and added again; the behaviour is tested for real below."""
    def signature(fk):
        return fk.table.name, tuple(e.parent.name for e in fk.elements), tuple(e.target_fullname for e in fk.elements)

    added = {signature(d[1]) for d in differences if d[0] == "add_fk"}
    removed = {signature(d[1]) for d in differences if d[0] == "remove_fk"}
    both = added & removed
    return [d for d in differences if not (d[0] in ("add_fk", "remove_fk") and signature(d[1]) in both)]


def test_deleting_a_baseline_keeps_the_assessment_that_re_assessed_it(database_url):
    engine = get_engine(database_url)
    first = repo.create_assessment(engine, "quick-check", "1.0.0")
    second = repo.create_assessment(engine, "quick-check", "1.0.0")
    with writing(engine) as conn:
        conn.execute(assessments.update().where(assessments.c.id == second.id).values(baseline_id=first.id))
        conn.execute(assessments.delete().where(assessments.c.id == first.id))
    kept = repo.find_assessment(engine, second.token)
    assert kept is not None and kept.baseline_id is None


def test_replicas_starting_together_upgrade_once(database_url):
    engines = [connect(database_url) for _ in range(4)]
    results, failures = [], []

    def start(engine):
        try:
            results.append(schema.upgrade(engine, writing))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            failures.append(exc)

    threads = [threading.Thread(target=start, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert failures == []
    assert sorted(str(before) for before, _ in results) == sorted(["None"] + [schema.head()] * 3)


def test_the_database_file_holds_no_token(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'data' / 'phasegate.db'}")
    assessment = repo.create_assessment(engine, "quick-check", "1.0.0")
    workshop = ws.create_workshop(engine, "Client", "quick-check", "1.0.0")
    dispose_all()
    stored = b"".join(path.read_bytes() for path in (tmp_path / "data").iterdir())
    for secret in (assessment.token, workshop.facilitator_token):
        assert secret.encode() not in stored
        assert repo.hash_token(secret).encode() in stored


def test_the_data_folder_and_database_files_are_private(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'data' / 'phasegate.db'}")
    repo.create_assessment(engine, "quick-check", "1.0.0")
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    files = list((tmp_path / "data").iterdir())
    assert {path.name for path in files} >= {"phasegate.db", "phasegate.db-wal"}
    assert {path.name: stat.S_IMODE(path.stat().st_mode) for path in files} == {path.name: 0o600 for path in files}
    dispose_all()


def test_an_older_data_folder_is_made_private_on_start(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    (folder / "phasegate.db").touch(mode=0o644)
    get_engine(f"sqlite:///{folder / 'phasegate.db'}")
    dispose_all()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "phasegate.db").stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders; the message is tested below")
def test_a_read_only_data_folder_gets_a_clear_error(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o500)
    with pytest.raises(StorageError, match="cannot be opened or written"):
        get_engine(f"sqlite:///{folder / 'phasegate.db'}")


def test_a_data_folder_that_is_a_file_gets_a_clear_error(tmp_path):
    (tmp_path / "data").write_text("not a folder")
    with pytest.raises(StorageError, match=r"^The database file in .* cannot be opened or written \(not a directory\)"):
        get_engine(f"sqlite:///{tmp_path / 'data' / 'phasegate.db'}")


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql+psycopg://postgres:secret@127.0.0.1:1/test",
     "The database at 127.0.0.1:1/test did not answer ("),
    ("sqlite:////proc/phasegate/phasegate.db",
     "The database file in /proc/phasegate cannot be opened or written ("),
])
def test_a_database_that_cannot_be_reached_gets_one_line_without_the_password(url, expected):
    with pytest.raises(StorageError) as raised:
        get_engine(url)
    message = str(raised.value)
    assert message.startswith(expected)
    assert "\n" not in message and "secret" not in message


def test_a_pilot_register_stored_as_json_before_0006_moves_to_its_table(database_url):
    """0005 kept an imported register as JSON on the assessment; 0006 moves every entry, in order, and back."""
    engine = connect(database_url)
    register = [{"name": "Churn model", "stage": "pilot", "started": "2024-01", "owner": False,
                 "kpi_baseline": True, "blockers": ["governance.approval-queue"], "value": 250000.0},
                {"name": "Invoice reader", "stage": "production", "started": "2023-02",
                 "production_since": "2023-09", "owner": True, "kpi_baseline": True, "blockers": [],
                 "note": "Live in finance"}]
    with engine.begin() as conn:
        command.upgrade(schema._config(conn), "0005")
        stamp = repo.now()
        conn.execute(text("INSERT INTO assessments (id, token, questionnaire_id, questionnaire_version, organisation,"
                          " targets, created_at, updated_at, pilots) VALUES (7, 'h', 'quick-check', '2.0.0', 'Acme',"
                          " '{}', :at, :at, :pilots)" if engine.dialect.name == "sqlite" else
                          "INSERT INTO assessments (id, token, questionnaire_id, questionnaire_version, organisation,"
                          " targets, created_at, updated_at, pilots) VALUES (7, 'h', 'quick-check', '2.0.0', 'Acme',"
                          " CAST('{}' AS JSON), :at, :at, CAST(:pilots AS JSON))"),
                     {"at": stamp, "pilots": json.dumps(register)})
    schema.upgrade(engine, writing)
    moved = repo.get_assessment(engine, 7).pilots
    assert [pilot.to_dict() for pilot in moved] == register
    with engine.begin() as conn:
        command.downgrade(schema._config(conn), "0005")
        back = conn.execute(text("SELECT pilots FROM assessments WHERE id = 7")).scalar_one()
    assert (json.loads(back) if isinstance(back, str) else back) == register
    engine.dispose()


def test_assessments_stored_before_0007_keep_everything_and_get_no_answers_date(database_url):
    """0007 adds the imported answers file's date: rows written before it keep every field and no date (their
    pilots' ages count to today, as before); going back to 0006 drops the date and nothing else."""
    engine = connect(database_url)
    with engine.begin() as conn:
        command.upgrade(schema._config(conn), "0006")
        stamp = repo.now()
        conn.execute(text("INSERT INTO assessments (id, token, questionnaire_id, questionnaire_version, organisation,"
                          " targets, created_at, updated_at, profile) VALUES (7, 'h', 'quick-check', '2.1.0', 'Acme',"
                          + (" '{}', :at, :at, :profile)" if engine.dialect.name == "sqlite" else
                             " CAST('{}' AS JSON), :at, :at, CAST(:profile AS JSON))")),
                     {"at": stamp, "profile": json.dumps({"size": "large", "industry": "retail"})})
    schema.upgrade(engine, writing)
    kept = repo.get_assessment(engine, 7)
    assert (kept.organisation, kept.profile, kept.taken_on) == ("Acme", {"size": "large", "industry": "retail"}, None)
    with engine.begin() as conn:
        conn.execute(assessments.update().where(assessments.c.id == 7).values(taken_on=dt.date(2025, 6, 30)))
    assert repo.get_assessment(engine, 7).taken_on == dt.date(2025, 6, 30)
    with engine.begin() as conn:
        command.downgrade(schema._config(conn), "0006")
        row = conn.execute(text("SELECT * FROM assessments WHERE id = 7")).mappings().one()
    assert "taken_on" not in row and row["organisation"] == "Acme"
    engine.dispose()


def test_pilots_stored_before_0008_keep_everything_and_get_no_group(database_url):
    """0008 adds the pilot's group: pilots stored before it keep every field and have none; going back to 0007
    drops the group and nothing else."""
    from scoring.answers import Pilot
    from storage.pilots import load_registers

    engine = connect(database_url)
    with engine.begin() as conn:
        command.upgrade(schema._config(conn), "0007")
        stamp = repo.now()
        conn.execute(text("INSERT INTO assessments (id, token, questionnaire_id, questionnaire_version, organisation,"
                          " targets, created_at, updated_at) VALUES (7, 'h', 'quick-check', '2.1.0', 'Acme',"
                          + (" '{}', :at, :at)" if engine.dialect.name == "sqlite" else " CAST('{}' AS JSON), :at, :at)")),
                     {"at": stamp})
        conn.execute(text("INSERT INTO pilots (assessment_id, position, name, stage, started, owner, kpi_baseline, "
                          "blockers, note, updated_at) VALUES (7, 0, 'Churn', 'pilot', '2025-01', :yes, :no, "
                          + ("'[]'" if engine.dialect.name == "sqlite" else "CAST('[]' AS JSON)") + ", 'kept', :at)"),
                     {"at": stamp, "yes": True, "no": False})
    schema.upgrade(engine, writing)
    with engine.connect() as conn:
        assert load_registers(conn, [7]) == {7: (Pilot("Churn", "pilot", "2025-01", owner=True, note="kept"),)}
    with engine.begin() as conn:
        command.downgrade(schema._config(conn), "0007")
        row = conn.execute(text("SELECT * FROM pilots WHERE assessment_id = 7")).mappings().one()
    assert "pilot_group" not in row and (row["name"], row["note"]) == ("Churn", "kept")
    engine.dispose()
