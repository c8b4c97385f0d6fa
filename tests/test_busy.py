"""scripts/busy.py: every core kept busy while a command runs, and the command's exit code passed on."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from scripts import busy
from scripts.busy import burners_needed, burning, idle_cores, main


def cpu_ticks(pid: int) -> int:
    """The CPU time a process has used so far, in clock ticks (user and system, from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_one_burner_per_core_spins_while_the_block_runs_and_none_is_left_after():
    with burning() as burners:
        assert len(burners) == (os.cpu_count() or 2)
        time.sleep(0.5)  # past the burners' own start-up, whose CPU time says nothing
        before = [cpu_ticks(b.pid) for b in burners]
        time.sleep(1)  # measuring the burners themselves: a second of their CPU time, not a wait on the product
        used = [cpu_ticks(b.pid) - start for b, start in zip(burners, before)]
        assert all(ticks >= 3 for ticks in used), used  # each one burns (3 ticks: 30 ms of a second), not sleeps
    assert all(b.poll() is not None for b in burners)


def test_with_every_core_burning_no_core_stands_idle():
    """The busy_cores fixture starts a burner only for a core that stands idle: a core burning is never counted."""
    with burning():
        time.sleep(0.5)  # past the burners' own start-up
        assert idle_cores() < 0.5


def test_no_burner_is_started_for_none():
    with burning(cores=0) as burners:
        assert burners == []


@pytest.mark.parametrize(("idle", "workers", "wanted"), [
    (2.0, 1, 2),  # run alone on an idle machine: a burner per core
    (1.2, 1, 1),  # one core busy already
    (0.1, 1, 1),  # every core busy: still one, so the test is never run on a quiet machine by chance
    (2.0, 2, 0),  # a worker per core, as in the whole suite: the other workers are the load
    (2.0, 3, 0),
])
def test_burners_are_started_for_idle_cores_unless_a_worker_runs_on_every_core(monkeypatch, idle, workers, wanted):
    monkeypatch.setattr(busy.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(busy, "idle_cores", lambda: idle)
    assert burners_needed(workers) == wanted


@pytest.mark.parametrize("code", [0, 3])
def test_a_command_runs_under_load_and_its_exit_code_is_the_scripts(code):
    assert main(["--cores", "1", "--", sys.executable, "-c", f"raise SystemExit({code})"]) == code


def test_without_a_command_or_seconds_it_says_what_to_give(capsys):
    with pytest.raises(SystemExit) as stopped:
        main([])
    assert stopped.value.code == 2 and "give a command after --, or --seconds" in capsys.readouterr().err
