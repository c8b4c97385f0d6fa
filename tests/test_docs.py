"""The docs stay true: their generated parts are current, and every setting, command, option and JSON key is
documented."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from cogapp import Cog

import cli
from config import SETTINGS
from scoring.benchmark import benchmark_from_dict, benchmark_to_dict
from scoring.contract import CONTRACT, documented, key_paths
from scripts import docs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)#\s]+)(?:#[^)]*)?\)")


def test_the_generated_parts_of_the_docs_are_current():
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = Cog().main(["cog", "--check", "-I", str(ROOT), *(str(ROOT / name) for name in docs.DOCS)])
    assert status == 0, f"regenerate the docs: cog -r -I . README.md docs/*.md\n{out.getvalue()}"


@pytest.mark.parametrize("page", ["README.md", "docs/configuration.md"])
def test_every_setting_is_in_the_settings_tables(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    assert [entry.name for entry in SETTINGS if f"| `{entry.name}` | {entry.default} | {entry.help} |" not in text] == []


def test_every_command_and_option_is_in_the_cli_reference():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### `([^`]+)`\n(.*?)(?=^### |\Z)", text, flags=re.M | re.S))
    missing = []
    for name, command in docs.commands():
        if name not in sections:
            missing.append(name)
            continue
        for parameter in command.params:
            if isinstance(parameter, click.Option):
                missing += [f"{name} {flag}" for flag in parameter.opts if flag not in sections[name]]
            elif parameter.human_readable_name not in sections[name]:
                missing.append(f"{name} {parameter.human_readable_name}")
    assert missing == []


def printed_json(*arguments: str) -> dict:
    result = CliRunner().invoke(cli.main, ["score", *arguments, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def every_printed_key() -> set[str]:
    """The key paths `score --format json` prints for the examples: with pilots, a baseline with pilots (so that
    the progress compares pilot figures), plain, and the benchmark object as its serializer writes it."""
    paths = set()
    pilots = str(EXAMPLES / "retailer-pilots.yaml")
    paths |= key_paths(printed_json(pilots, "--baseline", pilots))
    paths |= key_paths(printed_json(str(EXAMPLES / "golden-bank.yaml")))
    paths |= key_paths(printed_json(pilots, "--baseline", str(EXAMPLES / "ai-maturity-example.yaml")))
    bench = benchmark_from_dict({"n": 7, "filters": {"size": "medium", "industry": "retail"},
                                 "requested": {"size": "medium", "industry": "retail"},
                                 "domains": [{"id": "data", "name": "Data", "index": 1.5, "band": "top fifth", "n": 7}]})
    paths |= key_paths({"benchmark": benchmark_to_dict(bench)})
    return paths


def test_every_key_the_json_prints_is_documented_and_every_documented_key_is_printed():
    printed = every_printed_key()
    assert sorted(p for p in printed if not documented(p)) == [], "describe these in scoring/contract.py"
    stale = [key for key in CONTRACT if key not in printed]
    assert stale == [], "these are documented but never printed: remove them from scoring/contract.py"


def test_the_methodology_page_is_the_reports_own():
    page = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert docs.methodology() in page
    for heading in ("From answers to phases", "From gaps to next steps", "From the pilot register to verdicts"):
        assert f"### {heading}" in page


@pytest.mark.parametrize("page", docs.DOCS + ("CONTRIBUTING.md", "questionnaires/README.md"))
def test_every_link_between_the_docs_leads_to_a_file(page):
    path = ROOT / page
    broken = [target for target in LINK.findall(path.read_text(encoding="utf-8"))
              if not (path.parent / target).resolve().exists()]
    assert broken == []
