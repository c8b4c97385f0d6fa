"""Every screen app.py registers, in the pseudo-language (?lang=qps): it renders without an exception, no message
that goes through the catalogue is shown raw (translated once at import, kept in English in a cache, or shown a
second time unwrapped), and no English sentence is left that never went through it.

The pseudo-language pads and accents every message (see `i18n.pseudo`), so on its screens English words stand out:
what is left once the data is taken away (questionnaire texts, client, roles, codes, links) must all be pseudo."""

from __future__ import annotations

import html
import re
import shutil
from functools import lru_cache

import pytest
from babel.messages.extract import extract_from_file
from streamlit.testing.v1 import AppTest

import i18n
from questionnaires.loader import shipped_library
from scoring.workshop import DEFAULT_ROLES
from storage import access, dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import DATA, ROOT
from tests.test_access import ANA, page_as
from tests.test_app_language import KEYWORDS

TINY = ("tiny", "1.0.0")
CLIENT = "Example Corp"
# Where the screens' messages are written: the screens, what they draw with, and the parts whose texts they show.
SOURCES = ["app.py", "app_pages", "ui", "reports", "scoring", "storage", "questionnaires", "services.py"]
# Every screen app.py registers, with the query parameters it opens with (filled in by `stored`).
SCREENS = ["start", "assessment", "results", "report", "workshop_join", "workshop_new", "workshop_dashboard",
           "presenter", "my_workshops"]
PSEUDO_SPAN = re.compile(r"⟦[^⟦⟧]*⟧")
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z']+(?: [A-Za-z][a-z']+)+\b")  # two or more plain words in a row


# --- what a screen shows ---------------------------------------------------------------------------------------


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def texts(at: AppTest) -> list[str]:
    """Every text the screen shows, as a reader sees it: values, labels, options, help and placeholders of its
    elements, markdown escapes and HTML markup taken away (scripts and styles are not shown)."""
    found = []
    for node in walk(at._tree):
        for field in ("value", "label", "body", "placeholder", "help"):
            try:
                value = getattr(node, field, None)
            except Exception:  # noqa: BLE001 - an element without that field in its state
                value = None
            if isinstance(value, str):
                found.append(value)
        proto = getattr(node, "proto", None)
        found += [str(option) for option in getattr(proto, "options", [])] if proto is not None else []
    return [text for text in map(readable, found) if text]


def readable(text: str) -> str:
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.replace("\\", "").split())


# --- the messages, and the data a screen shows as it is ----------------------------------------------------------


@lru_cache(maxsize=1)
def messages() -> tuple[str, ...]:
    """Every message written in the code for the catalogue (both forms of a plural), as the English source."""
    found = set()
    paths = [ROOT / source for source in SOURCES]
    files = [p for p in paths if p.is_file()] + [f for p in paths if p.is_dir() for f in sorted(p.rglob("*.py"))]
    for path in files:
        for _line, message, _comments, _context in extract_from_file("python", path, keywords=KEYWORDS):
            found.update(message if isinstance(message, tuple) else (message,))
    return tuple(sorted(m for m in found if m))


def fragments(message: str) -> list[str]:
    """The stretches of a message between its placeholders that are long enough to be recognised (three words or
    more): a raw one on a pseudo screen went round the catalogue."""
    return [part.strip() for part in i18n.KEPT.split(message)[::2] if len(part.split()) >= 3]


@lru_cache(maxsize=1)
def data() -> tuple[str, ...]:
    """Texts a screen shows as they are stored, never through the catalogue: every text of every questionnaire
    (they have their own translations, and none into the pseudo-language), the language names, the client and the
    roles as the facilitator typed them; longest first, so a long one is taken away before a part of it."""
    found = {CLIENT, *i18n.NAMES.values(), *(role.name for role in DEFAULT_ROLES)}

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from strings(item)

    for versions in shipped_library().versions.values():  # the app's library: the shipped ones and the tiny one
        for questionnaire in versions.values():
            found.update(strings(questionnaire.model_dump()))
    return tuple(sorted({readable(text) for text in found if len(text) > 2}, key=len, reverse=True))


def without_data(text: str) -> str:
    for known in data():
        text = text.replace(known, " ")
    return text


def left_in_english(text: str) -> list[str]:
    """The plain English left in a text once its pseudo messages and its data are taken away."""
    return ENGLISH_RUN.findall(without_data(PSEUDO_SPAN.sub(" ", text)))


