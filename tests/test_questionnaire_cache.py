"""Questionnaire files are parsed once: the cache of parsed data under the data folder, and what it must not change."""

from __future__ import annotations

import os
import pickle
import stat
import threading

import pytest

from questionnaires import QuestionnaireError, compiled, load_questionnaire
from questionnaires.loader import validate_document
from questionnaires.safeyaml import read_document as safe_read
from tests.conftest import DATA

TINY = (DATA / "tiny.yaml").read_text(encoding="utf-8")


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """An empty data folder and no cache folder set: the cache folder is made in the data folder."""
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PHASEGATE_CACHE_DIR", raising=False)
    return tmp_path / "data" / "cache" / "questionnaires"


def written(tmp_path, text: str, name: str = "tiny.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def entries(folder):
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def test_a_file_is_parsed_once_then_read_from_the_cache_with_the_same_result(cache, tmp_path):
    path = written(tmp_path, TINY)
    first = load_questionnaire(path)
    assert compiled.read_document(path, QuestionnaireError)[1] is True
    again = load_questionnaire(path)
    assert again == first
    assert again.model_dump() == validate_document(safe_read(path, QuestionnaireError)).model_dump()
    [entry] = entries(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache.parent.parent.stat().st_mode) == 0o700  # the data folder, made by the cache


def test_a_cache_folder_of_its_own_holds_the_entries_and_the_data_folder_none(monkeypatch, tmp_path):
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PHASEGATE_CACHE_DIR", str(tmp_path / "shared" / "cache"))
    path = written(tmp_path, TINY)
    load_questionnaire(path)
    assert compiled.read_document(path, QuestionnaireError)[1] is True
    [entry] = entries(tmp_path / "shared" / "cache" / "questionnaires")
    assert stat.S_IMODE(entry.parent.stat().st_mode) == stat.S_IMODE(entry.parent.parent.stat().st_mode) == 0o700
    assert not (tmp_path / "data").exists()


def test_a_changed_file_is_parsed_again_and_replaces_its_entry(cache, tmp_path):
    path = written(tmp_path, TINY)
    load_questionnaire(path)
    written(tmp_path, TINY.replace("title: Tiny test questionnaire", "title: Changed title"))
    assert compiled.read_document(path, QuestionnaireError)[1] is False
    assert load_questionnaire(path).title == "Changed title"
    assert len(entries(cache)) == 1  # the old file's entry is gone


def test_errors_keep_their_line_numbers_when_the_parsed_data_is_cached(cache, tmp_path):
    # Valid YAML that the models refuse: its parsed data is cached, and the message still names the line.
    path = written(tmp_path, TINY.replace("    scale: level\n    text: Are data pipelines", "    scale: levels\n    text: Are data pipelines"))
    expected = "tiny.yaml:39 questions[1].scale: unknown scale 'levels' (known: level)"
    for _ in range(2):
        with pytest.raises(QuestionnaireError) as caught:
            load_questionnaire(path)
        assert expected in caught.value.lines()
    assert compiled.read_document(path, QuestionnaireError)[1] is True


@pytest.mark.parametrize("damage", [
    lambda content: content[: len(content) // 2],  # cut short
    lambda content: b"garbage",
    lambda content: content.replace(b"Tiny test questionnaire", b"Tiny test questionnairX")[:-3],
])
def test_a_damaged_entry_is_ignored_and_written_again(cache, tmp_path, damage):
    path = written(tmp_path, TINY)
    expected = load_questionnaire(path)
    [entry] = entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))
    assert compiled.read_document(path, QuestionnaireError)[1] is False
    assert load_questionnaire(path) == expected
    assert compiled.read_document(path, QuestionnaireError)[1] is True


class Payload:
    def __reduce__(self):
        return (os.system, ("touch should-not-exist",))


