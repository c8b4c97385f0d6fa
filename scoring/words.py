"""The small pieces every sentence of the narrative shares, in the language of the moment (`i18n.current()`):
a marker for messages kept in tables, shares as percentages and lists of names.

A sentence is always one whole message (`_("{domain} holds the organisation at phase {phase}.")`); these helpers
only fill its placeholders, so German word order and plurals stay the translator's.
"""

from __future__ import annotations

import i18n


def N_(message: str) -> str:
    """Marks a message kept in a table for translation; `_()` translates it where it is used."""
    return message


def share(value: float) -> str:
    """0.42 as '42%' in English, '42 %' in German."""
    if i18n.current() == i18n.SOURCE:
        return f"{value:.0%}"
    return i18n.percent(round(value, 2))


def listed(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C' ('A, B und C' in German); '' for none."""
    if len(names) <= 1:
        return "".join(names)
    return i18n._("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


def decimal(value: float, places: int = 1) -> str:
    """1.8 as '1.8' in English, '1,8' in German."""
    if i18n.current() == i18n.SOURCE:
        return f"{value:.{places}f}"
    return i18n.number(round(value, places), places)


def quoted(text: str) -> str:
    """A name quoted as the language quotes: '“text”' in English, '„text“' in German."""
    return i18n._("“{text}”").format(text=text)


def figure(value: float) -> str:
    """A factor or weight as short as it goes: 1.25, 2 ('1,25' in German)."""
    if i18n.current() == i18n.SOURCE:
        return f"{value:g}"
    return i18n.number(value)

