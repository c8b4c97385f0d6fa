"""Benchmark: score generated responses to a questionnaire and print responses per second.

    python bench/scoring.py [--count 10000] [--questionnaire ai-maturity]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from questionnaires import find_questionnaire  # noqa: E402
from bench.generate import random_response  # noqa: E402
from scoring import Response, score_response  # noqa: E402


def generate(questionnaire, count: int, seed: int = 7) -> list[Response]:
    """`count` reproducible random responses."""
    rng = random.Random(seed)
    return [random_response(questionnaire, rng) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--questionnaire", default="ai-maturity")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    questionnaire = find_questionnaire(args.questionnaire)
    responses = generate(questionnaire, args.count)
    score_response(questionnaire, responses[0])  # warm the compiled questionnaire
    rates = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for response in responses:
            score_response(questionnaire, response)
        rates.append(len(responses) / (time.perf_counter() - start))
    print(f"questionnaire: {questionnaire.id} {questionnaire.version} ({len(questionnaire.questions)} questions)")
    print(f"responses scored per round: {len(responses)}")
    print(f"responses per second (median of {args.rounds}, one core): {statistics.median(rates):,.0f}")
    print(f"time per response: {1000 / statistics.median(rates):.3f} ms")


if __name__ == "__main__":
    main()
