"""`cli.py readout` (the deck of an answers file or a workshop) and `cli.py score --benchmark`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
import services
from reports.deck import slide_titles
from scoring import Answer
from storage import dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import DATA
from tests.test_report import html_words

TINY = str(DATA / "tiny.yaml")
ANSWERS = str(DATA / "tiny-answers.yaml")


def run(*args: str, url: str | None = None):
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": url} if url else None, catch_exceptions=False)
    dispose_all()
    return result


@pytest.fixture
def library(tmp_path, monkeypatch):
    """The tiny questionnaire offered beside the shipped ones, so stored workshops of it can be read out."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "tiny.yaml").write_text((DATA / "tiny.yaml").read_text())
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(folder))
    from questionnaires.loader import shipped_library

    if hasattr(shipped_library, "cache_clear"):
        shipped_library.cache_clear()
    yield folder
    if hasattr(shipped_library, "cache_clear"):
        shipped_library.cache_clear()


def test_readout_writes_a_deck_of_an_answers_file(tmp_path):
    out = tmp_path / "deck.pptx"
    result = run("readout", ANSWERS, "--questionnaire", TINY, "--out", str(out), "--prepared-by", "Northwind Advisory",
                 "--color", "#7a3e9d", "--date", "2026-11-26")
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n"
    titles = slide_titles(out.read_bytes())
    assert 8 <= len(titles) <= 12 and titles[0] == "Example Corp" and titles[-1] == "Next steps"


