"""A YAML reader for files people write: safe, bounded, and aware of line numbers.

`yaml.safe_load` semantics only, plus: a size cap, no anchors or aliases (they allow
"billion laughs" expansion), a nesting-depth cap, caps on entries per list or mapping and
on values per file (so a huge file is refused before it is slowly parsed), numbers of at
most MAX_NUMBER_CHARS characters, no NUL or lone surrogate in any text (databases refuse
them later), duplicate keys rejected, UTF-8 required. Besides the data it returns a map
from field path to line number so that later validation errors can say where a problem is.
Every failure, whatever the parser raised, becomes the caller's error class.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from questionnaires.errors import PhasegateError, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 24
MAX_ITEMS = 10_000
MAX_VALUES = 100_000
MAX_NUMBER_CHARS = 50
INT_TAG = "tag:yaml.org,2002:int"
FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # PyYAML built with libyaml (its wheels are); None without
_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')

PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """Parsed data plus where each field was written."""

    data: Any
    file: str
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """The line of the deepest written ancestor of `path` (1-based)."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def problem(self, path: PathKey, message: str) -> Problem:
        """A problem located at `path` in this document."""
        return Problem(self.file, self.line_of(path), format_path(path), message)


def format_path(path: PathKey) -> str:
    """`('questions', 3, 'phase')` -> `questions[3].phase`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass(frozen=True)
class Limits:
    """How much a file may hold: entries in one list or mapping, values in the whole file."""

    items: int = MAX_ITEMS
    values: int = MAX_VALUES
    hint: str = "split the file or remove what is not needed"


def read_document(
    path: Path | str, error: type[PhasegateError], max_bytes: int = MAX_BYTES, limits: Limits | None = None
) -> Document:
    """Read a YAML or JSON file from disk into a Document, or raise `error`."""
    path = Path(path)
    return parse_document(read_bytes(path, error, max_bytes), path.name, error, max_bytes, limits)


def read_bytes(path: Path, error: type[PhasegateError], max_bytes: int = MAX_BYTES) -> bytes:
    """A file's bytes, at most one more than `max_bytes` (enough to tell it is too large), or `error`."""
    try:
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise error([Problem(path.name, None, "", f"cannot read file: {exc.strerror or exc}")]) from None


def parse_document(
    raw: bytes | str, name: str, error: type[PhasegateError], max_bytes: int = MAX_BYTES, limits: Limits | None = None
) -> Document:
    """Parse YAML (JSON is YAML too) from bytes or text into a Document, or raise `error`."""
    limits = limits or Limits()
    if isinstance(raw, str):
        # A str may hold lone surrogates; let them through to the decoder, which locates them.
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > max_bytes:
        limit = f"{max_bytes // 1024 // 1024} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
        raise error([Problem(name, None, "", f"file is larger than {limit}; split it or remove unused content")])
    text = _decode(raw, name, error)
    if name.lower().endswith(".json"):
        document = _parse_json(text, name, error, limits)
    else:
        document = _parse_yaml(text, name, error, limits)
    problems = list(_text_problems(document, document.data, ()))
    if problems:
        raise error(problems)
    return document


def text_problem(text: str) -> str | None:
    """Why a string cannot be stored (a NUL or a lone surrogate in it), or None when it can."""
    found = _BAD_CHARACTER.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if code == 0:
        return "the text contains a NUL character (U+0000); remove it"
    return f"the text contains a lone surrogate (U+{code:04X}), which is not a character; remove it or write the character itself"


def _decode(raw: bytes, name: str, error: type[PhasegateError]) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        surrogate = _surrogate_at(raw, exc.start)
        if surrogate is not None:  # name it rather than blame the encoding
            raise error([Problem(name, line, "", f"the text contains a lone surrogate (U+{surrogate:04X}), which is not a character; remove it")]) from None
        raise error([Problem(name, line, "", "file is not UTF-8 text; save it with UTF-8 encoding")]) from None


def _surrogate_at(raw: bytes, start: int) -> int | None:
    """The surrogate code point encoded at `start` (bytes ED A0..BF xx), or None."""
    try:
        character = raw[start : start + 3].decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
    return ord(character) if len(character) == 1 and 0xD800 <= ord(character) <= 0xDFFF else None


def _text_problems(document: Document, data: Any, path: PathKey):
    """Every string (key or value) that cannot be stored, located."""
    if isinstance(data, str):
        reason = text_problem(data)
        if reason:
            yield document.problem(path, reason)
    elif isinstance(data, dict):
        for key, value in data.items():
            child = path + (key if isinstance(key, (str, int)) else str(key),)
            if isinstance(key, str) and text_problem(key):
                yield Problem(document.file, document.line_of(child), format_path(path), f"key {key!r}: {text_problem(key)}")
            yield from _text_problems(document, value, child)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _text_problems(document, value, path + (index,))


