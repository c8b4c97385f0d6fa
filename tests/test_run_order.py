"""The requests held back by ui/run_order.py reach Streamlit in the order they came. Each carries the state of every
widget as the browser had it then, and the later one's state wins: a live panel's timed refresh handed on after a
choice made later would undo that choice on the server. (The race the hold guards against is forced in a browser by
tests/e2e/test_run_order.py.)"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ui import run_order

RUNNING, STOPPED = "running", "not running"


@dataclass
class Request:
    """What a browser sends: the piece to rerun ("" for the whole page) and, here, a name to tell requests apart."""
    fragment_id: str
    name: str


class Session:
    _state = STOPPED


def on_a_loop(main) -> None:
    """Run the coroutine function `main` on an event loop of its own, in a thread of its own: a browser test run
    before in the same process may have left a loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, main()).result()


def holding():
    handed: list[str] = []
    waiting = run_order.Waiting(RUNNING, lambda session, request: handed.append(request.name))
    return waiting, handed


async def until(condition, seconds: float = 2.0) -> None:
    for _ in range(int(seconds / 0.001)):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("the held requests were never handed on")


def test_a_request_while_nothing_runs_is_handed_on_at_once():
    waiting, handed = holding()
    session = Session()

    async def main():
        waiting.request(session, Request("answer", "a"), asyncio.get_running_loop())
        waiting.request(session, Request("", "page"), asyncio.get_running_loop())

    on_a_loop(main)
    assert handed == ["a", "page"]


def test_pieces_asked_for_during_a_run_wait_for_its_end_and_keep_their_order():
    waiting, handed = holding()
    session = Session()
    session._state = RUNNING

    async def main():
        loop = asyncio.get_running_loop()
        waiting.request(session, Request("live", "refresh"), loop)  # the live panel's timer, made first
        await asyncio.sleep(0.003)  # out of step with the first one's looks
        waiting.request(session, Request("people", "choice"), loop)  # a choice made after it
        await asyncio.sleep(0.02)
        assert handed == []  # the run is still going
        session._state = STOPPED
        waiting.request(session, Request("live", "late refresh"), loop)  # comes after the run, behind the others
        await until(lambda: len(handed) == 3)

    on_a_loop(main)
    assert handed == ["refresh", "choice", "late refresh"]


def test_a_rerun_of_the_whole_page_takes_the_waiting_pieces_along_first():
    waiting, handed = holding()
    session = Session()
    session._state = RUNNING

    async def main():
        loop = asyncio.get_running_loop()
        waiting.request(session, Request("answer", "answer"), loop)
        waiting.request(session, Request("", "page"), loop)  # interrupts the run: no waiting for its end
        assert handed == ["answer", "page"]
        session._state = STOPPED
        await asyncio.sleep(0.02)

    on_a_loop(main)
    assert handed == ["answer", "page"]  # each once


def test_a_request_never_waits_longer_than_its_limit(monkeypatch):
    monkeypatch.setattr(run_order, "WAIT_SECONDS", 0.05)
    waiting, handed = holding()
    session = Session()
    session._state = RUNNING  # a run that never ends

    async def main():
        loop = asyncio.get_running_loop()
        waiting.request(session, Request("answer", "first"), loop)
        waiting.request(session, Request("answer", "second"), loop)
        await until(lambda: len(handed) == 2)

    on_a_loop(main)
    assert handed == ["first", "second"]


def test_installing_twice_wraps_streamlit_once():
    from streamlit.runtime import app_session

    original = app_session.AppSession.request_rerun
    try:
        run_order.deliver_run_ends_first()
        wrapped = app_session.AppSession.request_rerun
        assert wrapped.waits_for_run_end
        run_order.deliver_run_ends_first()
        assert app_session.AppSession.request_rerun is wrapped
    finally:
        app_session.AppSession.request_rerun = original
