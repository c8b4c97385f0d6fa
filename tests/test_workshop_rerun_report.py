"""A re-run workshop: its PDF and deck show the progress since the first run, per domain and for the pilots, and
name themselves a re-run on every page; the words a consultant hands over (agreed notes, the room's unknowns)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pptx import Presentation

import services
from reports import workshop_charts
from reports.deck import workshop_deck
from reports.pdf import render_pdf
from scoring import Answer
from scoring.answers import Pilot
from storage import dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.pilots import save_workshop_register
from tests.pdf_text import page_texts

DAY = dt.date(2026, 11, 26)
FULL = {"data.inventory": 1, "data.pipelines": 1, "data.monitoring": "no", "data.products": "email",
        "governance.board": 1, "governance.approval": 1, "governance.controls": ["none"]}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """One database for the module: its tests only read the two runs stored in it."""
    yield get_engine(f"sqlite:///{tmp_path_factory.mktemp('rerun') / 'rerun.db'}")
    dispose_all()


def find_for(questionnaire):
    return lambda questionnaire_id, version: questionnaire if questionnaire_id == questionnaire.id else None


def answered(engine, workshop, lift: int, dont_know: str = ""):
    for role in ("Executive", "Executive", "Data & AI", "IT & engineering"):
        person = ws.join_workshop(engine, workshop, role)
        answers = {qid: Answer(value + lift if isinstance(value, int) else value) for qid, value in FULL.items()}
        if dont_know and role == "Data & AI":
            answers[dont_know] = Answer("dont_know")
        repo.save_answers(engine, person.id, answers)


@pytest.fixture(scope="module")
def runs(engine, tiny):
    first = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    answered(engine, first, 0, dont_know="governance.approval")
    save_workshop_register(engine, first.id, (Pilot("Churn model", "pilot", "2024-03"),))
    ws.save_consensus(engine, first.id, "data.inventory", 2, "Finance keeps one, nobody else")
    services.close_workshop(engine, first.id)
    again = ws.rerun_workshop(engine, ws.get_workshop(engine, first.id))
    answered(engine, again, 2)
    save_workshop_register(engine, again.id, (Pilot("Churn model", "production", "2024-03", "2025-06", True, True),))
    return ws.get_workshop(engine, first.id), ws.get_workshop(engine, again.id)


@pytest.fixture(scope="module")
def pdf_pages():
    """The text of a workshop's PDF, page by page; each workshop's laid out once for the module."""
    made: dict[int, list[str]] = {}

    def pages(engine, workshop, questionnaire) -> list[str]:
        if workshop.id not in made:
            made[workshop.id] = laid_out(engine, workshop, questionnaire)
        return made[workshop.id]

    return pages


def laid_out(engine, workshop, questionnaire) -> list[str]:
    _, room = services.aggregate_stored(engine, workshop, questionnaire)
    view, progress = workshop_charts.stored_workshop_view(engine, workshop, questionnaire, room,
                                                          find=find_for(questionnaire))
    data = render_pdf(questionnaire, room.result, workshop=view, progress=progress, generated=DAY)
    return [" ".join(text.split()) for text in page_texts(data)]


def test_a_first_run_has_no_progress_and_a_rerun_compares_with_it(engine, runs, tiny):
    first, again = runs
    assert workshop_charts.progress_since(engine, first, tiny, find=find_for(tiny)) is None
    progress = workshop_charts.progress_since(engine, again, tiny, find=find_for(tiny))
    assert progress.baseline_kind == "workshop" and progress.baseline_date == workshop_charts.held_on(first)
    assert progress.index_now > progress.index_before
    assert {d.id for d in progress.domains} == {"data", "governance"}
    reached = next(f for f in progress.pilots if f.label == "In production or scaled")
    assert (reached.before, reached.now) == (0, 1)


def test_the_rerun_pdf_shows_the_progress_and_names_itself_a_rerun_on_every_page(engine, runs, tiny, pdf_pages):
    first, again = runs
    pages = pdf_pages(engine, again, tiny)
    rerun = workshop_charts.rerun_text(engine, again)
    assert rerun.startswith("Re-run of the workshop of ")
    assert all(rerun.casefold() in page.casefold() for page in pages)  # the cover prints it in capitals
    text = " ".join(pages)
    assert "Progress since the workshop of" in text and "THE PILOTS THEN AND NOW" in text  # a heading in capitals
    assert "Re-run of" not in " ".join(pdf_pages(engine, first, tiny))


def test_the_workshop_pdf_labels_agreed_notes_and_counts_the_rooms_dont_knows(engine, runs, tiny, pdf_pages):
    text = " ".join(pdf_pages(engine, runs[0], tiny))
    assert "The room's agreed notes" in text and "Finance keeps one, nobody else" in text
    assert "Evidence notes from the respondent" not in text and "respondents' words" not in text
    assert "1 question drew “don't know” from the room, 1 answer in all" in text
    assert "None: every question" not in text


def deck_texts(engine, workshop, questionnaire) -> list[tuple[str, str]]:
    data = workshop_deck(engine, workshop, find_for(questionnaire), generated=DAY, benchmark=False)
    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        out.append((slide.shapes.title.text, "\n".join(texts)))
    return out


def test_the_rerun_deck_names_itself_on_the_cover_and_every_footer_and_shows_the_progress(engine, runs, tiny):
    first, again = runs
    deck = deck_texts(engine, again, tiny)
    rerun = workshop_charts.rerun_text(engine, again)
    assert all(rerun in text for _, text in deck)
    titles = [title for title, _ in deck]
    assert any(title.startswith("Progress since the workshop of") for title in titles)
    assert "Where each domain stands" not in titles  # the progress slide takes its place: 12 slides at most
    first_deck = deck_texts(engine, first, tiny)
    assert not any("Re-run of" in text for _, text in first_deck)
    assert "Re-run this workshop in 90 days" in first_deck[-1][1]
    assert "measured against today's result as the baseline" in first_deck[-1][1]
