"""Load: 100 participants save ai-maturity answers at the same moment, answer by answer (bench/app.py measures the
speed of a room; this checks that nothing is lost or doubled when everyone writes at once)."""

from __future__ import annotations

import random
import threading
import time

from sqlalchemy import func, select

from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.engine import dispose_all
from storage.tables import answers

PARTICIPANTS = 100
ANSWERS_EACH = 10  # 1,000 writes from 100 threads that start together: every one contends, none waits 30 s


def full_response(questionnaire, seed: int) -> dict:
    """An answer to each of the first ANSWERS_EACH scored questions, as a participant would click them."""
    rng = random.Random(seed)
    chosen = {}
    for question in [q for q in questionnaire.questions if q.scored][:ANSWERS_EACH]:
        values = [o.value for o in questionnaire.options_for(question)]
        chosen[question.id] = rng.sample(values, 2) if question.type == "multi" else rng.choice(values)
    return chosen


def test_a_hundred_participants_saving_at_once_store_every_answer_exactly_once(database_url, ai_maturity):
    engine = get_engine(database_url)
    try:
        workshop = ws.create_workshop(engine, "Load Corp", ai_maturity.id, ai_maturity.version)
        people = [ws.join_workshop(engine, workshop, workshop.roles[i % len(workshop.roles)].name)
                  for i in range(PARTICIPANTS)]
        planned = {person.id: full_response(ai_maturity, seed) for seed, person in enumerate(people)}
        start = threading.Barrier(PARTICIPANTS)
        failures = []

        def participant(person):
            start.wait()
            try:
                for question_id, value in planned[person.id].items():
                    repo.save_answer(engine, person.id, question_id, value)
            except Exception as exc:  # any failure fails the test below, with its reason
                failures.append(repr(exc))

        threads = [threading.Thread(target=participant, args=(p,)) for p in people]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began

        expected = sum(len(v) for v in planned.values())
        backend = engine.dialect.name
        print(f"\n{backend}: {expected} answers from {PARTICIPANTS} concurrent participants in {elapsed:.2f} s "
              f"= {expected / elapsed:,.0f} answers per second")
        assert failures == []
        with engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(answers)).scalar_one()
            duplicates = conn.execute(
                select(func.count()).select_from(
                    select(answers.c.assessment_id, answers.c.question_id)
                    .group_by(answers.c.assessment_id, answers.c.question_id)
                    .having(func.count() > 1).subquery())
            ).scalar_one()
        assert (total, duplicates) == (expected, 0)
        stored = {p.assessment.id: {q: a.value for q, a in p.response.answers.items()}
                  for p in ws.list_participants(engine, workshop.id)}
        assert stored == planned
    finally:
        dispose_all()