def _parse_json(text: str, name: str, error: type[PhasegateError], limits: Limits) -> Document:
    _check_json_depth(text, name, error)
    try:
        data = json.loads(text, object_pairs_hook=_json_object(name, error), parse_int=_json_int(text, name, error))
    except PhasegateError:
        raise
    except json.JSONDecodeError as exc:
        raise error([Problem(name, exc.lineno, "", f"invalid JSON: {exc.msg}")]) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise error([Problem(name, None, "", f"invalid JSON: {exc}")]) from None
    _check_json_size(data, name, error, limits)
    # JSON is a subset of YAML: parse again as YAML just for line numbers.
    try:
        document = _parse_yaml(text, name, error, limits)
    except PhasegateError:
        return Document(data, name)
    document.data = data
    return document


def _check_json_depth(text: str, name: str, error: type[PhasegateError]) -> None:
    """Refuse deep nesting before json.loads, which would recurse into it."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                raise error([Problem(name, line, "", f"nesting is deeper than {MAX_DEPTH} levels; flatten the data")])
        elif bracket in "]}":
            depth -= 1


def _json_int(text: str, name: str, error: type[PhasegateError]):
    def build(digits: str) -> int:
        if len(digits) > MAX_NUMBER_CHARS:
            at = text.find(digits)
            line = text.count("\n", 0, at) + 1 if at >= 0 else None
            raise error([Problem(name, line, "", _long_number(digits))])
        return int(digits)

    return build


def _long_number(digits: str) -> str:
    return (f"a number of {len(digits)} characters ({digits[:12]}...) is too long; at most {MAX_NUMBER_CHARS} "
            "allowed; put it in quotes if it is text")


def _check_json_size(data: Any, name: str, error: type[PhasegateError], limits: Limits) -> None:
    """The caps `_check_events` applies to YAML, applied to parsed JSON (which has no lines)."""
    seen = 0
    pending: list[tuple[PathKey, Any]] = [((), data)]
    while pending:
        path, value = pending.pop()
        seen += 1
        if seen > limits.values:
            raise error([Problem(name, None, "", f"the file holds more than {limits.values} values; {limits.hint}")])
        if isinstance(value, (dict, list)):
            if len(value) > limits.items:
                raise error([Problem(name, None, format_path(path), _too_many(len(value), limits))])
            items = value.items() if isinstance(value, dict) else enumerate(value)
            pending.extend((path + (key if isinstance(key, (str, int)) else str(key),), child) for key, child in items)


def _too_many(count: int | None, limits: Limits) -> str:
    how_many = f"more than {limits.items}" if count is None else str(count)
    return f"has {how_many} entries (at most {limits.items} allowed); {limits.hint}"


def _json_object(name: str, error: type[PhasegateError]):
    def build(pairs):
        result = {}
        for key, value in pairs:
            if key in result:
                raise error([Problem(name, None, "", f"duplicate key '{key}'; each key may appear once")])
            result[key] = value
        return result

    return build


def _parse_yaml(text: str, name: str, error: type[PhasegateError], limits: Limits) -> Document:
    document = Document(None, name)
    try:
        node = _Composer(_check_events(text, name, error, limits)).get_single_node()
        document.data = None if node is None else _Builder(name, error, document.lines).build(node, (), 0)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise error([Problem(name, line, "", f"invalid YAML: control character U+{code:04X} is not allowed; remove it")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        # At the end of the file PyYAML points one line past the last one.
        line = min(mark.line + 1, max(1, len(text.splitlines()))) if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise error([Problem(name, line, "", f"invalid YAML: {reason}")]) from None
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        # Every parser failure ends here, never as a traceback; the located ones were raised above.
        raise error([Problem(name, None, "", f"invalid YAML: {exc}")]) from None
    return document


def _check_events(text: str, name: str, error: type[PhasegateError], limits: Limits) -> list[yaml.Event]:
    """Walk the parser events once: refuse aliases, deep nesting and oversize collections before any node is built.
    The events are kept for `_Composer`: scanning the text is most of a parse, and a large file is scanned once.

    libyaml's parser (`FAST_LOADER`) scans a file several times faster than PyYAML's own. Its messages are vaguer
    ("found character that cannot start any token", where PyYAML names the tab) and it counts bytes where PyYAML
    counts characters, so a text it refuses is scanned again by PyYAML's parser, whose error is the one reported."""
    if FAST_LOADER is not None:
        try:
            return _checked(yaml.parse(text, Loader=FAST_LOADER), name, error, limits)
        except yaml.YAMLError:
            pass
    return _checked(yaml.parse(text, Loader=yaml.SafeLoader), name, error, limits)


