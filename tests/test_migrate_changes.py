"""`migrate` says what changed: answers to a question whose meaning changed are marked for confirmation, N/A is
offered where a version newly allows it, each new question names the version that introduced it, and the file's
comments and layout survive."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from cli import main
from questionnaires import QuestionnaireError, parse_questionnaire
from questionnaires.loader import Library, load_questionnaire, shipped_library
from scoring.answers import Answer, Response, parse_answers, read_answers
from scoring.migrate import CHANGED, carry, migrated_text
from tests.conftest import DATA

TINY_1 = (DATA / "tiny.yaml").read_text(encoding="utf-8")
TINY_2 = (DATA / "tiny-2.0.0.yaml").read_text(encoding="utf-8")
# 3.0.0 migrates straight from 1.0.0 as well as from 2.0.0; the board question now asks something else, and the
# pipelines question may be answered N/A.
TINY_3 = TINY_2.replace("version: 2.0.0", "version: 3.0.0").replace(
    "    text: Are data pipelines automated?\n", "    text: Are data pipelines automated?\n    allow_na: true\n").replace(
    """  - from: 1.0.0
    renamed: {data.inventory: data.catalogue}
""", """  - from: 2.0.0
    changed: {governance.board: "it now asks whether the board decides, not whether one meets"}
  - from: 1.0.0
    changed: {governance.board: "it now asks whether the board decides, not whether one meets"}
    renamed: {data.inventory: data.catalogue}
""")

COMMENTED = """\
# Example Corp, answered in the March workshop
format: phasegate-answers/1
questionnaire: tiny
questionnaire_version: 1.0.0
organisation: Example Corp
targets:
  data: 3        # agreed with the CDO
answers:
  # data first
  data.inventory: 3   # from the wiki
  data.pipelines: {value: 2, note: "Nightly batch only"}
  data.monitoring: "yes"
  governance.board: 1   # minutes checked
  governance.controls:
  - bias
  - audit
"""


@pytest.fixture(scope="module")
def versions() -> Library:
    return Library({"tiny": {"1.0.0": load_questionnaire(DATA / "tiny.yaml"),
                             "2.0.0": load_questionnaire(DATA / "tiny-2.0.0.yaml"),
                             "3.0.0": parse_questionnaire(TINY_3, "tiny-3.0.0.yaml")}})


def given(version: str = "1.0.0", **values) -> Response:
    return Response("tiny", version, {qid.replace("_", "."): Answer(v) for qid, v in values.items()})


def test_an_answer_to_a_question_whose_meaning_changed_is_carried_and_marked_to_confirm(versions):
    carried = carry(given(governance_board=1, governance_budget=4), versions, "3.0.0")
    assert carried.response.answers["governance.board"] == Answer(1)
    assert carried.confirm == {"governance.board": "it now asks whether the board decides, not whether one meets"}
    assert (f"governance.board: {CHANGED} (it now asks whether the board decides, not whether one meets)"
            in carried.notes)
    assert not any(line.startswith("governance.budget") for line in carried.notes)


def test_a_changed_question_without_an_answer_asks_nothing(versions):
    assert carry(given(governance_budget=4), versions, "3.0.0").confirm == {}


def test_n_a_newly_allowed_is_offered_for_an_answered_question(versions):
    notes = carry(given(data_pipelines=0, data_inventory=2), versions, "3.0.0").notes
    assert ("data.pipelines: may now be answered N/A (not applicable) in tiny 3.0.0; change the answer to N/A if the "
            "practice does not apply") in notes
    assert not any(line.startswith("data.catalogue: may now") for line in notes)  # it allowed N/A before


def test_a_new_question_names_the_version_that_introduced_it_even_on_a_direct_migration(versions):
    notes = carry(given(data_inventory=3), versions, "3.0.0").notes
    assert "data.quality-checks: new in tiny 2.0.0, not answered yet" in notes


def test_a_rename_and_a_change_in_one_step_mark_the_new_id(versions):
    library = Library({"tiny": {"1.0.0": versions.versions["tiny"]["1.0.0"], "3.0.0": parse_questionnaire(
        TINY_3.replace('changed: {governance.board: "it now asks whether the board decides, not whether one meets"}\n'
                       "    renamed: {data.inventory: data.catalogue}",
                       'changed: {data.catalogue: "it counts data products now"}\n'
                       "    renamed: {data.inventory: data.catalogue}"), "tiny-3.0.0.yaml")}})
    carried = carry(given(data_inventory=3), library, "3.0.0")
    assert carried.confirm == {"data.catalogue": "it counts data products now"}
    assert carried.origin == {"data.catalogue": "data.inventory"}


def test_a_changed_id_that_the_version_does_not_ask_is_a_located_error():
    with pytest.raises(QuestionnaireError) as raised:
        parse_questionnaire(TINY_3.replace("changed: {governance.board:", "changed: {governance.boardroom:", 1),
                            "tiny-3.0.0.yaml")
    assert any("migrations[0].changed.governance.boardroom: 'governance.boardroom' is not a question of tiny 3.0.0"
               in line for line in raised.value.lines())


def test_the_rewritten_file_keeps_comments_order_and_layout_and_reads_back_as_the_carried_answers(versions):
    response = parse_answers(COMMENTED, "answers.yaml", versions.versions["tiny"]["1.0.0"])
    carried = carry(response, versions, "3.0.0")
    text = migrated_text(COMMENTED, carried)
    lines = text.splitlines()
    assert lines[0] == "# Example Corp, answered in the March workshop"
    assert "  data: 3        # agreed with the CDO" in lines
    assert "  # data first" in lines
    assert "  data.catalogue: 3   # from the wiki" in lines  # renamed in its place, its comment kept
    assert f"  governance.board: 1   # {CHANGED}; minutes checked" in lines
    assert "data.monitoring" not in text  # dropped, and listed in the notes
    assert "questionnaire_version: 3.0.0" in lines
    keys = [line.split(":")[0].strip() for line in lines[lines.index("answers:") + 1:] if line.startswith("  ")
            and not line.lstrip().startswith(("#", "-"))]
    assert keys == ["data.catalogue", "data.pipelines", "governance.board", "governance.controls"]
    again = parse_answers(text, "answers.yaml", versions.versions["tiny"]["3.0.0"])
    assert (again.answers, again.targets, again.questionnaire_version) == (
        carried.response.answers, carried.response.targets, "3.0.0")


SECTIONED = """\
# Example Corp, answered on ai-maturity 2.2.0
format: phasegate-answers/1
questionnaire: ai-maturity
questionnaire_version: 2.2.0
organisation: Example Corp
answers:
  # --- Organisation ---
  organization.incentives: 2
  # --- Economics ---
  economics.unit-costs: 3   # from the finance team
  # --- MLOps ---
  # answered by the platform lead
  data.lineage: 2
