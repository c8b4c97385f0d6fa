"""The report as HTML: a view of the scored result, rendered by Jinja2 with autoescape on."""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import (Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context,
                    select_autoescape)
from markupsafe import Markup

import i18n
from i18n import gettext as _
from questionnaires.compiled import cache_folder, read_private, write_private
from questionnaires.models import Question, Questionnaire
from reports import charts
from reports.branding import Branding
from reports.text import printable
from scoring.answers import answer_label
from scoring.compare import Comparison, TrendPoint, compared_text, since_text
from scoring.progress import BAR_NOTE, progress_sentence
from scoring.engine import LOW_CONFIDENCE, DomainResult, QuestionResult, Result, Step, critical_names, join_names
from scoring.headline import bar_words
from scoring.narrative import DURATION_MONTHS, after_text, narrate, pilot_brief
from scoring.pilots import PilotMetrics, format_money, triage_rules, verdict_counts
from scoring.words import quoted
from scoring.steps import (DEADLINE_FACTOR, EXPOSURE_FACTOR, HORIZONS, IMPACT_FACTORS, LATER_FACTOR, LIMITING_BOOST,
                           PHASE_FACTORS, PILOT_WEIGHT, TRIAGE_AT, now_capacity, owner_title)

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
MAX_SHOWN_NAME = 200
ROADMAP_STEPS_PER_PHASE = 5  # the roadmap is one picture: short enough to share a page with the end of the plan
TOP_STEPS = 5
PLAN_STEPS = 15  # steps the executive report lists (Now, then the head of Next); the full report lists every one
MATRIX_NAMED = 10  # steps the executive report's effort and impact matrix names; later ones are given by rank
REGISTER_ROWS = 12  # the risk register's rows in the executive report, most severe first; the full report has them all
WORKED_STEPS = 3  # steps whose priority arithmetic the methodology page spells out
SHOWN_ANSWERS = 3
TREND_FROM = 3  # assessments in a series before a trend line says more than "before and now"
REFERENCE_TITLE = "From pilot purgatory to production power: enterprise AI adoption in 2026"
REFERENCE_CITATION = (f"“{REFERENCE_TITLE}”, an industry article on taking AI from pilot to production (2026)")
"""The article the pilot reference figures come from, as reports cite it (`reference_citation` in the language of
the moment)."""


def reference_citation() -> str:
    """The article the pilot reference figures come from, in the language of the moment (its title as published)."""
    return _("{title}, an industry article on taking AI from pilot to production (2026)").format(
        title=quoted(REFERENCE_TITLE))
STATUS_TEXT = {
    "attained": "Attained",
    "not_attained": "Not attained",
    "not_applicable": "Does not apply",
    "unknown": "Unknown (all don't know)",
    "not_answered": "Not answered",
}


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment, built once per process; autoescape is on for every template."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        extensions=TEMPLATE_EXTENSIONS,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=printable,
        bytecode_cache=template_cache(),
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    env.globals.update(_=gettext_printable, gettext=gettext_printable, ngettext=ngettext_printable)
    env.globals["pgettext"] = i18n.pgettext
    env.filters["pct"] = pct
    env.filters["num"] = num
    env.filters["figure"] = figure
    env.filters["shorten"] = shorten
    env.filters["signed"] = lambda value, digits=1: "–" if value is None else f"{value:+.{digits}f}".replace("-", "−")
    return env


TEMPLATE_EXTENSIONS = ["jinja2.ext.i18n"]
# Compiled templates depend on the extensions and on gettext's style as well as on their source: both are in the
# cache files' names, so a change of either never loads code compiled for the other.
TEMPLATE_SETUP = "i18n-newstyle"


def pct(value: float | None) -> str:
    """A share as a percentage in the report's language: 42% in English, 42 % in German."""
    if value is None:
        return "–"
    return f"{value:.0%}" if i18n.current() == i18n.SOURCE else i18n.percent(value)


