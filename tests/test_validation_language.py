"""The checks on text a person types speak the screen's language: a role, client or organisation name, an answer or a
note with an invisible control character is refused in German on a German screen, in the same English as before
otherwise."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import i18n
from scoring.workshop import Role
from storage import repository as repo
from storage import workshops as ws
from storage.text import TextError, refuse_controls
from tests.conftest import APP_TIMEOUT, ROOT

GERMAN_REFUSAL = ("Das Feld „{what}“ enthält ein unsichtbares Steuerzeichen ({code}); entfernen Sie es und speichern "
                  "Sie erneut.")
ENGLISH_REFUSAL = "The {what} contains an invisible control character ({code}); remove it and save again."

CHECKS = {  # what is checked, with a vertical tab or a NUL in it: the English and the German name of the field
    "role name": (lambda: ws.check_roles([Role("Chief\x0bexecutive", None)]), "role name", "Rolle", "U+000B"),
    "client's name": (lambda: repo.check_value("Acme\x00", "client's name"), "client's name", "Kunde", "U+0000"),
    "answer": (lambda: repo.stored_value(["a", "b\x1b"]), "answer", "Antwort", "U+001B"),
    "note": (lambda: repo.check_note("fine\x7f"), "note", "Notiz", "U+007F"),
    "organisation name": (lambda: repo._organisation("Acme\x0bCorp"), "organisation name", "Name der Organisation",
                          "U+000B"),
    "field without German": (lambda: refuse_controls("\x01", "value"), "value", "value", "U+0001"),
}


def refusal(check) -> str:
    with pytest.raises(TextError) as raised:
        check()
    return str(raised.value)


@pytest.mark.parametrize(("check", "english", "german", "code"), CHECKS.values(), ids=CHECKS.keys())
def test_a_refused_control_character_is_named_in_german_on_a_german_screen(check, english, german, code):
    with i18n.use("de"):
        assert refusal(check) == GERMAN_REFUSAL.format(what=german, code=code)


@pytest.mark.parametrize(("check", "english", "german", "code"), CHECKS.values(), ids=CHECKS.keys())
def test_the_english_refusal_is_unchanged(check, english, german, code):
    assert refusal(check) == ENGLISH_REFUSAL.format(what=english, code=code)


@pytest.mark.parametrize(("language", "expected"), [
    ("de", "Die Notiz ist 5.001 Zeichen lang; erlaubt sind höchstens 5.000."),
    ("en", "The note is 5,001 characters long; at most 5,000 are allowed."),
])
def test_a_note_too_long_says_so_in_the_language_with_its_numbers(language, expected):
    with i18n.use(language), pytest.raises(Exception) as raised:
        repo.check_note("x" * (repo.MAX_NOTE + 1))
    assert str(raised.value).startswith(expected)


def test_the_german_workshop_form_refuses_a_client_name_with_a_control_character_in_german(monkeypatch, tmp_path):
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.run()
    at.query_params["lang"] = "de"
    at.switch_page("app_pages/workshop_new.py")
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="ws_client").set_value("Acme\x0bAG")
    at.button[0].click().run()
    errors = [e.value.replace("\\", "") for e in at.error]  # the page escapes Markdown
    assert GERMAN_REFUSAL.format(what="Kunde", code="U+000B") in errors, errors
