"""Benchmark what one refresh of the workshop dashboard's live panel costs the server, part by part.

    python bench/dashboard.py [--participants 6] [--questionnaire quick-check] [--repetitions 10]

The live panel runs every few seconds for as long as a facilitator keeps the dashboard open: it reads the room,
aggregates it, and builds its charts (the spread of the room, who has joined, the roles' perception gaps, and one
chart per disputed question, at most 20). Each figure is the median CPU time of one part over the repetitions, on
a room stored in a fresh SQLite database whose participants answered every question, each in their own way.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import services  # noqa: E402
from questionnaires import find_questionnaire  # noqa: E402
from reports import workshop_charts  # noqa: E402
from storage import get_engine  # noqa: E402
from storage import repository as repo  # noqa: E402
from storage import workshops as ws  # noqa: E402

DISAGREEMENTS_SHOWN = 20  # as the dashboard


def cpu_ms(action, repetitions: int) -> float:
    action()  # the first call pays for imports and caches, not what a refresh pays
    times = []
    for _ in range(repetitions):
        start = time.process_time()
        action()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=6)
    parser.add_argument("--questionnaire", default="quick-check")
    parser.add_argument("--repetitions", type=int, default=10)
    args = parser.parse_args()

    questionnaire = find_questionnaire(args.questionnaire)
    engine = get_engine(f"sqlite:///{tempfile.mkdtemp()}/phasegate.db")
    workshop = ws.create_workshop(engine, "Bench Corp", questionnaire.id, questionnaire.version)
    for number in range(args.participants):
        person = ws.join_workshop(engine, workshop, workshop.roles[number % len(workshop.roles)].name)
        for index, question in enumerate(q for q in questionnaire.questions if q.type != "text"):
            options = questionnaire.options_for(question)
            value = options[(number + index) % len(options)].value
            repo.save_answer(engine, person.id, question.id, [value] if question.type == "multi" else value)

    counted, _removed = ws.room_participants(engine, workshop.id)
    _people, result = services.aggregate_stored(engine, workshop, questionnaire, counted)
    roles = [role.name for role in result.roles]
    disputed = result.disagreements[:DISAGREEMENTS_SHOWN]
    parts = {
        "read the room": lambda: ws.room_participants(engine, workshop.id),
        "aggregate": lambda: services.aggregate_stored(engine, workshop, questionnaire, counted),
        "spread chart": lambda: workshop_charts.spread_chart(result).to_dict(validate=False),
        "participation chart": lambda: workshop_charts.participation_chart(result).to_dict(validate=False),
        "perception gaps chart": lambda: workshop_charts.gap_heatmap(result).to_dict(validate=False),
        f"{len(disputed)} disputed-question charts": lambda: [
            workshop_charts.role_answer_chart(stats, roles, projector=False).to_dict(validate=False)
            for stats in disputed],
    }
    print(f"live panel of a {args.questionnaire} workshop, {args.participants} participants, median CPU of "
          f"{args.repetitions} refreshes:")
    total = 0.0
    for name, action in parts.items():
        spent = cpu_ms(action, args.repetitions)
        total += spent
        print(f"  {name:<28} {spent:7.1f} ms")
    print(f"  {'one refresh':<28} {total:7.1f} ms")


if __name__ == "__main__":
    main()
