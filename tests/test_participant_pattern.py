"""How the facilitator tells participants apart and spots strays: role, times, answers, don't-knows and a patternflag, worked out from what is stored (no scoring)."""

from __future__ import annotations

import datetime as dt

import pytest

import services
from scoring.answers import Answer, Response
from storage import repository as repo
from storage import workshops as ws
from storage.engine import dispose_all

JOINED = dt.datetime(2026, 11, 26, 9, 12, tzinfo=dt.timezone.utc)


def participant(values: list, *, role: str | None = "Executive", minutes: float | None = 20) -> ws.Participant:
    finished = JOINED + dt.timedelta(minutes=minutes) if minutes is not None else None
    assessment = repo.Assessment(1, "", "tiny", "1.0.0", role=role, workshop_id=1, created_at=JOINED,
                                 updated_at=finished or JOINED, finished_at=finished)
    answers = {f"q{n}": Answer(value) for n, value in enumerate(values)}
    return ws.Participant("P-004", assessment, Response("tiny", "1.0.0", answers))


@pytest.mark.parametrize(("values", "minutes", "expected"), [
    ([2, 3, 1, 2, "dont_know"], 20,
     "P-004 · Executive · joined 26 Nov 09:12 UTC · finished 26 Nov 09:32 UTC · 5 answers · 1 don't know"),
    ([2, 3], None, "P-004 · Executive · joined 26 Nov 09:12 UTC · not finished · 2 answers · 0 don't know"),
    ([], None, "P-004 · Executive · joined 26 Nov 09:12 UTC · not finished · 0 answers · 0 don't know"),
    ([1], None, "P-004 · Executive · joined 26 Nov 09:12 UTC · not finished · 1 answer · 0 don't know"),
    ([3, 3, 3, 3, 3], 20, "P-004 · Executive · joined 26 Nov 09:12 UTC · finished 26 Nov 09:32 UTC · 5 answers · "
                          "0 don't know · all answers equal"),
    ([3, 3, 3, 3, 2], 0.5, "P-004 · Executive · joined 26 Nov 09:12 UTC · finished 26 Nov 09:12 UTC · 5 answers · "
                           "0 don't know · whole questionnaire in under a minute"),
    (["yes"] * 6, 0.2, "P-004 · Executive · joined 26 Nov 09:12 UTC · finished 26 Nov 09:12 UTC · 6 answers · "
                       "0 don't know · all answers equal · whole questionnaire in under a minute"),
], ids=["plain", "not-finished", "nothing-yet", "one-answer", "all-equal", "under-a-minute", "both"])
def test_a_participant_is_described_by_role_times_answers_doubts_and_pattern(values, minutes, expected):
    assert participant(values, minutes=minutes).describe() == expected


@pytest.mark.parametrize(("values", "minutes", "patterns"), [
    ([3, 3, 3, 3], 20, ()),  # four equal answers are too few to call a pattern
    ([3, 3, 3, 3, "dont_know", "na"], 20, ()),  # don't know and n/a are not answers that can be equal
    ([3, 3, 3, 3, 3, "dont_know"], 20, ("all answers equal",)),
    ([["a", "b"]] * 5, 20, ("all answers equal",)),  # lists compare by content
    ([["a", "b"]] * 4 + [["b"]], 20, ()),
    ([1, 2, 3, 4, 0], 1, ()),  # exactly a minute is not under a minute
    ([1, 2, 3, 4, 0], 59 / 60, ("whole questionnaire in under a minute",)),
    ([1, 2, 3, 4, 0], None, ()),  # still answering: no time taken yet
], ids=["four-equal", "doubts-not-counted", "equal-besides-a-doubt", "equal-lists", "different-lists",
        "one-minute", "fifty-nine-seconds", "not-finished"])
def test_a_pattern_is_flagged_only_when_it_is_there(values, minutes, patterns):
    assert participant(values, minutes=minutes).patterns() == patterns


def test_a_participant_without_a_role_says_so():
    assert participant([], role=None, minutes=None).describe().startswith("P-004 · no role · ")


def test_the_stored_participant_list_describes_each_from_the_database(engine):
    workshop = ws.create_workshop(engine, "Client", "tiny", "1.0.0")
    quick = ws.join_workshop(engine, workshop, "Executive")
    for question in ("data.inventory", "data.pipelines", "governance.board", "governance.approval",
                     "governance.controls"):
        repo.save_answer(engine, quick.id, question, 2)
    repo.save_answer(engine, quick.id, "data.products", "dont_know")
    services.finish_assessment(engine, quick.id)
    ws.join_workshop(engine, workshop, "Data & AI")
    first, second = (p.describe() for p in ws.list_participants(engine, workshop.id))
    assert first.startswith("P-001 · Executive · joined ")
    assert first.endswith(" · 6 answers · 1 don't know · all answers equal · whole questionnaire in under a minute")
    assert second.startswith("P-002 · Data & AI · joined ") and second.endswith(" · not finished · 0 answers · 0 don't know")
