"""The report as PDF: our HTML laid out by WeasyPrint, which may fetch nothing from outside."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from questionnaires.models import Questionnaire
from reports.branding import Branding
from reports.html import ASSETS, TEMPLATES, render_html
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


class SafeFetcher(URLFetcher):
    """Serves data: URIs and our own asset files; refuses everything else (http, other files)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)

    def fetch(self, url, headers=None):
        if not allowed_url(url):
            raise FetchRefused(f"refused to fetch {url[:80]!r}: reports use only data: URIs and their own assets")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    """Lay out report HTML with WeasyPrint as tagged PDF/UA, fetching through SafeFetcher."""
    document = HTML(string=html, base_url=str(TEMPLATES) + "/", url_fetcher=SafeFetcher())
    return document.write_pdf(**PDF_OPTIONS)


def render_pdf(questionnaire: Questionnaire, result: Result, branding: Branding | None = None, *,
               workshop=None, generated: dt.date | None = None, progress=None, series=(), full: bool = False) -> bytes:
    """The report as PDF bytes (with `progress`, the section on what moved since the baseline; `full` adds the
    appendix of every question and answer)."""
    html = render_html(questionnaire, result, branding, workshop=workshop, generated=generated,
                       progress=progress, series=series, full=full)
    return html_to_pdf(html)
