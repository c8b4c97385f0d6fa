"""Translations of questionnaires: the file format, the checks, the fallback to English, the library's languages,
`cli.py validate`, the glossary, and that a translation never changes a score."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from questionnaires import QuestionnaireError, loader
from questionnaires.glossary import load_glossary
from questionnaires.loader import LIBRARY, find_questionnaire, load_library, load_questionnaire, parse_questionnaire
from questionnaires.translation import (Translation, TranslationError, find_in_language, in_language,
                                        load_translation, source_texts, translated, translation_texts)
from scoring import read_answers, result_to_dict, score_response
from tests.conftest import DATA, ROOT

FIXTURE = DATA / "quick-check.de.yaml"
HEADER = "translation_of: quick-check\nversion: 3.1.0\nlanguage: de\n"
GOLDEN = sorted((ROOT / "examples").glob("golden-*.yaml")) + [ROOT / "examples" / "quick-check-example.yaml"]


@pytest.fixture(scope="module")
def german(quick_check):
    """The quick check with the German texts of the fixture, and the texts left in English."""
    return translated(quick_check, load_translation(FIXTURE, quick_check))


def write(folder: Path, body: str, name: str = "quick-check.de.yaml") -> Path:
    path = folder / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def problems(path: Path, questionnaire) -> list[str]:
    with pytest.raises(TranslationError) as caught:
        load_translation(path, questionnaire)
    return caught.value.lines()


# --- The translated questionnaire ----------------------------------------------------------------------------------


@pytest.mark.parametrize("read, expected", [
    (lambda q: q.title, "KI-Schnellcheck"),
    (lambda q: q.language, "de"),
    (lambda q: q.phase(2).name, "Fundament legen"),
    (lambda q: q.domain("economics").name, "Wirtschaftlichkeit"),
    (lambda q: q.scales["maturity"].options[3].label, "Gesteuert"),
    (lambda q: q.roles["ceo"].title("small"), "Geschäftsführer(in)"),
    (lambda q: q.pilot_section().stage("production").label, "Im produktiven Einsatz"),
    (lambda q: q.pilot_section().blocker("data.no-access").label, "Kein Zugriff auf Produktionsdaten"),
    (lambda q: q.question("economics.run-budget").text, "Wie wird der produktive Betrieb von KI finanziert?"),
    (lambda q: q.options_for(q.question("economics.run-budget"))[0].label, "Nur Projektmittel"),
    (lambda q: q.for_size("small").question("data.ownership").text[:40], "Hat jeder Datenbestand hinter Ihrem KI-P"),
    (lambda q: q.question("governance.eu-ai-act-role").action.kpi[:30], "Anteil der Einträge im KI-Regi"),
])
def test_a_translation_replaces_the_texts_it_gives(german, read, expected):
    assert read(german[0]) == expected


@pytest.mark.parametrize("read", [
    lambda q: [(x.id, x.domain, x.phase, x.type, x.scale, x.weight, x.visible_if, x.critical, x.track)
               for x in q.questions],
    lambda q: [(x.id, x.action.effort, x.action.impact, x.action.owner, x.action.requires) if x.action else x.id
               for x in q.questions],
    lambda q: [(o.value, o.score) for x in q.questions for o in q.options_for(x)],
    lambda q: [(d.id, d.weight) for d in q.domains] + [p.threshold for p in q.roadmap.phases],
    lambda q: [(b.id, b.domain, b.remedy) for b in q.pilot_section().blockers],
    lambda q: (q.id, q.version, q.estimated_minutes, q.migrations, q.regulation),
])
def test_a_translation_keeps_ids_values_scores_and_rules(quick_check, german, read):
    assert read(german[0]) == read(quick_check)


def test_a_text_the_translation_leaves_out_stays_english_and_is_listed(quick_check, german):
    translated_quick_check, missing = german
    assert translated_quick_check.question("data.ownership").help == quick_check.question("data.ownership").help
    assert translated_quick_check.domain("data").description == quick_check.domain("data").description
    for path in ("questions.data.ownership.help", "domains.data.description", "description",
                 "questions.data.ownership.action.by_level.extend.title", "scales.maturity.options.0.description",
                 "roles.sponsor.ai-product.medium", "pilots.triage.title"):
        assert path in missing
    for path in ("title", "questions.data.ownership.text", "questions.data.ownership.by_size.small",
                 "scales.maturity.options.0.label", "pilots.blockers.data.no-access"):
        assert path not in missing
    assert len(missing) == len(source_texts(quick_check)) - len(translation_texts(load_translation(FIXTURE, quick_check)))


def test_no_text_of_a_translated_questionnaire_is_blank(german):
    assert all(text.strip() for text in source_texts(german[0]).values())


# --- Checks of the file -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body, expected", [
    ("questions:\n  data.ownership:\n    colour: red\n",
     "quick-check.de.yaml:6 questions.data.ownership.colour: unknown field; remove it or check its spelling"),
    ("title: \"\"\n", "quick-check.de.yaml:4 title: string should have at least 1 character"),
    ("scales:\n  maturity:\n    options:\n      yes: {label: Ja}\n",
     "quick-check.de.yaml:7 scales.maturity.options: the key true: YAML read it as true; put it in quotes"),
    ("roles:\n  ceo: {tiny: Chef}\n", "quick-check.de.yaml:5 roles.ceo.tiny: unknown field"),
    ("glossary: de\n", "quick-check.de.yaml:4 glossary: unknown field"),
    ("roadmap:\n  phases:\n    1: {title: Ausrichtung}\n", "quick-check.de.yaml:6 roadmap.phases.1.title: unknown field"),
])
def test_a_format_error_names_the_file_line_and_field(tmp_path, quick_check, body, expected):
    assert any(line.startswith(expected) for line in problems(write(tmp_path, body), quick_check)), expected


@pytest.mark.parametrize("body, expected", [
    ("questions:\n  data.linage:\n    text: Wer?\n",
     "quick-check.de.yaml:5 questions.data.linage: unknown question 'data.linage': quick-check 3.1.0 has none"),
    ("domains:\n  ethics: {name: Ethik}\n", "quick-check.de.yaml:5 domains.ethics: unknown domain 'ethics'"),
    ("roles:\n  cfo-deputy: {small: Stellvertretung}\n", "quick-check.de.yaml:5 roles.cfo-deputy: unknown role"),
    ("pilots:\n  stages: {parked: Geparkt}\n", "quick-check.de.yaml:5 pilots.stages.parked: unknown pilot stage"),
    ("pilots:\n  blockers: {data.no-budget: Kein Budget}\n",
     "quick-check.de.yaml:5 pilots.blockers.data.no-budget: unknown pilot blocker"),
    ("roadmap:\n  phases:\n    5: {name: Fünf}\n", "quick-check.de.yaml:6 roadmap.phases.5: unknown phase '5'"),
    ("scales:\n  maturity:\n    options:\n      7: {label: Sieben}\n",
     "quick-check.de.yaml:7 scales.maturity.options.7: option value '7' is not one of scales.maturity"),
    ("questions:\n  economics.run-budget:\n    options:\n      lottery: {label: Lotterie}\n",
     "quick-check.de.yaml:7 questions.economics.run-budget.options.lottery: option value 'lottery' is not one of"),
    ("questions:\n  data.source-inventory:\n    by_size: {small: Klein}\n",
     "quick-check.de.yaml:6 questions.data.source-inventory.by_size: the source (quick-check 3.1.0) has no text here"),
    ("questions:\n  data.source-inventory:\n    action:\n      by_level:\n        establish: {title: Aufbauen}\n",
     "quick-check.de.yaml:8 questions.data.source-inventory.action.by_level.establish: the source"),
    ("translation_of: ai-maturity\n".replace("translation_of", "title"), None),
])
def test_an_id_the_source_does_not_have_is_refused(tmp_path, quick_check, body, expected):
    if expected is None:  # a text at a known place is no problem
        load_translation(write(tmp_path, body), quick_check)
        return
    lines = problems(write(tmp_path, body), quick_check)
    assert any(line.startswith(expected) for line in lines), lines


@pytest.mark.parametrize("header, expected", [
    ("translation_of: ai-maturity\nversion: 3.1.0\nlanguage: de\n",
     "translation_of: translates 'ai-maturity', but the questionnaire beside it is 'quick-check'"),
    ("translation_of: quick-check\nversion: 3.0.0\nlanguage: de\n", "version: translates version 3.0.0"),
    ("translation_of: quick-check\nversion: 3.1.0\nlanguage: en\n", "language: 'en' is the questionnaire's own"),
    ("translation_of: quick-check\nversion: 3.1.0\nlanguage: german\n", "language: 'german' does not have the"),
])
def test_a_translation_of_another_questionnaire_version_or_language_is_refused(tmp_path, quick_check, header, expected):
    path = tmp_path / "quick-check.de.yaml"
    path.write_text(header + "title: KI-Schnellcheck\n")
    assert any(expected in line for line in problems(path, quick_check))


def placeholder_source():
    """The tiny questionnaire with placeholders in one question's help."""
    text = (DATA / "tiny.yaml").read_text().replace(
        "    text: Is there an inventory", "    help: Count {n} systems in {count} units.\n    text: Is there an inventory", 1)
    return parse_questionnaire(text, "tiny.yaml")


