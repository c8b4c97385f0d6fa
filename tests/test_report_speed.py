"""What makes a report fast keeps it the same: the stylesheet parsed once, charts converted once per spec and their
labels cut ahead of Vega, chart structures and compiled templates kept on disk, and no garbage collection in the
middle of a render."""

from __future__ import annotations

import datetime as dt
import gc
import html
import json
import os
import re
import stat
import subprocess
import sys

import pytest

from questionnaires import load_questionnaire
from reports import charts
from reports import html as report_html
from reports.html import render_html, specs_svg
from reports.pdf import compiled_stylesheet, gc_paused, html_to_pdf, render_pdf
from scoring import read_answers, score_response
from tests.conftest import DATA
from tests.pdf_text import page_texts

DAY = dt.date(2025, 5, 12)


@pytest.fixture(scope="module")
def tiny_result():
    questionnaire = load_questionnaire(DATA / "tiny.yaml")
    return questionnaire, score_response(questionnaire, read_answers(DATA / "tiny-answers.yaml", questionnaire))


def test_the_stylesheet_parsed_once_lays_out_the_report_as_the_inline_one_does(tiny_result):
    from reports import Branding

    questionnaire, result = tiny_result
    branding = Branding(prepared_by="Northwind Advisory", color="#7a3b8f")
    inline = html_to_pdf(render_html(questionnaire, result, branding, generated=DAY, full=True))
    lean = render_html(questionnaire, result, branding, generated=DAY, full=True, inline_css=False)
    assert "@page" not in lean and "--accent: #7a3b8f" in lean  # the accent stays with the document
    assert page_texts(render_pdf(questionnaire, result, branding, generated=DAY, full=True)) == page_texts(inline)
    assert compiled_stylesheet() is compiled_stylesheet()


