"""Phasegate on the command line: validate questionnaires, score answers, render reports."""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

import i18n
from config import SettingsError, check_settings, default_database_file, setting
from questionnaires import PhasegateError, find_questionnaire, load_questionnaire
from questionnaires.loader import available_paths, is_translation_path, source_path_of, translation_paths
from questionnaires.models import question_count
from questionnaires.safeyaml import text_problem
from scoring import read_answers, result_to_dict, score_response
from scoring.answers import language_of, questionnaire_id_of, questionnaire_version_of
from scoring.compare import (Comparison, change_text, compare_results, compared_text, comparison_to_dict, shown_index,
                             since_text)
from scoring.engine import Result
from scoring.pilots import PilotMetrics, format_money
from scoring.steps import HORIZONS


class InputError(click.ClickException):
    """Bad input: one line per problem, exit code 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        echo(self.message, err=True)


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    """Print a line with any text a person wrote made safe for the terminal (escape codes shown, not obeyed)."""
    from storage.text import for_terminal  # here for start-up time: the storage package loads the database driver

    click.echo(for_terminal(str(message)), err=err, nl=nl)


def fail(error: PhasegateError) -> InputError:
    """Turn a core error into exit code 1 with one line per problem."""
    return InputError("\n".join(f"error: {line}" for line in error.lines()))


def plain_text(ctx, param, value: str | None) -> str | None:
    """A text option that can be printed and stored; a usage error otherwise (bytes that are not UTF-8, say)."""
    reason = text_problem(value) if value else None
    if reason:
        raise click.BadParameter(reason)
    from storage.text import TextError, refuse_controls  # here for start-up time, as in `echo`

    try:
        refuse_controls(value, "value")
    except TextError as exc:
        raise click.BadParameter(exc.lines()[0]) from None
    return value


# True when this file runs as the program (`python cli.py ...`); False when a test, a benchmark or a worker imports
# it. Only the program's own process may treat the end of its command as the end of the process.
AS_PROGRAM = __name__ == "__main__"

OUTPUT_MODE = 0o600  # a report or an export holds client data: readable by its owner only


def regular_file(ctx, param, value):
    """An input path (or several) that is a regular file when it exists: a device such as /dev/zero, a pipe or a
    folder is refused before anything is read (a missing file is reported where it is read)."""
    for path in (value if isinstance(value, tuple) else (value,)):
        if path is not None and path.exists() and not path.is_file():
            raise InputError(f"error: {path}: not a regular file; give a file ({param.name.replace('_', ' ')})")
    return value


def check_output(out: Path, inputs: tuple[Path | None, ...] = (), force: bool = False) -> None:
    """Refuse to write over an input file or the configured database (even with --force), over a folder, or over
    any other existing file without --force; one line saying what to do."""
    if out.is_dir():
        raise InputError(f"error: {out}: is a folder; give a file name for the output")
    if not out.exists():
        return
    for source, what in [*((path, "an input file") for path in inputs if path is not None),
                         *((path, "the configured database") for path in database_files())]:
        if _same_file(out, source):
            raise InputError(f"error: {out}: is {what}; write the output to another file")
    if not force:
        raise InputError(f"error: {out}: already exists; give --force to overwrite it, or choose another file")


def _same_file(one: Path, other: Path) -> bool:
    try:
        if one.exists() and other.exists():
            return os.path.samefile(one, other)
        return one.resolve() == other.resolve()
    except OSError:
        return False


def database_files() -> list[Path]:
    """The configured SQLite database file with its companions (none for PostgreSQL, or when unset)."""
    path = configured_sqlite_file() if setting("DATABASE_URL") else default_database_file()
    if path is None:
        return []
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def configured_sqlite_file() -> Path | None:
    """The SQLite file DATABASE_URL names, or None (another database, in memory, or a URL that cannot be read)."""
    from sqlalchemy.engine import make_url  # here for start-up time: only a configured URL needs reading

    from config import database_url

    try:
        url = make_url(database_url())
    except Exception:  # noqa: BLE001 - a malformed URL is reported by the command that connects
        return None
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def write_private(out: Path, data: bytes | str) -> None:
    """Write a file readable by its owner only (0600), atomically: a new file beside it, then renamed over it.
    Raises OSError."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OUTPUT_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


force_option = click.option("--force", is_flag=True, help="Overwrite an existing output file (never an input "
                                                           "file or the database).")


def installed_language(ctx, param, value: str | None) -> str | None:
    """--lang as the code of an installed language ('de' for 'de-DE'), or a usage error naming the installed ones."""
    if value is None:
        return None
    language = i18n.supported(value)
    if language is None:
        installed = ", ".join([*i18n.available(), i18n.PSEUDO])
        raise click.BadParameter(f"unknown language '{value}'; installed: {installed} ({i18n.PSEUDO}: the "
                                 f"pseudo-language for layout tests)", param_hint="--lang")
    return language


language_option = click.option(
    "--lang", "language", default=None, metavar="CODE", callback=installed_language,
    help="Language of the output (en, de); default: the answers file's language:, else English.")


