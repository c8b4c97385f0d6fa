"""Benchmark the quick check answered on a phone: app time to answer every question, and how many were saved.

    python bench/phone_quick_check.py [--repetitions 2] [--busy]

Drives a real `streamlit run app.py` (its own data folder) with headless Chromium on a 390x844 phone screen, as
the browser tests do. Each question is tapped as soon as its options are drawn, so no reading time is counted:
what is left is the app's time, the pause that shows each choice included. A single choice moves on by itself;
any other question gets its Next tapped. The clock stops once every answer is in the database.

  answers -> all saved   first question drawn until the last answer is stored     goal <= 2 min
  tap -> next question   one choice tapped until the next question is drawn
--busy keeps every core busy with a CPU-burning process, as on a loaded machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 120
PATTERN = (2, 3, 1, 4, 0)  # the option tapped, question after question, so that neighbours differ
DRAWN = """(() => {
  const box = [...document.querySelectorAll("[class*='st-key-ask-']")].find((e) => !e.closest("[data-stale='true']"));
  return box ? [...box.classList].find((c) => c.startsWith("st-key-ask-")).slice("st-key-ask-".length) : null;
})()"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=2)
    parser.add_argument("--busy", action="store_true", help="keep every core busy while timing")
    args = parser.parse_args()
    if shutil.which("chromium") is None:
        sys.exit("chromium is not installed; run scripts/install.sh --test first")
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, Server

    burners = [subprocess.Popen([sys.executable, "-c", "import time\nend = time.monotonic() + 900\n"
                                 "while time.monotonic() < end: pass"]) for _ in range(os.cpu_count() or 2)] \
        if args.busy else []
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        data.mkdir()
        server = Server(data)
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
                rows = [answer_once(browser, server) for _ in range(args.repetitions)]
                browser.close()
        finally:
            server.stop()
            for burner in burners:
                burner.kill()
    report(rows, args)


def answer_once(browser, server) -> dict:
    """One quick check answered on a fresh phone: the times and the count of answers saved."""
    from ui import flow
    from tests.e2e.conftest import css_key, live_key, wait_idle
    from tests.e2e.test_browser import QUICK, start_quick_check
    from tests.e2e.test_leader_flow import SCREENS

    order = [q for d in QUICK.domains for q in QUICK.questions if q.domain == d.id]
    context = browser.new_context(**SCREENS["phone"])
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        token = start_quick_check(page, server)
        wait_idle(page)
        steps = []
        started = time.monotonic()
        for index, question in enumerate(order):
            wait_for(lambda: page.evaluate(DRAWN) == css_key(question.id)[len(".st-key-"):])
            options = page.locator(live_key(f"q:{question.id}") + " [role='radiogroup'] label, "
                                   + live_key(f"q:{question.id}") + " button")
            options.first.wait_for()
            tapped = time.monotonic()
            options.nth(PATTERN[index % len(PATTERN)] % options.count()).tap()
            if index == len(order) - 1:
                break
            if not flow.single_choice(question):
                page.locator(live_key("next") + " button").tap()
            following = css_key(order[index + 1].id)[len(".st-key-"):]
            wait_for(lambda: page.evaluate(DRAWN) == following)
            steps.append(time.monotonic() - tapped)
        wait_for(lambda: len(saved(server, token)) == len(order), timeout=60)
        return {"total": time.monotonic() - started, "steps": steps, "saved": len(saved(server, token)),
                "questions": len(order)}
    except TimeoutError as stuck:
        return {"total": time.monotonic() - started, "steps": steps, "saved": len(saved(server, token)),
                "questions": len(order), "stuck": str(stuck)}
    finally:
        context.close()


def saved(server, token: str) -> dict:
    """The answers stored for this assessment that hold a value."""
    from storage import dispose_all, get_engine
    from storage import repository as repo

    engine = get_engine(f"sqlite:///{server.data_dir / 'phasegate.db'}")
    try:
        answers = repo.load_answers(engine, repo.find_assessment(engine, token).id)
        return {qid: answer for qid, answer in answers.items() if answer.value is not None}
    finally:
        dispose_all()


def wait_for(predicate, timeout: float = 60) -> None:
    """Poll the app's state until `predicate` holds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app did not get there within {timeout} s")
        time.sleep(0.02)


def report(rows: list[dict], args) -> None:
    print(f"Quick check on a 390x844 phone, {args.repetitions} repetition(s)"
          f"{' with every core busy' if args.busy else ''}; goal: all answers saved within {GOAL_SECONDS} s")
    for number, row in enumerate(rows, start=1):
        steps = row["steps"] or [0.0]
        print(f"  #{number}: {row['total']:6.1f} s for {row['questions']} answers, {row['saved']} of "
              f"{row['questions']} saved; tap -> next question median {statistics.median(steps):.2f} s, "
              f"max {max(steps):.2f} s  {'within goal' if row['total'] <= GOAL_SECONDS and row['saved'] == row['questions'] else 'MISSES the goal'}"
              + (f"  ({row['stuck']})" if "stuck" in row else ""))


if __name__ == "__main__":
    main()