@pytest.mark.parametrize("help_text, refused", [
    ("Zählen Sie {n} Systeme in {count} Einheiten.", False),
    ("In {count} Einheiten {n} Systeme zählen.", False),
    ("Zählen Sie {anzahl} Systeme in {count} Einheiten.", True),
    ("Zählen Sie die Systeme in {count} Einheiten.", True),
    ("Zählen Sie {n} Systeme in {count} Einheiten, {n} je Einheit.", True),
])
def test_a_placeholder_that_differs_from_the_english_is_refused(tmp_path, help_text, refused):
    source = placeholder_source()
    path = tmp_path / "tiny.de.yaml"
    path.write_text(f"translation_of: tiny\nversion: 1.0.0\nlanguage: de\nquestions:\n  data.inventory:\n"
                    f"    help: \"{help_text}\"\n")
    if not refused:
        assert translated(source, load_translation(path, source))[0].question("data.inventory").help == help_text
        return
    lines = problems(path, source)
    assert lines[0].startswith("tiny.de.yaml:6 questions.data.inventory.help: placeholders differ from the English "
                               "({count}, {n})"), lines


def test_a_placeholder_added_where_the_english_has_none_is_refused(tmp_path, quick_check):
    lines = problems(write(tmp_path, "title: \"KI-Schnellcheck in {minutes} Minuten\"\n"), quick_check)
    assert lines == ["quick-check.de.yaml:4 title: placeholders differ from the English (none), got {minutes}; "
                     "keep each placeholder unchanged"]


