"""The PDF on the Report page: rendered as the page opens, kept while nothing changes, made again for the full
report, and a problem told in words."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import wait

import pytest
from streamlit.testing.v1 import AppTest

from storage import get_engine
from storage import repository as repo
from tests.cold_pdf_workers import cold_app_workers
from tests.conftest import ROOT
from ui import pdf_worker


def open_report(token: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["a"] = token
    at.switch_page("app_pages/report.py").run()
    assert not at.exception, at.exception
    return at


def labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def wait_for_pdf(at: AppTest, seconds: float = 240) -> None:
    """The page offers the PDF: at once, or (while a worker lays it out) a button that says so, then the download
    on the first run after the render ended."""
    if "Download PDF" not in labels(at):
        assert [b.proto.label for b in at.button if b.key == "download_pdf_preparing"] == ["Preparing the PDF…"]
        wait([render.future for render in pdf_worker.renders().kept().values()], timeout=seconds)
        at.run()
        assert not at.exception, at.exception
    assert "Download PDF" in labels(at)


@pytest.mark.pdf_workers
def test_the_report_page_renders_once_per_set_of_inputs_and_again_for_the_full_report(app_env, monkeypatch):
    cold_app_workers(monkeypatch)  # the page's renders are the subject, not the worker's warm-up
    engine = get_engine()
    assessment = repo.create_assessment(engine, "tiny", "1.0.0", organisation="Example Corp")
    repo.save_answer(engine, assessment.id, "data.inventory", 3)
    try:
        at = open_report(assessment.token)
        wait_for_pdf(at)
        kept = pdf_worker.renders().kept()
        at.run()
        at.run()
        assert pdf_worker.renders().kept() == kept  # nothing changed: nothing rendered again
        assert "Download PDF" in labels(at)

        at.radio(key="report_full").set_value(True).run()
        assert len(set(pdf_worker.renders().kept()) - set(kept)) == 1  # the full report is another document
        wait_for_pdf(at)
        assert not at.error
    finally:
        pdf_worker.shutdown()


def test_stored_branding_that_no_longer_holds_is_named_instead_of_a_pdf(app_env):
    engine = get_engine()
    assessment = repo.create_assessment(engine, "tiny", "1.0.0")
    repo.set_branding(engine, assessment.id, {"prepared_by": "", "color": "purple", "logo": None, "commentary": ""})
    at = open_report(assessment.token)
    assert "Download PDF" not in labels(at)
    message = " ".join(e.value for e in at.error)
    assert "The PDF could not be made" in message and "colour 'purple' is not a hex colour" in message


def test_a_test_not_marked_pdf_workers_opens_the_report_page_without_starting_a_worker(app_env):
    engine = get_engine()
    assessment = repo.create_assessment(engine, "tiny", "1.0.0")
    before = set(multiprocessing.active_children())
    at = open_report(assessment.token)
    assert set(multiprocessing.active_children()) - before == set()
    assert "Download PDF" in labels(at)  # the stand-in's, done at once
