"""The glossary of a language: the terms every text in it uses, and which of them a test holds translations to."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, ValidationError

from questionnaires.errors import QuestionnaireError
from questionnaires.loader import LANGUAGE_PATTERN, model_problems
from questionnaires.models import Strict, Text
from questionnaires.safeyaml import read_document

LOCALES = Path(__file__).parent.parent / "locales"


class Term(Strict):
    """One English term and the term chosen for it."""

    en: Text
    de: Text = Field(description="The German term chosen")
    forms: list[Text] = Field(default_factory=list, description="Inflected forms that count as the term")
    enforce: bool = Field(False, description="A translated text must use the term where its English text does")
    except_: list[Text] = Field(default_factory=list, alias="except",
                                description="English phrases that contain the term but do not count")
    note: str = ""

    def in_english(self, text: str) -> bool:
        """Whether an English text uses the term (a whole word, any case), leaving out its exceptions."""
        for phrase in self.except_:
            text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
        return re.search(rf"(?<![\w-]){re.escape(self.en)}(?![\w])", text, flags=re.IGNORECASE) is not None

    def in_translation(self, text: str, chosen: str) -> bool:
        """Whether a translated text uses the chosen term or one of its forms (as written)."""
        return any(form in text for form in [chosen, *self.forms])


class Glossary(Strict):
    """The terms of one language."""

    language: str = Field(pattern=rf"^{LANGUAGE_PATTERN}$")
    terms: list[Term] = Field(min_length=1)

    def chosen(self, term: Term) -> str:
        """The term chosen in this language."""
        return getattr(term, self.language.split("-")[0].lower(), None) or term.en

    def misses(self, english: str, translation: str) -> list[str]:
        """The enforced terms an English text uses and its translation does not: 'EU AI Act -> KI-Verordnung'."""
        return [f"{term.en} -> {self.chosen(term)}" for term in self.terms
                if term.enforce and term.in_english(english) and not term.in_translation(translation, self.chosen(term))]


def load_glossary(language: str, folder: Path = LOCALES) -> Glossary:
    """The glossary of a language from `locales/<language>/glossary.yaml`, or a QuestionnaireError."""
    document = read_document(folder / language / "glossary.yaml", QuestionnaireError)
    try:
        return Glossary.model_validate(document.data)
    except ValidationError as exc:
        raise QuestionnaireError(model_problems(document, exc)) from None
