"""The names downloads are saved under: `<organisation>-<questionnaire>-<date>.<ext>`, so one consultant's files
for several clients, questionnaires and days never overwrite each other."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

MAX_PART = 60  # characters of the organisation kept in a file name
UNNAMED = "organisation"  # when no organisation was given, or nothing of it can go in a file name


def slug(text: str, fallback: str = UNNAMED) -> str:
    """Text as a file name part: ASCII letters and digits joined by hyphens ("Café Müller & Co." ->
    "cafe-muller-co"); `fallback` when nothing is left."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return words[:MAX_PART].rstrip("-") or fallback


def download_name(organisation: str, questionnaire_id: str, date: dt.date, extension: str, kind: str = "") -> str:
    """'acme-corp-ai-maturity-2026-12-05.pdf'; `kind` tells apart files of one type made from the same
    assessment: 'acme-corp-ai-maturity-2026-12-05-full.pdf'."""
    parts = [slug(organisation), slug(questionnaire_id, "assessment"), date.isoformat()]
    if kind:
        parts.append(slug(kind, ""))
    return "-".join(part for part in parts if part) + "." + extension.lstrip(".")


def response_name(response, extension: str, kind: str = "") -> str:
    """The name of a file made from one assessment (`scoring.answers.Response`): its organisation, questionnaire
    and the date it was taken (today when it does not say)."""
    from scoring.answers import dated

    return download_name(response.organisation, response.questionnaire, dated(response).date, extension, kind)
