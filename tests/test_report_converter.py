"""The chart converter's own process: a cold report's charts are converted there, beside the layout, into the same
documents; when it stops, the report converts them itself; and it is not started for charts drawn before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from cli import main
from questionnaires import load_questionnaire
from reports import charts, converter
from scoring import read_answers, score_response
from tests.conftest import APP_TIMEOUT, DATA, ROOT

# The tiny questionnaire's answers: what the report commands below count (chart processes started, collections,
# what is frozen) does not depend on the size of the report, and a small one lays out in a fraction of the time.
ANSWERS = str(DATA / "tiny-answers.yaml")
OF_TINY = ("--questionnaire", str(DATA / "tiny.yaml"))


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


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A cache folder of this test's own: no chart structure compiled before."""
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PHASEGATE_CACHE_DIR", raising=False)
    return tmp_path / "cache"


def test_a_chart_structure_is_compiled_to_vega_once_and_drawn_into_the_document_vega_lite_draws(specs, own_cache,
                                                                                              monkeypatch):
    import vl_convert

    straight = [charts._stable_ids(vl_convert.vegalite_to_svg(spec)) for spec in specs]
    asked = []
    monkeypatch.setattr(charts, "convert_here", lambda spec, kind="vegalite": asked.append(kind) or
                        converter_here(spec, kind))
    assert [charts.converted_svg(spec) for spec in specs] == straight
    assert asked == ["compile", "vega"] * len(specs)  # every structure compiled, every chart drawn as Vega
    assert len(list((own_cache / charts.VEGA_FOLDER).glob("*.json"))) == len(specs)
    asked.clear()
    other = [{**spec, "datasets": {name: rows[:1] for name, rows in spec["datasets"].items()}} for spec in specs]
    assert [charts.converted_svg(spec) for spec in other] == [
        charts._stable_ids(vl_convert.vegalite_to_svg(spec)) for spec in other]  # other data, the same structures
    assert asked == ["vega"] * len(specs)  # compiled before: Vega-Lite is not needed


converter_here = charts.convert_here


def test_a_chart_drawn_in_the_chart_process_from_its_structure_is_the_document_drawn_here(specs, own_cache):
    here = [charts.converted_svg(spec) for spec in specs]
    with converter.chart_process():
        assert [charts.converted_svg(spec) for spec in specs] == here  # from the kept structures
        (own_cache / charts.VEGA_FOLDER).rename(own_cache / "gone")
        assert [charts.converted_svg(spec) for spec in specs] == here  # compiled there


def test_a_damaged_compiled_structure_is_compiled_again(specs, own_cache):
    drawn = charts.converted_svg(specs[0])
    [entry] = list((own_cache / charts.VEGA_FOLDER).glob("*.json"))
    for damage in (b"", b"{cut short", b'{"data": 3}', b"[]"):
        entry.write_bytes(damage)
        assert charts.converted_svg(specs[0]) == drawn
        assert isinstance(json.loads(entry.read_bytes())["data"], list)


# Four threads convert charts of the golden bank, as a report's chart threads do, while every collection of garbage
# runs Python code that lets another thread take Python's lock (as a finalizer may, or Hypothesis' callback does).
CONCURRENT_CONVERSIONS = """
import gc, sys, time
from concurrent.futures import ThreadPoolExecutor
from questionnaires import find_questionnaire
from reports import charts
from scoring import read_answers, score_response
questionnaire = find_questionnaire("ai-maturity")
result = score_response(questionnaire, read_answers("examples/golden-bank.yaml", questionnaire))
specs = list(charts.report_specs(result).values())
gc.callbacks.append(lambda phase, info: time.sleep(0))
gc.set_threshold(50, 1, 1)
def convert(number, spec):
    spec = {**spec, "usermeta": {"n": number}}  # another structure each time: compiled, not read from the cache
    return charts.drawn_svg(spec, charts.convert_here)
with ThreadPoolExecutor(4) as pool:
    for future in [pool.submit(convert, n, spec) for n, spec in enumerate(specs * 8)]:
        future.result()
"""


def test_charts_converted_in_several_threads_while_collections_run_python_code_all_finish(tmp_path):
    """Without one conversion at a time, this deadlocked every time: a thread inside the converter gave up Python's
    lock to a collection's Python code, another thread took it and waited for the converter while holding it."""
    environment = {**os.environ, "PHASEGATE_CACHE_DIR": str(tmp_path)}
    try:
        subprocess.run([sys.executable, "-c", CONCURRENT_CONVERSIONS], cwd=ROOT, env=environment, check=True,
                       timeout=APP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"4 threads converting charts had not finished after {APP_TIMEOUT} s: deadlocked")


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


