"""The report's "Progress since <date>" section: present only with a baseline, with its deltas, steps and trend."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from questionnaires import load_questionnaire
from reports.html import render_html
from scoring import Answer, Response, score_response
from reports.charts import progress_chart
from scoring.compare import Comparison, DomainChange, compare_results, progress_rows, trend_point
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


def test_each_domains_bar_before_and_now_is_beside_its_index(html_of):
    html = html_of()
    assert "<th scope=\"col\">Bar of the working phase</th>" in html
    # Data fell from phase 1 achieved to half of it in place; Governance rose from phase 1 to the top
    assert "<td>phase 1 no longer achieved; now 71% of the phase 1 bar</td>" in html
    assert "<td>phases 2, 3 and 4 achieved; all four phases complete</td>" in html
    assert "The bar is how much of the practice its working phase asks for a domain has in place" in html


# 1.26 → 1.44 prints 1.3 → 1.4, a change of +0.1, though the exact change rounds to +0.2; 1.25 prints 1.2 in
# Python but 1.3 in the browser's own formatting of an unrounded number.
TWO_ROUNDINGS = Comparison(dt.date(2026, 3, 2), "tiny", "1.0.0", 2, 2, 1.26, 1.44, (
    DomainChange("data", "Data", 1.26, 1.44, 1, 1, 0.37, 0.63),
    DomainChange("governance", "Governance", 1.25, 1.5, 1, 1, 0.36, 0.71),
    DomainChange("economics", "Economics", 2.0, 1.96, 2, 1, 0.1, 0.96),
), (), (), 8, False)
PRINTED = [("Data", "1.3", "1.4", "+0.1"), ("Governance", "1.2", "1.5", "+0.3"), ("Economics", "2.0", "2.0", "+0.0")]


def browser(value: float, template: str) -> str:
    """A number as the app's table formats it in the browser (JavaScript's toFixed: halves away from zero, on the
    number's exact binary value)."""
    digits = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"+{digits}" if template.startswith("%+") and digits >= 0 else str(digits)


def test_the_app_table_the_chart_and_the_pdf_print_the_same_indexes_and_changes(tiny):
    app = [(row["Domain"], browser(row["Index before"], "%.1f"), browser(row["Index now"], "%.1f"),
            browser(row["Change"], "%+.1f")) for row in progress_rows(TWO_ROUNDINGS)]
    chart_rows = progress_chart(TWO_ROUNDINGS).to_dict()["data"]["values"]
    labels = {(row["domain"], row["when"]): row["label"] for row in chart_rows}
    chart = [(name, labels[name, "Before"], *re.fullmatch(r"(\S+) \((\S+)\)", labels[name, "Now"]).groups())
             for name, *_ in PRINTED]
    html = render_html(tiny, scored(tiny), generated=dt.date(2026, 6, 1), progress=TWO_ROUNDINGS)
    pdf = re.findall(r'<th scope="row">(\w+)</th>\s*<td class="num">(\S+)</td>\s*<td class="num">(\S+)</td>\s*'
                     r'<td class="num">(\S+)</td>', html.split('id="progress"')[1])
    assert app == chart == pdf == PRINTED
    assert "the overall index went from 1.3 to 1.4 (+0.1)" in " ".join(html.split())
