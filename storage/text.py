"""Text a person types, checked before it is stored and cleaned before it is shown.

One rule for every stored text field: tab and newline are kept, a carriage return is
normalised to a newline ("\\r\\n" and a lone "\\r" both become "\\n"), and every other
control character is refused: C0 controls, DEL, C1 controls (U+0080 to U+009F, NEL
included), lone surrogates and the non-characters U+FFFE and U+FFFF. None of these can be
typed on purpose, an XLSX cell cannot hold most of them, and a terminal obeys some of them.
The refusal speaks the language of the moment: `what` names the field in English, marked with N_ where the
caller names it, and is translated here with the sentence around it.
"""

from __future__ import annotations

import re
from typing import overload

from i18n import _
from questionnaires.errors import AnswersError

# Characters no stored text may hold (tab, newline and carriage return are handled apart).
_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What a terminal must not receive raw: the refused set plus the carriage return, which
# moves the cursor back over text already printed.
_NOT_FOR_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CARRIAGE_RETURN = re.compile(r"\r\n?")


class TextError(AnswersError):
    """A text field holds a character that cannot be stored."""


def describe_character(char: str) -> str:
    """A character's code point as people write it, e.g. 'U+000B'."""
    return f"U+{ord(char):04X}"


@overload
def refuse_controls(value: str, what: str) -> str: ...
@overload
def refuse_controls(value: None, what: str) -> None: ...


def refuse_controls(value: str | None, what: str) -> str | None:
    """The value with carriage returns normalised; TextError when it holds a control character."""
    if value is None:
        return None
    found = _REFUSED.search(value)
    if found:
        raise TextError(_("The {what} contains an invisible control character ({code}); remove it and save again.")
                        .format(what=_(what), code=describe_character(found.group())))
    return _CARRIAGE_RETURN.sub("\n", value)


def strip_controls(value: str) -> str:
    """The value without the characters refuse_controls refuses, for text stored before the rule."""
    return _REFUSED.sub("", value)


def for_terminal(value: str) -> str:
    """Text safe to print: escape codes and other controls shown as visible escapes, not obeyed."""
    return _NOT_FOR_TERMINAL.sub(_visible_escape, value)


def _visible_escape(found: re.Match[str]) -> str:
    # \uXXXX for every character: readable, and still valid inside a JSON string.
    return f"\\u{ord(found.group()):04x}"