# --- the screens, each with what it needs stored -----------------------------------------------------------------


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A signed-in consultant's workshop on the tiny questionnaire, three participants apart on two questions, and
    an open and a finished self-assessment; the query parameters each screen opens with. Stored once for the
    module, in the app's settings as `app_env` gives them: every test here only reads the screens."""
    folder = tmp_path_factory.mktemp("pseudo")
    library = folder / "questionnaires"
    library.mkdir()
    shutil.copy(DATA / "tiny.yaml", library / "tiny.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PHASEGATE_QUESTIONNAIRES", str(library))
        patch.setenv("PHASEGATE_DATA_DIR", str(folder / "data"))
        patch.delenv("DATABASE_URL", raising=False)
        yield parameters(get_engine())
        dispose_all()


def parameters(engine) -> dict[str, dict]:
    """The workshop and the assessments every screen shows, stored; the query parameters each screen opens with."""
    workshop = access.create_workshop(engine, CLIENT, *TINY, owner=ANA)
    for role, inventory, pipelines in (("Executive", 4, 3), ("Data & AI", 0, 1), ("IT & engineering", 1, 1)):
        person = ws.join_workshop(engine, workshop, role)
        repo.save_answers(engine, person.id, {"data.inventory": repo.Answer(inventory),
                                                  "data.pipelines": repo.Answer(pipelines),
                                                  "governance.board": repo.Answer(2)})
    tokens = {}
    for finished in (False, True):
        created = repo.create_assessment(engine, *TINY, organisation=CLIENT)
        repo.save_answers(engine, created.id, {"data.inventory": repo.Answer(2), "data.pipelines": repo.Answer(1)})
        if finished:
            repo.finish_assessment(engine, created.id)
        tokens[finished] = created.token
    return {"start": {}, "assessment": {"a": tokens[False]}, "results": {"a": tokens[True]},
            "report": {"a": tokens[True]}, "workshop_join": {"code": workshop.display_code}, "workshop_new": {},
            "workshop_dashboard": {"f": workshop.facilitator_token}, "presenter": {"f": workshop.facilitator_token},
            "my_workshops": {}}


@pytest.fixture(scope="module")
def screens_seen(stored) -> dict[str, AppTest]:
    """Each screen as opened by the first test that reads it; the three tests of a screen read the same run."""
    return {}


def opened(screen: str, stored: dict, seen: dict[str, AppTest]) -> AppTest:
    """The screen in the pseudo-language with sign-in configured and the workshop's consultant signed in; no
    exception (`open_page` checks). Opened once: every test here only reads it."""
    if screen not in seen:
        seen[screen] = page_as(f"app_pages/{screen}.py", ANA.subject.split("#")[1], lang="qps", **stored[screen])
    return seen[screen]


def test_every_registered_screen_is_checked():
    registered = re.findall(r'\("app_pages/(\w+)\.py"', (ROOT / "app.py").read_text(encoding="utf-8"))
    assert sorted(registered) == sorted(SCREENS)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_screen_renders_in_the_pseudo_language(screen, stored, screens_seen):
    at = opened(screen, stored, screens_seen)
    assert not at.exception, at.exception
    assert at.query_params["lang"] in ("qps", ["qps"])
    assert any("⟦" in text for text in texts(at)), f"{screen} shows no message in the pseudo-language"


@pytest.mark.parametrize("screen", SCREENS)
def test_no_message_of_the_catalogue_is_shown_raw_on_the_screen(screen, stored, screens_seen):
    shown = [without_data(text) for text in texts(opened(screen, stored, screens_seen))]  # a role is also a message
    raw = sorted({part for message in messages() for part in fragments(message)
                  if any(part in text for text in shown)})
    assert not raw, f"{screen} shows messages of the catalogue untranslated: {raw[:8]}"


@pytest.mark.parametrize("screen", SCREENS)
def test_no_english_is_left_on_the_screen_once_its_data_is_taken_away(screen, stored, screens_seen):
    shown = texts(opened(screen, stored, screens_seen))
    left = sorted({f"{run!r} in {text[:90]!r}" for text in shown for run in left_in_english(text)})
    assert not left, f"{screen} shows English that never went through the catalogue:\n" + "\n".join(left[:12])
