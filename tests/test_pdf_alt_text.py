"""The PDF report stays readable without sight: tagged as PDF/UA, and every chart, in the HTML given to WeasyPrint
and in the PDF's structure tree, carries alternative text that names what it shows and its figures."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser

import pypdf
import pytest

from questionnaires import find_questionnaire
from reports.html import render_html
from reports.pdf import render_pdf
from scoring import read_answers, score_response
from scoring.compare import compare_results, trend_point
from tests.conftest import ROOT

RETAILER = ROOT / "examples" / "retailer-pilots.yaml"
DAY = dt.date(2026, 6, 1)


class Images(HTMLParser):
    """Every <img> (its alt, None when missing) and every inline <svg> (its attributes) of a document."""

    def __init__(self):
        super().__init__()
        self.alts: dict[str, str | None] = {}
        self.svgs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.alts[(attrs.get("src") or "")[:40] + f"#{len(self.alts)}"] = attrs.get("alt")
        elif tag == "svg":
            self.svgs.append(attrs)


def images_of(html: str) -> Images:
    parser = Images()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def retailer():
    questionnaire = find_questionnaire("quick-check")
    return questionnaire, score_response(questionnaire, read_answers(RETAILER, questionnaire))


@pytest.fixture(scope="module")
def with_progress(retailer):
    """The retailer's report with every chart it can have: domains, heatmap, timeline, pilot funnel, the progress
    since a baseline and the trend over three assessments."""
    questionnaire, result = retailer
    comparison = compare_results(questionnaire, result, questionnaire, result, dt.date(2026, 1, 1))
    series = [trend_point(result, dt.date(2025, 6, 1)), trend_point(result, dt.date(2026, 1, 1)),
              trend_point(result, None)]
    return render_html(questionnaire, result, generated=DAY, progress=comparison, series=series)


def test_every_chart_in_the_report_html_has_alternative_text_naming_its_figures(with_progress):
    found = images_of(with_progress)
    assert len(found.alts) >= 6  # domains, heatmap, timeline, funnel, progress, trend
    missing = [src for src, alt in found.alts.items() if not (alt or "").strip()]
    assert not missing, f"images without alt text: {missing}"
    for alt in found.alts.values():
        assert any(ch.isdigit() for ch in alt), f"the alt text says no figure: {alt!r}"
    assert all(svg.get("role") == "img" and (svg.get("aria-label") or "").strip() for svg in found.svgs)


def test_the_heatmaps_alt_text_gives_every_domains_attainment_per_phase(retailer, with_progress):
    _, result = retailer
    alt = next(alt for alt in images_of(with_progress).alts.values() if alt.startswith("Heatmap"))
    for domain in result.domains:
        phases = ", ".join(f"phase {p.number} " + ("–" if p.attainment is None else f"{p.attainment:.0%}")
                           for p in domain.phases)
        assert f"{domain.name} {phases}" in alt


def structure_figures(reader: pypdf.PdfReader) -> list[str | None]:
    """The alternative text of every Figure in the PDF's structure tree (None where a figure has none)."""
    figures: list[str | None] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/S") == "/Figure":
                figures.append(node.get("/Alt"))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return figures


def test_the_pdf_is_pdf_ua_tagged_and_every_figure_in_it_carries_the_charts_alt_text(retailer):
    questionnaire, result = retailer
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(questionnaire, result, generated=DAY)))  # parsed once for both
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    figures = structure_figures(reader)
    expected = [alt for alt in images_of(render_html(questionnaire, result, generated=DAY)).alts.values()]
    assert len(figures) == len(expected) >= 4  # funnel, domains, heatmap, timeline
    assert [str(figure) for figure in figures] == expected