@pytest.mark.parametrize("args, message", [
    (("readout", "--out", "x.pptx"), "give either an answers file or --workshop CODE"),
    (("readout", ANSWERS, "--workshop", "K7QM-XR4P-9TZH", "--out", "x.pptx"), "give either an answers file"),
    (("readout", "--workshop", "K7QM-XR4P-9TZH", "--target", "data=2", "--out", "x.pptx"), "apply to an answers file"),
    (("readout", ANSWERS), "Missing option '--out'"),
])
def test_readout_usage_errors_exit_with_2(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2 and message in result.output


def test_readout_of_a_bad_colour_is_one_line_and_exit_1(tmp_path):
    result = run("readout", ANSWERS, "--questionnaire", TINY, "--out", str(tmp_path / "x.pptx"), "--color", "red")
    assert result.exit_code == 1 and result.output.startswith("error: colour 'red' is not a hex colour")
    assert not (tmp_path / "x.pptx").exists()


def url_of(engine) -> str:
    """The URL a command is given to open the test's database."""
    return engine.url.render_as_string(hide_password=False)


def test_readout_of_a_stored_workshop_by_its_code(engine, library, tmp_path):
    database_url = url_of(engine)
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    for data in (0, 4, 2):
        joined = ws.join_workshop(engine, workshop, "Executive")
        repo.save_answers(engine, joined.id, {"data.inventory": Answer(data), "governance.board": Answer(1)})
    ws.set_branding(engine, workshop.id, {"prepared_by": "Northwind Advisory", "color": "#7a3e9d"})
    out = tmp_path / "deck.pptx"
    result = run("readout", "--workshop", workshop.display_code.lower(), "--out", str(out), url=database_url)
    assert result.exit_code == 0, result.output
    titles = slide_titles(out.read_bytes())
    assert "Where the room disagreed" in titles and 8 <= len(titles) <= 12
    by_number = run("readout", "--workshop", str(workshop.id), "--out", str(tmp_path / "again.pptx"), url=database_url)
    assert by_number.exit_code == 0 and slide_titles((tmp_path / "again.pptx").read_bytes()) == titles


def test_readout_of_an_unknown_workshop_is_one_line_and_exit_1(engine, tmp_path):
    result = run("readout", "--workshop", "0000-0000-0000", "--out", str(tmp_path / "x.pptx"), url=url_of(engine))
    assert result.exit_code == 1
    assert result.output == "error: no workshop with the code or number '0000-0000-0000'; the dashboard shows both\n"


def peer(engine, organisation: str, level: int) -> None:
    """A closed workshop for another retail client whose one participant answered at one level."""
    from storage.benchmark import set_workshop_profile

    room = ws.create_workshop(engine, organisation, "tiny", "1.0.0")
    joined = ws.join_workshop(engine, room, "Executive")
    repo.save_answers(engine, joined.id, {"data.inventory": Answer(level), "governance.board": Answer(level)})
    set_workshop_profile(engine, room.id, {"industry": "retail"})
    services.close_workshop(engine, room.id)


def test_score_benchmark_adds_the_benchmark_object_once_five_peers_are_stored(engine, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text((DATA / "tiny-answers.yaml").read_text() + "organisation_profile: {industry: retail}\n")
    database_url = url_of(engine)
    for number, level in enumerate((0, 1, 2, 2)):
        peer(engine, f"Peer {number}", level)
    early = json.loads(run("score", str(answers), "--questionnaire", TINY, "--format", "json", "--benchmark",
                           url=database_url).output)["benchmark"]
    assert early["available"] is False and early["n"] == 4 and early["domains"] == []
    assert early["filters"] == {"industry": "retail"}
    peer(get_engine(database_url), "Peer 4", 3)
    result = run("score", str(answers), "--questionnaire", TINY, "--format", "json", "--benchmark", url=database_url)
    bench = json.loads(result.output)["benchmark"]
    # Peers' indices: 0, 0.25, 0.5, 0.5, 1.0 in both domains. Data 1.5 -> above all, top fifth; Governance 0.25
    # shares the half phase of 0 and 0.25 -> (0 + 2 × 0.5) / 5 = 20 % -> second fifth.
    assert bench["available"] is True and bench["n"] == 5 and bench["min_peers"] == 5
    assert [(d["id"], d["band"], d["percentile"], d["n"]) for d in bench["domains"]] == [
        ("data", "top fifth", "80–100", 5), ("governance", "second fifth", "20–40", 5)]
    assert "Peer" not in result.output
    table = run("score", str(answers), "--questionnaire", TINY, "--benchmark", url=database_url).output
    assert "Compared with 5 organisations in retail that finished the same questionnaire." in table
    assert "in the second fifth of comparable organisations (percentile 20–40)" in table


def test_score_without_benchmark_has_no_benchmark_object(tmp_path):
    data = json.loads(run("score", ANSWERS, "--questionnaire", TINY, "--format", "json").output)
    assert "benchmark" not in data


def test_score_benchmark_with_the_database_down_is_one_line_and_exit_1():
    result = run("score", ANSWERS, "--questionnaire", TINY, "--benchmark",
                 url="postgresql+psycopg://postgres:secret@127.0.0.1:1/test")
    assert result.exit_code == 1 and result.output.startswith("error: The database at 127.0.0.1:1/test did not answer")
    assert "secret" not in result.output and result.output.count("\n") == 1


def test_report_benchmark_adds_the_section_to_the_pdf_only_with_five_peers(engine, tmp_path):
    """Read in the report's HTML: the command hands the PDF renderer the same benchmark, and the PDF is laid out from
    this HTML (the PDF of the command: tests/test_report.py; a benchmark page laid out: tests/test_golden_reports.py)."""
    answers = tmp_path / "answers.yaml"
    answers.write_text((DATA / "tiny-answers.yaml").read_text() + "organisation_profile: {industry: retail}\n")
    database_url = url_of(engine)
    for number, level in enumerate((0, 1, 2, 2)):
        peer(engine, f"Peer {number}", level)

    def report_text() -> str:
        out = tmp_path / "report.html"
        result = run("report", str(answers), "--questionnaire", TINY, "--out", str(out), "--benchmark", "--force",
                     "--html", url=database_url)
        assert result.exit_code == 0, result.output
        return html_words(out.read_text(encoding="utf-8"))

    assert "Compared with similar organisations" not in report_text()
    peer(get_engine(database_url), "Peer 4", 3)
    text = report_text()
    assert "Compared with similar organisations" in text
    assert "Compared with 5 organisations in retail that finished the same questionnaire." in " ".join(text.split())
    assert "Peer 0" not in text


def test_the_workshop_pdf_compares_the_room_with_five_comparable_clients(engine, library, monkeypatch):
    """Four comparable clients give no comparison, five give it in the PDF. The four are read from the benchmark the
    PDF is made from: that an unavailable one lays out no section, the report test above shows on the same template."""
    from questionnaires import find_questionnaire
    from reports.workers import render_workshop_pdf
    from storage.benchmark import set_workshop_profile, workshop_benchmark
    from tests.pdf_text import pdf_words

    monkeypatch.setenv("DATABASE_URL", url_of(engine))
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    joined = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answers(engine, joined.id, {"data.inventory": Answer(3), "governance.board": Answer(1)})
    set_workshop_profile(engine, workshop.id, {"industry": "retail"})

    def benchmark():
        stored = ws.get_workshop(engine, workshop.id)
        _, room = services.aggregate_stored(engine, stored, find_questionnaire("tiny", "1.0.0"))
        return workshop_benchmark(engine, stored, room.result, find_questionnaire)

    for number, level in enumerate((0, 1, 2, 2)):
        peer(engine, f"Peer {number}", level)
    assert not benchmark().available and benchmark().n == 4
    peer(engine, "Peer 4", 4)
    assert benchmark().available
    assert "Compared with 5 organisations in retail that finished the same questionnaire." in pdf_words(
        render_workshop_pdf(workshop.id))


def test_readout_of_a_workshop_with_the_database_down_is_one_line_and_exit_1(tmp_path):
    result = run("readout", "--workshop", "K7QM-XR4P-9TZH", "--out", str(tmp_path / "x.pptx"),
                 url="postgresql+psycopg://postgres:secret@127.0.0.1:1/test")
    assert result.exit_code == 1 and result.output.startswith("error: The database at 127.0.0.1:1/test did not answer")
    assert "secret" not in result.output and not (tmp_path / "x.pptx").exists()
