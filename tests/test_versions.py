"""Questionnaire versions side by side: the library keeps each one, answers migrate forward, nothing is stranded."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from questionnaires import QuestionnaireError, find_questionnaire, parse_questionnaire
from questionnaires.loader import (Library, UnknownVersionError, load_library, load_questionnaire, shipped_library,
                                   version_key)
from scoring.answers import Answer, Response, read_answers
from scoring.migrate import MigrationError, migrate_response, newer_version
from storage import dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import open_page as open_app, DATA
from tests.pdf_text import page_texts

TINY_2 = (DATA / "tiny-2.0.0.yaml").read_text(encoding="utf-8")
# 3.0.0 renames the catalogue again and remaps a level; it migrates from 2.0.0 only, so 1.0.0 goes through 2.0.0.
TINY_3 = TINY_2.replace("version: 2.0.0", "version: 3.0.0").replace("id: data.catalogue", "id: data.register").replace(
    """  - from: 1.0.0
    renamed: {data.inventory: data.catalogue}
    options:
      data.products: {lake: platform}
    dropped: [data.monitoring]
""", """  - from: 2.0.0
    renamed: {data.catalogue: data.register}
    options:
      governance.board: {1: 2}
""")


@pytest.fixture(scope="module")
def versions() -> Library:
    """tiny 1.0.0, 2.0.0 and 3.0.0."""
    third = parse_questionnaire(TINY_3, "tiny-3.0.0.yaml")
    return Library({"tiny": {"1.0.0": load_questionnaire(DATA / "tiny.yaml"),
                             "2.0.0": load_questionnaire(DATA / "tiny-2.0.0.yaml"), "3.0.0": third}})


@pytest.fixture
def extra_folder(tmp_path, monkeypatch):
    """tiny 1.0.0 and 2.0.0 in the extra questionnaire folder."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(DATA / "tiny.yaml", folder / "tiny.yaml")
    shutil.copy(DATA / "tiny-2.0.0.yaml", folder / "tiny-2.0.0.yaml")
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(folder))
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    yield folder
    dispose_all()


def response(answers: dict, version: str = "1.0.0", targets: dict | None = None) -> Response:
    return Response("tiny", version, {qid: Answer(value) for qid, value in answers.items()}, targets=targets or {})


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- the library -----------------------------------------------------------------------


@pytest.mark.parametrize(("older", "newer"), [("1.9.0", "1.10.0"), ("2.0.0-rc.1", "2.0.0"), ("2.0.0-rc.2", "2.0.0-rc.10"),
                                              ("1.0.0", "1.0.1"), ("0.9.9", "1.0.0")])
def test_versions_sort_in_semantic_order_not_as_text(older, newer):
    assert version_key(older) < version_key(newer)


def test_the_library_keeps_every_version_and_offers_the_newest(extra_folder):
    library = load_library()
    assert library.known_versions("tiny") == ["1.0.0", "2.0.0"]
    assert library.newest()["tiny"].version == "2.0.0"
    assert find_questionnaire("tiny").version == "2.0.0"
    assert find_questionnaire("tiny", "1.0.0").version == "1.0.0"


def test_the_library_is_put_together_once_until_a_file_is_added_changed_or_removed(extra_folder):
    library = load_library()
    assert load_library() is library  # nothing changed: the same library, not paired with its translations again
    (extra_folder / "tiny-2.0.0.yaml").unlink()
    assert load_library().known_versions("tiny") == ["1.0.0"]
    shutil.copy(DATA / "tiny-2.0.0.yaml", extra_folder / "tiny-2.0.0.yaml")
    assert load_library().known_versions("tiny") == ["1.0.0", "2.0.0"]
    edited = extra_folder / "tiny.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.5.0"), encoding="utf-8")
    os.utime(edited, ns=(edited.stat().st_atime_ns, edited.stat().st_mtime_ns + 10**9))  # edited a second later
    assert load_library().known_versions("tiny") == ["1.5.0", "2.0.0"]


def test_a_file_that_did_not_load_is_read_again_until_it_does(extra_folder):
    broken = extra_folder / "tiny-3.0.0.yaml"
    broken.write_text("id: tiny\nversion: [\n", encoding="utf-8")
    assert load_library().problems and load_library() is not load_library()
    broken.write_text((DATA / "tiny-2.0.0.yaml").read_text(encoding="utf-8").replace("version: 2.0.0", "version: 3.0.0"),
                      encoding="utf-8")
    assert load_library().problems == [] and load_library().known_versions("tiny") == ["1.0.0", "2.0.0", "3.0.0"]

