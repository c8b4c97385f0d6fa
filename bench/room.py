"""The load mode of bench/app.py: a room of participants answering at once against one `streamlit run app.py`, each a
WebSocket session speaking the browser's protocol (see bench/app.py's docstring for why, and what is printed)."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FINISHED = ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
RUN_TIMEOUT = 300  # seconds without a message before a run counts as lost


@dataclass
class Widget:
    id: str
    fragment_id: str
    options: list[str]  # the labels drawn: a radio's state is the label chosen, as the browser sends it


@dataclass
class Session:
    """One participant's browser tab: the widgets it holds and the states it sends back with every click."""

    token: str
    widgets: dict[str, Widget] = field(default_factory=dict)  # by user key
    states: dict[str, object] = field(default_factory=dict)  # widget id -> WidgetState, as the browser keeps them
    waits: list[float] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    runs: int = 0
    fragment_runs: int = 0
    progress: str = ""  # the progress text last drawn ("N of M answered ...")
    drawn: list[str] = field(default_factory=list)  # what the last run drew: element kinds, a radio as "radio:KEY"
    texts: list[str] = field(default_factory=list)  # the markdown the last run drew (captions included)
    status: str = ""  # how the last run finished
    refused: list[str] = field(default_factory=list)  # messages a click got instead of its answer being stored


def run_room(participants: int, each: int, think: float, questionnaire_id: str) -> None:
    with tempfile.TemporaryDirectory() as data:
        os.environ["PHASEGATE_DATA_DIR"] = data
        os.environ.pop("DATABASE_URL", None)
        tokens, questionnaire = _room(participants, questionnaire_id)
        server, port = _start(Path(data))
        try:
            started_cpu, sessions, window, cpu = asyncio.run(_load(port, tokens, each, think, server.pid))
        except SystemExit:
            print("the end of the app's log:\n" + "\n".join((Path(data) / "server.log").read_text(
                errors="replace").splitlines()[-40:]), file=sys.stderr)
            raise
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        missing = _check_saved(sessions)
    waits = [w for s in sessions for w in s.waits]
    answers = len(waits)
    print(f"room of {participants} ({questionnaire.id} {questionnaire.version}, "
          f"{sum(1 for q in questionnaire.questions if q.domain == questionnaire.domains[0].id)} questions on the "
          f"first step), {each} answers each, think time {think / 2:.1f}-{think * 1.5:.1f} s; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  opening the {participants} assessments: {started_cpu * 1000 / participants:6.0f} ms server CPU each")
    print(f"  server CPU per answer  {cpu * 1000 / answers:6.0f} ms   ({answers} answers in {window:.1f} s, "
          f"server busy {cpu / window:.0%} of one core)   (goal <= 30 ms)")
    print(f"  click -> saved         median {statistics.median(waits) * 1000:6.0f} ms, 90th percentile "
          f"{statistics.quantiles(waits, n=10)[-1] * 1000:6.0f} ms, slowest {max(waits) * 1000:6.0f} ms   "
          f"(goal: median <= 500 ms)")
    first = [s.waits[0] for s in sessions if s.waits]
    print(f"  the first answers, all given at once: median {statistics.median(first) * 1000:.0f} ms, slowest "
          f"{max(first) * 1000:.0f} ms; runs that were a fragment's: {sum(s.fragment_runs for s in sessions)} of "
          f"{sum(s.runs for s in sessions)}")
    behind = [s.progress for s in sessions if not s.progress.startswith(f"{len(s.answered)} of ")]
    if behind:
        raise SystemExit(f"{len(behind)} pages show a count that is not their answers', e.g. {behind[0]!r}")
    refused = [message for s in sessions for message in s.refused]
    if refused:
        print(f"  {len(refused)} clicks were answered with a message instead, e.g. {refused[0]}")
    if missing:
        raise SystemExit(f"answers not stored: {len(missing)}, e.g. {missing[:5]}")


def _room(participants: int, questionnaire_id: str):
    """A workshop with `participants` joined, none of them has answered yet: their resume tokens."""
    from questionnaires import find_questionnaire
    from storage import get_engine
    from storage import workshops as ws

    questionnaire = find_questionnaire(questionnaire_id)
    engine = get_engine()
    workshop = ws.create_workshop(engine, "Bench Room", questionnaire.id, questionnaire.version)
    tokens = [ws.join_workshop(engine, workshop, workshop.roles[n % len(workshop.roles)].name).token
              for n in range(participants)]
    return tokens, questionnaire


