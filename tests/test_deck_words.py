"""Deck words and fit: cells hold their whole text on the slide, owners are listed with their steps, a role's
label reads once, and the 90-day chart's smallest type shows at 12 pt or more."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from pptx import Presentation
from pptx.util import Inches

from reports import charts
from reports.deck import (MIN_CHART_POINTS, TALL, owners_text, readable_png, render_deck, slide_timeline)
from reports.workshop_charts import role_label
from scoring import read_answers, score_response
from scoring.workshop import Role
from tests.conftest import DATA

DAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def result(tiny):
    return score_response(tiny, read_answers(DATA / "tiny-answers.yaml", tiny))


def test_every_owner_is_listed_with_the_steps_they_own(result):
    steps = [dataclasses.replace(s, rank=n, owner=owner) for n, (s, owner) in
             enumerate(zip([result.actions[0]] * 5, ["CDO", "CEO", "CDO", "CRO", "CFO"]), start=1)]
    assert owners_text(steps) == "CDO: steps 1 and 3; CEO: step 2; CRO: step 4; CFO: step 5"


@pytest.mark.parametrize("role, label", [
    (Role("Executive", "executive"), "Executive"),
    (Role("Executive board", "executive"), "Executive board"),
    (Role("Data & AI", "practitioner"), "Data & AI (practitioner)"),
    (Role("Board", "executive"), "Board (executive)"),
    (Role("Risk & legal"), "Risk & legal"),
])
def test_a_role_label_names_its_group_once(role, label):
    assert role_label(role) == label


def test_long_step_texts_are_never_cut_and_the_table_stays_on_the_slide(tiny, result):
    long = "Set up a cross-functional review that checks every production model against its KPI every month " * 2
    steps = tuple(dataclasses.replace(s, title=long.strip(), kpi=long.strip()) for s in result.actions)
    deck = Presentation(io.BytesIO(render_deck(tiny, dataclasses.replace(result, actions=steps), generated=DAY)))
    tables = [(slide, shape) for slide in deck.slides for shape in slide.shapes
              if getattr(shape, "has_table", False) and shape.has_table]
    assert tables
    for _, shape in tables:
        cells = [cell.text for row in shape.table.rows for cell in row.cells]
        assert "…" not in "".join(cells)
        assert shape.top + sum(row.height for row in shape.table.rows) <= TALL - Inches(0.5)  # above the footer
    shown = [cell.text for _, shape in tables for row in shape.table.rows for cell in row.cells]
    assert shown.count(long.strip()) == 2 * len(steps[:5])  # every title and KPI whole, on this or a next slide


def test_the_ninety_day_chart_shows_its_smallest_type_at_twelve_points_or_more(result):
    spec = slide_timeline(charts.plan_specs(result)["timeline"])
    _, smallest = readable_png(spec, Inches(7.5), Inches(4.6))
    assert smallest >= MIN_CHART_POINTS