def assessment_language(answers: Path | None, chosen: str | None) -> str:
    """The language a command speaks: --lang, else the answers file's `language:`, else English."""
    if chosen is not None:
        return chosen
    try:
        written = language_of(answers) if answers is not None else None
    except PhasegateError:  # an unreadable file: reading its answers says where
        written = None
    return written or i18n.SOURCE


def shipped_questionnaire(questionnaire_id: str, version: str | None):
    """A shipped questionnaire version in the language of the moment (its own when it has no such translation)."""
    if i18n.current() in (i18n.SOURCE, i18n.PSEUDO):
        return find_questionnaire(questionnaire_id, version)
    # Imported here for start-up time: the translations' models cost an English report about 0.01 s of CPU.
    from questionnaires.translation import find_in_language

    return find_in_language(questionnaire_id, version, i18n.current())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Phasegate: score how far an organisation is from running AI in production."""
    try:
        check_settings()
    except SettingsError as exc:
        raise fail(exc) from None


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path), callback=regular_file)
def validate(files: tuple[Path, ...]) -> None:
    """Check questionnaire files and the translations beside them (default: every available one); list every
    problem, and every text a translation leaves in English."""
    problems, done = [], set()
    for path in files or tuple(available_paths()):
        source = source_path_of(path) if is_translation_path(path) else path
        if not source.exists():
            problems.append(f"{path.name}: a translation sits beside the questionnaire it translates; "
                            f"no {source.name} beside it")
            continue
        try:
            questionnaire = load_questionnaire(source)
        except PhasegateError as exc:
            problems.extend(exc.lines())
            continue
        if source == path:
            echo(f"ok: {path.name} — {questionnaire.id} {questionnaire.version}, "
                 f"{question_count(questionnaire).text()}, {len(questionnaire.domains)} domains")
        beside = translation_paths(source) if source == path else {"": path}
        for translation in beside.values():
            if translation.resolve() not in done:
                done.add(translation.resolve())
                problems.extend(validate_translation(translation, questionnaire))
    if problems:
        raise InputError("\n".join(f"error: {line}" for line in problems))


def validate_translation(path: Path, questionnaire) -> list[str]:
    """Check one translation against its questionnaire: print ok and each text left in English, or return the
    problems."""
    from questionnaires.translation import load_translation, source_texts, translated  # start-up time, as above

    try:
        translation = load_translation(path, questionnaire)
    except PhasegateError as exc:
        return exc.lines()
    total = len(source_texts(questionnaire))
    _, missing = translated(questionnaire, translation)
    echo(f"ok: {path.name} — {translation.language} translation of {questionnaire.id} {questionnaire.version}, "
         f"{total - len(missing)} of {total} texts")
    if missing:
        echo(f"warning: {path.name}: {len(missing)} texts not translated; they are shown in English", err=True)
    for text in missing:
        echo(f"warning: {path.name} {text}: not translated", err=True)
    return []


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of stdout.")
@force_option
def schema(out: Path | None, force: bool) -> None:
    """Print the JSON Schema of questionnaire files (for editors)."""
    from questionnaires.schema import schema_text  # here for start-up time: only this command needs it

    text = schema_text()
    if out:
        check_output(out, force=force)
        try:
            write_private(out, text)
        except OSError as exc:
            raise InputError(f"error: {out}: cannot write the schema ({exc.strerror or exc}); check the folder") from None
        echo(f"wrote {out}", err=True)
    else:
        echo(text, nl=False)


def load_scored(answers: Path, questionnaire, targets: dict[str, int] | None = None) -> Result:
    """Read an answers file, check it against its questionnaire (see `current_questionnaire`), and score it."""
    response = read_answers(answers, questionnaire)
    check_targets(questionnaire, targets)
    return score_response(questionnaire, response, targets)


def check_targets(questionnaire, targets: dict[str, int] | None) -> None:
    """Every --target names a domain of the questionnaire, or a PhasegateError naming the known ones."""
    known = [d.id for d in questionnaire.domains]
    unknown = [domain for domain in targets or {} if domain not in known]
    if unknown:
        raise PhasegateError(f"--target {unknown[0]}: unknown domain in '{questionnaire.id}' (known: {', '.join(known)})")


def parse_targets(ctx, param, pairs: tuple[str, ...]) -> dict[str, int]:
    """`governance=3` pairs into a mapping; a usage error when malformed."""
    targets = {}
    for pair in pairs:
        plain_text(ctx, param, pair)
        domain, _, phase = pair.partition("=")
        if not domain or phase not in ("1", "2", "3", "4"):
            raise click.BadParameter(f"'{pair}' should look like governance=3 (a domain id and a phase 1-4)", param_hint="--target")
        targets[domain] = int(phase)
    return targets


questionnaire_option = click.option(
    "--questionnaire", "questionnaire_path", type=click.Path(dir_okay=False, path_type=Path), callback=regular_file,
    help="Questionnaire file to use instead of the shipped one the answers name.",
)
target_option = click.option("--target", "targets", multiple=True, metavar="DOMAIN=PHASE", callback=parse_targets,
                             help="Target phase for a domain (repeatable); overrides the answers file.")


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path), callback=regular_file)
@questionnaire_option
@target_option
@click.option("--format", "output", type=click.Choice(["json", "table"]), default="table", show_default=True)
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), callback=regular_file,
              help="Answers file of an earlier assessment: adds the progress since then.")
@click.option("--benchmark", "with_benchmark", is_flag=True,
              help="Add the fifth each domain stands in among comparable organisations stored in the configured "
                   "database (same questionnaire, industry and size; shown only with at least 5 of them; "
                   "self-assessments count only with PHASEGATE_BENCHMARK_SELF_ASSESSMENTS).")
@language_option
def score(answers: Path, questionnaire_path: Path | None, targets: dict[str, int], output: str,
          baseline: Path | None, with_benchmark: bool, language: str | None) -> None:
    """Score an answers file (YAML or JSON) and print the result."""
    click.get_current_context().with_resource(i18n.use(assessment_language(answers, language)))
    try:
        # Loaded once: without --questionnaire that reads every questionnaire file, and a broken one is read again.
        questionnaire = current_questionnaire(answers, questionnaire_path)
        result = load_scored(answers, questionnaire, targets)
        progress = compare_with_baseline(baseline, questionnaire, result)
        bench = file_benchmark(answers, questionnaire, result) if with_benchmark else None
    except PhasegateError as exc:
        raise fail(exc) from None
    if output == "json":
        data = result_to_dict(result)
        if progress is not None:
            data["progress"] = comparison_to_dict(progress)
        if bench is not None:
            from scoring.benchmark import benchmark_to_dict

            data["benchmark"] = benchmark_to_dict(bench)
        echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        echo(format_table(result) + (format_progress(progress) if progress is not None else "")
                   + (format_benchmark(bench) if bench is not None else ""))


def file_benchmark(answers: Path, questionnaire, result: Result):
    """The answers file's benchmark against the organisations stored in the configured database."""
    from questionnaires.loader import find_questionnaire as find
    from storage import get_engine
    from storage.benchmark import benchmark_stored

    def known(questionnaire_id: str, version: str):
        # Peers on the questionnaire given with --questionnaire are scored with it too.
        same = (questionnaire_id, version) == (questionnaire.id, questionnaire.version)
        return questionnaire if same else find(questionnaire_id, version)

    response = read_answers(answers, questionnaire)
    profile = response.organisation_profile.model_dump(exclude_none=True) if response.organisation_profile else None
    return benchmark_stored(get_engine(), result, profile, known)


