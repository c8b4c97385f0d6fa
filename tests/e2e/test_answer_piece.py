"""An answer runs only its question's piece of the assessment page: the question and the counters above are drawn
again, the rest of the page is not (a browser's own protocol, spoken to a real `streamlit run app.py`)."""

from __future__ import annotations

import asyncio
import copy
import re
from concurrent.futures import ThreadPoolExecutor

import websockets

from bench.room import Session, _run
from questionnaires import find_questionnaire
from storage import dispose_all, get_engine
from storage import repository as repo
from tests.e2e.test_browser import stored_answers

FULL = find_questionnaire("ai-maturity")


def new_assessment(server) -> str:
    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    try:
        return repo.create_assessment(engine, FULL.id, FULL.version, organisation="Piece Corp").token
    finally:
        dispose_all()


async def open_and_answer(server, token: str, answers: int) -> tuple[Session, list[Session]]:
    """Open the assessment as a browser does, then choose the first option of `answers` questions in turn: the page
    as opened, and what each answer's run did (how it finished, what it drew, the progress text it left)."""
    session = Session(token)
    runs = []
    async with websockets.connect(f"ws://127.0.0.1:{server.port}/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None) as connection:
        await _run(connection, session, None)
        opened = copy.deepcopy(session)
        for key in [key for key in session.widgets if key.startswith("q:")][:answers]:
            await _run(connection, session, (session.widgets[key], 0))
            runs.append(copy.deepcopy(session))
    return opened, runs


def test_an_answer_redraws_its_question_and_the_counts_not_the_page(server):
    token = new_assessment(server)
    # A thread of its own: the browser tests of the same run keep an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        opened, runs = thread.submit(asyncio.run, open_and_answer(server, token, 3)).result()
    radios = [kind for kind in opened.drawn if kind.startswith("radio:q:")]
    assert opened.status == "FINISHED_SUCCESSFULLY" and "heading" in opened.drawn and len(radios) >= 3
    domain = FULL.domains[0].name
    for number, run in enumerate(runs, start=1):
        assert run.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY", f"answer {number} ran the whole page"
        assert "heading" not in run.drawn, "the page's title and the step's heading were drawn again"
        assert [kind for kind in run.drawn if kind.startswith("radio:q:")] == [radios[number - 1]], run.drawn
        # The counters above the question followed the answer: the progress, the steps' counts and this step's.
        assert run.progress.startswith(f"{number} of "), run.progress
        assert any(re.search(rf"\b{number} of \d+ answered in this domain", text) for text in run.texts), run.texts
        assert any(f"{domain} {number}/" in text for text in run.texts), run.texts
    assert len(stored_answers(server, token)) == 3
