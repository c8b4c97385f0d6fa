"""The chart converter's own process: a cold report's charts are converted there, beside the layout, into the same
documents; when it stops, the report converts them itself; and it is not started for charts drawn before."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli import main
from questionnaires import load_questionnaire
from reports import charts, converter
from scoring import read_answers, score_response
from tests.conftest import DATA

EXAMPLE = "examples/ai-maturity-example.yaml"


@pytest.fixture(scope="module")
def specs():
    questionnaire = load_questionnaire(DATA / "tiny.yaml")
    result = score_response(questionnaire, read_answers(DATA / "tiny-answers.yaml", questionnaire))
    return list(charts.report_specs(result, "#7a3b8f").values())


def test_charts_converted_in_the_chart_process_are_the_documents_converted_here(specs, monkeypatch):
    import vl_convert

    here = [charts.converted_svg(spec) for spec in specs]
    with converter.chart_process():
        monkeypatch.setattr(vl_convert, "vegalite_to_svg", None)  # nothing converted in this process
        process = converter.current()
        futures = [process.submit(spec) for spec in specs]  # several at once: the replies come back in order
        there = [charts.converted_svg(spec) for spec in specs]
        assert [charts._stable_ids(future.result()) for future in futures] == here
    assert there == here
    assert converter.current() is None


def test_when_the_chart_process_stops_the_charts_are_converted_here(specs):
    with converter.chart_process():
        converter.current().close()
        with pytest.raises(converter.ChartProcessError):
            converter.current().convert(specs[0])
        assert charts.converted_svg(specs[0]).startswith("<svg")


def test_a_spec_the_chart_process_cannot_convert_fails_as_it_fails_here():
    broken = {"mark": "no-such-mark"}
    with pytest.raises(Exception) as here:
        charts.converted_svg(broken)
    with converter.chart_process():
        with pytest.raises(converter.ChartProcessError):
            converter.current().convert(broken)
        with pytest.raises(type(here.value)):
            charts.converted_svg(broken)


@pytest.fixture
def started(monkeypatch, tmp_path):
    """The chart processes the report command starts, counted."""
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PHASEGATE_CACHE_DIR", raising=False)  # a cache of its own: charts drawn by no other test
    processes = []

    class Counted(converter.ChartProcess):
        def __init__(self):
            super().__init__()
            processes.append(self)

    monkeypatch.setattr(converter, "ChartProcess", Counted)
    return processes


def report(tmp_path, *options: str):
    return CliRunner().invoke(main, ["report", EXAMPLE, "--out", str(tmp_path / "report.pdf"), "--force", *options],
                              catch_exceptions=False)


def test_a_report_starts_the_chart_process_unless_its_charts_were_drawn_before(tmp_path, started):
    assert report(tmp_path).exit_code == 0
    assert len(started) == 1
    assert report(tmp_path, "--full").exit_code == 0  # the same charts, kept on disk
    assert len(started) == 1
    assert report(tmp_path, "--color", "#7a3b8f").exit_code == 0  # other charts
    assert len(started) == 2


def test_a_report_that_fails_leaves_its_charts_unremembered(tmp_path, started):
    (tmp_path / "report.pdf").write_text("kept")
    failed = CliRunner().invoke(main, ["report", EXAMPLE, "--out", str(tmp_path / "report.pdf")])
    assert failed.exit_code != 0 and len(started) == 1
    assert report(tmp_path).exit_code == 0
    assert len(started) == 2


@pytest.mark.parametrize("answers, options, collecting", [
    ((EXAMPLE,), ("--out", "report.pdf"), [False]),  # one report: no collection from the load to the last page
    ((EXAMPLE, EXAMPLE), ("--out-dir", ".", "--workers", "1"), [True, True]),  # a batch collects between reports
])
def test_a_single_report_runs_without_garbage_collection_and_the_collector_comes_back(
        tmp_path, monkeypatch, answers, options, collecting):
    import gc

    import cli

    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    seen = []
    scored = cli.score_response
    monkeypatch.setattr(cli, "score_response", lambda *a, **k: seen.append(gc.isenabled()) or scored(*a, **k))
    examples = [str(DATA.parents[1] / path) for path in answers]
    assert CliRunner().invoke(main, ["report", *examples, *options], catch_exceptions=False).exit_code == 0
    assert seen == collecting
    assert gc.isenabled()


@pytest.mark.parametrize("as_program, frozen", [
    (False, False),  # imported (a test, a benchmark): the process goes on, so everything stays collectable
    (True, True),  # `python cli.py report`: the process ends, so what the report leaves is frozen, not walked again
])
def test_only_the_program_freezes_what_its_single_report_leaves(tmp_path, monkeypatch, as_program, frozen):
    import gc

    import cli

    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(cli, "AS_PROGRAM", as_program)
    before = gc.get_freeze_count()
    try:
        assert report(tmp_path).exit_code == 0
        assert (gc.get_freeze_count() > before) == frozen
        assert gc.isenabled()
    finally:
        if gc.get_freeze_count() > before:
            gc.unfreeze()  # this test process goes on


def test_the_command_line_module_imported_is_not_the_program():
    import cli

    assert cli.AS_PROGRAM is False