def format_benchmark(bench) -> str:
    """The benchmark as a short plain-text block: what it compares with, then each domain's fifth."""
    from scoring.benchmark import percentile_text, summary_text

    lines = ["", "Benchmark", f"  {summary_text(bench)}"]
    if bench.available:
        lines += [f"  {d.name:<16} {percentile_text(d)}" for d in bench.domains]
    return "\n".join(lines)


def current_questionnaire(answers: Path, questionnaire_path: Path | None):
    """The questionnaire an answers file is scored with: --questionnaire, else the shipped one it names."""
    if questionnaire_path is not None:
        return load_questionnaire(questionnaire_path)
    return shipped_questionnaire(questionnaire_id_of(answers), questionnaire_version_of(answers))


def compare_with_baseline(baseline: Path | None, questionnaire, result: Result) -> Comparison | None:
    """The progress since a baseline answers file (its own questionnaire, or the current one when it names it)."""
    if baseline is None:
        return None
    wanted = (questionnaire_id_of(baseline), questionnaire_version_of(baseline))
    earlier = questionnaire if wanted == (questionnaire.id, questionnaire.version) else shipped_questionnaire(*wanted)
    response = read_answers(baseline, earlier)
    return compare_results(earlier, score_response(earlier, response), questionnaire, result, response.date)


def format_progress(progress: Comparison) -> str:
    """The progress since the baseline as a short plain-text block."""
    lines = ["", since_text(progress.baseline_date),
             f"Overall: phase {progress.phase_before} -> {progress.phase_now}, "
             f"index {shown_index(progress.index_before):.1f} -> {shown_index(progress.index_now):.1f} "
             f"({change_text(progress.index_change)})"]
    if progress.shared_only:
        lines.append(compared_text(progress))
    for d in progress.domains:  # the figures the app and the report print, in the same words
        before, now = (f"{shown_index(v):.1f}" if v is not None else "-" for v in (d.index_before, d.index_now))
        lines.append(f"  {d.name:<16} {before:>4} -> {now:>4} {change_text(d.change):>5}  {d.bar_text}")
    lines += [f"  completed: {c.action or c.text} [{c.question}]" for c in progress.closed_steps]
    lines += [f"  new gap: {g.text} [{g.question}]" for g in progress.new_gaps]
    return "\n".join(lines)


def percent(share: float) -> str:
    """A share as the command's language writes it: 42% in English, 42 % in German."""
    return f"{share:.0%}" if i18n.current() == i18n.SOURCE else i18n.percent(share)


def _cell(phase) -> str:
    if phase.attainment is not None:
        return percent(phase.attainment)
    return {"not_applicable": "n/a", "unknown": "?"}.get(phase.status, "-")


