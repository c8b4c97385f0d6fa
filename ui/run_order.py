"""A piece's rerun waits until the browser has been sent the end of the run before it.

Streamlit (1.67) loses the end of a run in one race. A run's messages reach the browser through the server's event
loop, in order. When a piece of the page (an `st.fragment`, such as one question of the assessment) asks for its
rerun while the whole page is still being drawn, and the loop gets to that request only after the run has ended,
Streamlit starts a new run for the piece at once and drops every message of the ended run still waiting in the loop:
the rest of the page and its end. The browser then shows the page half drawn, the questions below the answered one
missing or left over from the step before, until something reruns the whole page. A person answering the first
question of a new step while the step is drawn, on a busy server, can meet it.

`deliver_run_ends_first` makes such a request wait on the loop until the run before it has been reported ended, so
that the run's last messages go out first. A piece's rerun asked for during a run comes after that run in any case
(Streamlit does not interrupt a run for a piece), so nothing else changes. `tests/e2e/test_run_order.py` forces the
race and fails without this.

Requests are handed on in the order they came, whatever kind they are. Each carries the state of every widget as
the browser had it then, and the later one's state wins: a request handed on out of turn (a live panel's timed
refresh, say, made before a choice and handed on after it) would undo that choice on the server while the browser
still shows it. So while any request waits, the ones after it wait behind it, and a rerun of the whole page (which
does interrupt the run) takes the waiting ones along first.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
import weakref

from streamlit.runtime import app_session

POLL_SECONDS = 0.005  # how often waiting requests look again: a few checks per run, nothing for the loop
WAIT_SECONDS = 30.0  # a request never waits longer than this; then it is handled as Streamlit would

LOG = logging.getLogger(__name__)


class Waiting:
    """One session's requests held back, oldest first, and handed on in that order (kept beside the session, which
    it does not hold on to)."""

    def __init__(self, running, handle) -> None:
        self.running = running  # Streamlit's state of a session whose run has not been reported ended
        self.handle = handle  # Streamlit's own request_rerun
        self.queue: collections.deque[tuple[float, object]] = collections.deque()  # (deadline, client state)

    def request(self, session, client_state, loop) -> None:
        piece = client_state is not None and bool(client_state.fragment_id)
        if not self.queue and not (piece and self._running(session)):
            self.handle(session, client_state)
            return
        first = not self.queue
        self.queue.append((time.monotonic() + WAIT_SECONDS, client_state))
        if not piece:  # the whole page: it interrupts the run, so nothing waits for that run's end any more
            self.hand_on(session)
        elif first:
            loop.call_later(POLL_SECONDS, self.look, session, loop)

    def look(self, session, loop) -> None:
        if not self.queue:
            return
        if self._running(session) and time.monotonic() < self.queue[0][0]:
            loop.call_later(POLL_SECONDS, self.look, session, loop)
        else:
            self.hand_on(session)

    def hand_on(self, session) -> None:
        """Every waiting request, in the order they came: the first starts a run, the others join it."""
        while self.queue:
            _deadline, client_state = self.queue.popleft()
            self.handle(session, client_state)

    def _running(self, session) -> bool:
        return getattr(session, "_state", None) == self.running


def deliver_run_ends_first() -> None:
    """Install the wait, once per process. If this Streamlit's session has changed shape, leave it as it is and say
    so in the log: the page then works as plain Streamlit does."""
    session_class = app_session.AppSession
    if getattr(session_class.request_rerun, "waits_for_run_end", False):
        return
    running = getattr(getattr(app_session, "AppSessionState", None), "APP_IS_RUNNING", None)
    if running is None:
        LOG.warning("Streamlit's AppSession has no APP_IS_RUNNING state; a piece's rerun is not held back")
        return
    request_rerun = session_class.request_rerun
    waiting: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def waiting_request_rerun(session, client_state=None) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not on the server's loop (not how Streamlit calls it): as Streamlit would
            return request_rerun(session, client_state)
        if session not in waiting:
            waiting[session] = Waiting(running, request_rerun)
        waiting[session].request(session, client_state, loop)

    waiting_request_rerun.waits_for_run_end = True
    waiting_request_rerun.__doc__ = request_rerun.__doc__
    session_class.request_rerun = waiting_request_rerun