def num(value: float | None, digits: int = 1) -> str:
    """A figure with `digits` decimals in the report's language: 2.3 in English, 2,3 in German."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}" if i18n.current() == i18n.SOURCE else i18n.number(value, digits)


def figure(value: float, english: str | None = None):
    """A factor, count or age in the report's language: in English as it is (or in the `english` %-format),
    14,5 in German."""
    if i18n.current() == i18n.SOURCE:
        return value if english is None else english % value
    return i18n.number(value)


@pass_context
def gettext_printable(context, message: str, **variables) -> str:
    """`_()` in a template: the message in the report's language with its named placeholders filled, each value
    printed as any other (`reports.text.printable`: control characters shown, never obeyed) and escaped."""
    text = i18n.gettext(message)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % {name: printable(value) for name, value in variables.items()}


@pass_context
def ngettext_printable(context, singular: str, plural: str, count: int, **variables) -> str:
    """`ngettext()` in a template: as `gettext_printable`, the form chosen by `count` (also %(num)s)."""
    text = i18n.ngettext(singular, plural, count)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    variables.setdefault("num", count)
    return text % {name: printable(value) for name, value in variables.items()}


def long_date(day: dt.date) -> str:
    """The report's date: 4 December 2026 in English, 4. Dezember 2026 in German."""
    return i18n.date(day)


class PrivateBytecodeCache(FileSystemBytecodeCache):
    """Compiled templates kept in the cache folder, read only from files this user alone could have written;
    Jinja2 compiles them again when a template's source changes."""

    def load_bytecode(self, bucket) -> None:
        content = read_private(Path(self._get_cache_filename(bucket)))
        if content is not None:
            bucket.bytecode_from_string(content)

    def dump_bytecode(self, bucket) -> None:
        write_private(Path(self._get_cache_filename(bucket)), bucket.bytecode_to_string())  # False only costs speed


def template_cache() -> PrivateBytecodeCache | None:
    """The compiled templates' cache (compiling them costs a fifth of a second of every cold report), or None
    when the cache folder cannot be used."""
    folder = cache_folder("templates")
    return (PrivateBytecodeCache(str(folder), f"__jinja2_%s.{TEMPLATE_SETUP}.cache") if folder is not None
            else None)