def format_table(result: Result) -> str:
    """A readable plain-text summary of a result."""
    _ = i18n.gettext
    wide = max([16, *(len(d.name) for d in result.domains)])  # German names run longer than English ones
    lines = [f"{result.title} — {result.organisation or _('unnamed organisation')}", result.overall.summary,
             _("Confidence {share}").format(share=percent(result.overall.confidence)), ""]
    lines.append(f"{_('Domain'):<{wide}} {_('Achieved'):>8} {_('Index'):>6} {_('Target'):>6}  "
                 + _("Phases 1-4 attainment"))
    for d in result.domains:
        if not d.assessed:
            lines.append(f"{d.name:<{wide}} {_('not assessed'):>22}")
            continue
        cells = "  ".join(f"{_cell(p):>4}" for p in d.phases)
        flag = "  " + _("foundation gap") if d.foundation_gap else ""
        index = f"{d.index:.2f}" if i18n.current() == i18n.SOURCE else i18n.number(d.index, 2)  # 0,38 in German
        lines.append(f"{d.name:<{wide}} {d.achieved:>8} {index:>6} {d.target:>6}  {cells}{flag}")
    if result.pilots is not None:
        lines += ["", *format_pilots(result.pilots)]
    names = {d.id: d.name for d in result.domains}
    for horizon, label in HORIZONS.items():
        steps = [s for s in result.actions if s.horizon == horizon]
        if steps:
            lines += ["", label]
            lines += [_("  {rank:>3}. {title} [{domain}, phase {phase}, {owner}]").format(
                rank=s.rank, title=s.title, domain=names.get(s.domain, s.domain), phase=s.phase, owner=s.owner)
                for s in steps]
    if result.unknowns:
        lines += ["", _("Unknowns to resolve: {ids}").format(ids=", ".join(result.unknowns))]
    lines += ["", _("n/a: does not apply   ?: only don't-know answers   -: not answered")]
    lines += [_("warning: {warning}").format(warning=w) for w in result.warnings]
    return "\n".join(lines)


PILOT_LINES = 10


def verdict_word(verdict: str) -> str:
    """A pilot's verdict as the command's language names it: its id in English ('stop'), else as the pilot register
    names it ('einstellen')."""
    return verdict if i18n.current() == i18n.SOURCE else i18n.pgettext("verdict", verdict.capitalize()).lower()


def format_pilots(pilots: PilotMetrics) -> list[str]:
    """The pilot portfolio as a short plain-text block: funnel, figures against the reference, triage."""
    _ = i18n.gettext
    months = pilots.stuck_after_months
    rate = "n/a" if pilots.conversion_rate is None else percent(pilots.conversion_rate)
    verdicts = ", ".join(f"{count} {verdict_word(verdict)}" for verdict, count in pilots.verdicts().items() if count)
    lines = [_("Pilot portfolio: {total} pilots, {reached} reached production, {stuck} stuck (active for more than "
               "{months} months)").format(total=pilots.total, reached=pilots.reached, stuck=pilots.stuck, months=months),
             _("  Funnel: {stages}").format(stages=" · ".join(f"{pilots.stage_labels.get(stage, stage)} {count}"
                                                             for stage, count in pilots.by_stage.items())),
             _("  Conversion: {rate} of the pilots started {months}+ months ago reached production (reference: "
               "{reference})").format(rate=rate, months=months,
                                      reference=_(pilots.reference["reaches_production_text"])),
             _("  Without a business owner: {owner}; without a KPI baseline: {kpi}; value waiting in stuck pilots: "
               "{value}").format(owner=pilots.without_owner, kpi=pilots.without_kpi,
                                 value=format_money(pilots.value_waiting, pilots.currency)),
             _("  Verdicts: {verdicts}").format(verdicts=verdicts or i18n.pgettext("verdicts", "none"))]
    if pilots.blocked_domains:
        waiting = sorted(pilots.blocked_domains.items(), key=lambda pair: -pair[1])  # stable: ties in domain order
        lines.insert(4, _("  Pilots waiting on: {domains}").format(
            domains=", ".join(f"{pilots.domain_names.get(d, d)} {n}" for d, n in waiting)))
    triaged = [item for item in pilots.items if item.verdict]
    width = max([8, *(len(verdict_word(item.verdict)) for item in triaged)])
    lines += [f"    {verdict_word(item.verdict):<{width}} {item.name}: {item.reason}"
              for item in triaged[:PILOT_LINES]]
    if len(triaged) > PILOT_LINES:
        lines.append(_("    ... and {count} more in score --format json").format(count=len(triaged) - PILOT_LINES))
    lines.append(_("  Source of the reference: {source}").format(source=_(pilots.reference["source"])))
    return lines


# --- report ---------------------------------------------------------------------------


@main.command()
@click.argument("answers", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path), callback=regular_file)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Report file for one answers file.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for several reports, named after the answers files.")
@click.option("--html", "as_html", is_flag=True, help="Write HTML instead of PDF.")
@click.option("--logo", type=click.Path(dir_okay=False, path_type=Path), callback=regular_file, help="PNG or JPEG logo (at most 2 MB) for the cover.")
@click.option("--prepared-by", default="", callback=plain_text, help="Consultant or firm named on the cover and in the footer.")
@click.option("--color", default=None, metavar="HEX", callback=plain_text, help="Accent colour as #rrggbb.")
@questionnaire_option
@target_option
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date printed on the report (YYYY-MM-DD); default today.")
@click.option("--workers", type=click.IntRange(1, 32), default=None,
              help="Processes for a batch; default PHASEGATE_REPORT_WORKERS.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), callback=regular_file,
              help="Answers file of an earlier assessment: adds the section on progress since then.")