"""


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]


def test_a_section_comment_after_an_answer_marked_to_confirm_stays_on_its_own_line():
    library = shipped_library()
    carried = carry(parse_answers(SECTIONED, "answers.yaml", library.get("ai-maturity", "2.2.0")), library, "3.0.0")
    assert set(carried.confirm) == {"organization.incentives", "economics.unit-costs"}
    text = migrated_text(SECTIONED, carried)
    assert comment_lines(text) == comment_lines(SECTIONED)
    lines = text.splitlines()
    assert f"  organization.incentives: 2 # {CHANGED}" in lines
    assert f"  economics.unit-costs: 3   # {CHANGED}; from the finance team" in lines
    assert parse_answers(text, "answers.yaml", library.get("ai-maturity", "3.0.0")).answers == carried.response.answers


@pytest.fixture(scope="module")
def dropping(versions) -> Library:
    """tiny 1.0.0, and a 3.0.0 that drops the notes question as well as the monitoring one."""
    notes = TINY_3.index("  - id: governance.notes")
    text = (TINY_3[:notes] + TINY_3[TINY_3.index("migrations:"):]).replace(
        "dropped: [data.monitoring]", "dropped: [data.monitoring, governance.notes]")
    return Library({"tiny": {"1.0.0": versions.versions["tiny"]["1.0.0"],
                             "3.0.0": parse_questionnaire(text, "tiny-3.0.0.yaml")}})


ANSWERS_1 = "format: phasegate-answers/1\nquestionnaire: tiny\nquestionnaire_version: 1.0.0\nanswers:\n"
DROPPED = ("data.monitoring", "governance.notes")


def outline(text: str) -> list[str]:
    """Each comment line and each answer's id, in the order the file reads them."""
    return [line.strip() if line.lstrip().startswith("#") else line.split(":")[0].strip()
            for line in text.splitlines() if line.lstrip().startswith("#") or re.match(r"  [a-z]", line)]


def migrated_with(library: Library, answers: str) -> tuple[str, str]:
    """An answers file on tiny 1.0.0 with these answers, and its text carried to 3.0.0."""
    source = ANSWERS_1 + answers
    carried = carry(parse_answers(source, "answers.yaml", library.versions["tiny"]["1.0.0"]), library, "3.0.0")
    text = migrated_text(source, carried)
    assert parse_answers(text, "answers.yaml", library.versions["tiny"]["3.0.0"]).answers == carried.response.answers
    return source, text


