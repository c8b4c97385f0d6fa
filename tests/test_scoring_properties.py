"""Invariants of the scoring model, checked on generated responses (hypothesis)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaires.expressions import parse
from questionnaires.loader import shipped_paths
from questionnaires import load_questionnaire
from scoring import DONT_KNOW, NA, Answer, Response, score_response
from tests.conftest import DATA

QUESTIONNAIRES = [load_questionnaire(DATA / "tiny.yaml")] + [load_questionnaire(p) for p in shipped_paths()]
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# An archived version whose every kind of question (see `kinds`) is also found in the tiny questionnaire or a
# current version runs through the same engine code paths as they do and differs only in content (texts, ids, how
# many questions of each kind): its properties get fewer examples. Every other questionnaire keeps full strength.
SAME_STRUCTURE_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=20)


def referenced(questionnaire) -> set[str]:
    """Questions some visible_if depends on: changing them may show or hide others."""
    return {name for q in questionnaire.questions if q.visible_if for name in parse(q.visible_if).references}


def kinds(questionnaire) -> set[tuple]:
    """Each kind of question the questionnaire has: everything about a question that the scoring engine branches on
    (type, visibility, whether it shapes others, the answers it allows, scoring, weight, critical, track, business
    models), leaving out its content."""
    shaping = referenced(questionnaire)
    return {(q.type, bool(q.visible_if), q.id in shaping, q.allow_dont_know, q.allow_na, q.scored, q.weight != 1,
             q.critical, q.track, bool(q.business_models)) for q in questionnaire.questions}


def newest(questionnaires) -> list:
    """The newest version of each questionnaire given (archived versions keep their old rules)."""
    newest = {}
    for questionnaire in questionnaires:
        version = tuple(int(part) for part in questionnaire.version.split("."))
        if questionnaire.id not in newest or version > newest[questionnaire.id][0]:
            newest[questionnaire.id] = (version, questionnaire)
    return [questionnaire for _, questionnaire in newest.values()]


NEWEST = newest(QUESTIONNAIRES)  # the tiny questionnaire and the newest version of each shipped one
FULL_STRENGTH_KINDS = set().union(*(kinds(q) for q in NEWEST))


def strength(questionnaire) -> settings:
    """Full strength for the tiny questionnaire, the current versions and any archived version with a kind of
    question none of them has; fewer examples for an archived version built only of kinds they already exercise."""
    if any(questionnaire is q for q in NEWEST) or not kinds(questionnaire) <= FULL_STRENGTH_KINDS:
        return PROPERTY_SETTINGS
    return SAME_STRUCTURE_SETTINGS


def choices(questionnaire, question) -> list:
    values = [o.value for o in questionnaire.options_for(question)]
    if question.type == "multi":
        values = [[v] for v in values] + [values[:2]]
    return values + [DONT_KNOW] * question.allow_dont_know + [NA] * question.allow_na + [None]


def asked_choices(questionnaire, dont_know: bool = True) -> list[tuple[str, list]]:
    """Each scored question's id and its choices (don't know among them when `dont_know`)."""
    return [(question.id, [c for c in choices(questionnaire, question) if dont_know or c != DONT_KNOW])
            for question in questionnaire.questions if question.scored]


def picked(asked: list[tuple[str, list]], picks: bytes) -> dict:
    """The answers one byte per question picks among its choices (`asked_choices`); a question left out is absent."""
    answers = {}
    for (question_id, options), pick in zip(asked, picks):
        value = options[pick % len(options)]
        if value is not None:
            answers[question_id] = Answer(value)
    return answers


def answer_sets(questionnaire, dont_know: bool = True):
    """Any answers to the scored questions: each one of its choices (don't know among them when `dont_know`), or left
    out, every choice about as likely as the others. Each question's choices are worked out once, when the strategy is
    built, not again for every example."""
    asked = asked_choices(questionnaire, dont_know)

    def answered(picks: bytes) -> dict:
        return picked(asked, picks)

    # One byte picks each question's choice, all drawn at once: a draw per question made generating an example cost
    # more than scoring it. With at most eleven choices the remainder favours none by more than one in 23, answers
    # spread over the choices as a draw per question spread them, and shrinking still lowers every byte, so every
    # answer, towards its first choice.
    return st.binary(min_size=len(asked), max_size=len(asked)).map(answered)


def responses(questionnaire, organisation: str = ""):
    """Any response to the scored questions (see `answer_sets`)."""
    return answer_sets(questionnaire).map(
        lambda answers: Response(questionnaire.id, questionnaire.version, answers, organisation=organisation))


def with_answer(response: Response, question_id: str, value) -> Response:
    answers = dict(response.answers)
    answers[question_id] = Answer(value)
    return Response(response.questionnaire, response.questionnaire_version, answers)


def rising_pairs(questionnaire, question):
    """(lower, higher) option values of a single-valued question."""
    options = sorted(questionnaire.options_for(question), key=lambda o: o.score)
    return [(a.value, b.value) for a in options for b in options if a.score < b.score]


@pytest.mark.parametrize("questionnaire", QUESTIONNAIRES, ids=lambda q: q.id)
def test_raising_one_answer_never_lowers_its_domain_index_or_the_overall_index(questionnaire):
    shaping = referenced(questionnaire)
    independent = [q for q in questionnaire.questions  # shown whatever else is answered, and shaping nothing else
                   if q.type in ("scale", "single", "yes_no") and q.id not in shaping and not q.visible_if]
    pairs = {q.id: st.sampled_from(rising_pairs(questionnaire, q)) for q in independent}  # once, not per example

    @strength(questionnaire)
    @given(response=responses(questionnaire), data=st.data())
    def check(response, data):
        question = data.draw(st.sampled_from(independent))
        low, high = data.draw(pairs[question.id])
        before = score_response(questionnaire, with_answer(response, question.id, low))
        after = score_response(questionnaire, with_answer(response, question.id, high))
        assert after.domain(question.domain).index >= before.domain(question.domain).index
        assert after.overall.index >= before.overall.index - 1e-12

    check()


@pytest.mark.parametrize("questionnaire", [q for q in QUESTIONNAIRES if any(x.allow_na for x in q.questions)], ids=lambda q: q.id)
def test_setting_a_question_to_na_never_changes_another_questions_contribution(questionnaire):
    shaping = referenced(questionnaire)
    candidates = [q for q in questionnaire.questions if q.allow_na and q.id not in shaping]

    @strength(questionnaire)
    @given(response=responses(questionnaire), data=st.data())
    def check(response, data):
        question = data.draw(st.sampled_from(candidates))
        before = score_response(questionnaire, response)
        after = score_response(questionnaire, with_answer(response, question.id, NA))
        for qid, result in after.questions.items():
            if qid != question.id:
                assert result.score == before.questions[qid].score

    check()


@pytest.mark.parametrize("questionnaire", QUESTIONNAIRES, ids=lambda q: q.id)
def test_a_domain_that_misses_phase_one_never_achieves_a_later_phase(questionnaire):
    @strength(questionnaire)
    @given(response=responses(questionnaire))
    def check(response):
        for domain in score_response(questionnaire, response).domains:
            if not domain.phases[0].attained:
                assert domain.achieved == 0
                assert domain.index is None or domain.index < 1

    check()


@pytest.mark.parametrize("questionnaire", QUESTIONNAIRES, ids=lambda q: q.id)
def test_the_same_input_always_gives_the_same_ranking(questionnaire):
    @strength(questionnaire)
    @given(response=responses(questionnaire), seed=st.integers(0, 2**32))
    def check(response, seed):
        shuffled = list(response.answers.items())
        random.Random(seed).shuffle(shuffled)
        again = Response(response.questionnaire, response.questionnaire_version, dict(shuffled))
        first, second = score_response(questionnaire, response), score_response(questionnaire, again)
        assert [(s.question, s.priority) for s in first.actions] == [(s.question, s.priority) for s in second.actions]
        assert first.overall == second.overall

    check()


@pytest.mark.parametrize("questionnaire", QUESTIONNAIRES, ids=lambda q: q.id)
def test_index_stays_between_zero_and_four_and_matches_achieved(questionnaire):
    @strength(questionnaire)
    @given(response=responses(questionnaire))
    def check(response):
        result = score_response(questionnaire, response)
        for domain in result.domains:
            if domain.assessed:
                assert domain.achieved <= domain.index <= 4
                assert domain.index < domain.achieved + 1 or domain.achieved == 4
        assert 0 <= result.overall.index <= 4
        assert result.overall.phase == min(result.overall.achieved + 1, 4)

    check()
