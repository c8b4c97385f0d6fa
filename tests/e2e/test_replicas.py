"""Two app replicas on one PostgreSQL database, behind nginx running the shipped configuration (deploy/nginx.conf):
a replica that dies mid-assessment loses nothing, a room's answers meet across replicas, a sign-in outlives a
replica's restart, and the report is ready on whichever replica serves the download."""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from scoring.answers import Answer
from storage import dispose_all, get_engine
from storage import repository as repo
from tests.conftest import _drop_postgres_schema, _postgres_schema_url
from tests.e2e.conftest import ROOT, Server, css_key, free_port, join_code, wait_idle, wait_until
from tests.e2e.oidc import ANA, provider  # noqa: F401  (the provider fixture)
from tests.e2e.test_browser import CHOICE, QUICK, choose, start_quick_check
from tests.e2e.test_workshop_browser import CLIENT, create_workshop, metric
from tests.pdf_text import pdf_text

CONFIGURATION = ROOT / "deploy" / "nginx.conf"
SHIPPED_REPLICAS = ("127.0.0.1:8501", "127.0.0.1:8502")
SHIPPED_LISTEN = "listen 8080;"
COOKIE = "phasegate_replica"
RECONNECT = 120_000  # ms a page may take to notice a dead replica and reconnect to the other on a busy machine


