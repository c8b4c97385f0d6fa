"""Benchmark: score generated responses to a questionnaire and print responses per second.

    python bench/scoring.py [--count 10000] [--questionnaire ai-maturity] [--pilots 12]

Runs twice: the answers alone, then the same answers with a register of `--pilots` pilots, and prints
how the second compares with the first. Rates are per CPU second of this process (one core), so other
work on a shared machine slows them less than wall-clock time would; compare the two runs of one call.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from questionnaires import find_questionnaire  # noqa: E402
from bench.generate import random_response  # noqa: E402
from scoring import Response, score_response  # noqa: E402
from scoring.answers import Pilot  # noqa: E402

ON = dt.date(2026, 11, 26)


def generate(questionnaire, count: int, seed: int = 7) -> list[Response]:
    """`count` reproducible random responses."""
    rng = random.Random(seed)
    return [random_response(questionnaire, rng) for _ in range(count)]


def with_register(questionnaire, responses: list[Response], count: int, seed: int = 11) -> list[Response]:
    """The same responses, each with a reproducible random register of `count` pilots, dated ON."""
    rng = random.Random(seed)
    section = questionnaire.pilot_section()
    stages = [stage.id for stage in section.stages]
    blockers = [blocker.id for blocker in section.blockers]

    def pilot(index: int) -> Pilot:
        return Pilot(f"Pilot {index}", rng.choice(stages), f"{rng.randint(2023, 2026)}-{rng.randint(1, 11):02d}",
                     None, rng.random() < 0.3, rng.random() < 0.3, tuple(rng.sample(blockers, rng.randint(0, 2))),
                     rng.choice([None, 100_000.0, 400_000.0]))

    return [dataclasses.replace(r, date=ON, pilots=tuple(pilot(i) for i in range(count))) for r in responses]


def rate(questionnaire, responses: list[Response], rounds: int) -> float:
    """Median responses per CPU second over `rounds` rounds."""
    score_response(questionnaire, responses[0])  # warm the compiled questionnaire
    rates = []
    for _ in range(rounds):
        start = time.process_time()
        for response in responses:
            score_response(questionnaire, response)
        rates.append(len(responses) / max(time.process_time() - start, 1e-9))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--questionnaire", default="ai-maturity")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pilots", type=int, default=12, help="Pilots in the register of the second run")
    args = parser.parse_args()
    questionnaire = find_questionnaire(args.questionnaire)
    responses = generate(questionnaire, args.count)
    print(f"questionnaire: {questionnaire.id} {questionnaire.version} ({len(questionnaire.questions)} questions)")
    print(f"responses scored per round: {len(responses)}")
    rates = []
    for label, batch in (("answers only", responses),
                         (f"with a {args.pilots}-pilot register", with_register(questionnaire, responses, args.pilots))):
        per_second = rate(questionnaire, batch, args.rounds)
        rates.append(per_second)
        print(f"{label}: {per_second:,.0f} responses per second (median of {args.rounds}, one core), "
              f"{1000 / per_second:.3f} ms per response")
    print(f"the register costs {1 - rates[1] / rates[0]:.0%} of the plain rate")


if __name__ == "__main__":
    main()
