"""The report as PDF: our HTML laid out by WeasyPrint, which may fetch nothing from outside."""

from __future__ import annotations

import ctypes.util
import datetime as dt
import io
import sys
from concurrent.futures import Future
import logging
from contextlib import contextmanager, redirect_stdout
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup


@contextmanager
def libraries_by_soname():
    """On Linux, WeasyPrint's C libraries loaded by their file names alone. WeasyPrint tries several names for each
    library (Windows', macOS' and Linux' spellings), and for every name that is not a file cffi asks
    `ctypes.util.find_library`, which on Linux starts ldconfig, gcc and ld: some fifty processes, about 0.1 s of CPU
    before the first page. Each list also holds the Linux file name (libpango-1.0.so.0 and so on), which the
    dynamic loader finds on its own. Should a library be missing under that name, the import is tried once more the
    usual way."""
    if not sys.platform.startswith("linux"):
        yield
        return
    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with redirect_stdout(io.StringIO()):  # WeasyPrint prints its advice on installing the libraries when one fails
            yield
    finally:
        ctypes.util.find_library = find_library


try:
    with libraries_by_soname():
        import weasyprint  # noqa: F401 -- imported here for its libraries; its names are imported below
except OSError:
    import weasyprint  # noqa: F401,F811 -- through find_library, as WeasyPrint does by default

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from questionnaires.models import Questionnaire
from reports.branding import Branding
from reports.collector import gc_paused
from reports.html import ASSETS, TEMPLATES, chart_futures, render_html, stylesheet
from scoring.engine import Result

ALLOWED_FOLDERS = (ASSETS.resolve(), TEMPLATES.resolve())
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}

# WeasyPrint logs every refused resource and unsupported CSS property as a warning;
# the refusals are expected for hostile input, so keep them out of the user's terminal.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


class FetchRefused(ValueError):
    """A resource outside data: URIs and the report's own assets was requested."""


def allowed_url(url: str) -> bool:
    """True for data: URIs and file: URLs that point inside the report's own folders."""
    if url.startswith("data:"):
        return True
    if not url.startswith("file:"):
        return False
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return any(path.is_relative_to(folder) for folder in ALLOWED_FOLDERS)


CHART_URL = "phasegate-chart:"  # a chart still being converted, by name: only `render_pdf`'s own charts
CHART_SECONDS = 120


class SafeFetcher(URLFetcher):
    """Serves data: URIs and our own asset files; refuses everything else (http, other files). With `charts`
    (name -> future SVG), also the report's own charts as `phasegate-chart:<name>`, waiting for their conversion."""

    def __init__(self, charts: dict[str, Future] | None = None) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.charts = charts or {}

    def fetch(self, url, headers=None):
        if url.startswith(CHART_URL) and url[len(CHART_URL):] in self.charts:
            svg = self.charts[url[len(CHART_URL):]].result(timeout=CHART_SECONDS)
            return URLFetcherResponse(url, svg.encode("utf-8"), {"Content-Type": "image/svg+xml"})
        if not allowed_url(url):
            raise FetchRefused(f"refused to fetch {url[:80]!r}: reports use only data: URIs and their own assets")
        return super().fetch(url, headers)


def html_to_pdf(html: str, stylesheets=(), charts: dict[str, Future] | None = None) -> bytes:
    """Lay out report HTML with WeasyPrint as tagged PDF/UA, fetching through SafeFetcher; `stylesheets` (parsed
    `CSS`) come after the browser defaults and before the document's own styles; `charts` are the report's charts
    still being converted (see `render_pdf`). A chart that could not be converted fails the report."""
    document = HTML(string=html, base_url=str(TEMPLATES) + "/", url_fetcher=SafeFetcher(charts))
    pdf = document.write_pdf(stylesheets=list(stylesheets), **PDF_OPTIONS)
    for future in (charts or {}).values():
        future.result(timeout=CHART_SECONDS)  # raises what the conversion raised
    return pdf


@lru_cache(maxsize=1)
def compiled_stylesheet() -> CSS:
    """The report's stylesheet parsed and its selectors compiled once per process (a third of a second each time
    otherwise). The per-report accent colour stays in the document, whose own styles take precedence."""
    return CSS(string=str(stylesheet()), base_url=str(TEMPLATES) + "/", url_fetcher=SafeFetcher())


def render_pdf(questionnaire: Questionnaire, result: Result, branding: Branding | None = None, *,
               workshop=None, generated: dt.date | None = None, progress=None, series=(), full: bool = False,
               benchmark=None) -> bytes:
    """The report as PDF bytes (with `progress`, the section on what moved since the baseline; `full` adds the
    appendix of every question and answer; `benchmark`, a `scoring.benchmark.Benchmark`, adds the comparison with
    similar organisations when it has enough of them)."""
    with gc_paused():
        # The charts convert in the background while the layout engine reads the document and its styles.
        pending = chart_futures(result, (branding or Branding()).color, progress, series)
        html = render_html(questionnaire, result, branding, workshop=workshop, generated=generated,
                           chart_images={name: Markup(CHART_URL + name) for name in pending}, progress=progress,
                           series=series, full=full, benchmark=benchmark, inline_css=False)
        return html_to_pdf(html, [compiled_stylesheet()], pending)