@lru_cache(maxsize=1)
def stylesheet() -> Markup:
    """Our own print stylesheet, inlined so a saved HTML report looks the same as the PDF."""
    return Markup((TEMPLATES / "report.css").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def language_stylesheet() -> Markup:
    """The rules a report in another language than English adds to the stylesheet (longer words, hyphenation)."""
    return Markup((TEMPLATES / "languages.css").read_text(encoding="utf-8"))


def shorten(text: str, limit: int = MAX_SHOWN_NAME) -> str:
    """Text cut to `limit` characters with an ellipsis (for names in headers and titles)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class AnswerView:
    """One question as the report shows it: text, the answer's label, score and note."""

    question: Question
    result: QuestionResult
    answer: str
    domain: str

    @property
    def score(self) -> float | None:
        return self.result.score

    @property
    def note(self) -> str:
        return self.result.note


@dataclass(frozen=True)
class DomainView:
    """One domain section: its result, description, best and worst answers, notes."""

    result: DomainResult
    description: str
    strongest: tuple[AnswerView, ...]
    weakest: tuple[AnswerView, ...]
    notes: tuple[AnswerView, ...]
    answers: tuple[AnswerView, ...]
    unknowns: int
    limiting: bool
    steps: tuple[Step, ...]


def render_html(questionnaire: Questionnaire, result: Result, branding: Branding | None = None, *,
                workshop=None, generated: dt.date | None = None, chart_images: dict[str, str] | None = None,
                progress: Comparison | None = None, series: Sequence[TrendPoint] = (), full: bool = False,
                inline_css: bool = True, benchmark=None) -> str:
    """The report as one HTML document (styles inlined, charts as data: URIs); with `progress`, the
    section on what moved since the baseline, and the trend over `series` (every assessment, oldest first);
    `full` lists every step and adds the appendix of every question and answer. Without `inline_css` the
    stylesheet is left out (the PDF renderer brings it, parsed once: `reports.pdf.compiled_stylesheet`)."""
    context = report_context(questionnaire, result, branding, workshop=workshop, generated=generated, full=full)
    if not inline_css:
        context["css"] = Markup("")
    context["progress_line"] = progress_sentence(progress) if progress is not None else ""
    context["charts"] = chart_images if chart_images is not None else chart_uris(result, context["brand"].color)
    context["progress"] = progress_view(questionnaire, progress, series)
    context["benchmark"] = _benchmark_view(benchmark, context["brand"].color)
    if progress is not None and "progress" not in context["charts"]:
        context["charts"] = {**context["charts"], **progress_chart_uris(progress, series, context["brand"].color)}
    return environment().get_template("report.html.j2").render(context)


def _benchmark_view(benchmark, accent: str) -> dict | None:
    """The benchmark section's content (`reports.benchmark`), or None when there is no benchmark to show."""
    if benchmark is None:
        return None
    from reports.benchmark import benchmark_view  # here for start-up time: it imports Altair, which a report need not

    return benchmark_view(benchmark, accent)


def progress_view(questionnaire: Questionnaire, comparison: Comparison | None, series: Sequence[TrendPoint] = ()) -> dict | None:
    """The progress section's content: title, what was compared, domains, steps completed, new gaps, trend."""
    if comparison is None:
        return None
    names = {d.id: d.name for d in questionnaire.domains}
    return {
        "title": since_text(comparison.baseline_date, comparison.baseline_kind),
        "pilots": [pilot_figure_row(f) for f in comparison.pilots],
        "note": compared_text(comparison),
        "sentence": progress_sentence(comparison),
        "bar_note": BAR_NOTE,
        "c": comparison,
        "phase_before": questionnaire.phase(comparison.phase_before).name,
        "phase_now": questionnaire.phase(comparison.phase_now).name,
        "closed": [(step, names.get(step.domain, step.domain)) for step in comparison.closed_steps],
        "gaps": [(gap, names.get(gap.domain, gap.domain)) for gap in comparison.new_gaps],
        "trend": list(series) if len(series) >= TREND_FROM else [],
    }


def pilot_figure_row(figure) -> dict:
    """One pilot figure before and now as printed: counts as they are, shares as percentages, the change signed."""
    def shown(value):
        if value is None:
            return "–"
        return f"{value:.0%}" if figure.share else f"{value:g}"

    change = figure.change
    if change is None:
        moved = "–"
    elif figure.share:
        moved = f"{change * 100:+.0f} points".replace("-", "−")
    else:
        moved = f"{change:+g}".replace("-", "−")
    return {"figure": figure.label, "before": shown(figure.before), "now": shown(figure.now), "change": moved}


def progress_chart_uris(comparison: Comparison, series: Sequence[TrendPoint], accent: str) -> dict[str, str]:
    """The progress charts as SVG `data:` URIs: before and now per domain, and the trend over a series."""
    specs = progress_specs(comparison, series, accent)
    return dict(zip(specs, map(charts.svg_uri, specs_svg(list(specs.values())))))


def progress_specs(comparison: Comparison, series: Sequence[TrendPoint], accent: str) -> dict[str, dict]:
    """The progress charts' specs by name: before and now per domain, and the trend over a series."""
    specs = {"progress": charts.progress_chart(comparison, accent).to_dict()}
    if len(series) >= TREND_FROM:
        specs["trend"] = charts.trend_chart(series, accent).to_dict()
    return specs


def document_specs(result: Result, accent: str = charts.DEFAULT_ACCENT) -> dict[str, dict]:
    """The charts a report document draws: the deck's, less the effort and impact matrix, which the document
    gives as a table (`matrix_cells`)."""
    return {name: spec for name, spec in charts.report_specs(result, accent).items() if name != "matrix"}


def chart_uris(result: Result, accent: str = charts.DEFAULT_ACCENT) -> dict[str, str]:
    """The report's charts as SVG `data:` URIs, keyed by stable chart name."""
    specs = document_specs(result, accent)
    return dict(zip(specs, map(charts.svg_uri, specs_svg(list(specs.values())))))


def chart_futures(result: Result, accent: str = charts.DEFAULT_ACCENT, progress: Comparison | None = None,
                  series: Sequence[TrendPoint] = ()) -> dict[str, Future]:
    """The report's charts (and the progress charts, with `progress`) being converted now, in the background; each
    future yields an SVG document. The PDF renderer lays out the text meanwhile and picks them up when it gets there."""
    specs = document_specs(result, accent)
    if progress is not None:
        specs.update(progress_specs(progress, series, accent))
    return dict(zip(specs, svg_futures(list(specs.values()))))


CHART_THREADS = 4
KEPT_CHARTS = 64


def specs_svg(specs: Sequence[dict]) -> list[str]:
    """Vega-Lite specs as SVG documents (see `svg_futures`)."""
    return [future.result() for future in svg_futures(specs)]


def svg_futures(specs: Sequence[dict]) -> list[Future]:
    """Vega-Lite specs being converted to SVG in the background (in the command's chart process when it has one,
    `reports.converter`: the converter keeps Python's lock while it converts in this process), and
    remembered: the executive and the full report, or a second render after a change of wording, share them."""
    keys = [json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str) for spec in specs]
    found = []
    with _svgs_lock:
        for key, spec in zip(keys, specs):
            future = _svgs.pop(key, None)  # put back below, as the most recently used
            if future is None:
                future = _chart_threads().submit(charts.spec_svg, spec)
                future.add_done_callback(functools.partial(_forget_failed, key))
            _svgs[key] = future
            found.append(future)
        while len(_svgs) > KEPT_CHARTS:
            _svgs.pop(next(iter(_svgs)))
    return found


