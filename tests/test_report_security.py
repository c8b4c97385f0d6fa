"""Reports treat free text as data, fetch nothing from outside, and refuse bad branding."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

import reports.pdf
from cli import main
from questionnaires import load_questionnaire
from questionnaires.errors import BrandingError
from reports import Branding, render_html, render_pdf
from reports.html import TEMPLATES
from reports.pdf import SafeFetcher, allowed_url, html_to_pdf
from scoring import Answer, Response, score_response

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
        started = time.perf_counter()
        pdf = render_pdf(tiny, hostile_result, Branding(prepared_by="<b>Evil & Co</b>"), generated=DAY)
        seconds = time.perf_counter() - started
    finally:
        reports.pdf.SafeFetcher = original
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
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


def test_hostile_text_renders_in_seconds(hostile_pdf):
    assert hostile_pdf[2] < 20


def test_hostile_text_embeds_no_file(hostile_pdf):
    assert b"/EmbeddedFile" not in hostile_pdf[0]
    assert b"/Launch" not in hostile_pdf[0]


def test_hostile_text_makes_the_renderer_fetch_nothing_but_our_charts(hostile_pdf):
    asked = hostile_pdf[3]
    assert asked, "the charts should be fetched as data: URIs"
    assert all(url.startswith("data:image/svg+xml;base64,") for url, _ in asked)


@pytest.mark.parametrize("text", [value for value, _ in HOSTILE.values()])
def test_hostile_text_is_escaped_in_the_html(tiny, text):
    response = Response("tiny", "1.0.0", {"data.inventory": Answer(2, text)}, organisation=text)
    html = render_html(tiny, score_response(tiny, response), generated=DAY)
    assert "<script>alert" not in html
    assert '<img src="file:' not in html
    assert '<link rel="attachment"' not in html


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


@pytest.mark.parametrize("markup", [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<a rel="attachment" href="file:///etc/passwd">x</a>',
    '<img src="http://169.254.169.254/latest/meta-data/">',
    '<link rel="stylesheet" href="http://169.254.169.254/style.css">',
    '<div style="background: url(file:///etc/passwd)">x</div>',
    '<object data="file:///etc/passwd"></object>',
    '<iframe src="file:///etc/passwd"></iframe>',
])
def test_fetcher_refuses_files_and_urls_even_in_raw_html(spy, markup):
    pdf = html_to_pdf(f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body><p>x</p>{markup}</body></html>")
    assert b"/EmbeddedFile" not in pdf
    assert all(not ok for url, ok in spy if not url.startswith("data:"))
    assert not any(ok and "passwd" in url or ok and url.startswith("http") for url, ok in spy)


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
    assert Branding(logo=buffer.getvalue()).logo_type == "image/jpeg"


def test_report_command_refuses_a_text_file_named_logo_png_with_exit_1(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_text("not an image")
    result = CliRunner().invoke(main, ["report", str(DATA / "tiny-answers.yaml"), "--questionnaire", str(DATA / "tiny.yaml"),
                                       "--out", str(tmp_path / "r.pdf"), "--logo", str(logo)])
    assert result.exit_code == 1
    assert "error: logo.png: not a readable image" in result.output
