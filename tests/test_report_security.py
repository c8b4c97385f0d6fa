"""Reports treat free text as data, fetch nothing from outside, and refuse bad branding."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from weasyprint.urls import URLFetcher

import reports.pdf
from cli import main
from questionnaires import load_questionnaire
from questionnaires.errors import BrandingError
from reports import Branding, render_html, render_pdf
from reports.html import TEMPLATES
from reports.pdf import SafeFetcher, allowed_url, html_to_pdf
from scoring import Answer, Response, score_response
from tests.conftest import ROOT
from tests.pdf_text import pdf_text

DATA = Path(__file__).parent / "data"
DAY = dt.date(2025, 5, 12)
LONG_WORD = "ж" * 10_000

# What a respondent might type, and what the reader must see in the PDF.
HOSTILE = {
    "script": ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    "image": ('<img src="file:///etc/passwd">', '<img src="file:///etc/passwd">'),
    "attachment": ('<link rel="attachment" href="file:///etc/passwd">', '<link rel="attachment" href="file:///etc/passwd">'),
    "metadata-url": ("http://169.254.169.254/", "http://169.254.169.254/"),
    "template": ("{{7*7}}", "{{7*7}}"),
    # Bidi overrides could reorder what a reader sees; they are shown as code points.
    "rtl-override": ("invoice\u202egnp.exe", "invoice[U+202E]gnp.exe"),
    # Emoji the fonts draw stay; one no installed font draws is shown as its code point.
    "emoji-cjk": ("Team 😀🚀 漢字テスト", "Team 😀[U+1F680] 漢字テスト"),
}
NOTES = {
    "data.inventory": "script",
    "data.pipelines": "image",
    "data.monitoring": "attachment",
    "data.products": "metadata-url",
    "governance.board": "template",
    "governance.approval": "rtl-override",
    "governance.controls": "emoji-cjk",
}
VALUES = {"data.inventory": 2, "data.pipelines": 1, "data.monitoring": "no", "data.products": "lake",
          "governance.board": 2, "governance.approval": 1, "governance.controls": ["bias"]}


class SpyFetcher(SafeFetcher):
    """The real fetcher, recording every URL it is asked for and whether it refused."""

    asked: list[tuple[str, bool]] = []

    def fetch(self, url, headers=None):
        try:
            response = super().fetch(url, headers)
        except Exception:
            SpyFetcher.asked.append((url, False))
            raise
        SpyFetcher.asked.append((url, True))
        return response


@pytest.fixture
def spy(monkeypatch):
    SpyFetcher.asked = []
    monkeypatch.setattr(reports.pdf, "SafeFetcher", SpyFetcher)
    return SpyFetcher.asked


# Files a hostile report must never read: an audit hook sees every open, whoever makes it.
HOSTILE_FILES = {"/etc/passwd", str((ROOT / "cli.py").resolve())}
_opened: list[str] | None = None


def _record_opens(event: str, args: tuple) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], (str, bytes, os.PathLike)):
        _opened.append(os.path.realpath(os.fsdecode(args[0])))


sys.addaudithook(_record_opens)


@dataclass
class Outside:
    """What got past our fetcher: requests to WeasyPrint's own fetcher, socket connections, opened files."""

    default_fetcher: list[str] = field(default_factory=list)
    connections: list[object] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)

    def hostile_opens(self) -> list[str]:
        return [path for path in self.opened if path in HOSTILE_FILES]


@pytest.fixture
def outside(monkeypatch):
    """Spies below our fetcher: WeasyPrint's URLFetcher, sockets (connections refused) and file opens."""
    global _opened
    seen = Outside()
    default_fetch = URLFetcher.fetch

    def fetch(self, url, headers=None):
        seen.default_fetcher.append(url)
        return default_fetch(self, url, headers)

    def create_connection(address, *args, **kwargs):
        seen.connections.append(address)
        raise ConnectionRefusedError(f"test: no connections ({address})")

    def connect(sock, address):
        return create_connection(address)

    monkeypatch.setattr(URLFetcher, "fetch", fetch)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    _opened = seen.opened
    try:
        yield seen
    finally:
        _opened = None


