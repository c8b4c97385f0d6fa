"""Benchmark: how fast a hostile answers file is refused (60,000 unknown ids, deep nesting, huge numbers).

    python bench/refuse.py

Each file is parsed as the app's import and the command line do; the figure is the time
to the product's own error.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from questionnaires import PhasegateError  # noqa: E402
from scoring.answers import parse_answers  # noqa: E402

HEAD = "format: phasegate-answers/1\nquestionnaire: quick-check\nquestionnaire_version: 2.0.0\nanswers:\n"
CASES = {
    "60,000 unknown ids (YAML, ~1 MB)": HEAD + "".join(f"  x.q{i}: 1\n" for i in range(60_000)),
    "60,000 unknown ids (JSON, ~1 MB)": json.dumps({"format": "phasegate-answers/1", "questionnaire": "quick-check",
                                                    "questionnaire_version": "2.0.0",
                                                    "answers": {f"x.q{i}": 1 for i in range(60_000)}}),
    "JSON nested 50,000 deep": "[" * 50_000 + "]" * 50_000,
    "a 5,000-digit number": HEAD + "  data.ownership: " + "9" * 5_000 + "\n",
}


def main() -> None:
    for name, text in CASES.items():
        start = time.perf_counter()
        try:
            parse_answers(text, "answers.json" if text.lstrip().startswith(("{", "[")) else "answers.yaml")
            outcome = "accepted (unexpected)"
        except PhasegateError as exc:
            outcome = exc.lines()[0][:70]
        print(f"{name:36} {time.perf_counter() - start:6.3f} s  {outcome}")


if __name__ == "__main__":
    main()
