"""Languages: the catalogue of the moment, the browser's choice, the pseudo-language and German numbers, dates and
money."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import i18n
from questionnaires import load_questionnaire
from questionnaires.loader import LIBRARY
from reports import charts
from scoring import read_answers, score_response
from tests.conftest import ROOT


@pytest.mark.parametrize("language, expected", [
    ("en", ("€1,234,567", "1,234,567", "42%", "4 December 2026", "Language")),
    ("de", ("1.234.567\xa0€", "1.234.567", "42\xa0%", "4. Dezember 2026", "Sprache")),  # no break inside an amount
])
def test_numbers_dates_money_and_messages_follow_the_language(language, expected):
    with i18n.use(language):
        got = (i18n.money(1234567.4, "EUR"), i18n.number(1234567), i18n.percent(0.42), i18n.date(dt.date(2026, 12, 4)),
               i18n._("Language"))
    assert got == expected
    assert i18n.current() == "en"


@pytest.mark.parametrize("header, expected", [
    ("de-AT,de;q=0.9,en;q=0.8", "de"), ("en-GB,en;q=0.9,de;q=0.8", "en"), ("fr-FR,fr;q=0.9", "en"),
    ("fr;q=0.9,de;q=0.5", "de"), ("de;q=0.1,en;q=0.9", "en"), ("", "en"), (None, "en"), ("qps", "en"),
])
def test_the_browsers_first_offered_language_is_chosen(header, expected):
    assert i18n.preferred(header) == expected


def test_an_unknown_language_speaks_english_and_a_message_without_translation_stays_as_written():
    with i18n.use("xx"):
        assert (i18n.current(), i18n._("Language")) == ("en", "Language")
    with i18n.use("de"):
        assert i18n._("A sentence nobody translated") == "A sentence nobody translated"
        assert i18n.ngettext("{n} step", "{n} steps", 3) == "{n} steps"


def test_the_pseudo_language_is_longer_accented_and_keeps_placeholders_and_markup():
    with i18n.use(i18n.PSEUDO):
        text = i18n._("Score {name} on <b>every</b> step")
    assert "{name}" in text and "<b>" in text and "</b>" in text
    assert "é" in text and len(text) >= len("Score {name} on <b>every</b> step") * 1.4


def test_a_language_is_added_by_dropping_in_a_catalogue(tmp_path, monkeypatch):
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "app.po").write_text('msgid ""\nmsgstr ""\n"Language: nl\\n"\n"Content-Type: text/plain; '
                                         'charset=UTF-8\\n"\n\nmsgid "Language"\nmsgstr "Taal"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    assert i18n.available() == ["en", "nl"]
    with i18n.use("nl"):
        assert i18n._("Language") == "Taal"


def test_the_catalogues_of_each_part_are_read_as_one(tmp_path, monkeypatch):
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (folder / "app.po").write_text(header + 'msgid "Language"\nmsgstr "Sprache"\n', encoding="utf-8")
    (folder / "reports.po").write_text(header + 'msgid "Page"\nmsgstr "Seite"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    with i18n.use("de"):
        assert (i18n._("Language"), i18n._("Page")) == ("Sprache", "Seite")


def test_an_edited_catalogue_is_drawn_in_the_charts_at_once(tmp_path, monkeypatch):
    """A chart's structure is kept (in memory and on disk) per language; editing the language's .po file must show
    in the next chart, not in the one after the cache is cleared."""
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "locales" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = folder / "reports.po"
    header = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    title = "Maturity index (phases completed)"
    catalogue.write_text(header + f'msgid "{title}"\nmsgstr "Reifegradindex"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path / "locales")
    questionnaire = load_questionnaire(LIBRARY / "quick-check.yaml")
    result = score_response(questionnaire, read_answers(ROOT / "examples" / "quick-check-example.yaml", questionnaire))

    def axis_title() -> str:
        with i18n.use("de"):
            return json.dumps(charts.report_specs(result)["domains"])

    assert "Reifegradindex" in axis_title()
    catalogue.write_text(header + f'msgid "{title}"\nmsgstr "Reifegradindex (erreichte Phasen)"\n', encoding="utf-8")
    assert "Reifegradindex (erreichte Phasen)" in axis_title()


def test_a_use_block_reads_its_catalogue_once_and_the_next_block_reads_an_edit(tmp_path, monkeypatch):
    """A report asks for a thousand messages: the folder is looked at once per block, not once per message, and a
    block sees one state of the catalogue; an edit shows from the next block on."""
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = folder / "app.po"
    header = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    catalogue.write_text(header + 'msgid "Language"\nmsgstr "Sprache"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    looked = []
    listing = i18n.catalogue_paths
    monkeypatch.setattr(i18n, "catalogue_paths", lambda language: looked.append(language) or listing(language))
    with i18n.use("de"):
        assert [i18n._("Language") for _ in range(1000)] == ["Sprache"] * 1000
        assert looked == ["de"]
        catalogue.write_text(header + 'msgid "Language"\nmsgstr "Die Sprache"\n', encoding="utf-8")
        assert i18n._("Language") == "Sprache"
    with i18n.use("de"):
        assert i18n._("Language") == "Die Sprache"