@pytest.fixture(scope="module")
def tiny():
    return load_questionnaire(DATA / "tiny.yaml")


@pytest.fixture(scope="module")
def hostile_result(tiny):
    answers = {qid: Answer(VALUES[qid], HOSTILE[key][0]) for qid, key in NOTES.items()}
    answers["governance.notes"] = Answer(LONG_WORD)
    answers["data.inventory"] = Answer(2, HOSTILE["script"][0] + " " + LONG_WORD)
    organisation = HOSTILE["image"][0] + " " + HOSTILE["template"][0] + " " + HOSTILE["rtl-override"][0]
    return score_response(tiny, Response("tiny", "1.0.0", answers, organisation=organisation))


@pytest.fixture(scope="module")
def hostile_pdf(tiny, hostile_result):
    SpyFetcher.asked = []
    original = reports.pdf.SafeFetcher
    reports.pdf.SafeFetcher = SpyFetcher
    try:
        started = time.process_time()  # this process's CPU, which other work on the machine does not stretch
        pdf = render_pdf(tiny, hostile_result, Branding(prepared_by="<b>Evil & Co</b>"), generated=DAY, full=True)
        seconds = time.process_time() - started
    finally:
        reports.pdf.SafeFetcher = original
    text = pdf_text(pdf)
    return pdf, text, seconds, list(SpyFetcher.asked)


def flat(text: str) -> str:
    return " ".join(text.replace("\u200b", "").split())


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_notes_are_printed_literally(hostile_pdf, name):
    assert HOSTILE[name][1] in flat(hostile_pdf[1])


def test_a_ten_thousand_character_word_is_printed_whole_every_time_it_appears(hostile_pdf):
    # A note (domain section and appendix) and a text answer (appendix).
    assert hostile_pdf[1].count("ж") == 3 * len(LONG_WORD)


def test_hostile_organisation_and_author_names_are_printed_literally(hostile_pdf):
    text = flat(hostile_pdf[1])
    assert '<img src="file:///etc/passwd"> {{7*7}} invoice[U+202E]gnp.exe' in text
    assert "Prepared by <b>Evil & Co</b>" in text


def test_hostile_text_renders_without_running_away(hostile_pdf):
    assert hostile_pdf[2] < 20  # CPU seconds: a bound against a layout that never ends, not a measure of speed


def test_hostile_text_embeds_no_file(hostile_pdf):
    assert b"/EmbeddedFile" not in hostile_pdf[0]
    assert b"/Launch" not in hostile_pdf[0]


def test_hostile_text_makes_the_renderer_fetch_nothing_but_our_charts(hostile_pdf, hostile_result):
    from reports.html import document_specs

    asked = hostile_pdf[3]
    assert asked, "the charts should be fetched (as they finish converting)"
    assert sorted(url for url, served in asked if served) == sorted(f"phasegate-chart:{name}"
                                                                   for name in document_specs(hostile_result))
    assert all(served for _, served in asked)


# How each hostile text must appear in the HTML, and what of it must not appear raw.
ESCAPED = {
    "script": ("&lt;script&gt;alert(1)&lt;/script&gt;", ["<script", "</script"]),
    "image": ("&lt;img src=&#34;file:///etc/passwd&#34;&gt;", ['<img src="file:']),
    "attachment": ("&lt;link rel=&#34;attachment&#34; href=&#34;file:///etc/passwd&#34;&gt;", ['<link rel="attachment"']),
    "metadata-url": ("http://169.254.169.254/", ['href="http://169.254.169.254', 'src="http://169.254.169.254']),
    "template": ("{{7*7}}", []),
    "rtl-override": ("invoice[U+202E]gnp.exe", ["\u202e"]),
    "emoji-cjk": ("Team 😀[U+1F680] 漢字テスト", ["🚀"]),
}


def html_with_text(tiny, text: str, organisation: str | None = None, full: bool = False) -> str:
    """The HTML report of an assessment whose organisation (unless given) and one note are `text`."""
    response = Response("tiny", "1.0.0", {"data.inventory": Answer(2, text)},
                        organisation=text if organisation is None else organisation)
    return render_html(tiny, score_response(tiny, response), generated=DAY, full=full)