@click.option("--full", is_flag=True, help="The full report: the executive report plus every question and answer.")
@language_option
@click.option("--benchmark", "with_benchmark", is_flag=True,
              help="Add the comparison with similar organisations stored in the configured database (when at least 5).")
@force_option
def report(answers: tuple[Path, ...], out: Path | None, out_dir: Path | None, as_html: bool, logo: Path | None,
           prepared_by: str, color: str | None, questionnaire_path: Path | None, targets: dict[str, int],
           date, workers: int | None, baseline: Path | None, full: bool, language: str | None, with_benchmark: bool,
           force: bool) -> None:
    """Render answers files as PDF (or HTML) reports: --out for one, --out-dir for a batch."""
    from reports.collector import gc_paused
    from reports.converter import chart_process

    # One report is rendered in this process: its chart converter starts now, on another core, unless its charts were
    # drawn before, and no garbage collection runs while the questionnaire loads and WeasyPrint is imported; when this
    # is the program, what the report leaves is then frozen rather than collected, as the process ends. A batch is
    # left as it was: its worker processes convert their own charts.
    single = len(answers) == 1
    converter = (chart_process(chart_inputs(answers[0], baseline, questionnaire_path, color, targets, language))
                 if single else contextlib.nullcontext())
    with converter, gc_paused(ending=AS_PROGRAM) if single else contextlib.nullcontext():
        from reports.branding import branding_from_files

        if (out is None) == (out_dir is None):
            raise click.UsageError("give either --out FILE (one answers file) or --out-dir DIR (one or more)")
        if out is not None and len(answers) > 1:
            raise click.UsageError(f"--out takes one answers file, got {len(answers)}; use --out-dir for a batch")
        if baseline is not None and len(answers) > 1:
            raise click.UsageError(f"--baseline compares one answers file with its baseline, got {len(answers)}")
        try:
            branding = branding_from_files(prepared_by, color, logo)
        except PhasegateError as exc:
            raise fail(exc) from None
        generated = date.date() if date else datetime.date.today()
        jobs = [ReportJob(path, target, questionnaire_path, targets, branding, as_html, generated, baseline, full,
                          with_benchmark, assessment_language(path, language))
                for path, target in zip(answers, report_targets(answers, out, out_dir, as_html))]
        for job in jobs:
            check_output(job.target, (*answers, baseline, questionnaire_path, logo), force)
        if out_dir is not None:
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"error: {out_dir}: cannot create the folder ({exc.strerror or exc}); check the path") from None
        problems = run_report_jobs(jobs, workers or report_workers(), batch=out_dir is not None)
        if problems:
            raise InputError("\n".join(f"error: {line}" for line in problems))


def chart_inputs(answers: Path, baseline: Path | None, questionnaire_path: Path | None, color: str | None,
                 targets: dict[str, int], language: str | None) -> list[bytes] | None:
    """What a report's charts are drawn from: the files' content, the colour, the targets, --lang, today's date
    (pilot ages count from it) and the code that draws them; None when a file cannot be read (the report then says
    so)."""
    from reports.charts import drawing_version

    try:
        files = [path.read_bytes() if path is not None else b"" for path in (answers, baseline, questionnaire_path)]
    except OSError:
        return None
    return [*files, str(color).encode(), json.dumps(targets, sort_keys=True).encode(), str(language).encode(),
            datetime.date.today().isoformat().encode(), drawing_version().encode()]


def report_workers() -> int:
    """PHASEGATE_REPORT_WORKERS as a number of processes, or a one-line error."""
    try:
        return setting("PHASEGATE_REPORT_WORKERS")
    except SettingsError as exc:
        raise fail(exc) from None


@dataclass(frozen=True)
class ReportJob:
    """One report to render: picklable, so a worker process can take it."""

    answers: Path
    target: Path
    questionnaire_path: Path | None
    targets: dict[str, int]
    branding: object
    as_html: bool
    generated: datetime.date
    baseline: Path | None = None
    full: bool = False
    benchmark: bool = False
    language: str = i18n.SOURCE


def report_targets(answers: tuple[Path, ...], out: Path | None, out_dir: Path | None, as_html: bool) -> list[Path]:
    """Output paths: --out as given, else the answers file stems in --out-dir (made unique)."""
    if out is not None:
        return [out]
    suffix = ".html" if as_html else ".pdf"
    seen: dict[str, int] = {}
    paths = []
    for path in answers:
        stem = path.stem
        seen[stem] = seen.get(stem, 0) + 1
        paths.append(out_dir / f"{stem}{'' if seen[stem] == 1 else '-' + str(seen[stem])}{suffix}")
    return paths


def render_report_job(job: ReportJob) -> list[str]:
    """Load, score and render one report; the problems with its input (empty when written)."""
    with i18n.use(job.language):
        return _render_report_job(job)


