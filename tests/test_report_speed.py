"""What makes a report fast keeps it the same: the stylesheet parsed once, charts converted once per spec and their
labels cut ahead of Vega, and no garbage collection in the middle of a render."""

from __future__ import annotations

import datetime as dt
import gc
import html
import io
import re
import sys

import pypdf
import pytest

from questionnaires import load_questionnaire
from reports import charts
from reports import html as report_html
from reports.html import render_html, specs_svg
from reports.pdf import compiled_stylesheet, gc_paused, html_to_pdf, render_pdf
from scoring import read_answers, score_response
from tests.conftest import DATA

DAY = dt.date(2025, 5, 12)


@pytest.fixture(scope="module")
def tiny_result():
    questionnaire = load_questionnaire(DATA / "tiny.yaml")
    return questionnaire, score_response(questionnaire, read_answers(DATA / "tiny-answers.yaml", questionnaire))


def pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_the_stylesheet_parsed_once_lays_out_the_report_as_the_inline_one_does(tiny_result):
    from reports import Branding

    questionnaire, result = tiny_result
    branding = Branding(prepared_by="Northwind Advisory", color="#7a3b8f")
    inline = html_to_pdf(render_html(questionnaire, result, branding, generated=DAY, full=True))
    lean = render_html(questionnaire, result, branding, generated=DAY, full=True, inline_css=False)
    assert "@page" not in lean and "--accent: #7a3b8f" in lean  # the accent stays with the document
    assert pages(render_pdf(questionnaire, result, branding, generated=DAY, full=True)) == pages(inline)
    assert compiled_stylesheet() is compiled_stylesheet()


def test_a_render_runs_without_garbage_collection_and_the_collector_comes_back(tiny_result):
    questionnaire, result = tiny_result
    render_pdf(questionnaire, result, generated=DAY)  # imports and caches first
    collections = []

    def seen(phase, info):
        if phase == "start":  # where the allocation that set off this collection happened
            frame, inside = sys._getframe(1), False
            while frame is not None and not inside:
                inside = "weasyprint" in frame.f_code.co_filename or frame.f_code.co_name == "render_html"
                frame = frame.f_back
            collections.append(inside)

    gc.callbacks.append(seen)
    try:
        threshold = gc.get_threshold()
        gc.set_threshold(50)  # a collection every 50 allocations, were the collector on
        try:
            render_pdf(questionnaire, result, generated=DAY, full=True)
            during = list(collections)
            [[] for _ in range(500)]
        finally:
            gc.set_threshold(*threshold)
    finally:
        gc.callbacks.remove(seen)
    assert True not in during  # none set off by the layout engine or the template
    assert len(collections) > len(during)  # on again afterwards
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_chart_spec_is_converted_once_and_given_back_the_same(tiny_result):
    _, result = tiny_result
    specs = list(charts.report_specs(result, "#123456").values())
    first = specs_svg(specs)
    assert all(svg.startswith("<svg") for svg in first)
    again = specs_svg([dict(spec) for spec in specs])
    assert all(a is b for a, b in zip(first, again))  # from the cache, not converted anew
    report_html._svgs.clear()
    assert specs_svg(specs) == first  # converted anew: the same document


def vega_labels(spec: dict) -> list[str]:
    svg = charts.spec_svg(spec)
    return [html.unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


@pytest.mark.parametrize("title", [
    "Write a monitoring protocol and monitor the first models for drift across every business unit",
    "Record the EU AI Act category and your role for every AI system, with its owner",
    "Short step",
])
def test_a_label_cut_ahead_of_vega_reads_as_vegas_own_cut(title):
    def spec(label: str) -> dict:
        return {"data": {"values": [{"step": label, "x": 1}]}, "mark": "bar", "width": 200,
                "encoding": {"y": {"field": "step", "type": "nominal", "title": None,
                                   "axis": {"labelLimit": charts.TIMELINE_LABEL_LIMIT,
                                            "labelFontSize": charts.TIMELINE_LABEL_SIZE}},
                             "x": {"field": "x", "type": "quantitative", "title": None}},
                "config": {"font": charts.FONT}}

    label = f"10. {title}"
    cut = charts.fitted(label, charts.TIMELINE_LABEL_LIMIT, charts.TIMELINE_LABEL_SIZE)
    vega_cut = next(text for text in vega_labels(spec(label)) if text.startswith("10."))
    assert cut == vega_cut
    assert next(text for text in vega_labels(spec(cut)) if text.startswith("10.")) == cut  # Vega leaves it be
    assert (cut == label) == (len(title) < 20)


def test_charts_convert_while_the_text_is_laid_out_and_a_failed_chart_fails_the_report(tiny_result):
    from concurrent.futures import Future

    from reports.pdf import CHART_URL, FetchRefused, SafeFetcher

    questionnaire, result = tiny_result
    lean = render_html(questionnaire, result, generated=DAY, chart_images={"domains": CHART_URL + "domains",
                                                                            "heatmap": CHART_URL + "heatmap"})
    assert "data:image/svg+xml" not in lean.split("<body>", 1)[1].split("Domain overview", 1)[1][:3000]
    broken: Future = Future()
    broken.set_exception(RuntimeError("the chart converter stopped"))
    working: Future = Future()
    working.set_result(charts.spec_svg(charts.report_specs(result)["heatmap"]))
    with pytest.raises(RuntimeError, match="chart converter stopped"):
        html_to_pdf(lean, [compiled_stylesheet()], {"domains": broken, "heatmap": working})
    with pytest.raises(FetchRefused):  # only the report's own charts: no other name, nothing outside
        SafeFetcher({"heatmap": working}).fetch(CHART_URL + "other")
    assert SafeFetcher({"heatmap": working}).fetch(CHART_URL + "heatmap").read().startswith(b"<svg")
