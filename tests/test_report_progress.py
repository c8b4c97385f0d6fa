"""The report's "Progress since <date>" section: present only with a baseline, with its deltas, steps and trend."""

from __future__ import annotations

import datetime as dt

import pytest

from questionnaires import load_questionnaire
from reports.html import render_html
from scoring import Answer, Response, score_response
from scoring.compare import compare_results, trend_point
from tests.conftest import DATA

TOP = {
    "data.inventory": 4, "data.pipelines": 4, "data.monitoring": "yes", "data.products": "products",
    "governance.board": 4, "governance.approval": 4, "governance.controls": ["bias", "explain", "audit"],
    "governance.budget": 4,
}


def scored(tiny, **changes):
    answers = {**TOP, **{k.replace("__", "."): v for k, v in changes.items()}}
    return score_response(tiny, Response("tiny", "1.0.0", {k: Answer(v) for k, v in answers.items()}, "Example Corp"))


@pytest.fixture(scope="module")
def html_of(tiny):
    def render(series_length: int = 0, baseline=None, date=dt.date(2026, 3, 1)) -> str:
        before, now = scored(tiny, data__pipelines=2, governance__approval=1), scored(tiny, data__inventory=2)
        comparison = compare_results(baseline or tiny, before, tiny, now, date)
        series = [trend_point(before, dt.date(2026, 1, 1))] * (series_length - 1) + [trend_point(now, None)]
        return render_html(tiny, now, generated=dt.date(2026, 6, 1), progress=comparison,
                           series=series if series_length else ())
    return render


def test_without_a_baseline_the_report_has_no_progress_section(tiny):
    assert 'id="progress"' not in render_html(tiny, scored(tiny), generated=dt.date(2026, 6, 1))


def test_the_progress_section_shows_domain_deltas_steps_completed_and_new_gaps(html_of):
    html = html_of()
    assert '<h1 id="progress">Progress since 1 March 2026</h1>' in html
    assert '<a href="#progress">Progress since 1 March 2026</a>' in html
    assert "<td class=\"num\">1.5</td>\n        <td class=\"num\">0.5</td>\n        <td class=\"num\">−1.0</td>" in html
    assert "<td class=\"num\">1.2</td>\n        <td class=\"num\">4.0</td>\n        <td class=\"num\">+2.8</td>" in html
    assert "Automate pipelines" in html and "Introduce model approval" in html
    assert "Is there an inventory of data sets?" in html.split('id="progress-gaps"')[1].split("</section>")[0]
    assert "Compared on the" not in html and 'id="progress-trend"' not in html


@pytest.mark.parametrize("length, shown", [(2, False), (3, True), (5, True)])
def test_the_trend_appears_from_the_third_assessment_of_a_series(html_of, length, shown):
    html = html_of(series_length=length)
    assert ('id="progress-trend"' in html) is shown
    assert (f"Trend over {length} assessments" in html) is shown


def test_a_quick_check_baseline_is_named_with_the_shared_questions_sentence(html_of):
    html = html_of(baseline=load_questionnaire(DATA / "tiny-quick.yaml"), date=None)
    assert "Progress since the baseline" in html
    assert "Compared on the 6 questions both assessments share" in html
