"""Every core kept busy by a CPU-burning process: a loaded machine, to show that the tests wait on the app's state and
not on a quiet machine.

    python scripts/busy.py -- python -m pytest -q     # the whole suite with every core busy; exits as pytest does
    python scripts/busy.py --seconds 60               # only burn, for a minute

The browser tests that must pass under load take the same burners from the `busy_cores` fixture (`burning()`), as
many as `burners_needed()` says: one for each core that is not busy already (`idle_cores()`), and none in a run with
a test worker per core, such as the whole suite, whose other workers keep the cores busy themselves.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator

LIMIT = 3600  # seconds: a burner stops by itself, even if whatever started it is killed
BURN = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass"


@contextlib.contextmanager
def burning(cores: int | None = None, seconds: float = LIMIT) -> Iterator[list[subprocess.Popen]]:
    """One CPU-burning process per core (or `cores` of them, none for 0) while the block runs; yields them."""
    burners = [subprocess.Popen([sys.executable, "-c", BURN.format(seconds=seconds)])
               for _ in range(cores if cores is not None else os.cpu_count() or 2)]
    try:
        yield burners
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


def idle_cores(seconds: float = 0.5) -> float:
    """How many cores' worth of CPU time stood idle over `seconds` (from /proc/stat: idle and waiting on disk, of
    all the time the cores had); every core where /proc/stat cannot be read."""
    cores = os.cpu_count() or 2
    try:
        idle_before, total_before = _cpu_ticks()
        time.sleep(seconds)  # a measurement of the machine over this window
        idle_after, total_after = _cpu_ticks()
    except (OSError, ValueError, IndexError):
        return float(cores)
    return cores * (idle_after - idle_before) / max(1, total_after - total_before)


def burners_needed(workers: int = 1) -> int:
    """How many burners keep every core busy while a test runs, when `workers` test processes run at once. With a
    worker per core (the whole suite) none: the other workers, and the test's own app server and browser, already
    keep the cores busy (a whole run keeps the machine over nine tenths busy), and a burner would only slow every
    test. Otherwise one for each core that stands idle, and always at least one."""
    cores = os.cpu_count() or 2
    if workers >= cores:
        return 0
    return min(cores, max(1, round(idle_cores())))


def _cpu_ticks() -> tuple[int, int]:
    """The machine's idle ticks and all its ticks so far (the first line of /proc/stat)."""
    with open("/proc/stat", encoding="ascii") as stat:
        ticks = [int(field) for field in stat.readline().split()[1:9]]
    return ticks[3] + ticks[4], sum(ticks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Keep every core busy while a command runs, or for some seconds.")
    parser.add_argument("--cores", type=int, default=None, help="burners to start (default: one per core)")
    parser.add_argument("--seconds", type=float, default=None, help="burn this long when no command is given")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run under load")
    options = parser.parse_args(argv)
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    if not command and options.seconds is None:
        parser.error("give a command after --, or --seconds")
    if options.cores is not None and options.cores < 1:
        parser.error("--cores must be 1 or more")
    with burning(options.cores, options.seconds if not command and options.seconds else LIMIT) as burners:
        print(f"{len(burners)} burning processes started", file=sys.stderr)
        if not command:
            time.sleep(options.seconds)
            return 0
        return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