def test_a_render_runs_without_garbage_collection_and_the_collector_comes_back(tiny_result):
    questionnaire, result = tiny_result
    # no warm-up render: a render collects nothing whether or not one came before it in this process
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


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache folder, and no chart structure in memory: as in a new process after an install."""
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PHASEGATE_CACHE_DIR", raising=False)
    forget_chart_structures()
    yield tmp_path / "cache"
    forget_chart_structures()


def forget_chart_structures() -> None:
    for kept in (charts._spec_cached, charts._domain_base, charts._heat_base, charts._matrix_base,
                 charts._timeline_base, charts._funnel_base):
        kept.cache_clear()


def test_a_chart_structure_cached_on_disk_is_used_without_altair(tiny_result, fresh_cache, monkeypatch):
    _, result = tiny_result
    built = charts.report_specs(result, "#123456")
    forget_chart_structures()
    monkeypatch.setattr(charts, "alt", None)  # nothing can be built: every structure must come from the disk
    assert charts.report_specs(result, "#123456") == built


@pytest.mark.parametrize("damage", [b"", b'{"cut short', b"[1, 2]"])
def test_a_damaged_chart_structure_is_built_and_written_again(tiny_result, fresh_cache, damage):
    _, result = tiny_result
    built = charts.report_specs(result)
    entries = sorted((fresh_cache / "charts").iterdir())
    assert len(entries) == 4
    for entry in entries:
        entry.write_bytes(damage)
    forget_chart_structures()
    assert charts.report_specs(result) == built
    assert all(isinstance(json.loads(entry.read_bytes()), dict) for entry in entries)


def test_chart_structures_of_other_code_or_another_altair_are_neither_used_nor_kept(tiny_result, fresh_cache,
                                                                                     monkeypatch):
    _, result = tiny_result
    monkeypatch.setattr(charts, "spec_fingerprint", lambda: "a" * 64)
    charts.report_specs(result)
    forget_chart_structures()
    monkeypatch.setattr(charts, "spec_fingerprint", lambda: "b" * 64)
    altair = charts.alt
    monkeypatch.setattr(charts, "alt", None)
    with pytest.raises(AttributeError):
        charts.report_specs(result)  # the older entries are not read: a structure has to be built
    monkeypatch.setattr(charts, "alt", altair)
    charts.report_specs(result)
    assert {entry.name[:16] for entry in (fresh_cache / "charts").iterdir()} == {"b" * 16}


def test_a_compiled_template_is_kept_and_read_back_only_when_private(fresh_cache):
    environment = report_html.environment.__wrapped__()  # a new one, keeping its templates in the fresh folder
    cache = environment.bytecode_cache
    environment.get_template("method.html.j2")
    path = report_html.TEMPLATES / "method.html.j2"

    def kept():
        bucket = cache.get_bucket(environment, "method.html.j2", str(path), path.read_text(encoding="utf-8"))
        return bucket.code is not None

    assert kept()
    for entry in (fresh_cache / "templates").iterdir():
        entry.chmod(0o666)
    assert not kept()


def run_python(code: str, tmp_path, *args: str) -> list[str]:
    """The lines a fresh interpreter prints running `code` in the project (nothing imported before)."""
    env = {**os.environ, "PHASEGATE_DATA_DIR": str(tmp_path / "data"), "PHASEGATE_CACHE_DIR": "",
           "DATABASE_URL": "", "PYTHONPATH": str(DATA.parents[1])}
    return subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=DATA.parents[1], capture_output=True,
                          text=True, check=True).stdout.splitlines()


# A cold report in a fresh interpreter, from a cache folder of its own, then the same report again over the file it
# wrote (so its output is checked against the database): what each loads, and in the first, when its charts were
# built (before WeasyPrint came in?) and how many were converted. Both tests below read the same two runs, which
# only watch (nothing they wrap changes what is imported), so neither starts a cold report of its own.
COLD_REPORT = """if True:
    import json, sys
    from reports import charts
    built, converted = [], []
    report_specs, converted_svg = charts.report_specs, charts.converted_svg
    charts.report_specs = lambda *a, **k: built.append("weasyprint" in sys.modules) or report_specs(*a, **k)
    charts.converted_svg = lambda spec: converted.append(json.dumps(spec)) or converted_svg(spec)
    import cli
    cli.main(sys.argv[1:], standalone_mode=False)
    print(built, len(converted), len(set(converted)))
    print(sorted({'altair', 'sqlalchemy', 'questionnaires.translation'} & set(sys.modules)))