def _render_report_job(job: ReportJob) -> list[str]:
    from reports import render_html, render_pdf

    try:
        questionnaire = report_questionnaire(job.questionnaire_path, questionnaire_id_of(job.answers),
                                             questionnaire_version_of(job.answers), job.language)
        response = read_answers(job.answers, questionnaire)
        check_targets(questionnaire, job.targets)
        result = score_response(questionnaire, response, job.targets)
        progress = compare_with_baseline(job.baseline, questionnaire, result)
        bench = file_benchmark(job.answers, questionnaire, result) if job.benchmark else None
        if not job.as_html:
            start_charts(result, job.branding, progress)
        render = render_html if job.as_html else render_pdf
        content = render(questionnaire, result, job.branding, generated=job.generated, progress=progress,
                         full=job.full, benchmark=bench)
    except PhasegateError as exc:
        return exc.lines()
    try:
        write_private(job.target, content)
    except OSError as exc:
        return [f"{job.target}: cannot write the report ({exc.strerror or exc}); check the folder"]
    return []


def start_charts(result: Result, branding, progress: Comparison | None) -> None:
    """Start converting a PDF report's charts now, before `render_pdf` imports the layout engine (about a quarter of
    a second): the chart process gets them that much sooner, and `render_pdf` takes up the same conversions
    (`reports.html.svg_futures` remembers them by spec)."""
    from reports.html import chart_futures

    chart_futures(result, branding.color, progress)


@functools.lru_cache(maxsize=8)
def report_questionnaire(path: Path | None, questionnaire_id: str, version: str | None = None,
                         language: str = i18n.SOURCE):
    """The questionnaire for a report, in the version the answers name and the report's language, loaded once per
    process (a batch shares it)."""
    return load_questionnaire(path) if path is not None else shipped_questionnaire(questionnaire_id, version)


def run_report_jobs(jobs: list[ReportJob], workers: int, batch: bool) -> list[str]:
    """Render every job (in parallel for a batch); progress on stderr; all problems returned."""
    problems: list[str] = []

    def done(index: int, job: ReportJob, lines: list[str]) -> None:
        problems.extend(lines)
        if batch:
            state = "failed" if lines else f"wrote {job.target}"
            echo(f"[{index}/{len(jobs)}] {job.answers.name}: {state}", err=True)
        elif not lines:
            echo(f"wrote {job.target}", err=True)

    if len(jobs) == 1 or workers == 1:
        for index, job in enumerate(jobs, start=1):
            done(index, job, render_report_job(job))
        return problems
    import multiprocessing
    from concurrent.futures import as_completed

    from reports.workers import process_pool

    # Workers fork from a clean server that has the renderer imported: fast to start, and
    # safe even when this process already runs the chart converter's threads.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["reports.pdf", "reports.charts", "cli"])
    with process_pool(min(workers, len(jobs)), context) as pool:  # workers exit if this process dies
        futures = {pool.submit(render_report_job, job): job for job in jobs}
        for index, future in enumerate(as_completed(futures), start=1):
            done(index, futures[future], future.result())
    return problems


MAX_ID = 2**31 - 1  # the largest id a PostgreSQL integer column holds


def parse_workshop_ref(ctx, param, value: str | None) -> str | int | None:
    """--workshop as a workshop number (int) or a join code (str); a usage error when it can be neither."""
    if value is None:
        return None
    plain_text(ctx, param, value)
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return value
    if len(value) > 10 or int(value) > MAX_ID:
        raise click.BadParameter(f"'{value[:30]}' is too large for a workshop number; give the number or the join code "
                                 "the workshop page shows")
    return int(value)


@main.command()
@click.option("--workshop", "workshop_ref", metavar="CODE_OR_ID", callback=parse_workshop_ref,
              help="Export one workshop (its join code or number); default: every stored assessment.")
@click.option("--format", "output", type=click.Choice(["csv", "xlsx", "json", "pilots-csv"]), required=True,
              help="csv: one row per answer (--wide: per participant); xlsx: responses, aggregate, next steps "
                   "and pilots; json: a list of answers files; pilots-csv: one row per pilot of every register.")
