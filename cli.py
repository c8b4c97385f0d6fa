"""Phasegate on the command line: validate questionnaires, score answers, render reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from questionnaires import PhasegateError, find_questionnaire, load_questionnaire
from questionnaires.loader import available_paths
from questionnaires.schema import schema_text
from scoring import read_answers, result_to_dict, score_response
from scoring.answers import questionnaire_id_of
from scoring.engine import Result
from scoring.steps import HORIZONS


class InputError(click.ClickException):
    """Bad input: one line per problem, exit code 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


def fail(error: PhasegateError) -> InputError:
    """Turn a core error into exit code 1 with one line per problem."""
    return InputError("\n".join(f"error: {line}" for line in error.lines()))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Phasegate: score how far an organisation is from running AI in production."""


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check questionnaire files (default: every available one); list every problem."""
    problems = []
    for path in files or tuple(available_paths()):
        try:
            questionnaire = load_questionnaire(path)
        except PhasegateError as exc:
            problems.extend(exc.lines())
            continue
        click.echo(f"ok: {path.name} — {questionnaire.id} {questionnaire.version}, "
                   f"{len(questionnaire.questions)} questions, {len(questionnaire.domains)} domains")
    if problems:
        raise InputError("\n".join(f"error: {line}" for line in problems))


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of stdout.")
def schema(out: Path | None) -> None:
    """Print the JSON Schema of questionnaire files (for editors)."""
    text = schema_text()
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


def load_scored(answers: Path, questionnaire_path: Path | None, targets: dict[str, int] | None = None) -> Result:
    """Read an answers file, check it against its questionnaire, and score it."""
    if questionnaire_path is not None:
        questionnaire = load_questionnaire(questionnaire_path)
    else:
        questionnaire = find_questionnaire(questionnaire_id_of(answers))
    response = read_answers(answers, questionnaire)
    return score_response(questionnaire, response, targets)


def parse_targets(ctx, param, pairs: tuple[str, ...]) -> dict[str, int]:
    """`governance=3` pairs into a mapping; a usage error when malformed."""
    targets = {}
    for pair in pairs:
        domain, _, phase = pair.partition("=")
        if not domain or phase not in ("1", "2", "3", "4"):
            raise click.BadParameter(f"'{pair}' should look like governance=3 (a domain id and a phase 1-4)", param_hint="--target")
        targets[domain] = int(phase)
    return targets


questionnaire_option = click.option(
    "--questionnaire", "questionnaire_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Questionnaire file to use instead of the shipped one the answers name.",
)
target_option = click.option("--target", "targets", multiple=True, metavar="DOMAIN=PHASE", callback=parse_targets,
                             help="Target phase for a domain (repeatable); overrides the answers file.")


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@questionnaire_option
@target_option
@click.option("--format", "output", type=click.Choice(["json", "table"]), default="table", show_default=True)
def score(answers: Path, questionnaire_path: Path | None, targets: dict[str, int], output: str) -> None:
    """Score an answers file (YAML or JSON) and print the result."""
    try:
        result = load_scored(answers, questionnaire_path, targets)
    except PhasegateError as exc:
        raise fail(exc) from None
    if output == "json":
        click.echo(json.dumps(result_to_dict(result), indent=2, ensure_ascii=False))
    else:
        click.echo(format_table(result))


def _cell(phase) -> str:
    if phase.attainment is not None:
        return f"{phase.attainment:.0%}"
    return {"not_applicable": "n/a", "unknown": "?"}.get(phase.status, "-")


def format_table(result: Result) -> str:
    """A readable plain-text summary of a result."""
    lines = [f"{result.title} — {result.organisation or 'unnamed organisation'}", result.overall.summary,
             f"Confidence {result.overall.confidence:.0%}", ""]
    lines.append(f"{'Domain':<16} {'Achieved':>8} {'Index':>6} {'Target':>6}  Phases 1-4 attainment")
    for d in result.domains:
        if not d.assessed:
            lines.append(f"{d.name:<16} {'not assessed':>22}")
            continue
        cells = "  ".join(f"{_cell(p):>4}" for p in d.phases)
        flag = "  foundation gap" if d.foundation_gap else ""
        lines.append(f"{d.name:<16} {d.achieved:>8} {d.index:>6.2f} {d.target:>6}  {cells}{flag}")
    for horizon, label in HORIZONS.items():
        steps = [s for s in result.actions if s.horizon == horizon]
        if steps:
            lines += ["", label]
            lines += [f"  {s.rank:>3}. {s.title} [{s.domain}, phase {s.phase}, {s.owner}]" for s in steps]
    if result.unknowns:
        lines += ["", "Unknowns to resolve: " + ", ".join(result.unknowns)]
    lines += ["", "n/a: does not apply   ?: only don't-know answers   -: not answered"]
    lines += [f"warning: {w}" for w in result.warnings]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
