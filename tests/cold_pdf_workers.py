"""The app's PDF workers without their warm-up, for tests whose subject is what a worker does with a job (or how it
ends), not how it warms up: `pdf_worker.pool` starts them as the app does (same spawn context, plain main module,
owner watched), only the one-off report each would lay out before its first job is left out. The warm-up itself is
tested in tests/test_workers.py."""

from __future__ import annotations

from reports import workers


def without_warm_up(max_workers, context, preload=(), warm=False):
    """`reports.workers.process_pool` with `warm` always off."""
    return workers.process_pool(max_workers, context, preload)


def cold_app_workers(monkeypatch) -> None:
    """From now on in this test, `ui.pdf_worker.pool` starts its workers without the warm-up."""
    from ui import pdf_worker

    monkeypatch.setattr(pdf_worker, "process_pool", without_warm_up)
