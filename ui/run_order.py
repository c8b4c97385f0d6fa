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
"""

from __future__ import annotations

import asyncio
import logging
import time

from streamlit.runtime import app_session

POLL_SECONDS = 0.005  # how often a waiting request looks again: a few checks per run, nothing for the loop
WAIT_SECONDS = 30.0  # a request never waits longer than this; then it is handled as Streamlit would

LOG = logging.getLogger(__name__)


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

    def waiting_request_rerun(session, client_state=None) -> None:
        if client_state is None or not client_state.fragment_id:
            return request_rerun(session, client_state)
        deadline = time.monotonic() + WAIT_SECONDS

        def when_run_ended() -> None:
            if getattr(session, "_state", None) == running and time.monotonic() < deadline:
                loop.call_later(POLL_SECONDS, when_run_ended)
            else:
                request_rerun(session, client_state)

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not on the server's loop (not how Streamlit calls it): as Streamlit would
            return request_rerun(session, client_state)
        when_run_ended()

    waiting_request_rerun.waits_for_run_end = True
    waiting_request_rerun.__doc__ = request_rerun.__doc__
    session_class.request_rerun = waiting_request_rerun