class Proxy:
    """nginx from Debian's packages, run as its own process with the shipped configuration included unchanged but
    for the replicas' ports and its own; it logs which replica served each request."""

    def __init__(self, folder: Path, port: int):
        self.folder = folder
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"  # the host of the sign-in redirect URI, so the cookie matches

    def configure(self, replicas: list[Server]) -> None:
        text = CONFIGURATION.read_text()
        for shipped, replica in zip(SHIPPED_REPLICAS, replicas, strict=True):
            assert f"server {shipped} " in text, f"deploy/nginx.conf no longer names the replica {shipped}"
            text = text.replace(f"server {shipped} ", f"server 127.0.0.1:{replica.port} ")
        assert SHIPPED_LISTEN in text, "deploy/nginx.conf no longer listens on 8080"
        (self.folder / "phasegate.conf").write_text(text.replace(SHIPPED_LISTEN, f"listen 127.0.0.1:{self.port};"))
        temp = {name: self.folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
        for path in temp.values():
            path.mkdir()
            path.chmod(0o777)  # nginx's workers run as an unprivileged user when the tests run as root
        (self.folder / "nginx.conf").write_text(
            f"worker_processes 1;\nerror_log {self.folder}/error.log warn;\npid {self.folder}/nginx.pid;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "    log_format served '$request_uri $upstream_addr';\n"
            f"    access_log {self.folder}/access.log served;\n"
            + "".join(f"    {name}_temp_path {path};\n" for name, path in temp.items())
            + f"    include {self.folder}/phasegate.conf;\n}}\n"
        )

    def start(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            pytest.fail("nginx is not installed; run scripts/install.sh --test first")
        log = open(self.folder / "nginx.out", "ab")
        self.process = subprocess.Popen([nginx, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
                                         "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: self.healthy(), timeout=30, what="nginx to serve the app's health check")

    def healthy(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"nginx exited: {(self.folder / 'error.log').read_text()}")
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def served_by(self, key: str) -> int:
        """The port of the replica nginx sends a browser whose affinity cookie holds `key` to, as its log says."""
        probe = uuid.uuid4().hex
        request = urllib.request.Request(f"{self.url}/_stcore/health?probe={probe}", headers={"Cookie": f"{COOKIE}={key}"})
        with urllib.request.urlopen(request, timeout=10):
            pass
        log = self.folder / "access.log"
        found: list[str] = []

        def logged() -> bool:
            """The probe's whole line is in the log: a read while nginx writes it can see the line cut short."""
            text = log.read_text()
            at = text.find(probe)
            end = text.find("\n", at)
            if at >= 0 and end >= 0:
                found.append(text[at:end])
            return bool(found)

        wait_until(logged, timeout=10, what="nginx to log the probe")
        return int(found[0].rsplit(":", 1)[1])  # the last replica tried is the one that answered


@dataclass
class Room:
    proxy: Proxy
    replicas: list[Server]
    database_url: str

    @property
    def url(self) -> str:  # the proxy stands where a server would, for the flows shared with other browser tests
        return self.proxy.url

    def replica(self, port: int) -> Server:
        return next(r for r in self.replicas if r.port == port)

    def pinned(self, key: str) -> int:
        """The port of the one replica a browser with affinity key `key` is sent to, request after request (its
        uploads and downloads go over plain requests to the replica that holds its session)."""
        ports = {self.proxy.served_by(key) for _ in range(4)}
        assert len(ports) == 1, f"the proxy sent one browser to several replicas: {sorted(ports)}"
        return ports.pop()

    def serving(self, context) -> Server:
        """The replica the proxy sends this browser to now."""
        [key] = [c["value"] for c in context.cookies(self.proxy.url) if c["name"] == COOKIE]
        return self.replica(self.pinned(key))

    def tab_on(self, fresh_page, replica: Server):
        """A tab in a browser whose affinity cookie sends it to `replica` (a key is drawn until the proxy maps it
        there)."""
        for _ in range(64):
            key = secrets.token_hex(8)
            if self.pinned(key) == replica.port:
                tab = fresh_page()
                tab.context.add_cookies([{"name": COOKIE, "value": key, "url": self.proxy.url}])
                return tab
        raise AssertionError(f"no affinity key led to the replica on port {replica.port}")

    def imported(self, organisation: str) -> list[dict]:
        """The answers of each assessment stored for `organisation`."""
        engine = get_engine(self.database_url)
        try:
            return [{question_id: answer.value for question_id, answer in repo.load_answers(engine, a.id).items()}
                    for a in repo.list_assessments(engine) if a.organisation == organisation]
        finally:
            dispose_all()

    def store(self, token: str, values: dict) -> None:
        """Save answers to the assessment behind `token` in the database, as if given on another device."""
        engine = get_engine(self.database_url)
        try:
            repo.save_answers(engine, repo.find_assessment(engine, token).id,
                              {question_id: Answer(value) for question_id, value in values.items()})
        finally:
            dispose_all()

    def answers(self, token: str) -> dict:
        engine = get_engine(self.database_url)
        try:
            stored = repo.load_answers(engine, repo.find_assessment(engine, token).id)
            return {question_id: answer.value for question_id, answer in stored.items() if answer.value is not None}
        finally:
            dispose_all()


@pytest.fixture(scope="module")
def room(tmp_path_factory, provider):  # noqa: F811
    folder = tmp_path_factory.mktemp("replicas")
    url, schema = _postgres_schema_url()
    proxy = Proxy(folder, free_port())
    settings = folder / "secrets.toml"
    settings.write_text(
        "[auth]\n"
        f'redirect_uri = "{proxy.url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'  # the same on every replica
        'client_id = "phasegate"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{provider.url}/.well-known/openid-configuration"\n'
    )
    settings.chmod(0o600)
    options = ("--secrets.files", str(settings))
    shared = {"DATABASE_URL": url, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32)}  # alike on each
    replicas = []
    for number in (1, 2):
        data = folder / f"replica-{number}"
        data.mkdir()
        replicas.append(Server(data, options, env=shared))
    try:
        for replica in replicas:
            replica.start()
        proxy.configure(replicas)
        proxy.start()
        yield Room(proxy, replicas, url)
    finally:
        proxy.stop()
        for replica in replicas:
            replica.stop()
        dispose_all()
        _drop_postgres_schema(schema)


@pytest.fixture
def both_up(room):
    """Every replica serves when the test starts and again after it, whatever the test killed."""
    yield room
    for replica in room.replicas:
        if replica.process.poll() is not None:
            replica.start()
    for replica in room.replicas:  # nginx tries a replica it gave up on again after fail_timeout
        wait_until(lambda: any(room.proxy.served_by(secrets.token_hex(8)) == replica.port for _ in range(16)),
                   timeout=30, what=f"the proxy to send browsers to the replica on port {replica.port} again")


def answer(page, room: Room, token: str, question) -> None:
    choose(page, question.id)
    wait_until(lambda: question.id in room.answers(token), what=f"{question.id} to be stored")


def test_a_replica_that_dies_mid_assessment_loses_nothing_and_the_other_serves_the_report(both_up, fresh_page):
    room = both_up
    page = fresh_page()
    context = page.context
    token = start_quick_check(page, room)
    link = page.url
    first_step = [q for q in QUICK.questions if q.domain == QUICK.domains[0].id]
    for question in first_step:
        answer(page, room, token, question)
    before = room.answers(token)
    assert len(before) == len(first_step)

    dead = room.serving(context)
    dead.kill()
    # The page notices and reconnects through the proxy to the other replica, which draws it again from the
    # database: the answers given before the kill are there.
    progress = page.locator("[data-testid='stProgress']").get_by_text(
        re.compile(rf"^{len(first_step)} of \d+ answered"))
    progress.wait_for(timeout=RECONNECT)
    assert room.serving(context) is not dead

    page.goto(link)  # the leader continues by the resume link
    progress.wait_for()
    # All but one of the other answers were given on another device meanwhile; the last is given here, on the
    # replica still standing, once the page has been opened again.
    rest = [q for q in QUICK.questions if q.id not in before]
    room.store(token, {q.id: QUICK.options_for(q)[CHOICE].value for q in rest[1:]})
    page.reload()
    page.locator("[data-testid='stProgress']").get_by_text(
        re.compile(rf"^{len(QUICK.questions) - 1} of \d+ answered")).wait_for()
    while True:
        page.locator(css_key("finish") + " button").click()
        results = page.get_by_role("heading", name="Where the organisation stands")
        results.or_(page.locator("[class*='st-key-goto-'] button").first).wait_for()
        if results.is_visible():
            break
        domain = next(d for d in QUICK.domains if page.locator(css_key(f"goto:{d.id}") + " button").count())
        page.locator(css_key(f"goto:{domain.id}") + " button").click()
        page.get_by_role("heading", name=domain.name, exact=True).wait_for()
        for question in [q for q in QUICK.questions if q.domain == domain.id]:
            if question.id not in room.answers(token):
                answer(page, room, token, question)
    stored = room.answers(token)
    assert {k: stored[k] for k in before} == before
    assert stored == {q.id: QUICK.options_for(q)[CHOICE].value for q in QUICK.questions}

    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Report").click()
    download_button = page.locator(css_key("download_pdf") + " button")
    download_button.wait_for(timeout=180_000)  # rendered by the replica still standing
    with page.expect_download() as download:
        download_button.click()
    text = pdf_text(download.value.path())
    assert QUICK.title in text


def test_a_room_answers_on_one_replica_and_the_dashboard_on_the_other_counts_it(both_up, fresh_page):
    room = both_up
    one, other = room.replicas
    dashboard = room.tab_on(fresh_page, one)
    phone = room.tab_on(fresh_page, other)
    code = create_workshop(dashboard, room)
    assert room.serving(dashboard.context) is one
    metric(dashboard, "Participants joined").get_by_text("0", exact=True).wait_for()

    phone.goto(f"{room.url}/workshop?code={code}")
    phone.locator(css_key("join_role")).get_by_text("Executive", exact=True).click()
    phone.locator(css_key("join") + " button").click()
    first = QUICK.questions[0]
    phone.locator(css_key(f"q:{first.id}") + " [role='radiogroup'] label").nth(CHOICE).click()
    phone.locator("[data-testid='stProgress']").get_by_text(re.compile(r"^1 of \d+ answered")).wait_for()
    assert room.serving(phone.context) is other

    metric(dashboard, "Participants joined").get_by_text("1", exact=True).wait_for(timeout=60_000)  # live refresh
    assert join_code(dashboard) == code
    assert dashboard.get_by_role("heading", name=f"Workshop · {CLIENT}").is_visible()


def test_a_consultant_signed_in_through_the_proxy_stays_signed_in_across_a_replica_restart(both_up, fresh_page,
                                                                                            provider):  # noqa: F811
    room = both_up
    sub, claims = ANA
    provider.add_user(sub, **claims)
    one = room.replicas[0]
    page = room.tab_on(fresh_page, one)
    context = page.context
    page.goto(room.url)
    wait_idle(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("button", name="Sign in").click()
    provider.authorize(page, sub)
    page.wait_for_url(f"{room.url}/my-workshops")
    sidebar_sign_out = sidebar.get_by_role("button", name="Sign out")
    sidebar_sign_out.wait_for()

    one.stop()  # the replica that signed her in goes away; her page reconnects to the other
    page.get_by_role("heading", name="My workshops").wait_for(timeout=RECONNECT)
    wait_idle(page)
    sidebar_sign_out.wait_for(timeout=RECONNECT)
    assert room.serving(context) is not one
    page.reload()  # a fresh page on the other replica knows her too
    sidebar_sign_out.wait_for()
    assert sidebar.get_by_role("button", name="Sign in").count() == 0

    one.start()

    def back_on_one() -> bool:
        try:
            return room.serving(context) is one
        except AssertionError:  # the proxy is still taking her replica back: its requests go to either
            return False

    wait_until(back_on_one, timeout=60, what="the proxy to send her back to her replica")
    page.reload()
    sidebar_sign_out.wait_for()
    page.get_by_role("heading", name="My workshops").wait_for()


def settled(page, locator) -> None:
    """Wait until the app has finished its run and `locator` stays where it is (the page scrolls the choice into
    view once it is drawn; a click during the scroll lands elsewhere)."""
    wait_idle(page)
    seen = []
    wait_until(lambda: seen.append(locator.bounding_box()) or (len(seen) > 1 and seen[-1] == seen[-2]),
               what="the page to stop scrolling")


def test_an_answers_file_chosen_before_its_replica_dies_is_offered_by_the_other(both_up, fresh_page, tmp_path):
    room = both_up
    chosen = {q.id: QUICK.options_for(q)[CHOICE].value for q in QUICK.questions[:5]}
    file = tmp_path / "acme-quick-check.yaml"
    file.write_text(f"format: phasegate-answers/1\nquestionnaire: {QUICK.id}\nquestionnaire_version: {QUICK.version}\n"
                    "organisation: Acme\nanswers:\n" + "".join(f"  {qid}: {value}\n" for qid, value in chosen.items()))
    page = fresh_page()
    context = page.context
    page.goto(room.url)
    page.get_by_role("tab", name="From an answers file").wait_for()
    wait_idle(page)  # a tab chosen while the page's first run is still drawing goes back to the first tab
    page.get_by_role("tab", name="From an answers file").click()
    page.locator(css_key("answers_file") + " input[type='file']").set_input_files(str(file))
    page.get_by_test_id("stFileChip").wait_for()
    page.locator(css_key("import_answers") + " button").click()
    page.locator(css_key("import_choice")).or_(page.get_by_text("Nothing was imported")).wait_for()
    assert page.locator(css_key("import_choice")).count() == 1, page.get_by_test_id("stAlert").all_inner_texts()
    wait_until(lambda: "import=" in page.url, what="the page's address to keep the chosen file")

    dead = room.serving(context)
    dead.kill()
    # The page is opened again on the other replica, in a new session whose file box is empty: the choice is
    # offered again from what the database kept.
    wait_until(lambda: room.serving(context) is not dead, timeout=RECONNECT / 1000,
               what="the proxy to send the browser to the other replica")
    page.reload()
    page.locator(css_key("import_choice")).wait_for()
    assert page.get_by_test_id("stFileChip").count() == 0
    copy = page.locator(css_key("import_copy") + " button")
    settled(page, copy)
    copy.click()
    page.get_by_text("This is a new assessment made from acme-quick-check.yaml").wait_for()
    assert room.imported("Acme") == [chosen]
