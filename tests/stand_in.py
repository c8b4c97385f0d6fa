"""A stand-in for the PDF workers, for tests that never open a PDF: no worker process starts and no report is laid out.

Used in place of `ui.pdf_worker.pool` by the app tests (tests/conftest.py) and by the browser tests' app servers
(tests/e2e/serve.py), unless a test is marked `pdf_workers`."""

from __future__ import annotations

from concurrent.futures import Future

STAND_IN_PDF = b"%PDF-1.7\n% made by no worker: this test is not marked pdf_workers\n"


class StandInWorkers:
    """In place of `pdf_worker.pool` (called for the pool, cleared to stop it): every job is done at once and yields
    `STAND_IN_PDF`, so a page with a PDF button starts no worker processes."""

    def __call__(self) -> StandInWorkers:
        return self

    def clear(self) -> None:
        pass

    def submit(self, function, *args) -> Future:
        done: Future = Future()
        done.set_result(STAND_IN_PDF)
        return done
