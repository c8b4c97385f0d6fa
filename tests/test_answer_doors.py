"""An answer its question does not allow is refused at every door: in an answers file and by storage, whoever
calls it, with the same words, and nothing of a refused save is stored. The `number` type is tested like the
others: recorded within its bounds, never scored."""

from __future__ import annotations

import pytest

from questionnaires import load_questionnaire
from questionnaires.errors import AnswersError
from scoring import parse_answers, score_response
from scoring.answers import Answer, Response
from storage import repository as repo
from tests.conftest import DATA

NUMBER_QUESTION = """
  - id: data.team-size
    domain: data
    phase: 1
    type: number
    min: 0
    max: 100
    required: false
    text: How many people work on data full time?
"""


@pytest.fixture
def numbers(tmp_path, monkeypatch):
    """The tiny questionnaire with a number question, offered from the configured extra folder."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    text = (DATA / "tiny.yaml").read_text(encoding="utf-8").replace("id: tiny\n", "id: tiny-numbers\n", 1)
    text = text.replace("\npilots:\n", NUMBER_QUESTION + "pilots:\n", 1)
    (folder / "tiny-numbers.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(folder))
    return load_questionnaire(folder / "tiny-numbers.yaml")


def file_problem(questionnaire, question_id: str, value) -> str:
    """What an answers file holding this answer is told, without its file and line."""
    text = (f"format: phasegate-answers/1\nquestionnaire: {questionnaire.id}\n"
            f"questionnaire_version: {questionnaire.version}\nanswers:\n  {question_id}: {value}\n")
    with pytest.raises(AnswersError) as refused:
        parse_answers(text, "answers.yaml", questionnaire)
    [line] = refused.value.lines()
    return line.split(" ", 1)[1]  # "answers.yaml:5 answers.data.inventory: ..." -> "answers.data.inventory: ..."


def stored(engine, assessment_id: int) -> dict:
    return {qid: answer.value for qid, answer in repo.load_answers(engine, assessment_id).items()}


@pytest.mark.parametrize("question_id, value", [
    ("data.inventory", 99),  # a 0-4 scale
    ("data.inventory", "maybe"),
    ("data.team-size", 150),  # above its maximum
    ("data.team-size", -1),  # below its minimum
    ("data.team-size", "many"),
    ("governance.board", "na"),  # not applicable is not offered there
    ("governance.controls", ["bias", "none"]),  # "None of these" is chosen alone
])
def test_storage_refuses_what_an_answers_file_refuses_in_the_same_words(engine, numbers, question_id, value):
    assessment = repo.create_assessment(engine, numbers.id, numbers.version)
    repo.save_answer(engine, assessment.id, "data.inventory", 2)
    with pytest.raises(AnswersError) as refused:
        repo.save_answer(engine, assessment.id, question_id, value)
    assert str(refused.value) == file_problem(numbers, question_id, value)
    assert stored(engine, assessment.id) == {"data.inventory": 2}  # what was saved before is kept


def test_a_question_the_questionnaire_does_not_ask_is_refused(engine, numbers):
    assessment = repo.create_assessment(engine, numbers.id, numbers.version)
    with pytest.raises(AnswersError, match="unknown question id 'data.nothing' in 'tiny-numbers' 1.0.0"):
        repo.save_answer(engine, assessment.id, "data.nothing", 2)
    with pytest.raises(AnswersError, match="unknown question id"):
        repo.save_note(engine, assessment.id, "data.nothing", "a note")
    assert stored(engine, assessment.id) == {}


def test_one_wrong_answer_among_many_stores_none_of_them(engine, numbers):
    assessment = repo.create_assessment(engine, numbers.id, numbers.version)
    with pytest.raises(AnswersError, match="answers.data.team-size: must be at most 100, got 101"):
        repo.save_answers(engine, assessment.id, {"data.inventory": Answer(3), "data.team-size": Answer(101)})
    assert stored(engine, assessment.id) == {}
    response = Response(numbers.id, numbers.version, {"data.inventory": Answer(7)})
    with pytest.raises(AnswersError, match="answers.data.inventory: 7 is not an option"):
        repo.import_response(engine, response)


def test_a_number_within_its_bounds_is_recorded_and_never_scored(engine, numbers):
    assessment = repo.create_assessment(engine, numbers.id, numbers.version)
    for value in (0, 42, 100, 12.5):
        repo.save_answer(engine, assessment.id, "data.team-size", value)
        assert stored(engine, assessment.id) == {"data.team-size": value}
    repo.save_answer(engine, assessment.id, "data.inventory", 3)
    given = repo.load_answers(engine, assessment.id)
    with_number = score_response(numbers, Response(numbers.id, numbers.version, given))
    without = score_response(numbers, Response(numbers.id, numbers.version, {"data.inventory": given["data.inventory"]}))
    assert with_number.questions["data.team-size"].score is None
    assert with_number.domain("data").attainment() == without.domain("data").attainment()
    assert with_number.overall.index == without.overall.index


def test_answers_to_a_version_not_installed_here_are_stored_as_given(engine):
    assessment = repo.create_assessment(engine, "retired-questionnaire", "0.9.0")
    repo.save_answer(engine, assessment.id, "data.anything", 7)
    assert stored(engine, assessment.id) == {"data.anything": 7}