def _start(data: Path):
    with __import__("socket").socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PHASEGATE_QUESTIONNAIRES")}
    env["PHASEGATE_DATA_DIR"] = str(data)
    env["PHASEGATE_REPORT_WORKERS"] = "1"  # the assessment page starts the PDF workers; one is enough here
    log = open(data / "server.log", "ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
         "--server.maxMessageSize", "200"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the app did not start: see its log")


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _load(port: int, tokens: list[str], each: int, think: float, pid: int):
    import websockets

    sessions = [Session(token) for token in tokens]
    connections = []
    cpu_before_open = _cpu(pid)
    for session in sessions:  # opened one after another, as a room arrives
        connection = await websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                              max_size=None, open_timeout=60)
        connections.append(connection)
        await _run(connection, session, None)
        if not any(key.startswith("q:") for key in session.widgets):
            raise SystemExit("the assessment page showed no question: see the server's log")
    opening = _cpu(pid) - cpu_before_open
    go = asyncio.Event()
    rng = random.Random(7)
    pauses = [[rng.uniform(think / 2, think * 1.5) for _ in range(each)] for _ in sessions]

    async def participant(session: Session, connection, pause: list[float]) -> None:
        await go.wait()
        for number in range(each):
            if number:
                await asyncio.sleep(pause[number])
            key = next((k for k in session.widgets if k.startswith("q:") and k[2:] not in session.answered), None)
            if key is None:
                return
            widget = session.widgets[key]
            started = time.perf_counter()
            await _run(connection, session, (widget, number % len(widget.options)))
            session.waits.append(time.perf_counter() - started)
            session.answered.append(key[2:])

    tasks = [asyncio.create_task(participant(s, c, p)) for s, c, p in zip(sessions, connections, pauses)]
    await asyncio.sleep(0.5)
    cpu_before, started = _cpu(pid), time.perf_counter()
    go.set()
    await asyncio.gather(*tasks)
    window, cpu = time.perf_counter() - started, _cpu(pid) - cpu_before
    for connection in connections:
        await connection.close()
    return opening, sessions, window, cpu


async def _run(connection, session: Session, click) -> None:
    """Ask for a run (the page's first, or a click on a radio option), and read the messages until it finished."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    message = BackMsg()
    state = message.rerun_script
    state.query_string = f"a={session.token}"
    state.page_name = "assessment"
    if click is not None:
        widget, index = click
        changed = WidgetState(id=widget.id, string_value=widget.options[index])
        session.states[widget.id] = changed
        state.fragment_id = widget.fragment_id
    state.widget_states.widgets.extend(session.states.values())
    await connection.send(message.SerializeToString())
    session.drawn, session.texts = [], []
    while True:
        received = ForwardMsg()
        try:
            received.ParseFromString(await asyncio.wait_for(connection.recv(), RUN_TIMEOUT))
        except TimeoutError:
            raise SystemExit(f"a run asked for by {'a click' if click else 'opening the page'} did not finish in "
                             f"{RUN_TIMEOUT} s") from None
        kind = received.WhichOneof("type")
        if kind == "delta" and received.delta.WhichOneof("type") == "new_element":
            element = received.delta.new_element
            session.drawn.append(element.WhichOneof("type"))
            if element.WhichOneof("type") == "markdown":
                session.texts.append(element.markdown.body)
            if element.WhichOneof("type") == "radio":
                radio = element.radio
                key = radio.id.split("-", 2)[-1] if radio.id.startswith("$$ID-") else radio.id
                session.widgets[key] = Widget(radio.id, received.delta.fragment_id, list(radio.options))
                session.drawn[-1] = f"radio:{key}"
            elif element.WhichOneof("type") == "progress":
                session.progress = element.progress.text
            elif element.WhichOneof("type") == "alert" and click is not None and "saved" in element.alert.body:
                session.refused.append(element.alert.body)
        elif kind == "script_finished":
            status = ForwardMsg.ScriptFinishedStatus.Name(received.script_finished)
            if status in FINISHED:
                session.status = status
                session.runs += 1
                session.fragment_runs += status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"
                return
            if status != "FINISHED_EARLY_FOR_RERUN":
                raise SystemExit(f"a run ended with {status}")


def _check_saved(sessions: list[Session]) -> list[str]:
    from storage import get_engine
    from storage import repository as repo

    engine = get_engine()
    missing = []
    for session in sessions:
        assessment = repo.find_assessment(engine, session.token)
        saved = repo.load_answers(engine, assessment.id)
        missing += [f"{session.token[:6]}:{qid}" for qid in session.answered if qid not in saved]
    return missing