@click.option("--wide", is_flag=True, help="CSV with one row per participant and a column per question.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@force_option
def export(workshop_ref: str | int | None, output: str, wide: bool, out: Path, force: bool) -> None:
    """Export stored assessments (or one workshop) as CSV, Excel or JSON; spreadsheet formulas neutralised."""
    from reports.export_sets import export_bytes, stored_export
    from storage import get_engine

    check_output(out, force=force)
    try:
        stored = stored_export(get_engine(), workshop_ref)
        data = export_bytes(stored, output, wide)
    except PhasegateError as exc:
        raise fail(exc) from None
    try:
        write_private(out, data)
    except OSError as exc:
        raise InputError(f"error: {out}: cannot write the export ({exc.strerror}); check the folder") from None
    for warning in stored.warnings:
        echo(f"warning: {warning}", err=True)
    echo(f"wrote {out} ({stored.responses} responses)", err=True)


@main.command()
@click.argument("answers", required=False, type=click.Path(dir_okay=False, path_type=Path), callback=regular_file)
@click.option("--workshop", "workshop_ref", metavar="CODE_OR_ID", callback=parse_workshop_ref,
              help="Read out a stored workshop (its join code or number) instead of an answers file.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The .pptx file to write.")
@click.option("--logo", type=click.Path(dir_okay=False, path_type=Path), callback=regular_file,
              help="PNG or JPEG logo (at most 2 MB); a workshop's own branding is used otherwise.")
@click.option("--prepared-by", default="", callback=plain_text, help="Consultant or firm named on the slides.")
@click.option("--color", default=None, metavar="HEX", callback=plain_text, help="Accent colour as #rrggbb.")
@questionnaire_option
@target_option
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date printed on the slides (YYYY-MM-DD); default today.")
@click.option("--benchmark", "with_benchmark", is_flag=True,
              help="For an answers file: add the benchmark against the configured database (a workshop has it "
                   "whenever at least 5 comparable organisations are stored).")
@language_option
@force_option
def readout(answers: Path | None, workshop_ref: str | int | None, out: Path, logo: Path | None, prepared_by: str,
            color: str | None, questionnaire_path: Path | None, targets: dict[str, int], date,
            with_benchmark: bool, language: str | None, force: bool) -> None:
    """Write the readout deck (PowerPoint, 8-12 slides of editable text and charts) of an answers file or a workshop."""
    click.get_current_context().with_resource(i18n.use(assessment_language(answers, language)))
    from reports.branding import Branding, branding_from_files

    if (answers is None) == (workshop_ref is None):
        raise click.UsageError("give either an answers file or --workshop CODE")
    if workshop_ref is not None and (questionnaire_path is not None or targets):
        raise click.UsageError("--questionnaire and --target apply to an answers file, not to --workshop")
    check_output(out, (answers, logo, questionnaire_path), force)
    generated = date.date() if date else datetime.date.today()
    branded = bool(prepared_by or color or logo)
    try:
        branding = branding_from_files(prepared_by, color, logo) if branded or answers is not None else None
        if answers is not None:
            data = answers_deck(answers, questionnaire_path, targets, branding or Branding(), generated, with_benchmark)
        else:
            data = stored_workshop_deck(workshop_ref, branding, generated)
    except PhasegateError as exc:
        raise fail(exc) from None
    try:
        write_private(out, data)
    except OSError as exc:
        raise InputError(f"error: {out}: cannot write the deck ({exc.strerror or exc}); check the folder") from None
    echo(f"wrote {out}", err=True)


def answers_deck(answers: Path, questionnaire_path: Path | None, targets: dict[str, int], branding, generated,
                 with_benchmark: bool) -> bytes:
    """The deck of one answers file (with the benchmark when asked for)."""
    from reports.deck import render_deck

    from storage.repository import check_response_text

    questionnaire = current_questionnaire(answers, questionnaire_path)
    check_response_text(read_answers(answers, questionnaire))  # a slide holds no control character
    result = load_scored(answers, questionnaire, targets)
    bench = file_benchmark(answers, questionnaire, result) if with_benchmark else None
    return render_deck(questionnaire, result, branding, benchmark=bench, generated=generated)


def stored_workshop_deck(workshop_ref: str | int, branding, generated) -> bytes:
    """The deck of a stored workshop, found by its number or join code."""
    from questionnaires.loader import find_questionnaire as find
    from reports.deck import DeckError, workshop_deck
    from storage import get_engine
    from storage import workshops as ws

    engine = get_engine()
    workshop = ws.get_workshop(engine, workshop_ref) if isinstance(workshop_ref, int) else ws.find_by_code(engine, workshop_ref)
    if workshop is None:
        raise DeckError(f"no workshop with the code or number '{workshop_ref}'; the dashboard shows both")
    return workshop_deck(engine, workshop, find, branding, generated=generated)


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path), callback=regular_file)
@click.option("--to", "to_version", required=True, metavar="VERSION", callback=plain_text,
              help="The questionnaire version to carry the answers to, e.g. 2.0.0.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of stdout.")
@force_option
def migrate(answers: Path, to_version: str, out: Path | None, force: bool) -> None:
    """Carry an answers file forward to a newer questionnaire version, keeping its comments and layout; list what
    changed or could not be carried, and mark each answer whose question changed meaning for confirmation."""
    from scoring.migrate import migrate_file

    if out:
        check_output(out, (answers,), force)
    try:
        carried, text = migrate_file(answers, to_version)
    except PhasegateError as exc:
        raise fail(exc) from None
    response, notes = carried.response, carried.notes
    if out:
        try:
            write_private(out, text)
        except OSError as exc:
            raise InputError(f"error: {out}: cannot write the answers ({exc.strerror or exc}); check the folder") from None
    else:
        echo(text, nl=False)
    for note in notes:
        echo(f"note: {note}", err=True)
    if out:
        echo(f"wrote {out} ({response.questionnaire} {response.questionnaire_version})", err=True)


@main.command()
@click.option("--older-than", "days", type=click.IntRange(0, 100_000), metavar="DAYS",
              help="Delete finished assessments and closed workshops whose last change is older than this.")
@click.option("--unfinished-older-than", "unfinished_days", type=click.IntRange(0, 100_000), metavar="DAYS",
              help="Delete unfinished self-assessments and never-closed workshops untouched for longer than this.")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@click.option("--yes", "-y", is_flag=True, help="Delete without asking (after saying what will go).")