@pytest.mark.parametrize("answers", [
    pytest.param('  # --- Data ---\n  data.inventory: 3\n  data.monitoring: "yes"   # about the dropped answer\n'
                 "  # --- Governance ---\n  governance.board: 1\n", id="a heading after a dropped answer"),
    pytest.param('  # --- Data ---\n  data.monitoring: "yes"\n  # --- Pipelines ---\n  data.pipelines: 2\n',
                 id="a heading after a dropped first answer"),
    pytest.param('  data.monitoring: "yes"\n  # --- Governance ---\n  governance.board: 1\n',
                 id="a heading after a dropped first answer, none before it"),
    pytest.param('  data.inventory: 3   # from the wiki\n  # --- Monitoring ---\n  data.monitoring: "yes"\n'
                 "  # --- Notes ---\n  governance.notes: none\n\n  # --- Governance ---\n  governance.board: 1\n",
                 id="headings around two dropped answers in a row"),
    pytest.param('  data.monitoring:\n    value: "yes"\n    # about the dropped answer\n    note: checked twice\n'
                 "  # --- Governance ---\n  governance.board: 1\n", id="a heading after a dropped answer with a note"),
    pytest.param("  governance.board: 1\n  governance.controls:\n  - bias\n"
                 "  governance.notes: none   # about the dropped answer\n  # reviewed by the CDO\n",
                 id="a closing line after a dropped last answer, after a block list"),
    pytest.param('  governance.controls: [bias]\n  # --- Monitoring ---\n  data.monitoring: "yes"\n'
                 "  governance.board: 1\n  governance.approval:\n    value: dont_know\n    note: ask\n"
                 "  governance.notes: none\n  # closing\n", id="a heading after a flow list, before a dropped answer"),
])
def test_every_comment_line_not_about_a_dropped_answer_itself_survives_in_its_place(dropping, answers):
    source, text = migrated_with(dropping, answers)
    renamed = {"data.inventory": "data.catalogue"}
    assert outline(text) == [renamed.get(line, line) for line in outline(source)
                             if line not in DROPPED and "about the dropped answer" not in line]


def test_a_file_whose_every_answer_is_dropped_keeps_its_headings_before_the_empty_answers(dropping):
    _, text = migrated_with(dropping, '  # --- Data ---\n  data.monitoring: "yes"   # about the dropped answer\n'
                                      "  # --- Governance ---\n  governance.notes: none\n")
    assert text.endswith("questionnaire_version: 3.0.0\n# --- Data ---\n# --- Governance ---\nanswers: {}\n")


@pytest.mark.parametrize(("answers", "kept"), [
    ("  governance.controls: [bias, audit]\n", "  governance.controls: [bias, audit]"),
    ("  governance.controls:\n  - bias   # seen in the audit\n  - audit\n", "  - bias   # seen in the audit"),
    ("  governance.controls:\n    value: [bias]\n    note: checked\n", "    value: [bias]"),
], ids=["a flow list", "a block list with a comment on an item", "a flow list with a note"])
def test_a_list_answer_keeps_its_flow_or_block_style_and_its_items_comments(versions, answers, kept):
    assert kept in migrated_with(versions, answers)[1].splitlines()


def test_the_pilot_register_keeps_its_lines_as_written():
    library = shipped_library()
    bank = (DATA.parent.parent / "examples" / "golden-bank.yaml").read_text(encoding="utf-8")
    pilots = bank[bank.index("pilots:"):bank.index("answers:")]
    source = ("format: phasegate-answers/1\nquestionnaire: ai-maturity\nquestionnaire_version: 3.0.0\n"
              "organisation: Harbour Bank\n" + pilots +
              "answers:\n  data.labelling: 3\n  data.quality-standards: 2  # checked in March\n")
    assert "\n     blockers: [governance.approval-queue]" in pilots  # an entry wrapped over several lines
    carried = carry(parse_answers(source, "bank.yaml", library.get("ai-maturity", "3.0.0")), library, "3.1.0")
    text = migrated_text(source, carried)
    assert pilots in text and "questionnaire_version: 3.1.0" in text
    assert parse_answers(text, "bank.yaml", library.get("ai-maturity", "3.1.0")).pilots == carried.response.pilots