def test_an_unknown_version_is_a_clear_error_listing_the_known_ones(extra_folder):
    with pytest.raises(UnknownVersionError) as raised:
        find_questionnaire("tiny", "9.9.9")
    assert raised.value.lines() == ["'tiny' has no version 9.9.9 here (known versions: 1.0.0, 2.0.0); "
                                    "add its file to questionnaires/library/archive/tiny/"]


BAD_MIGRATIONS = [
    ("renamed: {data.inventory: data.catalogue}", "renamed: {data.inventory: data.nope}",
     "tiny-2.0.0.yaml:101 migrations[0].renamed.data.inventory: 'data.nope' is not a question of tiny 2.0.0; "
     "rename to an existing id"),
    ("dropped: [data.monitoring]", "dropped: [data.pipelines]",
     "tiny-2.0.0.yaml:104 migrations[0].dropped[0]: 'data.pipelines' is still a question of tiny 2.0.0; "
     "remove it from dropped"),
    ("data.products: {lake: platform}", "data.products: {lake: swamp}",
     "tiny-2.0.0.yaml:103 migrations[0].options.data.products.lake: 'swamp' is not a value of 'data.products' "
     "(values: email, platform, products, dont_know)"),
    ("data.products: {lake: platform}", "governance.notes: {a: b}",
     "tiny-2.0.0.yaml:103 migrations[0].options.governance.notes: 'governance.notes' is a text question, which has "
     "no options, in tiny 2.0.0; give the id of a question with options in this version"),
    ("from: 1.0.0", "from: 2.0.0", "tiny-2.0.0.yaml:100 migrations[0].from: 2.0.0 is not earlier than this version (2.0.0)"),
    ("from: 1.0.0", "from: one",
     "tiny-2.0.0.yaml:100 migrations[0].from: 'one' does not have the expected form (a semantic version such as 1.0.0)"),
    ("    dropped: [data.monitoring]\n", "    dropped: [data.monitoring]\n    added: [data.quality-checks]\n",
     "tiny-2.0.0.yaml:105 migrations[0].added: unknown field; remove it or check its spelling (see questionnaires/README.md)"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD_MIGRATIONS,
                         ids=["rename-target-missing", "dropped-still-asked", "option-target-invalid",
                              "options-on-a-text-question", "from-not-earlier", "from-not-a-version", "unknown-key"])
def test_a_migration_that_does_not_fit_its_version_is_a_located_error(old, new, expected):
    with pytest.raises(QuestionnaireError) as raised:
        parse_questionnaire(TINY_2.replace(old, new), "tiny-2.0.0.yaml")
    assert raised.value.lines() == [expected]


# --- carrying answers forward ---------------------------------------------------------------


MIGRATIONS = [
    ({"data.inventory": 3}, {"data.catalogue": 3}, ["data.inventory: renamed to data.catalogue in tiny 2.0.0"]),
    ({"data.products": "lake"}, {"data.products": "platform"}, ["data.products: the answer 'lake' is now 'platform'"]),
    ({"data.products": "products"}, {"data.products": "products"}, []),
    ({"data.monitoring": "yes"}, {}, ["data.monitoring: dropped in tiny 2.0.0; its answer 'yes' was not carried"]),
    ({"governance.controls": ["bias", "audit"]}, {"governance.controls": ["bias", "audit"]}, []),
    ({"governance.board": "dont_know"}, {"governance.board": "dont_know"}, []),
]


@pytest.mark.parametrize(("given", "carried", "notes"), MIGRATIONS,
                         ids=["renamed", "option-remapped", "option-kept", "dropped", "multi-kept", "dont-know-kept"])
def test_answers_carry_to_the_new_version_with_a_line_per_change(versions, given, carried, notes):
    new, lines = migrate_response(response(given), versions, "2.0.0")
    assert new.questionnaire_version == "2.0.0"
    assert {qid: a.value for qid, a in new.answers.items()} == carried
    assert lines == notes + ["data.quality-checks: new in tiny 2.0.0, not answered yet"]


def test_an_answer_invalid_in_the_new_version_is_not_carried_but_its_note_is(versions):
    old = Response("tiny", "1.0.0", {"data.products": Answer("lake", "shared since 2023"),
                                     "data.pipelines": Answer(7, "")})
    new, lines = migrate_response(old, Library({"tiny": {**versions.versions["tiny"], "2.0.0": parse_questionnaire(
        TINY_2.replace("data.products: {lake: platform}", "data.products: {email: email}"), "tiny-2.0.0.yaml")}}), "2.0.0")
    assert new.answers == {"data.products": Answer(None, "shared since 2023")}
    assert lines == [
        "data.products: the answer 'lake' was not carried: 'lake' is not an option "
        "(options: email, platform, products, or dont_know)",
        "data.pipelines: the answer 7 was not carried: 7 is not an option (options: 0, 1, 2, 3, 4, or dont_know)",
        "data.quality-checks: new in tiny 2.0.0, not answered yet",
    ]


def test_answers_migrate_over_several_steps_keeping_notes(versions):
    old = Response("tiny", "1.0.0", {"data.inventory": Answer(3, "in the wiki"), "governance.board": Answer(1),
                                     "data.monitoring": Answer("no")}, targets={"governance": 3})
    new, lines = migrate_response(old, versions, "3.0.0")
    assert new.questionnaire_version == "3.0.0" and new.targets == {"governance": 3}
    assert new.answers == {"data.register": Answer(3, "in the wiki"), "governance.board": Answer(2)}
    assert lines == [
        "data.inventory: renamed to data.catalogue in tiny 2.0.0",
        "data.monitoring: dropped in tiny 2.0.0; its answer 'no' was not carried",
        "data.quality-checks: new in tiny 2.0.0, not answered yet",
        "data.catalogue: renamed to data.register in tiny 3.0.0",
        "governance.board: the answer 1 is now 2",
    ]


@pytest.mark.parametrize(("start", "goal", "error", "expected"), [
    ("1.0.0", "9.0.0", UnknownVersionError,
     "'tiny' has no version 9.0.0 here (known versions: 1.0.0, 2.0.0, 3.0.0); add its file to "
     "questionnaires/library/archive/tiny/"),
    ("2.0.0", "1.0.0", MigrationError,
     "no migration path for 'tiny' from 2.0.0 to 1.0.0: no version declares `migrations: - from: 2.0.0` on the way there"),
    ("0.5.0", "2.0.0", MigrationError,
     "no migration path for 'tiny' from 0.5.0 to 2.0.0: no version declares `migrations: - from: 0.5.0` on the way there"),
], ids=["unknown-version", "backwards", "no-entry"])
def test_a_version_out_of_reach_is_a_clear_error(versions, start, goal, error, expected):
    with pytest.raises(error) as raised:
        migrate_response(response({}, start), versions, goal)
    assert raised.value.lines() == [expected]


@pytest.mark.parametrize(("version", "offered"), [("1.0.0", "3.0.0"), ("2.0.0", "3.0.0"), ("3.0.0", None), ("0.5.0", None)])
def test_the_newer_version_is_offered_only_when_a_migration_reaches_it(versions, version, offered):
    newer = newer_version(versions, "tiny", version)
    assert (newer.version if newer else None) == offered


# --- command line ----------------------------------------------------------------------------


def test_cli_migrate_writes_the_carried_answers_and_lists_what_changed(extra_folder, tmp_path):
    out = tmp_path / "new.yaml"
    result = CliRunner().invoke(main, ["migrate", str(DATA / "tiny-answers.yaml"), "--to", "2.0.0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "note: data.inventory: renamed to data.catalogue in tiny 2.0.0",
        "note: data.monitoring: dropped in tiny 2.0.0; its answer 'yes' was not carried",
        "note: data.quality-checks: new in tiny 2.0.0, not answered yet",
        f"wrote {out} (tiny 2.0.0)",
    ]
    carried = read_answers(out, find_questionnaire("tiny", "2.0.0"))
    assert carried.answers["data.catalogue"] == Answer(3)
    assert carried.answers["data.pipelines"] == Answer(2, "Nightly batch only")
    assert carried.organisation == "Example Corp" and carried.role == "executive"


@pytest.mark.parametrize(("version", "expected"), [
    ("7.0.0", "error: 'tiny' has no version 7.0.0 here (known versions: 1.0.0, 2.0.0); add its file to "
              "questionnaires/library/archive/tiny/\n"),
    ("1.0.0-beta", "error: 'tiny' has no version 1.0.0-beta here (known versions: 1.0.0, 2.0.0); add its file to "
                   "questionnaires/library/archive/tiny/\n"),
], ids=["unknown", "pre-release"])
def test_cli_migrate_to_an_unknown_version_fails_with_one_line(extra_folder, version, expected):
    result = run("migrate", str(DATA / "tiny-answers.yaml"), "--to", version)
    assert (result.exit_code, result.output) == (1, expected)


def test_cli_migrate_backwards_has_no_path(extra_folder, tmp_path):
    newer = tmp_path / "new.yaml"
    run("migrate", str(DATA / "tiny-answers.yaml"), "--to", "2.0.0", "--out", str(newer))
    result = run("migrate", str(newer), "--to", "1.0.0")
    assert (result.exit_code, result.output) == (1, "error: no migration path for 'tiny' from 2.0.0 to 1.0.0: no version "
                                                    "declares `migrations: - from: 2.0.0` on the way there\n")


def test_an_older_answers_file_is_scored_and_reported_with_its_own_version(extra_folder, tmp_path):
    result = run("score", str(DATA / "tiny-answers.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["questionnaire"] == {"id": "tiny", "version": "1.0.0",
                                                         "title": "Tiny test questionnaire"}
    report = tmp_path / "report.html"
    assert run("report", str(DATA / "tiny-answers.yaml"), "--html", "--out", str(report)).exit_code == 0
    assert "Tiny test questionnaire, version 1.0.0" in report.read_text(encoding="utf-8")


# --- storage and exports ------------------------------------------------------------------------


@pytest.fixture
def engine(engine, extra_folder, monkeypatch):
    """The test's database (tests/conftest.py), which the app, the commands and the workers open as the configured
    one."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    yield get_engine()
    dispose_all()


def test_carry_forward_replaces_the_answers_and_the_version_together(engine):
    stored = repo.create_assessment(engine, "tiny", "1.0.0", targets={"data": 2})
    repo.save_answers(engine, stored.id, {"data.inventory": Answer(3, "wiki"), "data.monitoring": Answer("yes")})
    repo.carry_forward(engine, stored.id, "2.0.0", {"data.catalogue": Answer(3, "wiki")}, {"data": 3})
    again = repo.find_assessment(engine, stored.token)
    assert (again.questionnaire_version, again.targets) == ("2.0.0", {"data": 3})
    assert repo.load_answers(engine, stored.id) == {"data.catalogue": Answer(3, "wiki")}


def test_a_failed_carry_forward_changes_nothing(engine):
    from questionnaires import AnswersError

    stored = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.save_answer(engine, stored.id, "data.inventory", 3)
    with pytest.raises(AnswersError):
        repo.carry_forward(engine, stored.id, "2.0.0", {"data.catalogue": Answer(3), "data.products": Answer("a\x00b")})
    assert repo.find_assessment(engine, stored.token).questionnaire_version == "1.0.0"
    assert repo.load_answers(engine, stored.id) == {"data.inventory": Answer(3, "")}


@pytest.fixture
def mixed(engine):
    """Rows on 1.0.0 and 2.0.0, and one on 0.9.0, which is not installed."""
    for version, question in (("1.0.0", "data.inventory"), ("2.0.0", "data.catalogue"), ("0.9.0", "data.old")):
        stored = repo.create_assessment(engine, "tiny", version)
        repo.save_answer(engine, stored.id, question, 2)
    return engine


WARNING = ("warning: 'tiny' 0.9.0 is not installed: its 1 responses are exported as raw answers, without scores; "
           "add that version to questionnaires/library/archive/ to score them")


def test_an_export_mixing_versions_writes_each_rows_version_and_never_fails(mixed, tmp_path):
    out = tmp_path / "all.csv"
    result = CliRunner().invoke(main, ["export", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [WARNING, f"wrote {out} (3 responses)"]
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    answered = [(r["participant"], r["version"], r["question"], r["value"], r["score"]) for r in rows if r["value"]]
    assert answered == [("A-0001", "1.0.0", "data.inventory", "2", "0.5"), ("A-0002", "2.0.0", "data.catalogue", "2", "0.5"),
                        ("A-0003", "0.9.0", "data.old", "2", "")]
    assert {r["version"] for r in rows} == {"1.0.0", "2.0.0", "0.9.0"}


def test_the_workbook_and_json_exports_of_mixed_versions_carry_each_version(mixed, tmp_path):
    book, answers = tmp_path / "all.xlsx", tmp_path / "all.json"
    assert run("export", "--format", "xlsx", "--out", str(book)).exit_code == 0
    assert run("export", "--format", "json", "--out", str(answers)).exit_code == 0
    sheet = load_workbook(book)["Responses"]
    header = [c.value for c in sheet[1]]
    versions = {row[header.index("version")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert versions == {"1.0.0", "2.0.0", "0.9.0"}
    assert [a["questionnaire_version"] for a in json.loads(answers.read_text())] == ["1.0.0", "2.0.0", "0.9.0"]


def test_a_wide_csv_over_several_versions_is_refused_with_the_versions(mixed, tmp_path):
    result = run("export", "--format", "csv", "--wide", "--out", str(tmp_path / "wide.csv"))
    assert (result.exit_code, result.output) == (1, "error: a wide CSV needs responses to one questionnaire version, got "
                                                    "'tiny' 1.0.0, 'tiny' 2.0.0, 'tiny' 0.9.0; use --workshop, or the long CSV\n")


# --- the app ---------------------------------------------------------------------------------


def test_an_assessment_on_the_older_version_keeps_working_and_continues_on_the_new_one(engine):
    stored = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.save_answers(engine, stored.id, {"data.inventory": Answer(3, "in the wiki"), "data.products": Answer("lake")})
    at = open_app("app_pages/assessment.py", a=stored.token)
    assert at.title[0].value == "Tiny test questionnaire"
    assert at.radio(key="q:data.inventory").value == 3
    at.radio(key="q:data.pipelines").set_value(2).run()
    assert repo.load_answers(engine, stored.id)["data.pipelines"] == Answer(2, "")

    at.button(key="continue_new_version").click().run()
    assert not at.exception, at.exception
    assert at.info[0].value.replace("\\", "") == (  # markdown escapes taken out
        "Continued on version 2.0.0 (from 1.0.0). What changed:\n\n"
        "- data.inventory: renamed to data.catalogue in tiny 2.0.0\n"
        "- data.products: the answer 'lake' is now 'platform'\n"
        "- data.quality-checks: new in tiny 2.0.0, not answered yet")
    assert repo.find_assessment(engine, stored.token).questionnaire_version == "2.0.0"
    assert repo.load_answers(engine, stored.id) == {"data.catalogue": Answer(3, "in the wiki"),
                                                    "data.products": Answer("platform", ""), "data.pipelines": Answer(2, "")}
    assert at.radio(key="q:data.catalogue").value == 3
    assert "continue_new_version" not in [b.key for b in at.button]


def test_an_assessment_on_the_newest_version_is_not_offered_a_move(engine):
    stored = repo.create_assessment(engine, "tiny", "2.0.0")
    at = open_app("app_pages/assessment.py", a=stored.token)
    assert "continue_new_version" not in [b.key for b in at.button]


def test_a_workshop_created_on_the_older_version_keeps_its_dashboard_and_its_version(engine):
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    participant = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, participant.id, "data.inventory", 4)
    at = open_app("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    assert at.title[0].value == "Workshop · Example Corp"
    assert at.caption[0].value.startswith("Tiny test questionnaire, version 1.0.0 · created ")
    assert not at.error
    answering = open_app("app_pages/assessment.py", a=participant.token)
    assert answering.radio(key="q:data.inventory").value == 4
    assert "continue_new_version" not in [b.key for b in answering.button]


def test_the_workshop_pdf_uses_the_workshops_own_version(engine):
    from ui.pdf_worker import render_workshop_pdf_bytes

    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    participant = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answer(engine, participant.id, "data.monitoring", "yes")
    cover = page_texts(render_workshop_pdf_bytes(workshop.id))[0]
    assert "Tiny test questionnaire, version 1.0.0" in " ".join(cover.split())


@pytest.mark.parametrize("questionnaire_id", ["ai-maturity", "quick-check"])
def test_every_published_version_stays_and_answers_to_2_1_0_carry_to_2_2_0_whole(questionnaire_id):
    library = shipped_library()
    assert library.known_versions(questionnaire_id) == ["1.0.0", "2.0.0", "2.1.0", "2.2.0", "3.0.0", "3.1.0"]
    older = library.get(questionnaire_id, "2.1.0")
    top = {q.id: older.options_for(q)[-1].value for q in older.questions if q.scored}
    answers = {qid: Answer([value] if older.question(qid).type == "multi" else value, "kept")
               for qid, value in top.items()}
    carried, notes = migrate_response(Response(questionnaire_id, "2.1.0", answers, "Example Corp"), library, "2.2.0")
    assert (carried.questionnaire_version, carried.answers) == ("2.2.0", answers)
    assert notes == [f"governance.approval-lead-time: new in {questionnaire_id} 2.2.0, not answered yet"]