_svgs: dict[str, Future] = {}
_svgs_lock = threading.RLock()


def _forget_failed(key: str, future: Future) -> None:
    if future.exception() is not None:  # never remember a failure: the next report tries again
        with _svgs_lock:
            if _svgs.get(key) is future:
                del _svgs[key]


@lru_cache(maxsize=1)
def _chart_threads() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=CHART_THREADS, thread_name_prefix="chart")


@dataclass(frozen=True)
class MatrixCell:
    """One effort × impact cell of the plan: its steps by rank and name, then the ranks of the others in it."""

    named: tuple[str, ...]
    ranks: str  # '17, 22 and 31': steps this report does not list by name; '' when none


MATRIX_EFFORTS = {"S": "Small effort (S)", "M": "Medium effort (M)", "L": "Large effort (L)"}
MATRIX_IMPACTS = {3: "High impact (3)", 2: "Medium impact (2)", 1: "Low impact (1)"}


def matrix_cells(steps: Sequence[Step], named: int | None = None) -> list[tuple[str, list[MatrixCell]]]:
    """The effort × impact matrix as a table a person can read on any screen and on paper: per impact, high first,
    one cell per effort listing its steps as '4. Title' in rank order; with `named`, steps ranked after it are
    given by rank alone."""
    rows = []
    for impact, label in MATRIX_IMPACTS.items():
        cells = []
        for effort in MATRIX_EFFORTS:
            inside = [s for s in steps if s.impact == impact and s.effort == effort]
            shown = [s for s in inside if named is None or s.rank <= named]
            rest = [str(s.rank) for s in inside if s not in shown]
            cells.append(MatrixCell(tuple(f"{s.rank}. {s.title}" for s in shown), join_names(rest)))
        rows.append((_(label), cells))
    return rows


def report_context(questionnaire: Questionnaire, result: Result, branding: Branding | None = None, *,
                   workshop=None, generated: dt.date | None = None, full: bool = False) -> dict:
    """Everything the template needs, computed here so the template only lays out (`full`: the full report, which
    lists every step; the executive report lists the first PLAN_STEPS)."""
    brand = branding or Branding()
    generated = generated or dt.date.today()
    questionnaire = questionnaire.for_size(result.size)  # each question as the organisation was asked it
    answers = {q.id: _answer_view(questionnaire, q, result) for q in questionnaire.questions}
    names = {d.id: d.name for d in result.domains}
    story = narrate(questionnaire, result)
    return {
        "q": questionnaire,
        "r": result,
        "brand": brand,
        "logo": Markup(brand.logo_uri()) if brand.logo else None,
        "css": stylesheet(),
        "language_css": language_stylesheet(),
        "workshop": workshop,
        "organisation": shorten(result.organisation or _("Unnamed organisation")),
        "generated": generated,
        "generated_text": long_date(generated),
        "phases": _phase_track(questionnaire, result),
        "limiting": join_names([names[d] for d in result.overall.limiting_domains]),
        "low_confidence": result.overall.confidence < LOW_CONFIDENCE,
        "low_confidence_limit": LOW_CONFIDENCE,
        "top_steps": result.actions[:TOP_STEPS],
        "story": story,
        "progress_line": "",
        "phase_label": phase_label(result),
        "after": {s.question: after_text(s, result.actions) for s in result.actions},
        "worked_steps": result.actions[:WORKED_STEPS],
        "matrix": matrix_cells(result.actions, None if full else MATRIX_NAMED),
        "matrix_efforts": [_(label) for label in MATRIX_EFFORTS.values()],
        "register_rows": story.register if full else story.register[:REGISTER_ROWS],
        "register_more": 0 if full else max(0, len(story.register) - REGISTER_ROWS),
        "asks": {qid: owner_title(questionnaire, questionnaire.question(qid).action.owner, result.size,
                                  result.profile.get("business_model"))
                 if questionnaire.question(qid).action else "" for qid in result.unknowns},
        "domain_names": names,
        "domains": [_domain_view(questionnaire, d, result, answers) for d in result.domains],
        "bars": {d.id: bar_words(d) for d in result.domains},
        "roadmap_limit": ROADMAP_STEPS_PER_PHASE,
        "unknowns": [answers[qid] for qid in result.unknowns],
        "method": _method(questionnaire),
        "pilots": pilot_view(result.pilots, result.actions),
        "status_text": {status: _(text) for status, text in STATUS_TEXT.items()},
        "phase_cell": phase_cell,
        "full": full,
        **plan_view(result.actions, full),
        "roadmap": _roadmap(questionnaire, result, plan_steps(result.actions, full)),
        "notes_words": notes_words(workshop is not None),
        "citation": reference_citation(),
        "language": i18n.current(),
    }