def test_every_hostile_text_has_its_escaped_form():
    assert sorted(ESCAPED) == sorted(HOSTILE)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_escaped_in_the_html_everywhere_it_is_printed(tiny, name):
    printed = html_with_text(tiny, "Plainmarker").count("Plainmarker")
    html = html_with_text(tiny, HOSTILE[name][0])
    escaped, raw = ESCAPED[name]
    assert printed >= 2 and html.count(escaped) == printed
    assert [fragment for fragment in raw if fragment in html] == []


def test_a_ten_thousand_character_word_gets_break_opportunities_everywhere_it_is_printed(tiny):
    # Without them WeasyPrint spends seconds per occurrence looking for a place to wrap.
    # A marker as long as a quote may be, and more: like the long word, too long to quote on the summary.
    marker = "Plainmarker" + " padding" * 30
    printed = html_with_text(tiny, marker, organisation="Example Corp", full=True).count("Plainmarker")
    html = html_with_text(tiny, LONG_WORD, organisation="Example Corp", full=True)
    assert printed >= 2 and html.count("ж") == printed * len(LONG_WORD)
    assert re.search("ж{41}", html) is None


# --- the fetcher itself, against raw hostile HTML ---------------------------------------


@pytest.mark.parametrize("url, allowed", [
    ("data:image/png;base64,iVBORw0KGgo=", True),
    ((TEMPLATES / "report.css").as_uri(), True),
    ("file:///etc/passwd", False),
    ((TEMPLATES / ".." / ".." / "cli.py").as_uri(), False),
    ("file://" + str(TEMPLATES) + "/../../config.py", False),
    ("file://evil.example.com" + str(TEMPLATES / "report.css"), False),
    ("http://169.254.169.254/latest/meta-data/", False),
    ("https://example.com/logo.png", False),
    ("ftp://example.com/x", False),
    ("//example.com/x", False),
])
def test_fetcher_allows_only_data_uris_and_our_own_assets(url, allowed):
    assert allowed_url(url) is allowed


CLIMB_OUT = (ROOT / "cli.py").as_uri()  # the base URL is the template folder; ../../ leaves the package
OUR_CSS = TEMPLATES / "report.css"
SVG = "data:image/svg+xml;utf8,"


