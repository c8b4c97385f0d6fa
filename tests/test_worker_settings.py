"""A report worker works with the settings of the process that asks for the report, not with those it started
with: workers started for one database and questionnaire folder render the workshop of another when the settings
change (as between two tests, or when a worker outlives a reconfiguration)."""

from __future__ import annotations

import shutil

import pytest

from storage import dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.cold_pdf_workers import cold_app_workers
from tests.conftest import DATA
from tests.pdf_text import pdf_words
from ui import pdf_worker

pytestmark = pytest.mark.pdf_workers

STARTUP_SECONDS = 240  # the workers warm up (one report each) before their first job


def settings_for(monkeypatch, folder):
    library = folder / "questionnaires"
    library.mkdir(parents=True)
    shutil.copy(DATA / "tiny.yaml", library / "tiny.yaml")
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(library))
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(folder / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)


def room(client: str, people: int):
    engine = get_engine()
    workshop = ws.create_workshop(engine, client, "tiny", "1.0.0")
    for number in range(people):
        repo.save_answer(engine, ws.join_workshop(engine, workshop, "Executive").id, "data.inventory", number % 5)
    return workshop


def test_workers_started_for_one_database_render_the_workshop_of_the_database_configured_now(monkeypatch, tmp_path):
    pdf_worker.shutdown()
    cold_app_workers(monkeypatch)  # what a worker reads for a job is the subject, not its warm-up
    try:
        settings_for(monkeypatch, tmp_path / "first")
        first = room("First Client", 2)
        assert "First Client" in pdf_words(pdf_worker.submit_workshop_pdf(first.id).result(timeout=STARTUP_SECONDS))

        settings_for(monkeypatch, tmp_path / "second")  # the same workers, another database and folder
        second = room("Second Client", 3)
        assert second.id == first.id  # the same number in each database: only the settings tell them apart
        text = pdf_words(pdf_worker.submit_workshop_pdf(second.id).result(timeout=STARTUP_SECONDS))
        assert "Second Client" in text and "First Client" not in text
        assert "3 participants answered" in text
    finally:
        pdf_worker.shutdown()
        dispose_all()
