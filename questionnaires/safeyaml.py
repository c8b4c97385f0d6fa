"""A YAML reader for files people write: safe, bounded, and aware of line numbers.

`yaml.safe_load` semantics only, plus: a size cap, no anchors or aliases (they allow
"billion laughs" expansion), a nesting-depth cap, duplicate keys rejected, UTF-8
required. Besides the data it returns a map from field path to line number so that
later validation errors can say where a problem is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from questionnaires.errors import PhasegateError, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 24

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


def read_document(
    path: Path | str, error: type[PhasegateError], max_bytes: int = MAX_BYTES
) -> Document:
    """Read a YAML or JSON file from disk into a Document, or raise `error`."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise error([Problem(path.name, None, "", f"cannot read file: {exc.strerror}")])
    return parse_document(raw, path.name, error, max_bytes)


def parse_document(
    raw: bytes | str, name: str, error: type[PhasegateError], max_bytes: int = MAX_BYTES
) -> Document:
    """Parse YAML (JSON is YAML too) from bytes or text into a Document, or raise `error`."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > max_bytes:
        limit = f"{max_bytes // 1024 // 1024} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
        raise error([Problem(name, None, "", f"file is larger than {limit}; split it or remove unused content")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error([Problem(name, line, "", "file is not UTF-8 text; save it with UTF-8 encoding")])
    if name.lower().endswith(".json"):
        return _parse_json(text, name, error)
    return _parse_yaml(text, name, error)


def _parse_json(text: str, name: str, error: type[PhasegateError]) -> Document:
    try:
        data = json.loads(text, object_pairs_hook=_json_object(name, error))
    except json.JSONDecodeError as exc:
        raise error([Problem(name, exc.lineno, "", f"invalid JSON: {exc.msg}")])
    # JSON is a subset of YAML: parse again as YAML just for line numbers.
    try:
        return _parse_yaml(text, name, error, data)
    except error:
        return Document(data, name)


def _json_object(name: str, error: type[PhasegateError]):
    def build(pairs):
        result = {}
        for key, value in pairs:
            if key in result:
                raise error([Problem(name, None, "", f"duplicate key '{key}'; each key may appear once")])
            result[key] = value
        return result

    return build


def _parse_yaml(text: str, name: str, error: type[PhasegateError], data: Any = None) -> Document:
    document = Document(None, name)
    loader = None
    try:
        _check_events(text, name, error)
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        built = None if node is None else _Builder(name, error, document.lines).build(node, (), 0)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise error([Problem(name, line, "", f"invalid YAML: control character U+{code:04X} is not allowed; remove it")])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        # At the end of the file PyYAML points one line past the last one.
        line = min(mark.line + 1, max(1, len(text.splitlines()))) if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise error([Problem(name, line, "", f"invalid YAML: {reason}")])
    finally:
        if loader is not None:
            loader.dispose()
    document.data = built if data is None else data
    return document


def _check_events(text: str, name: str, error: type[PhasegateError]) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise error([Problem(name, line, "", "YAML anchors and aliases (&, *) are not allowed; write the value out")])
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise error([Problem(name, line, "", f"nesting is deeper than {MAX_DEPTH} levels")])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


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
        return self.constructor.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error([Problem(self.name, key_node.start_mark.line + 1, "", "mapping keys must be plain values")])
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.error([Problem(self.name, key_node.start_mark.line + 1, format_path(path), "merge keys (<<) are not allowed")])
            key = self.constructor.construct_object(key_node)
            if isinstance(key, (list, dict)):
                raise self.error([Problem(self.name, key_node.start_mark.line + 1, "", "mapping keys must be plain values")])
            if key in result:
                line = key_node.start_mark.line + 1
                raise self.error([Problem(self.name, line, format_path(path + (str(key),)), f"duplicate key '{key}'; each key may appear once")])
            child = path + (key if isinstance(key, (str, int)) else str(key),)
            self.lines[child] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, child, depth + 1)
        return result