def count_chart_processes(monkeypatch) -> list:
    """The chart processes the report command starts, counted."""
    processes = []

    class Counted(converter.ChartProcess):
        def __init__(self):
            super().__init__()
            processes.append(self)

    monkeypatch.setattr(converter, "ChartProcess", Counted)
    return processes


# Report commands run once, in this order, over one data folder of their own (charts drawn by no other test) and one
# output file that exists before the first: a report that fails (no --force), the same report, the full report with
# the same charts (as the program would run it), and the report in another colour. The tests below read what they
# left; what they are watched with (the chart processes counted, the collector seen) changes nothing they do.
REPORTS_IN_A_ROW = {  # name: (options, run as the program)
    "failed": ((), False),
    "first": (("--force",), False),
    "full": (("--force", "--full"), True),
    "other colour": (("--force", "--color", "#7a3b8f"), False),
}


@pytest.fixture(scope="module")
def reports_in_a_row(tmp_path_factory) -> dict[str, SimpleNamespace]:
    """For each of `REPORTS_IN_A_ROW`: its exit code, the chart processes started so far, whether the collector was
    on as its answers were scored, whether it froze what it left, and whether the collector was on afterwards."""
    import gc

    import cli

    folder = tmp_path_factory.mktemp("reports")
    out = folder / "report.pdf"
    out.write_text("kept")
    runs = {}
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("PHASEGATE_DATA_DIR", str(folder / "data"))
        monkeypatch.delenv("PHASEGATE_CACHE_DIR", raising=False)
        started = count_chart_processes(monkeypatch)
        seen = watch_collection(monkeypatch)
        for name, (options, as_program) in REPORTS_IN_A_ROW.items():
            monkeypatch.setattr(cli, "AS_PROGRAM", as_program)
            seen.clear()
            before = gc.get_freeze_count()
            try:
                invoked = CliRunner().invoke(main, ["report", ANSWERS, *OF_TINY, "--out", str(out), *options],
                                             catch_exceptions=name != "failed")
                runs[name] = SimpleNamespace(exit_code=invoked.exit_code, started=len(started), collecting=list(seen),
                                             frozen=gc.get_freeze_count() > before, collector_on=gc.isenabled())
            finally:
                if gc.get_freeze_count() > before:
                    gc.unfreeze()  # this test process goes on
    return runs


def test_a_report_starts_the_chart_process_unless_its_charts_were_drawn_before_by_a_report_that_did_not_fail(
        reports_in_a_row):
    runs = reports_in_a_row
    assert runs["failed"].exit_code != 0 and runs["failed"].started == 1
    assert runs["first"].exit_code == 0  # the failed report's charts were not remembered
    assert runs["first"].started == 2
    assert runs["full"].exit_code == 0  # the same charts, kept on disk
    assert runs["full"].started == 2
    assert runs["other colour"].exit_code == 0  # other charts
    assert runs["other colour"].started == 3


def watch_collection(monkeypatch) -> list[bool]:
    """Whether the collector was on as each answers file was scored, once the command runs."""
    import gc

    import cli

    seen = []
    scored = cli.score_response
    monkeypatch.setattr(cli, "score_response", lambda *a, **k: seen.append(gc.isenabled()) or scored(*a, **k))
    return seen


def test_a_batch_collects_between_its_reports_and_the_collector_comes_back(tmp_path, monkeypatch):
    import gc

    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    seen = watch_collection(monkeypatch)
    assert CliRunner().invoke(main, ["report", ANSWERS, ANSWERS, *OF_TINY, "--out-dir", ".", "--workers", "1"],
                              catch_exceptions=False).exit_code == 0
    assert seen == [True, True]
    assert gc.isenabled()


@pytest.mark.parametrize("as_program, frozen", [
    (False, False),  # imported (a test, a benchmark): the process goes on, so everything stays collectable
    (True, True),  # `python cli.py report`: the process ends, so what the report leaves is frozen, not walked again
])
def test_a_single_report_runs_without_garbage_collection_and_only_the_program_freezes_what_it_leaves(
        reports_in_a_row, as_program, frozen):
    name = "full" if as_program else "first"
    assert REPORTS_IN_A_ROW[name][1] is as_program
    run = reports_in_a_row[name]
    assert run.exit_code == 0
    assert run.collecting == [False]  # one report: no collection from the load to the last page
    assert run.frozen == frozen
    assert run.collector_on  # the collector comes back


def test_the_command_line_module_imported_is_not_the_program():
    import cli

    assert cli.AS_PROGRAM is False