NOTES_WORDS = {
    False: {"quotes": "In the respondent's words", "notes": "Evidence notes from the respondent"},
    True: {"quotes": "In the room's agreed words", "notes": "The room's agreed notes"},
}


def notes_words(workshop: bool) -> dict[str, str]:
    """Whose notes a report quotes: a workshop's are the notes the room agreed with its consensus answers, a
    self-assessment's are the respondent's own."""
    return {key: _(words) for key, words in NOTES_WORDS[workshop].items()}


PHASE_CELL = {"attained": "{pct} · attained", "not_attained": "{pct} of {bar}", "not_applicable": "does not apply",
              "unknown": "unknown (all don't know)", "not_answered": "not answered"}


def phase_cell(phase) -> str:
    """One phase of a domain in a word or two: '75% · attained', '45% of 70%', 'does not apply'."""
    pattern = _(PHASE_CELL[phase.status]) if phase.status in PHASE_CELL else "{pct}"
    return pattern.format(pct=pct(phase.attainment), bar=pct(phase.threshold))


def phase_label(result: Result) -> str:
    """'Phase 2 of 4 · Build the Foundation', or 'All four phases achieved' once they are (critical gaps closed)."""
    if result.overall.complete:
        return _("All four phases achieved")
    return _("Phase {number} of 4 · {name}").format(number=result.overall.phase, name=result.overall.phase_name)


def plan_steps(steps: Sequence[Step], full: bool) -> tuple[Step, ...]:
    """The steps a report lists: every one in the full report; in the executive report every step of Now, then the
    head of Next, PLAN_STEPS in all (ranks run through Now, Next and Later, so these are the first ranks)."""
    if full:
        return tuple(steps)
    now = sum(1 for s in steps if s.horizon == "now")
    return tuple(steps[:max(PLAN_STEPS, now)])


def plan_view(steps: Sequence[Step], full: bool) -> dict:
    """The plan's tables: the Now steps; per horizon its key, label, the steps listed and how many it holds in all;
    how many steps the full report adds."""
    shown = plan_steps(steps, full)
    return {
        "now_steps": [s for s in shown if s.horizon == "now"],
        "horizons": [(key, label, [s for s in shown if s.horizon == key], sum(1 for s in steps if s.horizon == key))
                     for key, label in HORIZONS.items()],
        "listed_ranks": {s.rank for s in shown},
        "further_steps": len(steps) - len(shown),
    }


VERDICT_TEXT = {"stop": "Stop", "merge": "Merge", "fix": "Fix", "scale": "Scale", "continue": "Continue", None: "–"}


def pilot_view(metrics: PilotMetrics | None, steps: Sequence[Step] = ()) -> dict | None:
    """The pilot portfolio section: the brief, the triage rows and the methodology's rules (the template lays
    out the figures beside the reference from `m`)."""
    if metrics is None:
        return None
    waiting = [(metrics.domain_names.get(d, d), n) for d, n in
               sorted(metrics.blocked_domains.items(), key=lambda pair: -pair[1])]
    return {
        "m": metrics,
        "brief": pilot_brief(metrics, tuple(steps)),
        "items": [{"item": item, "stage": metrics.stage_labels.get(item.stage, item.stage),
                   "verdict": verdict_text(item.verdict)} for item in metrics.items],
        "verdicts": {verdict_text(v): n for v, n in metrics.verdicts().items() if n},
        "decisions": verdict_counts(metrics),
        "value_waiting": format_money(metrics.value_waiting, metrics.currency),
        "waiting": waiting,
        "waiting_text": ", ".join(f"{name} {count}" for name, count in waiting),
        "source": reference_citation(),
        "rules": triage_rules(metrics.stuck_after_months),
    }