"""


@pytest.fixture(scope="module")
def cold_reports(tmp_path_factory):
    """The lines each run of `COLD_REPORT` prints, and the first bytes of the report each left."""
    folder = tmp_path_factory.mktemp("cold")
    out = folder / "report.pdf"
    args = ["report", str(DATA / "tiny-answers.yaml"), "--questionnaire", str(DATA / "tiny.yaml"), "--out", str(out),
            "--force"]  # over the first run's file in the second run
    runs = []
    for _ in range(2):
        lines = run_python(COLD_REPORT, folder, *args)
        runs.append((*lines[-2:], out.read_bytes()[:4]))
    return runs


def test_an_english_report_from_a_file_loads_neither_altair_sqlalchemy_nor_translations_once_its_charts_are_cached(
        cold_reports):
    loaded = [modules for _, modules, _ in cold_reports]
    assert loaded == ["['altair']", "[]"]  # Altair built the structures once, for every later report


def test_a_single_reports_charts_are_sent_before_the_layout_engine_is_imported_and_converted_once(cold_reports):
    sent, _, written = cold_reports[0]
    assert sent == "[False, True] 3 3"  # sent before WeasyPrint came in, taken up by render_pdf: each once
    assert written == b"%PDF"


@pytest.fixture(scope="module")
def domain_specs(tiny_result):
    """The tiny report's domain chart in the default accent and in another, built once: the tests of drawn charts
    below are about the drawings on disk, not about the structures the specs are built from."""
    _, result = tiny_result
    return charts.report_specs(result)["domains"], charts.report_specs(result, "#123456")["domains"]


def test_a_chart_drawn_before_is_read_from_the_disk_without_starting_the_converter(domain_specs, fresh_cache,
                                                                                    monkeypatch):
    spec, other_colour = domain_specs
    drawn = charts.spec_svg(spec)
    [entry] = list((fresh_cache / charts.SVG_FOLDER).iterdir())
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600

    def no_converter(spec):
        raise AssertionError("the converter was asked")

    monkeypatch.setattr(charts, "converted_svg", no_converter)
    assert charts.spec_svg(json.loads(json.dumps(spec))) == drawn  # the same spec, built anew: read back
    with pytest.raises(AssertionError, match="converter was asked"):
        charts.spec_svg(other_colour)  # another colour is another chart
    entry.chmod(0o666)  # writable by others: not believed
    with pytest.raises(AssertionError, match="converter was asked"):
        charts.spec_svg(spec)


@pytest.mark.parametrize("damage", [b"", b"<svg cut short", b"\xff\xfe<svg></svg>"])
def test_a_damaged_svg_on_disk_is_converted_and_written_again(domain_specs, fresh_cache, damage):
    spec, _ = domain_specs
    drawn = charts.spec_svg(spec)
    [entry] = list((fresh_cache / charts.SVG_FOLDER).iterdir())
    entry.write_bytes(damage)
    assert charts.spec_svg(spec) == drawn
    assert entry.read_text(encoding="utf-8") == drawn


def test_only_the_most_recently_used_svgs_are_kept(fresh_cache, monkeypatch):
    monkeypatch.setattr(charts, "KEPT_SVGS", 2)
    monkeypatch.setattr(charts, "converted_svg", lambda spec: f"<svg>{spec['name']}</svg>")
    folder = fresh_cache / charts.SVG_FOLDER
    charts.spec_svg({"name": "a"})
    charts.spec_svg({"name": "b"})
    by_content = {entry.read_text(): entry for entry in folder.iterdir()}
    os.utime(by_content["<svg>a</svg>"], ns=(1_000_000_000, 1_000_000_000))
    os.utime(by_content["<svg>b</svg>"], ns=(2_000_000_000, 2_000_000_000))
    charts.spec_svg({"name": "a"})  # read again: now the most recently used
    charts.spec_svg({"name": "c"})
    assert sorted(entry.read_text() for entry in folder.iterdir()) == ["<svg>a</svg>", "<svg>c</svg>"]


def test_the_report_fonts_are_found_in_process_as_fc_match_finds_them():
    from reports import text

    found = [subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=True).stdout
             for family in (*text.FONTS, "No Such Family")]
    assert text.font_files((*text.FONTS, "No Such Family")) == found
    assert len(set(found[:2])) == 2  # the bold face is a file of its own


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="WeasyPrint's libraries by their Linux names")
def test_weasyprint_loads_its_libraries_without_starting_a_process_and_by_their_other_names_when_it_must(tmp_path):
    counted = """if True:
        import subprocess
        started = []
        popen = subprocess.Popen.__init__
        subprocess.Popen.__init__ = lambda self, *a, **k: started.append(a) or popen(self, *a, **k)
        import reports.pdf
        print(len(started), reports.pdf.html_to_pdf("<p>hello</p>").startswith(b"%PDF"))
    """
    assert run_python(counted, tmp_path) == ["0 True"]
    missing = """if True:
        import ctypes.util, cffi
        dlopen = cffi.FFI.dlopen
        def without_linux_name(ffi, name, flags=0):
            if name == "libpango-1.0.so.0" and ctypes.util.find_library.__name__ == "<lambda>":
                raise OSError("no such file")  # as on a system whose Pango only find_library finds
            return dlopen(ffi, name, flags)
        cffi.FFI.dlopen = without_linux_name
        import reports.pdf
        print(reports.pdf.html_to_pdf("<p>hello</p>").startswith(b"%PDF"), ctypes.util.find_library.__name__)
    """
    assert run_python(missing, tmp_path) == ["True find_library"]  # and nothing printed about missing libraries
