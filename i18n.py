"""Languages: the gettext catalogues under locales/, the language of the moment, and numbers, dates and money in its
locale.

English is the source: a message is written in English in the code, wrapped in `_()` (or `ngettext()` where a count
decides the form), and the catalogues in `locales/<lang>/LC_MESSAGES/` give it in another language: one .po file per
part of the product (`app.po` for the screens, `reports.po`, `scoring.po`), read together as one. They are compiled in
memory once per file change, and read again when a `use` block begins after an edit, so a practice adds a language by
dropping in its .po files. `use(language)` sets the language for the code it wraps (one request, one report, one CLI
command); a message with no translation, and every message in English, is shown as written.

`qps` is the pseudo-language: every message padded by 40% and accented, to find layouts that only fit English.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import io
import re
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "phasegate"
SOURCE = "en"
PSEUDO = "qps"  # not a real language: English padded and accented, for layout tests
NAMES = {"en": "English", "de": "Deutsch", PSEUDO: "Pseudo (layout test)"}


class _Speaking:
    """The language of a `use` block or an `activate`d context, and its catalogue, read from disk when a message is
    first asked for and kept for the rest of the block: an edited .po file shows from the next block on, and one
    report or one run of a page never mixes two states of a catalogue."""

    __slots__ = ("language", "_catalogue")

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalogue: NullTranslations | None = None

    def catalogue(self) -> NullTranslations:
        if self._catalogue is None:
            self._catalogue = _catalogue(self.language)
        return self._catalogue


_spoken: contextvars.ContextVar[_Speaking] = contextvars.ContextVar("language", default=_Speaking(SOURCE))


# --- which languages there are ------------------------------------------------------------------------------


def catalogue_paths(language: str) -> list[Path]:
    """The .po files of a language, in name order."""
    return sorted((LOCALES / language / "LC_MESSAGES").glob("*.po"))


def available() -> list[str]:
    """The languages the app offers: English first, then every language with a catalogue, in code order."""
    found = sorted({p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/*.po")})
    return [SOURCE, *(language for language in found if language != SOURCE)]


def supported(language: str | None) -> str | None:
    """The language as the app knows it ('de' for 'de-AT' or 'de_CH'), or None when it has no catalogue."""
    if not language:
        return None
    code = str(language).strip().replace("_", "-").split("-")[0].lower()
    return code if code in available() or code == PSEUDO else None


def preferred(accept: str | None, default: str = SOURCE) -> str:
    """The first language of a browser's Accept-Language header (or a bare locale) that the app offers."""
    ranked = []
    for position, part in enumerate((accept or "").split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        ranked.append((-weight, position, tag))
    for _weight, _position, tag in sorted(ranked):
        language = supported(tag)
        if language and language != PSEUDO:
            return language
    return default


def name(language: str) -> str:
    """The language's name in itself, for a picker: 'Deutsch' for de."""
    if language in NAMES:
        return NAMES[language]
    try:
        return Locale.parse(language).get_display_name(language).capitalize()
    except (ValueError, UnknownLocaleError):
        return language


# --- the language of the moment --------------------------------------------------------------------------------


def current() -> str:
    return _spoken.get().language


@contextlib.contextmanager
def use(language: str | None):
    """Speak `language` (None or an unknown one: English) inside the block."""
    token = _spoken.set(_Speaking(supported(language) or SOURCE))
    try:
        yield
    finally:
        _spoken.reset(token)


def activate(language: str | None) -> str:
    """Speak `language` from now on in this context (one script run of the app, one CLI command); the language
    set."""
    chosen = supported(language) or SOURCE
    _spoken.set(_Speaking(chosen))
    return chosen


# --- messages ------------------------------------------------------------------------------------------------


def gettext(message: str) -> str:
    spoken = _spoken.get()
    if spoken.language == SOURCE:
        return message
    if spoken.language == PSEUDO:
        return pseudo(message)
    return spoken.catalogue().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    spoken = _spoken.get()
    if spoken.language == SOURCE:
        return singular if n == 1 else plural
    if spoken.language == PSEUDO:
        return pseudo(singular if n == 1 else plural)
    return spoken.catalogue().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose translation depends on where it stands (a button label against a heading, say)."""
    spoken = _spoken.get()
    if spoken.language == SOURCE:
        return message
    if spoken.language == PSEUDO:
        return pseudo(message)
    return spoken.catalogue().pgettext(context, message)


_ = gettext


def _catalogue(language: str) -> NullTranslations:
    try:
        files = tuple((str(path), *_stamp(path)) for path in catalogue_paths(language))
    except OSError:  # a file gone since the folder was listed
        return NullTranslations()
    return _compiled(files) if files else NullTranslations()


def edition(language: str) -> str:
    """Which state of a language's catalogues is on disk (their names, sizes and change times): part of the key of
    anything kept that holds translated text, so an edited .po file is never read from an older copy. Empty for a
    language without catalogues (English, the pseudo-language)."""
    try:
        stamps = [(path.name, *_stamp(path)) for path in catalogue_paths(language)]
    except OSError:
        return ""
    return hashlib.sha256(repr(stamps).encode()).hexdigest()[:16] if stamps else ""


def _stamp(path: Path) -> tuple[int, int]:
    """A file's size and change time: what tells an edited catalogue from the one read before (an edit within the
    clock's tick keeps the time but seldom the size)."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=16)
def _compiled(files: tuple[tuple[str, int, int], ...]) -> Translations:
    """A language's .po files compiled in memory and read as one (no .mo file to build or to forget)."""
    merged = None
    for path, _size, _mtime in files:
        with open(path, "rb") as handle:
            catalog = read_po(handle, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        part = Translations(buffer, domain=DOMAIN)
        if merged is None:
            merged = part
        else:
            merged.merge(part)
    return merged


ACCENTED = str.maketrans("aeiouAEIOUcnsyzCNSYZ", "àéîöûÀÉÎÖÛçñšýžÇÑŠÝŽ")


def pseudo(message: str) -> str:
    """The pseudo-language: accented and 40% longer, with placeholders ({name}, %(name)s, %s) and markup kept as
    they are."""
    parts = KEPT.split(message)  # odd parts are placeholders and tags
    accented = "".join(part if index % 2 else part.translate(ACCENTED) for index, part in enumerate(parts))
    padding = "~" * max(1, round(len(message) * 0.4))
    return "⟦" + accented + padding + "⟧"


KEPT = re.compile(r"(\{[^{}]*\}|%\([^)]*\)[sdfr]|%[sdfr%]|<[^<>]*>)")


# --- numbers, dates and money in the language's locale -------------------------------------------------------


def locale() -> str:
    language = current()
    return SOURCE if language == PSEUDO else language


def number(value: float, decimals: int | None = None) -> str:
    """1,234,567 in English, 1.234.567 in German."""
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale())


def percent(share: float) -> str:
    """0.42 as 42% (English) or 42 % (German)."""
    return format_percent(share, locale=locale())


def money(amount: float, currency: str) -> str:
    """A sum a report shows, in whole units: €1,234,567 in English, 1.234.567 € in German."""
    pattern = Locale.parse(locale()).currency_formats["standard"].pattern.split(";")[0]
    whole = pattern.replace(".00", "").replace(",00", "")
    return format_currency(round(amount), currency, format=whole, locale=locale(), currency_digits=False)


def date(day: dt.date, style: str = "long") -> str:
    """4 December 2026 in English, 4. Dezember 2026 in German."""
    return format_date(day, format=style, locale=_date_locale())


def day_month(day: dt.date) -> str:
    """4 Dec in English, 4. Dez. in German: a day close enough to today that its year goes without saying."""
    return format_skeleton("MMMd", day, locale=_date_locale())


def _date_locale() -> str:
    return locale() if locale() != SOURCE else "en_GB"  # day before month, as a European client writes it