def test_an_entry_naming_anything_but_plain_values_is_refused(cache, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = written(tmp_path, TINY)
    load_questionnaire(path)
    [entry] = entries(cache)
    header = entry.read_bytes().split(b"\n", 2)
    entry.write_bytes(b"\n".join(header[:2]) + b"\n" + pickle.dumps({"id": Payload()}))
    assert compiled.read_document(path, QuestionnaireError)[1] is False
    assert load_questionnaire(path).id == "tiny"
    assert not (tmp_path / "should-not-exist").exists()


def test_an_entry_others_may_write_is_ignored(cache, tmp_path):
    path = written(tmp_path, TINY)
    load_questionnaire(path)
    [entry] = entries(cache)
    entry.chmod(0o666)
    assert compiled.read_document(path, QuestionnaireError)[1] is False


def test_every_limit_of_the_safe_reader_applies_to_a_file_not_cached(cache, tmp_path):
    for text, expected in [
        (TINY.replace("title: Tiny test questionnaire", "title: &t Tiny\nsubtitle: *t"), "anchors and aliases"),
        ("a:\n" + "".join("  " * depth + f"- x{depth}:\n" for depth in range(1, 40)), "nesting is deeper"),
        ("n: " + "9" * 60 + "\n", "is too long"),
    ]:
        path = written(tmp_path, text, "limits.yaml")
        with pytest.raises(QuestionnaireError) as caught:
            load_questionnaire(path)
        assert any(expected in line for line in caught.value.lines()), caught.value.lines()
    big = written(tmp_path, "a: " + "x" * (compiled.MAX_BYTES + 10) + "\n", "big.yaml")
    with pytest.raises(QuestionnaireError, match="larger than"):
        load_questionnaire(big)
    assert entries(cache) == []  # nothing refused is cached


def test_the_key_changes_with_the_reader_and_the_kind_of_file(cache, monkeypatch):
    raw = TINY.encode()
    assert compiled.cache_key(raw, ".yaml") != compiled.cache_key(raw, ".json")
    before = compiled.cache_key(raw, ".yaml")
    monkeypatch.setattr(compiled, "reader_fingerprint", lambda: "another reader")
    assert compiled.cache_key(raw, ".yaml") != before


def test_writers_racing_on_one_entry_never_leave_a_partial_file(cache, tmp_path):
    path = written(tmp_path, TINY)
    document = safe_read(path, QuestionnaireError)
    key = compiled.cache_key(path.read_bytes(), ".yaml")
    entry = compiled.cache_folder() / f"{compiled._source_id(path)}-{key}"
    compiled._write_entry(entry, key, document.data)
    misses = []

    def write():
        for _ in range(40):
            compiled._write_entry(entry, key, document.data)

    def read():
        for _ in range(200):
            if compiled._read_entry(entry, key) is compiled._MISSING:
                misses.append(1)

    threads = [threading.Thread(target=write) for _ in range(4)] + [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert misses == []
    assert compiled._read_entry(entry, key) == document.data
    assert [p.name for p in cache.iterdir()] == [entry.name]  # no temporary file left behind


def test_a_data_folder_that_cannot_be_written_only_costs_speed(monkeypatch, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(blocked))
    monkeypatch.delenv("PHASEGATE_CACHE_DIR", raising=False)
    path = written(tmp_path, TINY)
    assert load_questionnaire(path).id == "tiny"
    assert compiled.read_document(path, QuestionnaireError)[1] is False


def test_the_fonts_coverage_is_kept_and_read_back(cache):
    from reports import text

    text.coverage.cache_clear()
    try:
        covered = text.coverage()
        assert covered, "the report fonts cannot be read; run scripts/install.sh first"
        [entry] = list((cache.parent / "fonts").iterdir())
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600
        text.coverage.cache_clear()
        assert text.coverage() == covered
        # What is kept is what is read: a kept entry of fewer characters is believed ...
        entry.write_bytes(text.COVERAGE_FORMAT + text.array("I", [65, 66]).tobytes())
        text.coverage.cache_clear()
        assert text.coverage() == {65, 66}
        # ... and a damaged one is not
        entry.write_bytes(text.COVERAGE_FORMAT + b"\x01\x02\x03")
        text.coverage.cache_clear()
        assert text.coverage() == covered
    finally:
        text.coverage.cache_clear()


def test_text_checks_on_the_command_line_do_not_load_the_database_driver():
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = "import sys, cli, storage.text; print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
