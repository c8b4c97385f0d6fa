"""Questionnaire files parsed once: the safe reader's result kept in a cache, keyed by the file's content.

Parsing a large questionnaire with the line-aware safe reader (`safeyaml`) costs a few hundred milliseconds of
CPU, on every command and in every worker; validating the parsed data costs a few. So the parsed data of a file
(plain values only: text, numbers, booleans, dates, lists and mappings) is kept in the cache folder's
`questionnaires/` (`PHASEGATE_CACHE_DIR`, by default `<PHASEGATE_DATA_DIR>/cache`), under a key made of the file's
bytes, its kind (YAML or JSON) and a fingerprint of the reader (its source, PyYAML's and Python's versions).
Validation and the cross-checks still run on every load, so a change to the models or the checks applies at once.

- A file whose key is not cached is read by the safe reader with every limit (size, depth, entries, values,
  anchors, numbers, characters); only data that passed them is ever cached.
- Line numbers are not cached: when cached data fails validation, the file is read again by the safe reader so
  that the message names the line.
- An entry is written to a new file beside it and renamed into place, so two processes writing the same entry
  at once leave one whole file. An entry that cannot be read (cut short, tampered, written by another release)
  is ignored and written again. Entries hold plain values only; anything else is refused as corrupt.
- The cache folder is private (0700) and its files 0600, like the database; an entry owned by another user or
  writable by others is ignored. Any problem with the cache (a read-only data folder, say) costs speed only.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
import pickle
import secrets
import stat
import sys
from pathlib import Path

import yaml

from config import setting
from questionnaires import safeyaml
from questionnaires.errors import PhasegateError
from questionnaires.safeyaml import MAX_BYTES, Document, parse_document

FORMAT = b"phasegate-questionnaire-cache/1\n"
FOLDER = ("cache", "questionnaires")
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
_PLAIN_CLASSES = {("datetime", "date"): dt.date, ("datetime", "datetime"): dt.datetime,
                  ("datetime", "timedelta"): dt.timedelta, ("datetime", "timezone"): dt.timezone}


def read_document(path: Path | str, error: type[PhasegateError]) -> tuple[Document, bool]:
    """The parsed file (with every limit of the safe reader applied when it is not cached) and whether it came from
    the cache (then its Document has no line numbers: read the file with `safeyaml.read_document` for them)."""
    path = Path(path)
    raw = safeyaml.read_bytes(path, error)
    if len(raw) > MAX_BYTES:
        return parse_document(raw, path.name, error), False  # refused there, with the safe reader's message
    key = cache_key(raw, path.suffix)
    folder = cache_folder()
    entry = folder / f"{_source_id(path)}-{key}" if folder is not None else None
    data = _read_entry(entry, key) if entry is not None else _MISSING
    if data is not _MISSING:
        return Document(data, path.name), True
    document = parse_document(raw, path.name, error)
    if entry is not None:
        _write_entry(entry, key, document.data)
    return document, False


def cache_key(raw: bytes, suffix: str) -> str:
    """The key of a file's parsed data: its bytes, its kind and the reader that parses it."""
    digest = hashlib.sha256(reader_fingerprint().encode())
    digest.update(b"\0json\0" if suffix.lower() == ".json" else b"\0yaml\0")
    digest.update(raw)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def reader_fingerprint() -> str:
    """What the parsed data depends on besides the file: the safe reader's source and the parser's version."""
    source = Path(safeyaml.__file__).read_bytes()
    parts = [hashlib.sha256(source).hexdigest(), yaml.__version__, str(getattr(yaml, "__with_libyaml__", False)),
             f"{sys.version_info[0]}.{sys.version_info[1]}", str(pickle.HIGHEST_PROTOCOL)]
    return "|".join(parts)


def cache_folder(kind: str = FOLDER[1]) -> Path | None:
    """The cache folder of one kind of entry (created private): in `PHASEGATE_CACHE_DIR`, or else in the data
    folder's `cache/`; None when it cannot be used."""
    try:
        data = Path(setting("PHASEGATE_DATA_DIR")).expanduser()
        root = Path(setting("PHASEGATE_CACHE_DIR") or data / FOLDER[0]).expanduser()
        folder = root / kind
        if not folder.is_dir():
            if root == data / FOLDER[0]:
                data.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
            root.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
            folder.mkdir(exist_ok=True, mode=PRIVATE_FOLDER)
    except (OSError, PhasegateError):
        return None
    return folder


def read_private(entry: Path) -> bytes | None:
    """A cache file's bytes, or None when it is missing or not trustworthy (another user's, or writable by others)."""
    try:
        with entry.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return None
            return handle.read()
    except OSError:
        return None


def write_private(entry: Path, payload: bytes) -> bool:
    """Write a cache file atomically (a private file beside it, renamed into place); False when it could not be."""
    temporary = entry.with_name(f".{entry.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
        os.replace(temporary, entry)
    except OSError:
        temporary.unlink(missing_ok=True)
        return False
    return True


def _source_id(path: Path) -> str:
    """A short name for the file the entry was parsed from: its entries replace one another."""
    try:
        where = str(path.resolve())
    except OSError:
        where = str(path.absolute())
    return hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_MISSING = object()


def _read_entry(entry: Path, key: str):
    """The cached data, or _MISSING when there is none or it cannot be trusted (then it is written again)."""
    content = read_private(entry)
    if content is None:
        return _MISSING
    header = FORMAT + key.encode() + b"\n"
    if not content.startswith(header):
        return _MISSING
    try:
        return _PlainUnpickler(io.BytesIO(content[len(header):])).load()
    except Exception:  # noqa: BLE001 - cut short or tampered: whatever unpickling raises, the file is parsed again
        return _MISSING


class _PlainUnpickler(pickle.Unpickler):
    """Loads plain values only: no class but the date and time ones may be named."""

    def find_class(self, module: str, name: str):
        found = _PLAIN_CLASSES.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not a plain value")
        return found


def _write_entry(entry: Path, key: str, data) -> None:
    """Write the entry atomically (a private file beside it, renamed into place) and drop the file's older
    entries; a failure only means the next load parses again."""
    try:
        payload = FORMAT + key.encode() + b"\n" + pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, RecursionError):
        return
    if not write_private(entry, payload):
        return
    source = entry.name.split("-", 1)[0]
    for older in entry.parent.glob(f"{source}-*"):
        if older.name != entry.name:
            older.unlink(missing_ok=True)
