"""Reports: chart specs (Altair), HTML (Jinja2) and PDF (WeasyPrint) of a scored result."""

from reports.branding import Branding
from reports.html import render_html


def render_pdf(*args, **kwargs) -> bytes:
    """The full report as PDF bytes (imports WeasyPrint on first use)."""
    from reports.pdf import render_pdf as render

    return render(*args, **kwargs)


__all__ = ["Branding", "render_html", "render_pdf"]
