"""The text of a PDF as the tests read it: pdfium's extraction, one string per page, lines split by "\\n"."""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

PDF = bytes | str | Path  # the file's bytes or its path

# pdfium ends its lines with "\r\n" and joins a word broken at a line's hyphen, marking the hyphen "\ufffe"
LINE_ENDS = str.maketrans({"\r": None, "\ufffe": "-\n"})
# A gap narrower than this share of the font size is letter spacing, not a space between words
LETTER_SPACING = 0.12


def spaced_apart(text_page: pdfium.PdfTextPage, index: int) -> bool:
    """Whether the characters either side of a space pdfium inserted (it printed none) stand a word apart: pdfium
    also inserts one between the letters of a word set in wide letter spacing ("R E-RUN" for "RE-RUN")."""
    before, after = text_page.get_charbox(index - 1, loose=True), text_page.get_charbox(index + 1, loose=True)
    size = pdfium_c.FPDFText_GetFontSize(text_page, index - 1)
    return after[0] - before[2] >= LETTER_SPACING * size or not (after[1] < before[3] and before[1] < after[3])


@contextlib.contextmanager
def opened(pdf: PDF) -> Iterator[pdfium.PdfDocument]:
    """The document, closed after the block."""
    document = pdfium.PdfDocument(pdf)
    try:
        yield document
    finally:
        document.close()


def page_text(text_page: pdfium.PdfTextPage) -> str:
    """One page's text, without the spaces pdfium inserted between the letters of a letter-spaced word."""
    text = text_page.get_text_range()
    if len(text) == text_page.count_chars():  # one character per index: the inserted spaces can be told
        text = "".join(char for index, char in enumerate(text)
                       if char != " " or not 0 < index < len(text) - 1
                       or not pdfium_c.FPDFText_IsGenerated(text_page, index) or spaced_apart(text_page, index))
    return text.translate(LINE_ENDS)


def page_texts(pdf: PDF) -> list[str]:
    """The text of every page, in order."""
    texts = []
    with opened(pdf) as document:
        for page in document:
            text_page = page.get_textpage()
            texts.append(page_text(text_page))
            text_page.close()
            page.close()
    return texts


def pdf_text(pdf: PDF) -> str:
    """The text of the whole document, its pages joined by a line break."""
    return "\n".join(page_texts(pdf))


def pdf_words(pdf: PDF) -> str:
    """The text of the whole document, every run of spaces and line breaks made one space."""
    return " ".join(pdf_text(pdf).split())


def pdf_lines(pdf: PDF) -> list[str]:
    """Every line of the document, page after page."""
    return [line for text in page_texts(pdf) for line in text.splitlines()]


def baselines(pdf: PDF, number: int) -> list[float]:
    """Where the printed characters of one page (0-based) stand: the baseline of each, in points down from the top of
    the page."""
    found = []
    with opened(pdf) as document:
        page = document[number]
        height, text_page = page.get_height(), page.get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        for index in range(text_page.count_chars()):
            printed = chr(pdfium_c.FPDFText_GetUnicode(text_page, index)).strip()
            if printed and not pdfium_c.FPDFText_IsGenerated(text_page, index):
                pdfium_c.FPDFText_GetCharOrigin(text_page, index, ctypes.byref(x), ctypes.byref(y))
                found.append(height - y.value)
        text_page.close()
        page.close()
    return found


def page_count(pdf: PDF) -> int:
    """How many pages the document has."""
    with opened(pdf) as document:
        return len(document)
