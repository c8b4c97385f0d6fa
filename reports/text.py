"""Free text made safe to print: literal, never reordered, never a missing glyph, always wrappable."""

from __future__ import annotations

import os
import re
import subprocess
from array import array
from functools import lru_cache

from markupsafe import Markup

# The report's font stack (report.css); characters none of them draws are shown as code points.
FONTS = ("DejaVu Sans", "DejaVu Sans:bold", "Noto Sans CJK SC")
# Embeddings, overrides and isolates (U+202A-202E, U+2066-2069): the "Trojan Source" characters.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LONG_WORD = re.compile(r"\S{41,}")
CHUNK = 24
ZERO_WIDTH_SPACE = "\u200b"


def printable(value):
    """Jinja2 `finalize` hook: every string printed goes through `literal` (Markup is ours, left alone)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return literal(value)
    return value


def literal(text: str) -> str:
    """Text as the reader should see it: bidi controls and glyph-less characters as code points."""
    text = CONTROLS.sub(_code_point, text)
    if not text.isascii():
        text = BIDI_CONTROLS.sub(_code_point, text)
        covered = coverage()
        if covered:
            text = "".join(c if ord(c) < 0x80 or ord(c) in covered or c.isspace() else _code_point(c) for c in text)
    return LONG_WORD.sub(_breakable, text)


def _code_point(match) -> str:
    char = match if isinstance(match, str) else match.group()
    return f"[U+{ord(char):04X}]"


def _breakable(match) -> str:
    # A 10,000-character word takes WeasyPrint seconds to split; break opportunities make it instant.
    word = match.group()
    return ZERO_WIDTH_SPACE.join(word[i:i + CHUNK] for i in range(0, len(word), CHUNK))


@lru_cache(maxsize=1)
def coverage() -> frozenset[int]:
    """Code points drawn by the report fonts; empty (check nothing) when fonts cannot be read. Reading the fonts'
    character maps costs half a second, so the result is kept in the cache folder for the same font files."""
    try:
        paths = font_files(FONTS)
        entry = _coverage_entry([path for path in paths if path])
        if entry is not None:
            kept = _kept_coverage(entry)
            if kept is not None:
                return kept
        from fontTools.ttLib import TTFont

        covered: set[int] = set()
        for path in paths:
            if path:
                covered |= set(TTFont(path, fontNumber=0, lazy=True).getBestCmap())
        if entry is not None:
            from questionnaires.compiled import write_private

            write_private(entry, COVERAGE_FORMAT + array("I", sorted(covered)).tobytes())
        return frozenset(covered)
    except Exception:  # an unreadable font must not stop a report; glyphs are then left to the renderer
        return frozenset()


COVERAGE_FORMAT = b"phasegate-font-coverage/1\n"


def font_files(families) -> list[str]:
    """The font file fontconfig picks for each family (as `fc-match` does; '' when none). Asked in this process,
    whose layout engine loads fontconfig anyway: a `fc-match` process per family cost 25 ms of CPU each."""
    try:
        return [_matched_file(_fontconfig(), family) for family in families]
    except (OSError, AttributeError):  # no fontconfig library to load here: ask the command
        return [subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True,
                               timeout=10, check=True).stdout for family in families]


@lru_cache(maxsize=1)
def _fontconfig():
    import ctypes

    lib = ctypes.CDLL("libfontconfig.so.1")
    pattern, text = ctypes.c_void_p, ctypes.c_char_p
    for name, result, arguments in (
            ("FcNameParse", pattern, [text]), ("FcConfigSubstitute", ctypes.c_int, [pattern, pattern, ctypes.c_int]),
            ("FcDefaultSubstitute", None, [pattern]),
            ("FcFontMatch", pattern, [pattern, pattern, ctypes.POINTER(ctypes.c_int)]),
            ("FcPatternGetString", ctypes.c_int, [pattern, text, ctypes.c_int, ctypes.POINTER(text)]),
            ("FcPatternDestroy", None, [pattern])):
        function = getattr(lib, name)
        function.restype, function.argtypes = result, arguments
    return lib


def _matched_file(lib, family: str) -> str:
    import ctypes

    FC_MATCH_PATTERN = 0
    wanted = lib.FcNameParse(family.encode())
    if not wanted:
        return ""
    try:
        lib.FcConfigSubstitute(None, wanted, FC_MATCH_PATTERN)
        lib.FcDefaultSubstitute(wanted)
        found = lib.FcFontMatch(None, wanted, ctypes.byref(ctypes.c_int()))
        if not found:
            return ""
        try:
            file = ctypes.c_char_p()
            found_file = lib.FcPatternGetString(found, b"file", 0, ctypes.byref(file)) == 0 and file.value
            return os.fsdecode(found_file) if found_file else ""
        finally:
            lib.FcPatternDestroy(found)
    finally:
        lib.FcPatternDestroy(wanted)


def _coverage_entry(paths: list[str]):
    """Where the coverage of these font files is kept (named by their paths, sizes and times), or None."""
    import hashlib

    from questionnaires.compiled import cache_folder

    folder = cache_folder("fonts")
    if folder is None:
        return None
    described = []
    for path in paths:
        info = os.stat(path)
        described.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return folder / hashlib.sha256("|".join(described).encode("utf-8", "surrogatepass")).hexdigest()


def _kept_coverage(entry) -> frozenset[int] | None:
    from questionnaires.compiled import read_private

    content = read_private(entry)
    if content is None or not content.startswith(COVERAGE_FORMAT) or (len(content) - len(COVERAGE_FORMAT)) % 4:
        return None
    points = array("I")
    points.frombytes(content[len(COVERAGE_FORMAT):])
    return frozenset(points) if points else None