def test_a_complete_translation_may_leave_nothing_in_english(tmp_path, quick_check):
    body = FIXTURE.read_text().replace(HEADER, HEADER + "complete: true\n")
    lines = problems(write(tmp_path, body.split(HEADER, 1)[1]), quick_check)
    assert "quick-check.de.yaml:4 description: not translated, but the file says complete: true; " \
           "translate it or remove complete: true" in lines
    left_in_english = len(source_texts(quick_check)) - len(translation_texts(load_translation(FIXTURE, quick_check)))
    assert lines[-1] == f"quick-check.de.yaml: ... and {left_in_english - 20} more problems; fix the ones above first"


# --- Scoring ------------------------------------------------------------------------------------------------------


def full_translation(questionnaire) -> Translation:
    """A translation of every text of a questionnaire: 'DE ' before each English text."""
    nested: dict = {"translation_of": questionnaire.id, "version": questionnaire.version, "language": "de"}
    for path, text in source_texts(questionnaire).items():
        level = nested
        for part in path[:-1]:
            level = level.setdefault(part, {})
        level[path[-1]] = f"DE {text}"
    return Translation.model_validate(nested)


def figures(data):
    """A result's figures, ids and structure, with every text a person reads made one placeholder."""
    if isinstance(data, dict):
        return {key: figures(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [figures(value) for value in data]
    if isinstance(data, str) and not re.fullmatch(r"[a-z0-9][a-z0-9_.:+-]*", data):
        return "<text>"
    return data


@pytest.mark.parametrize("answers", GOLDEN, ids=lambda p: p.stem)
def test_a_translation_of_every_text_never_changes_a_score(answers):
    source = find_questionnaire(*_named(answers))
    german, missing = translated(source, full_translation(source))
    assert missing == [] and german.question(source.questions[0].id).text.startswith("DE ")
    english = result_to_dict(score_response(source, read_answers(answers, source)))
    translated_result = result_to_dict(score_response(german, read_answers(answers, german)))
    assert figures(translated_result) == figures(english)
    assert [step["question"] for step in translated_result["actions"]] == [step["question"] for step in english["actions"]]


def _named(answers: Path) -> tuple[str, str]:
    from scoring.answers import questionnaire_id_of, questionnaire_version_of

    return questionnaire_id_of(answers), questionnaire_version_of(answers)


def test_the_german_fixture_never_changes_the_quick_check_example(quick_check, german):
    answers = ROOT / "examples" / "quick-check-example.yaml"
    english = result_to_dict(score_response(quick_check, read_answers(answers, quick_check)))
    assert figures(result_to_dict(score_response(german[0], read_answers(answers, german[0])))) == figures(english)


# --- A language dropped into the library --------------------------------------------------------------------------


@pytest.fixture
def library_folder(tmp_path, monkeypatch):
    """A library folder of its own holding the quick check 3.1.0 and 3.0.0 and nothing else."""
    folder = tmp_path / "library"
    (folder / "archive" / "quick-check").mkdir(parents=True)
    shutil.copy(LIBRARY / "quick-check.yaml", folder / "quick-check.yaml")
    shutil.copy(LIBRARY / "archive" / "quick-check" / "3.0.0.yaml", folder / "archive" / "quick-check" / "3.0.0.yaml")
    monkeypatch.setattr(loader, "LIBRARY", folder)
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PHASEGATE_QUESTIONNAIRES", raising=False)
    return folder


def test_a_language_dropped_in_beside_a_questionnaire_is_offered_with_no_code_change(library_folder):
    assert loader.available_languages("quick-check") == ["en"]
    shutil.copy(FIXTURE, library_folder / "quick-check.de.yaml")
    (library_folder / "quick-check.fr.yaml").write_text(
        "translation_of: quick-check\nversion: 3.1.0\nlanguage: fr\ntitle: Diagnostic rapide IA\n")
    (library_folder / "archive" / "quick-check" / "3.0.0.pt-BR.yaml").write_text(
        "translation_of: quick-check\nversion: 3.0.0\nlanguage: pt-BR\ntitle: Verificação rápida de IA\n")
    assert loader.available_languages("quick-check") == ["en", "de", "fr"]
    assert loader.available_languages("quick-check", "3.0.0") == ["en", "pt-BR"]
    assert find_in_language("quick-check", language="de").title == "KI-Schnellcheck"
    assert find_in_language("quick-check", "3.1.0", "fr").title == "Diagnostic rapide IA"
    assert find_in_language("quick-check", "3.0.0", "pt-BR").title == "Verificação rápida de IA"
    assert find_in_language("quick-check").title == find_questionnaire("quick-check").title == "AI Maturity Quick Check"
    assert [p.name for p in loader.shipped_paths()] == ["quick-check.yaml", "3.0.0.yaml"]
    assert load_library().problems == []


def test_a_language_that_is_not_there_is_named_with_those_that_are(library_folder):
    shutil.copy(FIXTURE, library_folder / "quick-check.de.yaml")
    with pytest.raises(QuestionnaireError) as caught:
        find_in_language("quick-check", "3.1.0", "it")
    assert str(caught.value) == ("quick-check 3.1.0 has no 'it' translation (languages: en, de); "
                                 "add quick-check.it.yaml beside quick-check.yaml")


def test_a_translation_in_the_extra_folder_beside_its_questionnaire_is_offered(tmp_path, monkeypatch):
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(DATA / "tiny.yaml", extra / "tiny.yaml")
    (extra / "tiny.nl.yaml").write_text("translation_of: tiny\nversion: 1.0.0\nlanguage: nl\ntitle: Kleine test\n")
    monkeypatch.setenv("PHASEGATE_QUESTIONNAIRES", str(extra))
    monkeypatch.setenv("PHASEGATE_DATA_DIR", str(tmp_path / "data"))
    assert loader.available_languages("tiny") == ["en", "nl"]
    assert find_in_language("tiny", "1.0.0", "nl").title == "Kleine test"


# --- cli.py validate ----------------------------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_validate_lists_the_texts_a_translation_leaves_in_english(tmp_path, quick_check):
    shutil.copy(LIBRARY / "quick-check.yaml", tmp_path / "quick-check.yaml")
    shutil.copy(FIXTURE, tmp_path / "quick-check.de.yaml")
    result = run("validate", str(tmp_path / "quick-check.yaml"))
    assert result.exit_code == 0, result.output
    total = len(source_texts(quick_check))
    given = len(translation_texts(load_translation(FIXTURE, quick_check)))
    assert f"ok: quick-check.de.yaml — de translation of quick-check 3.1.0, {given} of {total} texts" in result.output
    assert f"warning: quick-check.de.yaml: {total - given} texts not translated; they are shown in English" in result.output
    assert "warning: quick-check.de.yaml questions.data.ownership.help: not translated" in result.output


@pytest.mark.parametrize("body, expected", [
    ("questions:\n  data.linage: {text: \"Wer?\"}\n",
     "error: quick-check.de.yaml:5 questions.data.linage: unknown question 'data.linage'"),
    ("complete: true\ntitle: KI-Schnellcheck\n",
     "error: quick-check.de.yaml:4 description: not translated, but the file says complete: true"),
])
def test_validate_refuses_a_broken_translation_with_exit_code_1(tmp_path, body, expected):
    shutil.copy(LIBRARY / "quick-check.yaml", tmp_path / "quick-check.yaml")
    write(tmp_path, body)
    for named in ("quick-check.yaml", "quick-check.de.yaml"):
        result = run("validate", str(tmp_path / named))
        assert result.exit_code == 1
        assert expected in result.output, result.output


def test_validate_refuses_a_translation_without_its_questionnaire_beside_it(tmp_path):
    result = run("validate", str(write(tmp_path, "title: KI-Schnellcheck\n")))
    assert result.exit_code == 1
    assert "error: quick-check.de.yaml: a translation sits beside the questionnaire it translates; " \
           "no quick-check.yaml beside it" in result.output


# --- Glossary -----------------------------------------------------------------------------------------------------


def german_translations() -> list[tuple[Path, Path]]:
    """Every German translation shipped (beside its questionnaire) and the fixture, with the file each translates."""
    shipped = [(path, loader.source_path_of(path)) for path in sorted(LIBRARY.rglob("*.de.yaml"))]
    return shipped + [(FIXTURE, LIBRARY / "quick-check.yaml")]


@pytest.mark.parametrize("translation, source", german_translations(), ids=lambda p: p.name)
def test_every_german_translation_uses_the_glossary_terms(translation, source):
    glossary = load_glossary("de")
    questionnaire = load_questionnaire(source)
    english = source_texts(questionnaire)
    misses = [f"{'.'.join(path)}: {miss}"
              for path, (text, _at) in translation_texts(load_translation(translation, questionnaire)).items()
              for miss in glossary.misses(english[path], text)]
    assert misses == []


@pytest.mark.parametrize("english, german, expected", [
    ("Does the EU AI Act apply?", "Gilt die KI-Verordnung?", []),
    ("Does the EU AI Act apply?", "Gilt der EU AI Act?", ["AI -> KI", "EU AI Act -> KI-Verordnung",
                                                          "AI Act -> KI-Verordnung"]),
    ("Is shadow AI found?", "Wird Schatten-KI gefunden?", []),
    ("Is shadow AI found?", "Wird Schatten-AI gefunden?", ["AI -> KI", "shadow AI -> Schatten-KI"]),
    ("Report serious incidents.", "Melden Sie schwerwiegende Vorfälle.", []),
    ("Appoint a Chief AI Officer.", "Benennen Sie einen Chief AI Officer.", []),
    ("Aim for the details.", "Zielen Sie auf die Details.", []),
])
def test_the_glossary_check_finds_a_term_the_translation_does_not_use(english, german, expected):
    assert load_glossary("de").misses(english, german) == expected


def test_the_glossary_enforces_a_handful_of_terms_each_once():
    glossary = load_glossary("de")
    enforced = [term.en for term in glossary.terms if term.enforce]
    assert 8 <= len(enforced) <= 20 and len(set(enforced)) == len(enforced)
    assert len({term.en.lower() for term in glossary.terms}) == len(glossary.terms)


# --- the German that ships ---------------------------------------------------------------------------------


@pytest.mark.parametrize("questionnaire_id", ["ai-maturity", "quick-check"])
def test_the_newest_questionnaires_ship_complete_in_german(questionnaire_id):
    source = find_questionnaire(questionnaire_id)
    translated = in_language(load_library(), questionnaire_id, source.version, "de")
    assert translated.missing == ()
    german = translated.questionnaire
    assert [q.id for q in german.questions] == [q.id for q in source.questions]
    assert all(g.text != s.text for g, s in zip(german.questions, source.questions))


def test_the_quick_check_asks_its_questions_in_the_same_german_words_as_the_full_assessment():
    full = find_in_language("ai-maturity", language="de")
    quick = find_in_language("quick-check", language="de")
    for question in quick.questions:
        same = full.question(question.id)
        assert (question.text, question.help, question.anchors, question.action.title) == (
            same.text, same.help, same.anchors, same.action.title), question.id


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("golden-*.yaml")), ids=lambda p: p.stem)
def test_a_golden_organisation_scores_the_same_in_german(path):
    english = find_questionnaire("ai-maturity")
    german = find_in_language("ai-maturity", language="de")
    first = score_response(english, read_answers(path, english))
    second = score_response(german, read_answers(path, german))

    def figures(result):
        return ((result.overall.achieved, result.overall.limiting_domains, result.overall.index),
                [(d.id, d.achieved, d.index, [p.attainment for p in d.phases]) for d in result.domains],
                [(a.question, a.rank, a.horizon, a.owner == "") for a in result.actions])

    assert figures(first) == figures(second)
    assert second.domains[0].name == "Daten" and first.domains[0].name == "Data"


@pytest.mark.parametrize("participants, finished, expected", [
    (2, 1, "2 Teilnehmende haben auf ihren eigenen Geräten geantwortet; 1 hat jede Pflichtfrage beantwortet."),
    (1, 0, "1 Teilnehmende(r) hat auf dem eigenen Gerät geantwortet; 0 haben jede Pflichtfrage beantwortet."),
])
def test_a_german_workshop_reports_verbs_agree_with_their_own_count(participants, finished, expected):
    import i18n

    with i18n.use("de"):
        joined = i18n.ngettext("%(num)s participant answered on their own device;",
                               "%(num)s participants answered on their own devices;", participants)
        done = i18n.ngettext("%(num)s answered every required question.",
                             "%(num)s answered every required question.", finished)
    assert f"{joined % {'num': participants}} {done % {'num': finished}}" == expected