def verdict_text(verdict: str | None) -> str:
    """A pilot's verdict as a report names it: Stop, Merge, Fix, Scale, Continue, or – for none."""
    text = VERDICT_TEXT.get(verdict, verdict)
    return i18n.pgettext("verdict", text) if verdict in VERDICT_TEXT and verdict is not None else text


def shown_answer(questionnaire: Questionnaire, question: Question, result: QuestionResult) -> str:
    """The answer as the report's appendix shows it: its label, or that the question was not asked."""
    if not result.visible:
        return _("Not asked (skipped by an earlier answer)")
    return answer_label(questionnaire, question, result.value)


def _answer_view(questionnaire: Questionnaire, question: Question, result: Result) -> AnswerView:
    qr = result.questions[question.id]
    return AnswerView(question, qr, shown_answer(questionnaire, question, qr), result.domain(question.domain).name)


def _domain_view(questionnaire: Questionnaire, domain: DomainResult, result: Result, answers: dict) -> DomainView:
    mine = tuple(answers[q.id] for q in questionnaire.questions if q.domain == domain.id)
    scored = sorted((a for a in mine if a.result.visible and a.score is not None), key=lambda a: -a.score)
    split = min(SHOWN_ANSWERS, (len(scored) + 1) // 2)
    best = [a for a in scored[:split] if a.score > 0]
    worst = [a for a in reversed(scored[split:]) if a.score < 1][:SHOWN_ANSWERS]
    return DomainView(
        result=domain,
        description=questionnaire.domain(domain.id).description,
        strongest=tuple(best),
        weakest=tuple(worst),
        notes=tuple(a for a in mine if a.note.strip()),
        answers=mine,
        unknowns=sum(1 for a in mine if a.result.visible and a.result.dont_know),
        limiting=domain.id in result.overall.limiting_domains,
        steps=tuple(s for s in result.actions if s.domain == domain.id)[:SHOWN_ANSWERS],
    )


def _phase_track(questionnaire: Questionnaire, result: Result) -> list[dict]:
    """The four phases with the organisation's state in each: done, current or ahead."""
    overall = result.overall
    track = []
    for phase in questionnaire.roadmap.phases:
        if phase.number <= overall.achieved:
            state = "done"
        elif phase.number == overall.phase and not overall.complete:
            state = "current"
        else:
            state = "ahead"
        track.append({"phase": phase, "state": state})
    return track


def _roadmap(questionnaire: Questionnaire, result: Result, listed: Sequence[Step]) -> list[dict]:
    """The four phases with the report's listed steps placed in the phase their practice belongs to, at most
    ROADMAP_STEPS_PER_PHASE each; `more` counts the phase's other steps (listed further on, or in the full report)."""
    columns = []
    for item in _phase_track(questionnaire, result):
        number = item["phase"].number
        steps = [s for s in listed if s.phase == number][:ROADMAP_STEPS_PER_PHASE]
        total = sum(1 for s in result.actions if s.phase == number)
        columns.append({**item, "steps": steps, "more": total - len(steps), "total": total})
    return columns


def method_page(questionnaire: Questionnaire) -> str:
    """The report's method page ("How the scoring works") on its own, for the docs: the full report's wording,
    the pilot rules included when the questionnaire has a pilot register."""
    pilots = questionnaire.pilots
    return environment().get_template("method.html.j2").render(
        q=questionnaire, method=_method(questionnaire), citation=reference_citation(), full=True, worked_steps=(),
        pilots={"m": {"stuck_after_months": pilots.stuck_after_months}, "rules": triage_rules(pilots.stuck_after_months)} if pilots else None)


def _method(questionnaire: Questionnaire) -> dict:
    thresholds = sorted({p.threshold for p in questionnaire.roadmap.phases})
    return {
        "thresholds": thresholds,
        "same_threshold": len(thresholds) == 1,
        "now": PHASE_FACTORS[0],
        "next": PHASE_FACTORS[1],
        "later": LATER_FACTOR,
        "boost": LIMITING_BOOST,
        "low_confidence": LOW_CONFIDENCE,
        "horizons": HORIZONS,
        "capacity": now_capacity(),
        "impact": IMPACT_FACTORS,
        "durations": DURATION_MONTHS,
        "pilot_weight": PILOT_WEIGHT,
        "exposure": figure(EXPOSURE_FACTOR, "%g"),
        "deadline": figure(DEADLINE_FACTOR, "%g"),
        "triage_at": TRIAGE_AT,
        "critical": critical_names(questionnaire, tuple(q.id for q in questionnaire.questions if q.critical)),
    }