def test_a_json_answers_file_is_written_anew_and_reads_back(versions):
    source = '{"format": "phasegate-answers/1", "questionnaire": "tiny", "questionnaire_version": "1.0.0", ' \
             '"answers": {"data.inventory": 3, "governance.board": 1}}'
    carried = carry(parse_answers(source, "answers.json"), versions, "3.0.0")
    again = parse_answers(migrated_text(source, carried), "answers.yaml")
    assert again.answers == {"data.catalogue": Answer(3), "governance.board": Answer(1)}


def test_cli_migrate_keeps_the_comments_and_names_the_answers_to_confirm(tmp_path, monkeypatch):
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "tiny.yaml").write_text(TINY_1, encoding="utf-8")
    (folder / "tiny-2.0.0.yaml").write_text(TINY_2, encoding="utf-8")
    (folder / "tiny-3.0.0.yaml").write_text(TINY_3, encoding="utf-8")
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(folder))
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    source, out = tmp_path / "answers.yaml", tmp_path / "new.yaml"
    source.write_text(COMMENTED, encoding="utf-8")
    result = CliRunner().invoke(main, ["migrate", str(source), "--to", "3.0.0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (f"note: governance.board: {CHANGED} (it now asks whether the board decides, not whether one meets)"
            in result.stderr.splitlines())
    assert "note: data.quality-checks: new in tiny 2.0.0, not answered yet" in result.stderr.splitlines()
    written = out.read_text(encoding="utf-8")
    assert written.startswith("# Example Corp, answered in the March workshop\n")
    assert read_answers(out).answers["data.catalogue"] == Answer(3)


def shipped_versions() -> list[tuple[str, str]]:
    library = shipped_library()
    return [(qid, version) for qid in sorted(library.versions) for version in library.known_versions(qid)[:-1]]


@pytest.mark.parametrize(("questionnaire_id", "version"), shipped_versions())
def test_every_earlier_shipped_version_carries_every_answer_to_the_newest(questionnaire_id, version):
    """An answer to every question of an earlier version reaches the newest version or is named in a note."""
    library = shipped_library()
    old = library.versions[questionnaire_id][version]
    answers = {q.id: Answer("dont_know" if q.allow_dont_know else None, "kept") for q in old.questions}
    newest = library.find(questionnaire_id).version
    carried = carry(Response(questionnaire_id, version, answers), library, newest)
    named = {line.split(":")[0] for line in carried.notes}
    for question in old.questions:
        assert question.id in carried.origin.values() or question.id in named, question.id
    assert all(answer.note == "kept" for answer in carried.response.answers.values())


def test_continuing_on_a_new_version_marks_each_changed_answer_to_confirm_in_the_app(database_url, monkeypatch, versions):
    from storage import dispose_all, get_engine
    from storage import repository as repo

    monkeypatch.setenv("DATABASE_URL", database_url)
    try:
        engine = get_engine()
        stored = repo.create_assessment(engine, "tiny", "1.0.0")
        repo.save_answers(engine, stored.id, {"data.inventory": Answer(3), "governance.board": Answer(1)})
        carried = carry(given(data_inventory=3, governance_board=1), versions, "3.0.0")
        repo.carry_forward(engine, stored.id, "3.0.0", carried.response.answers, confirm=carried.confirm)
        assert repo.carried_over_ids(engine, stored.id) == {"governance.board"}
        repo.confirm_answers(engine, stored.id, ["governance.board"])
        assert repo.carried_over_ids(engine, stored.id) == set()
    finally:
        dispose_all()


def test_in_the_app_an_answer_whose_question_changed_is_marked_to_confirm_after_continuing(monkeypatch, tmp_path):
    from storage import dispose_all, get_engine
    from storage import repository as repo
    from tests.conftest import open_page

    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "tiny.yaml").write_text(TINY_1, encoding="utf-8")
    (folder / "tiny-3.0.0.yaml").write_text(TINY_3, encoding="utf-8")
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(folder))
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    try:
        engine = get_engine()
        stored = repo.create_assessment(engine, "tiny", "1.0.0")
        repo.save_answers(engine, stored.id, {"data.inventory": Answer(3), "governance.board": Answer(1)})
        at = open_page("app_pages/assessment.py", a=stored.token)
        at.button(key="continue_new_version").click().run()
        assert not at.exception, at.exception
        assert repo.carried_over_ids(engine, stored.id) == {"governance.board"}
        notes = " ".join(info.value for info in at.info).replace("\\", "")  # shown as typed: markdown escaped
        assert f"governance.board: {CHANGED} (it now asks whether the board decides" in notes
        assert ("1 answer is carried over from the earlier version of the questionnaire, whose question changed "
                "meaning.") in notes
    finally:
        dispose_all()
