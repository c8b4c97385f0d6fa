"""Where a respondent is: which step a picker or button may move to."""

from __future__ import annotations

import pytest

from questionnaires import load_questionnaire
from scoring import progress
from tests.conftest import DATA

TINY = load_questionnaire(DATA / "tiny.yaml")


@pytest.mark.parametrize(("asked", "expected"), [
    (0, 0), (1, 1), ("data", 0), ("governance", 1),
    (2, None), (-1, None), (True, None), (None, None), ("Data 1/4", None), ("Governance ✓", None), (1.0, None),
])
def test_a_step_is_an_index_in_range_or_a_domain_id_and_nothing_else(asked, expected):
    assert progress.step_index(TINY, asked) == expected
