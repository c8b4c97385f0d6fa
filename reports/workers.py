"""Process pools whose workers never outlive the process that started them.

A worker waiting for its next job holds both ends of its job queue, so it never sees the
pool's owner go: after a `kill -9` of the server it would wait forever, holding a few
hundred MB. Each worker therefore watches its parent and exits when that parent is gone.

A watchdog thread rather than `prctl(PR_SET_PDEATHSIG)`: the death signal fires when the
*thread* that started the worker ends, and the app starts its workers from a script
thread that ends after every page run, which would kill healthy workers.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext

PARENT_CHECK_SECONDS = 0.5


def process_pool(max_workers: int, context: BaseContext, preload: Sequence[str] = ()) -> ProcessPoolExecutor:
    """A process pool whose workers import `preload` when they start and exit when this process dies."""
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=context, initializer=start_worker,
                               initargs=(os.getpid(), tuple(preload)))


def start_worker(owner: int, preload: Sequence[str] = ()) -> None:
    """Worker initializer: watch the pool's owner, then import the modules the jobs need."""
    watch_parent(owner)
    for module in preload:
        importlib.import_module(module)


def watch_parent(owner: int) -> threading.Thread:
    """Exit this process as soon as its parent or the pool's owner is gone."""
    # Under "spawn" the parent is the owner; under "forkserver" it is the fork server,
    # which itself exits when the owner dies. Checking both also covers an owner that
    # died before this worker got here.
    parent = os.getppid()
    watchdog = threading.Thread(target=_exit_when_orphaned, args=(parent, owner), name="parent-watchdog",
                                daemon=True)
    watchdog.start()
    return watchdog


def _exit_when_orphaned(parent: int, owner: int) -> None:
    stop = threading.Event()
    while not orphaned(parent, owner):
        stop.wait(PARENT_CHECK_SECONDS)
    os._exit(1)  # no clean-up: nobody is left to receive a result


def orphaned(parent: int, owner: int) -> bool:
    """True once this process was re-parented, or the owner no longer exists."""
    if os.getppid() != parent:
        return True
    if owner == parent:
        return False
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # the owner's number now belongs to someone else's process
        return True
    return False
