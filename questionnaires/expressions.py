"""`visible_if`: a tiny, safe expression language over earlier answers.

Grammar (no `eval`, no attribute access, no calls)::

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand [("==" | "!=" | "<" | "<=" | ">" | ">=") operand
                           | ["not"] "in" operand]
    operand    := question-id | number | 'string' | "string" | true | false
                | "[" [operand ("," operand)*] "]" | "(" expr ")"

A question id evaluates to that question's answer value, or to nothing when it was not
answered, was answered "don't know"/"n/a", or is hidden. Comparisons with nothing are
false; a bare id is true when it has an answer that is not false, 0 or "no".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>[a-z][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*)
    )""",
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "in", "true", "false"}
COMPARISONS = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
MAX_NODES = 200


class ExpressionError(ValueError):
    """The expression cannot be parsed; the message says where."""


@dataclass(frozen=True)
class Expression:
    """A parsed expression: evaluate it with a lookup from question id to value."""

    source: str
    references: tuple[str, ...]
    _evaluate: Callable[[Callable[[str], Any]], Any]

    def evaluate(self, lookup: Callable[[str], Any]) -> bool:
        """True when the expression holds for the given answers."""
        return _truthy(self._evaluate(lookup))


def parse(source: str) -> Expression:
    """Parse an expression, or raise ExpressionError saying what is wrong."""
    parser = _Parser(source, _tokenize(source))
    node = parser.expression()
    if parser.peek() is not None:
        raise ExpressionError(f"unexpected '{parser.peek()[1]}' in '{source}'")
    return Expression(source, tuple(dict.fromkeys(parser.references)), node)


def _tokenize(source: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    source = source.rstrip()
    while position < len(source):
        match = TOKEN.match(source, position)
        if not match or match.end() == position:
            raise ExpressionError(f"cannot read '{source[position:].strip()[:20]}' in '{source}'")
        kind = match.lastgroup
        text = match.group(kind)
        if kind == "name" and text in KEYWORDS:
            kind = "keyword"
        tokens.append((kind, text))
        position = match.end()
    if len(tokens) > MAX_NODES:
        raise ExpressionError(f"expression is too long (more than {MAX_NODES} parts)")
    return tokens


def _truthy(value: Any) -> bool:
    if value is None or value is False or value == 0 or value == "no":
        return False
    if isinstance(value, (list, str)):
        return len(value) > 0
    return True


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    if isinstance(left, bool) or isinstance(right, bool):
        left, right = _yes_no(left), _yes_no(right)
    try:
        return COMPARISONS[op](left, right)
    except TypeError:
        return False


def _yes_no(value: Any) -> Any:
    return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


def _contains(container: Any, item: Any) -> bool:
    if container is None or item is None:
        return False
    if isinstance(item, list):  # a multi answer: any selected option in the list
        return any(_contains(container, one) for one in item)
    if isinstance(container, (list, tuple)):
        return _yes_no(item) in [_yes_no(c) for c in container]
    return False


class _Parser:
    def __init__(self, source: str, tokens: list[tuple[str, str]]):
        self.source = source
        self.tokens = tokens
        self.position = 0
        self.references: list[str] = []

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError(f"expression ends too early: '{self.source}'")
        self.position += 1
        return token

    def accept(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token[1] == text and token[0] in ("keyword", "op"):
            self.position += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            found = self.peek()
            raise ExpressionError(f"expected '{text}' but found '{found[1] if found else 'the end'}' in '{self.source}'")

    def expression(self):
        left = self.and_expression()
        while self.accept("or"):
            right = self.and_expression()
            left = (lambda a, b: lambda look: _truthy(a(look)) or _truthy(b(look)))(left, right)
        return left

    def and_expression(self):
        left = self.not_expression()
        while self.accept("and"):
            right = self.not_expression()
            left = (lambda a, b: lambda look: _truthy(a(look)) and _truthy(b(look)))(left, right)
        return left

    def not_expression(self):
        if self.accept("not"):
            inner = self.not_expression()
            return lambda look: not _truthy(inner(look))
        return self.comparison()

    def comparison(self):
        left = self.operand()
        token = self.peek()
        if token and token[0] == "op" and token[1] in COMPARISONS:
            self.take()
            right = self.operand()
            op = token[1]
            return lambda look: _compare(op, left(look), right(look))
        negate = False
        if token and token == ("keyword", "not") and self._next_is_in():
            self.take()
            negate = True
        if self.accept("in"):
            right = self.operand()
            if negate:
                return lambda look: left(look) is not None and not _contains(right(look), left(look))
            return lambda look: _contains(right(look), left(look))
        return left

    def _next_is_in(self) -> bool:
        following = self.tokens[self.position + 1] if self.position + 1 < len(self.tokens) else None
        return following == ("keyword", "in")

    def operand(self):
        kind, text = self.take()
        if kind == "number":
            value = float(text) if "." in text else int(text)
            return lambda look: value
        if kind == "string":
            value = text[1:-1]
            return lambda look: value
        if kind == "keyword" and text in ("true", "false"):
            value = text == "true"
            return lambda look: value
        if kind == "name":
            self.references.append(text)
            return lambda look: look(text)
        if text == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if text == "[":
            return self.list_literal()
        raise ExpressionError(f"unexpected '{text}' in '{self.source}'")

    def list_literal(self):
        items = []
        if not self.accept("]"):
            items.append(self.operand())
            while self.accept(","):
                items.append(self.operand())
            self.expect("]")
        return lambda look: [item(look) for item in items]
