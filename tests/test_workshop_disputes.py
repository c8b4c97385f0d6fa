"""Disputed questions ranked by what they matter to the result, a short list even in a polarised room, decided
questions no longer open, and perception gaps read only from finished answers on both sides."""

from __future__ import annotations

import pytest

from scoring import Answer, Response
from scoring.workshop import (
    GAP_MIN_FINISHED,
    aggregate_workshop,
    disputes_at_most,
)

FULL = dict(data_inventory=2, data_pipelines=2, data_monitoring="no", data_products="lake", governance_board=1,
            governance_approval=1, governance_controls=["none"])


def response(**answers) -> Response:
    return Response("tiny", "1.0.0", {key.replace("_", ".", 1): Answer(value) for key, value in answers.items()})


def test_disputes_are_taken_heaviest_first_by_weight_domain_weight_and_impact(tiny):
    # All three lie four levels apart. Board: governance (domain weight 2), impact 3 -> 4 x 2 x 1.2 = 9.6;
    # pipelines: question weight 2, impact 2 -> 4 x 2 x 1.0 = 8; inventory: impact 3 -> 4 x 1.2 = 4.8.
    room = [("Executive", response(data_inventory=0, data_pipelines=0, governance_board=0)),
            ("Data & AI", response(data_inventory=4, data_pipelines=4, governance_board=4))]
    disputed = aggregate_workshop(tiny, room).disagreements
    assert [q.id for q in disputed] == ["governance.board", "data.pipelines", "data.inventory"]
    assert [q.dispute_weight for q in disputed] == pytest.approx([9.6, 8.0, 4.8])


def test_equal_weights_go_to_the_more_split_room_first(tiny):
    room = [("Executive", response(data_inventory=0, governance_board=1)),
            ("Data & AI", response(data_inventory=4, governance_board=3))]
    # inventory 4 levels x 1.2 = 4.8; board 2 levels x 2 x 1.2 = 4.8 -> a tie, broken by the standard deviation
    assert [q.id for q in aggregate_workshop(tiny, room).disagreements] == ["data.inventory", "governance.board"]


@pytest.mark.parametrize("scored, most", [(1, 1), (3, 1), (8, 3), (22, 8), (23, 8), (30, 10), (70, 10)])
def test_at_most_a_third_of_the_questions_and_never_more_than_ten_are_disputed(scored, most):
    assert disputes_at_most(scored) == most


def polarised(questionnaire, people: int = 7) -> list[tuple[str, Response]]:
    """A room split down the middle on every question: the first half at the top option, the rest at the lowest."""
    room = []
    for number in range(people):
        answers = {}
        for question in questionnaire.questions:
            options = questionnaire.options_for(question) if question.scored else ()
            if question.type in ("scale", "single") and options:
                ranked = sorted(options, key=lambda o: o.score)
                answers[question.id] = Answer((ranked[-1] if number < people // 2 + 1 else ranked[0]).value)
        role = "Executive" if number < people // 2 + 1 else "Data & AI"
        room.append((role, Response(questionnaire.id, questionnaire.version, answers)))
    return room


def test_a_polarised_room_gets_a_short_list_of_disputes_not_every_question(quick_check):
    result = aggregate_workshop(quick_check, polarised(quick_check))
    apart = [q for q in result.questions if q.apart]
    assert len(apart) == len(result.questions) == 26  # everything is apart ...
    assert len(result.disagreements) == disputes_at_most(26) == 9  # ... but only the nine that matter most are disputed
    assert result.apart_only == 26 - 9
    heaviest = sorted(q.dispute_weight for q in apart)[-9:]
    assert sorted(q.dispute_weight for q in result.disagreements) == heaviest


def test_a_decided_question_stays_listed_but_no_longer_counts_as_open(tiny):
    room = [("Executive", response(data_inventory=0, data_pipelines=0, governance_board=0)),
            ("Data & AI", response(data_inventory=4, data_pipelines=4, governance_board=4))]
    result = aggregate_workshop(tiny, room, {"governance.board": Answer(2, "The board meets, but rarely")})
    assert [q.id for q in result.disagreements] == ["governance.board", "data.pipelines", "data.inventory"]
    assert result.question("governance.board").decided
    assert [q.id for q in result.open_disagreements] == ["data.pipelines", "data.inventory"]


def gap_room(executives_finished: int, practitioners_finished: int, practitioners_answering: int = 0):
    """Executives who see data at the top, practitioners at the bottom; `*_finished` answered everything."""
    room = [("Executive", response(**{**FULL, "data_inventory": 4, "data_pipelines": 4}))
            for _ in range(executives_finished)]
    room += [("Data & AI", response(**{**FULL, "data_inventory": 0, "data_pipelines": 0}))
             for _ in range(practitioners_finished)]
    room += [("IT & engineering", response(data_inventory=0)) for _ in range(practitioners_answering)]
    return room


@pytest.mark.parametrize(
    "executives, practitioners, answering, too_few",
    [
        (2, 0, 1, True),  # one practitioner still answering: no gap from them
        (1, 2, 0, True),
        (2, 1, 3, True),
        (GAP_MIN_FINISHED, GAP_MIN_FINISHED, 0, False),
        (3, 2, 1, False),
    ],
)
def test_a_perception_gap_needs_two_finished_answers_on_each_side(tiny, executives, practitioners, answering, too_few):
    gap = aggregate_workshop(tiny, gap_room(executives, practitioners, answering)).role_gap("data")
    assert gap.too_few is too_few
    assert (gap.gap is None, gap.flagged) == (too_few, not too_few)
