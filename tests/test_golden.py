"""Golden files: five realistic organisations, scored by `python cli.py score <file> --format json`.

Each answers file under examples/golden-*.yaml has its expected JSON in tests/golden/<name>.json.
When the content or the engine changes on purpose, regenerate them and read the diff as the
client would before committing:

    PHASEGATE_REGENERATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("golden-*.yaml"))
REGENERATE = os.environ.get("PHASEGATE_REGENERATE_GOLDEN") == "1"


def scored(path: Path) -> dict:
    result = CliRunner().invoke(main, ["score", str(path), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def outputs() -> dict[str, dict]:
    return {path.stem: scored(path) for path in EXAMPLES}


def test_there_are_five_golden_organisations():
    assert [p.stem for p in EXAMPLES] == ["golden-bank", "golden-manufacturer", "golden-mature-enterprise",
                                          "golden-retailer", "golden-startup"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_json_matches_its_golden_file(path, outputs):
    expected_path = GOLDEN / f"{path.stem}.json"
    actual = outputs[path.stem]
    if REGENERATE:
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert actual == json.loads(expected_path.read_text(encoding="utf-8")), (
        f"{path.name} scores differently from {expected_path.name}; if that is intended, regenerate with "
        "PHASEGATE_REGENERATE_GOLDEN=1 and read the diff")


def test_the_mature_enterprise_is_held_at_phase_two_by_economics_alone(outputs):
    result = outputs["golden-mature-enterprise"]
    assert result["overall"]["profile"].endswith("Economics holds the organisation at phase 2")
    assert result["overall"]["primary_limiting_domain"] == "economics"
    now = [a for a in result["actions"] if a["horizon"] == "now"]
    assert 1 <= len(now) <= 5 and {a["domain"] for a in now} == {"economics"}


def test_the_retailer_builds_its_register_before_it_reviews_vendors_or_records_its_ai_act_role(outputs):
    ranks = {a["question"]: a["rank"] for a in outputs["golden-retailer"]["actions"]}
    assert ranks["governance.ai-inventory"] < ranks["governance.vendor-due-diligence"]
    assert ranks["governance.ai-inventory"] < ranks["governance.eu-ai-act-role"]


def test_the_startup_sees_owners_titled_for_a_small_organisation(outputs):
    owners = {a["owner"] for a in outputs["golden-startup"]["actions"]}
    assert "CTO" in owners and not owners & {"Chief Risk Officer", "General Counsel", "Chief Information Officer"}


@pytest.mark.parametrize("name", ["golden-bank", "golden-manufacturer", "golden-mature-enterprise", "golden-retailer",
                                  "golden-startup"])
def test_ranks_read_top_to_bottom_through_now_next_and_later(outputs, name):
    actions = outputs[name]["actions"]
    assert [a["rank"] for a in actions] == list(range(1, len(actions) + 1))
    order = {"now": 0, "next": 1, "later": 2}
    assert [order[a["horizon"]] for a in actions] == sorted(order[a["horizon"]] for a in actions)
    rank = {a["question"]: a["rank"] for a in actions}
    still_open = {a["question"] for a in actions if a["level"] != "optimise"}  # polish is no prerequisite
    for action in actions:
        assert all(rank[r] < action["rank"] for r in action["requires"] if r in still_open), action["question"]
