"""Benchmark: time to answer one question of ai-maturity in the app (one AppTest rerun), median over many.

    python bench/app.py [--rounds 60] [--questionnaire ai-maturity]

Goal: at most 100 ms per answer. Runs against a fresh SQLite database in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--questionnaire", default="ai-maturity")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        os.environ["PHASEGATE_DATA_DIR"] = data
        os.environ.pop("DATABASE_URL", None)
        times, questions = measure(args.questionnaire, args.rounds)
    print(f"questionnaire: {args.questionnaire} ({questions} questions), answers timed: {len(times)}")
    print(f"time to answer one question (one rerun), median: {statistics.median(times):.1f} ms")
    print(f"90th percentile: {statistics.quantiles(times, n=10)[-1]:.1f} ms, fastest: {min(times):.1f} ms")


def measure(questionnaire_id: str, rounds: int) -> tuple[list[float], int]:
    """Start an assessment, then answer questions of the first step one at a time, timing each rerun."""
    from streamlit.testing.v1 import AppTest

    from questionnaires import find_questionnaire

    questionnaire = find_questionnaire(questionnaire_id)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.button(key=f"start:{questionnaire_id}").click().run()
    first = [q for q in questionnaire.questions if q.domain == questionnaire.domains[0].id and q.type == "scale"]
    times = []
    for round_number in range(rounds + 5):
        question = first[round_number % len(first)]
        options = [o.value for o in questionnaire.options_for(question)]
        widget = at.radio(key=f"q:{question.id}").set_value(options[round_number % len(options)])
        start = time.perf_counter()
        widget.run()
        elapsed = (time.perf_counter() - start) * 1000
        if at.exception:
            raise SystemExit(f"the app failed: {at.exception[0].message}")
        if round_number >= 5:  # the first reruns warm caches
            times.append(elapsed)
    return times, len(questionnaire.questions)


if __name__ == "__main__":
    main()