@pytest.mark.parametrize("markup, url", [
    ('<img src="file:///etc/passwd">', "file:///etc/passwd"),
    ('<img src="http://169.254.169.254/latest/meta-data/">', "http://169.254.169.254/latest/meta-data/"),
    ('<img src="../../cli.py">', CLIMB_OUT),
    ('<base href="file:///etc/"><img src="passwd">', "file:///etc/passwd"),
    (f'<img src="{TEMPLATES.as_uri()}/../../cli.py">', f"{TEMPLATES.as_uri()}/../../cli.py"),
    (f'<img src="{TEMPLATES.as_uri()}/%2e%2e/%2e%2e/cli.py">', f"{TEMPLATES.as_uri()}/%2e%2e/%2e%2e/cli.py"),
    (f'<link rel="stylesheet" href="file://evil.example.com{OUR_CSS}">', f"file://evil.example.com{OUR_CSS}"),
    ('<link rel="attachment" href="file:///etc/passwd">', "file:///etc/passwd"),
    ('<a rel="attachment" href="file:///etc/passwd">x</a>', "file:///etc/passwd"),
    ('<link rel="stylesheet" href="http://169.254.169.254/style.css">', "http://169.254.169.254/style.css"),
    ('<link rel="stylesheet" href="file:///etc/passwd">', "file:///etc/passwd"),
    ('<style>@import url("https://example.com/x.css");</style>', "https://example.com/x.css"),
    ('<style>@import "../../cli.py";</style>', CLIMB_OUT),
    ('<div style="background: url(file:///etc/passwd)">x</div>', "file:///etc/passwd"),
    ('<style>p { background-image: url("https://example.com/bg.png") }</style>', "https://example.com/bg.png"),
    ('<style>@font-face { font-family: x; src: url(https://example.com/f.woff) } p { font-family: x }</style>',
     "https://example.com/f.woff"),
    ('<ul style="list-style-image: url(file:///etc/passwd)"><li>x</li></ul>', "file:///etc/passwd"),
    ('<object data="file:///etc/passwd"></object>', "file:///etc/passwd"),
    ('<embed src="file:///etc/passwd">', "file:///etc/passwd"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd" width="9" height="9"/></svg>',
     "file:///etc/passwd"),
    (f"<img src=\"{SVG}<svg xmlns='http://www.w3.org/2000/svg'><image href='http://169.254.169.254/x.png' "
     "width='9' height='9'/></svg>\">", "http://169.254.169.254/x.png"),
])
def test_raw_html_resources_are_refused_by_our_fetcher_and_never_reach_a_file_or_socket(spy, outside, markup, url):
    pdf = html_to_pdf(f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body><p>x</p>{markup}</body></html>")
    assert (url, False) in spy, f"our fetcher was not asked for {url}, or did not refuse it: {spy}"
    assert [asked for asked, ok in spy if ok and not asked.startswith("data:")] == []
    assert [asked for asked in outside.default_fetcher if not asked.startswith("data:")] == []
    assert outside.connections == []
    assert outside.hostile_opens() == []
    assert b"/EmbeddedFile" not in pdf


def test_fetcher_refuses_paths_that_climb_out_of_the_asset_folder(spy):
    html_to_pdf("<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>"
                "<img src='../../cli.py'><img src='report.css'></body></html>")
    outcome = {url.rsplit("/", 1)[-1]: ok for url, ok in spy}
    assert outcome == {"cli.py": False, "report.css": True}


# --- branding -------------------------------------------------------------------------


def png(width: int = 40, height: int = 20, noise: bool = False) -> bytes:
    from PIL import Image

    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)) if noise \
        else Image.new("RGB", (width, height), "#336699")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def gif() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, format="GIF")
    return buffer.getvalue()


@pytest.mark.parametrize("kwargs, message", [
    ({"logo": b"just some text, not an image", "logo_name": "logo.png"},
     "logo.png: not a readable image (UnidentifiedImageError); use a PNG or JPEG file"),
    ({"logo": gif(), "logo_name": "logo.gif"}, "logo.gif: logo is a GIF image; use a PNG or JPEG file"),
    ({"logo": png(1100, 1000, noise=True), "logo_name": "big.png"}, "MB; use a PNG or JPEG of at most 2 MB"),
    ({"logo": png(4500, 10), "logo_name": "wide.png"}, "wide.png: logo is 4500×10 pixels; use at most 4000 pixels a side"),
    ({"color": "red"}, "colour 'red' is not a hex colour; write it as #rrggbb, e.g. #1f5f8b"),
    ({"color": "#12345"}, "colour '#12345' is not a hex colour"),
    ({"color": "#123456; } body { display: none"}, "is not a hex colour"),
    ({"prepared_by": "x" * 121}, "prepared-by is 121 characters long; use at most 120"),
])
def test_bad_branding_is_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(BrandingError) as error:
        Branding(**kwargs)
    assert message in str(error.value)


@pytest.mark.parametrize("kwargs", [
    {},
    {"prepared_by": "Acme Consulting", "color": "#A1B2C3"},
    {"logo": png(), "logo_name": "logo.png"},
])
def test_good_branding_is_accepted(kwargs):
    assert Branding(**kwargs).color.startswith("#")


def test_a_jpeg_logo_is_accepted():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(buffer, format="JPEG")
    assert Branding(logo=buffer.getvalue()).logo_type == "image/png"  # re-encoded: only pixels are kept


def test_report_command_refuses_a_text_file_named_logo_png_with_exit_1(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_text("not an image")
    result = CliRunner().invoke(main, ["report", str(DATA / "tiny-answers.yaml"), "--questionnaire", str(DATA / "tiny.yaml"),
                                       "--out", str(tmp_path / "r.pdf"), "--logo", str(logo)])
    assert result.exit_code == 1
    assert "error: logo.png: not a readable image" in result.output
