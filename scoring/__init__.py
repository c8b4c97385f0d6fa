"""Scoring: one response -> result; many responses -> workshop result; next steps."""

from scoring.answers import (
    DONT_KNOW,
    NA,
    Answer,
    Response,
    dump_answers,
    parse_answers,
    read_answers,
    response_to_dict,
)
from scoring.engine import DomainResult, Overall, PhaseResult, QuestionResult, Result, Step, score_response
from scoring.serialize import result_to_dict

__all__ = [
    "DONT_KNOW",
    "NA",
    "Answer",
    "DomainResult",
    "Overall",
    "PhaseResult",
    "QuestionResult",
    "Response",
    "Result",
    "Step",
    "dump_answers",
    "parse_answers",
    "read_answers",
    "response_to_dict",
    "result_to_dict",
    "score_response",
]