def purge(days: int | None, unfinished_days: int | None, dry_run: bool, yes: bool) -> None:
    """Delete data past an age, with every answer: says what will go, then asks (or --yes)."""
    from storage import get_engine
    from storage import retention

    if days is None and unfinished_days is None:
        raise click.UsageError("give --older-than DAYS, --unfinished-older-than DAYS, or both")
    ages = {"unfinished_older_than_days": unfinished_days}
    try:
        engine = get_engine()
        preview = retention.purge_preview(engine, days, **ages)
        if dry_run:
            echo(f"would delete {preview}")
            return
        echo(f"will delete {preview}")
        if not yes and not confirmed("Delete them for good?"):
            raise InputError("error: nothing was deleted; answer y, or give --yes to delete without asking")
        echo(f"deleted {retention.purge(engine, days, **ages)}")
    except PhasegateError as exc:
        raise fail(exc) from None


def confirmed(question: str) -> bool:
    """The person's yes to a question on the terminal; no answer (no terminal, end of input) is a no."""
    try:
        return click.confirm(question, default=False, err=True)
    except click.Abort:
        return False


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The backup file to write (readable by its owner only).")
@force_option
def backup(out: Path, force: bool) -> None:
    """Write a consistent copy of the configured database, safe while the app runs: SQLite's online backup, or
    pg_dump for PostgreSQL."""
    from config import database_url
    from storage.backup import backup as write_backup

    check_output(out, force=force)
    try:
        kind = write_backup(database_url(), out)
    except PhasegateError as exc:
        raise fail(exc) from None
    echo(f"wrote {out} ({kind} backup)", err=True)


@main.command()
@click.argument("backup_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path), callback=regular_file)
@click.option("--force", is_flag=True, help="Replace the data the configured database already holds.")
def restore(backup_file: Path, force: bool) -> None:
    """Restore a file written by `backup` into the configured database, then bring it to this release's schema;
    a database that holds data is replaced only with --force. Stop the app first."""
    from config import database_url
    from storage.backup import restore as restore_backup

    if any(_same_file(backup_file, path) for path in database_files()):
        raise InputError(f"error: {backup_file}: is the configured database; give a backup file")
    try:
        restored = restore_backup(database_url(), backup_file, force)
    except PhasegateError as exc:
        raise fail(exc) from None
    before = restored.revision_before or "first release"
    migrated = "" if before == restored.revision_now else f", upgraded from {before}"
    echo(f"restored {backup_file} ({restored.kind} backup; database at {restored.revision_now}{migrated})", err=True)


@main.group()
def db() -> None:
    """The database's schema version: upgrade it, or show it."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the configured database to the newest schema (the app does this when it starts)."""
    from config import database_url
    from storage import schema
    from storage.engine import StorageError, connect, unreachable, writing

    url = database_url()
    try:
        before, after = schema.upgrade(connect(url), writing)
    except StorageError as exc:
        raise fail(exc) from None
    except Exception as exc:  # noqa: BLE001 - a database that is down or unwritable, whatever the driver raises
        raise InputError(f"error: {unreachable(url, exc)}") from None
    echo(f"database at {after}" if before == after else f"database upgraded from {before or 'empty'} to {after}")


@db.command("current")
def db_current() -> None:
    """Print the schema revision the configured database is at, and the newest one."""
    from config import database_url
    from storage import schema
    from storage.engine import StorageError, connect, unreachable

    url = database_url()
    try:
        revision = schema.current(connect(url))
    except StorageError as exc:
        raise fail(exc) from None
    except Exception as exc:  # noqa: BLE001 - a database that is down or unwritable, whatever the driver raises
        raise InputError(f"error: {unreachable(url, exc)}") from None
    state = "up to date" if revision == schema.head() else f"newest is {schema.head()}; run: python cli.py db upgrade"
    echo(f"{revision or 'none (empty, or made by the first release)'} ({state})")


@db.command("rescore")
def db_rescore() -> None:
    """Score again the stored summaries that a new questionnaire version or scoring rules left stale, and those
    missing (the app does this when it needs them; large databases are quicker here)."""
    from storage import get_engine, summaries

    try:
        engine = get_engine()
        found = summaries.stale(engine, summaries.library_find)
        if not len(found):
            echo("every stored summary is up to date")
            return
        total = len(found)
        scored = summaries.rescore(engine, summaries.library_find, found, rescore_progress(total))
    except PhasegateError as exc:
        raise fail(exc) from None
    if sys.stderr.isatty():
        echo("", err=True)
    echo(f"scored {scored:,} of {total:,} stored summaries again" + ("" if scored == total else
         f"; {total - scored:,} changed meanwhile or could not be read, and are scored when first needed"))


def rescore_progress(total: int):
    """A progress line on stderr: rewritten in place on a terminal (every 1 %), a line every 10 % otherwise."""
    live = sys.stderr.isatty()
    step = max(1, total // (100 if live else 10))

    def show(seen: int, _total: int) -> None:
        if seen % step == 0 or seen == total:
            line = f"scoring stored summaries: {seen:,} of {total:,}"
            click.echo(f"\r{line}" if live else line, err=True, nl=not live)

    return show


if __name__ == "__main__":
    sys.exit(main())