def _checked(parsed: Iterator[yaml.Event], name: str, error: type[PhasegateError], limits: Limits) -> list[yaml.Event]:
    """The events of one parser, each checked against the limits as it comes (see `_check_events`)."""
    events: list[yaml.Event] = []
    open_collections: list[_Collection] = []
    values = 0
    for event in parsed:
        events.append(event)
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise error([Problem(name, line, "", "YAML anchors and aliases (&, *) are not allowed; write the value out")])
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            open_collections.pop()
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            continue
        values += 1
        if values > limits.values:
            raise error([Problem(name, line, "", f"the file holds more than {limits.values} values; {limits.hint}")])
        path: PathKey = ()
        if open_collections:
            parent = open_collections[-1]
            path = parent.enter(event)
            if parent.entries > limits.items:
                raise error([Problem(name, line, format_path(parent.path), _too_many(None, limits))])
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            open_collections.append(_Collection(path, isinstance(event, yaml.MappingStartEvent)))
            if len(open_collections) > MAX_DEPTH:
                raise error([Problem(name, line, "", f"nesting is deeper than {MAX_DEPTH} levels; flatten the data")])
        if isinstance(event, yaml.ScalarEvent):
            _check_scalar(event, name, error)
    return events


class _Composer(yaml.composer.Composer, yaml.resolver.Resolver):
    """PyYAML's safe composer fed with events already parsed and checked, instead of parsing the text again."""

    def __init__(self, events: list[yaml.Event]):
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.events = events
        self.next = 0

    def check_event(self, *choices: type[yaml.Event]) -> bool:
        if self.next == len(self.events):
            return False
        return not choices or isinstance(self.events[self.next], choices)

    def peek_event(self) -> yaml.Event:
        return self.events[self.next]

    def get_event(self) -> yaml.Event:
        self.next += 1
        return self.events[self.next - 1]


@dataclass
class _Collection:
    """An open list or mapping while walking events: its path and how many entries it has."""

    path: PathKey
    mapping: bool
    entries: int = 0
    key: str | int | None = None

    def enter(self, event: yaml.Event) -> PathKey:
        """Count one node inside this collection; the path of that node."""
        if not self.mapping:
            self.entries += 1
            return self.path + (self.entries - 1,)
        if self.key is None:
            self.entries += 1
            self.key = event.value if isinstance(event, yaml.ScalarEvent) else "?"
            return self.path + (self.key,)
        child, self.key = self.path + (self.key,), None
        return child


def _check_scalar(event: yaml.ScalarEvent, name: str, error: type[PhasegateError]) -> None:
    if event.implicit[0] and len(event.value) > MAX_NUMBER_CHARS and event.value[:1] in "+-0123456789.":
        if _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False)) == INT_TAG:
            raise error([Problem(name, event.start_mark.line + 1, "", _long_number(event.value))])
    elif event.tag == INT_TAG and len(event.value) > MAX_NUMBER_CHARS:
        raise error([Problem(name, event.start_mark.line + 1, "", _long_number(event.value))])


_RESOLVER = yaml.SafeLoader("")
class _Builder:
    """Builds Python data from a composed node tree, recording lines and refusing duplicates."""

    def __init__(self, name: str, error: type[PhasegateError], lines: dict[PathKey, int]):
        self.name = name
        self.error = error
        self.lines = lines
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError) as exc:
            # e.g. a date that does not exist (2026-13-45) or an !!int tag on text
            line = node.start_mark.line + 1
            raise self.error([Problem(self.name, line, "", f"cannot read {str(node.value)[:40]!r} ({exc}); put it in quotes if it is text")]) from None

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error([Problem(self.name, key_node.start_mark.line + 1, "", "mapping keys must be plain values")])
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.error([Problem(self.name, key_node.start_mark.line + 1, format_path(path), "merge keys (<<) are not allowed")])
            key = self._scalar(key_node)
            if isinstance(key, (list, dict)):
                raise self.error([Problem(self.name, key_node.start_mark.line + 1, "", "mapping keys must be plain values")])
            if key in result:
                line = key_node.start_mark.line + 1
                raise self.error([Problem(self.name, line, format_path(path + (str(key),)), f"duplicate key '{key}'; each key may appear once")])
            child = path + (key if isinstance(key, (str, int)) else str(key),)
            self.lines[child] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, child, depth + 1)
        return result
