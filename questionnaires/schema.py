"""The JSON Schema of questionnaire files, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from questionnaires.models import Questionnaire

SCHEMA_PATH = Path(__file__).parent / "schema.json"


def questionnaire_schema() -> dict:
    """JSON Schema (draft 2020-12) for questionnaire YAML files."""
    schema = Questionnaire.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://phasegate.dev/schema/questionnaire.json",
        **schema,
    }


def schema_text() -> str:
    """The schema as it is written to questionnaires/schema.json."""
    return json.dumps(questionnaire_schema(), indent=2, ensure_ascii=False) + "\n"
