"""Forces the race `ui/run_order.py` guards against, in a test server started with `LATE_PIECES=1`
(tests/e2e/serve.py): a piece's rerun request that arrives while a run is going is handled by the server's loop only
once that run has ended, and a run sends its messages slowly enough for a browser to answer while it draws."""

from __future__ import annotations

import time

from streamlit.runtime import app_session
from streamlit.runtime.scriptrunner import script_runner

MESSAGE_SECONDS = 0.02  # each message of a run waits this long: a step takes seconds to draw
WAIT_SECONDS = 10.0


def _runner_done(runner) -> bool:
    return runner._requests._state.name == "STOP"


def install() -> None:
    handle = app_session.AppSession.request_rerun

    def late(session, client_state=None):
        runner = session._scriptrunner
        if client_state is not None and client_state.fragment_id and runner is not None:
            deadline = time.monotonic() + WAIT_SECONDS
            while not _runner_done(runner) and time.monotonic() < deadline:
                time.sleep(0.005)  # holds the loop, as a busy loop would, while the run goes on to its end
        return handle(session, client_state)

    app_session.AppSession.request_rerun = late
    enqueue = script_runner.ScriptRunner._enqueue_forward_msg

    def slow(runner, msg):
        time.sleep(MESSAGE_SECONDS)
        return enqueue(runner, msg)

    script_runner.ScriptRunner._enqueue_forward_msg = slow
