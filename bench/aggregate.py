"""Benchmark: aggregate generated workshops and print the time per room size.

    python bench/aggregate.py [--sizes 200 2000 20000] [--questionnaire ai-maturity] [--rounds 3]

Goal: 20,000 participants in at most a second, growing close to linearly.
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
from scoring import Response  # noqa: E402
from scoring.workshop import DEFAULT_ROLES, aggregate_workshop  # noqa: E402


def generate(questionnaire, count: int, seed: int = 7) -> list[tuple[str, Response]]:
    """Participants with a role each; executives lean optimistic, as they do."""
    rng = random.Random(seed)
    participants = []
    for _ in range(count):
        role = rng.choice(DEFAULT_ROLES)
        lean = 1 if role.group == "executive" else 0
        participants.append((role.name, random_response(questionnaire, rng, lean)))
    return participants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2_000, 20_000])
    parser.add_argument("--questionnaire", default="ai-maturity")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    questionnaire = find_questionnaire(args.questionnaire)
    print(f"questionnaire: {questionnaire.id} {questionnaire.version} ({len(questionnaire.questions)} questions)")
    aggregate_workshop(questionnaire, generate(questionnaire, 10))  # warm the compiled questionnaire
    previous = None
    for size in args.sizes:
        participants = generate(questionnaire, size)
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            aggregate_workshop(questionnaire, participants)
            times.append(time.perf_counter() - start)
        best = min(times)
        growth = f"  (x{best / previous[1]:.1f} for x{size / previous[0]:.0f} participants)" if previous else ""
        print(f"{size:>7,} participants: {best:.3f} s best, {statistics.median(times):.3f} s median "
              f"of {args.rounds}{growth}")
        previous = (size, best)


if __name__ == "__main__":
    main()
