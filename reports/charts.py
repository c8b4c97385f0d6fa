"""Altair chart specs over a scored Result: the same charts serve the app and the PDF."""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import os
import re
import threading
from functools import lru_cache, wraps
from pathlib import Path

from markupsafe import Markup

import i18n
from i18n import _
from questionnaires.compiled import cache_folder, read_private, write_private
from scoring.compare import change_text, shown_index
from scoring.engine import Result
from scoring.steps import HORIZONS
from scoring.words import N_, decimal, share


class _Altair:
    """The `altair` module, imported when a chart is first built rather than with this module, for start-up time:
    a report whose chart structures are in the disk cache (`_spec_cached`) never needs it."""

    def __getattr__(self, name: str):
        import altair

        return getattr(altair, name)


alt = _Altair()

FONT = "DejaVu Sans"
INK = "#1d2733"
MUTED = "#6b7785"
GRID = "#e3e7ec"
DEFAULT_ACCENT = "#1f5f8b"
WIDTH = 470
TICK_ROOM = {"left": 5, "top": 5, "bottom": 5, "right": 14}


def _themed(chart: alt.Chart, description: str) -> alt.Chart:
    """Quiet typography and no chart border, in the report's font; read out as one image described by
    `description` (what the chart shows; its numbers are in the caption or table beside it). Set on the chart given,
    which every caller has just built: Altair's `configure_*` methods would copy the whole chart once each."""
    chart = _one_image(chart)
    chart.description = description
    chart.config = alt.Config(
        font=FONT, view=alt.ViewConfig(stroke=None),
        axis=alt.AxisConfig(labelColor=INK, titleColor=MUTED, labelFontSize=11, titleFontSize=10,
                            titleFontWeight="normal", gridColor=GRID, domainColor=GRID, tickColor=GRID),
        legend=alt.LegendConfig(labelFontSize=10, titleFontSize=10, titleColor=MUTED, labelColor=INK))
    return chart


def _one_image(chart: alt.Chart) -> alt.Chart:
    """Hide the marks from screen readers, which read the chart's description and axes instead: a layer left
    empty by its data (no disputed answers, no links between steps) would otherwise be an unnamed image."""
    for layer in getattr(chart, "layer", None) or [chart]:
        mark = layer.mark
        layer.mark = alt.MarkDef(type=mark, aria=False) if isinstance(mark, str) else alt.MarkDef(
            **{**mark.to_dict(), "aria": False})
    return chart


def _domain_rows(result: Result) -> list[dict]:
    return [
        {
            "domain": d.name,
            "index": round(d.index, 2) if d.assessed else 0.0,
            "label": decimal(d.index) if d.assessed else _("not assessed"),
            "target": d.target,
            "status": _(DOMAIN_STATES["limiting" if d.id in result.overall.limiting_domains
                                     else "assessed" if d.assessed else "not_assessed"]),
        }
        for d in result.domains
    ]


# A bar's colour by its domain's state, in the legend's order.
DOMAIN_STATES = {"assessed": N_("Assessed"), "limiting": N_("Limiting"), "not_assessed": N_("Not assessed")}


def _per_language(build):
    """A chart structure built once per key and language of the moment, in the edition of its catalogues (its
    titles, axes and legends are in it)."""
    @lru_cache(maxsize=32)
    def built(language: str, edition: str, *key):
        with i18n.use(language):
            return build(*key)

    @wraps(build)
    def in_language(*key):
        language = i18n.current()
        return built(language, i18n.edition(language), *key)

    in_language.cache_clear = built.cache_clear
    return in_language


def domain_chart(result: Result, accent: str = DEFAULT_ACCENT) -> alt.Chart:
    """Each domain's maturity index (0-4) as a bar, with its target phase as a tick."""
    return _domain_base(_domain_names(result), accent).properties(datasets={"domains": _domain_rows(result)})


@_per_language
def _domain_base(order: tuple[str, ...], accent: str) -> alt.LayerChart:
    height = max(60, 30 * len(order))
    y = alt.Y("domain:N", sort=list(order), title=None, axis=alt.Axis(labelLimit=160, ticks=False, domain=False))
    base = alt.Chart(alt.NamedData(name="domains")).encode(y=y)
    bars = base.mark_bar(height=16, cornerRadiusEnd=2).encode(
        x=alt.X("index:Q", scale=alt.Scale(domain=[0, 4]), title=_("Maturity index (phases completed)"),
                axis=alt.Axis(values=[0, 1, 2, 3, 4], format="d", grid=True)),
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=[_(state) for state in DOMAIN_STATES.values()],
                                        range=[accent, "#c2562d", "#b8c0c8"]),
                        legend=alt.Legend(orient="bottom", symbolType="square")),
    )
    targets = base.mark_tick(thickness=3, size=26, color=INK).encode(x=alt.X("target:Q"))
    labels = base.mark_text(align="left", dx=6, fontSize=11, color=INK).encode(x=alt.X("index:Q"), text=alt.Text("label:N"))
    # Room right of the axis's end, so a target tick at phase 4 is drawn whole on a narrow screen too.
    return _themed(alt.layer(bars, targets, labels).properties(width=WIDTH, height=height, padding=TICK_ROOM, title=alt.Title(
        _("Index per domain; the dark tick marks the target phase"), fontSize=11, color=MUTED, fontWeight="normal", anchor="start")),
        _("Bar chart: each domain's maturity index from 0 to 4, with a tick at its target phase"))


def _heat_rows(result: Result) -> list[dict]:
    rows = []
    for d in result.domains:
        for p in d.phases:
            rows.append({
                "domain": d.name,
                "phase": f"{p.number} {p.name}",
                "attainment": p.attainment,
                "label": _cell_label(p.attainment, p.status, p.attained),
                "dark": p.attainment is not None and p.attainment >= 0.6,
            })
    return rows


def _cell_label(attainment: float | None, status: str, attained: bool) -> str:
    if status == "not_applicable":
        return _("n/a")
    if status == "unknown":
        return _("unknown")
    if attainment is None:
        return "–"
    return share(attainment) + (" ✓" if attained else "")


def heatmap(result: Result) -> alt.Chart:
    """Domain × phase attainment; ✓ marks a phase at or above its threshold."""
    return _heat_base(_domain_names(result), _phase_names(result)).properties(datasets=_heat_data(result))


def _heat_data(result: Result) -> dict:
    heads = [{"phase": p, "number": _("Phase {number}").format(number=p.split(" ", 1)[0]), "name": p.split(" ", 1)[1]}
             for p in _phase_names(result)]
    return {"cells": _heat_rows(result), "heads": heads}


@_per_language
def _heat_base(domains: tuple[str, ...], phases: tuple[str, ...]) -> alt.LayerChart:
    domains, phases = list(domains), list(phases)
    base = alt.Chart(alt.NamedData(name="cells")).encode(
        x=alt.X("phase:N", sort=phases, title=None, axis=alt.Axis(orient="top", labels=False, ticks=False, domain=False)),
        y=alt.Y("domain:N", sort=domains, title=None, axis=alt.Axis(labelLimit=160, ticks=False, domain=False)),
    )
    # Column headers as text marks: "Phase 1" over the phase name, so long names fit.
    heads = alt.Chart(alt.NamedData(name="heads")).encode(x=alt.X("phase:N", sort=phases))
    numbers = heads.mark_text(y=-24, fontSize=10, fontWeight="bold", color=INK).encode(text=alt.Text("number:N"))
    # A phase name is cut to its column's width (an ellipsis on a phone), so neighbours never run into each other.
    names = heads.mark_text(y=-10, fontSize=9, color=MUTED, limit=alt.ExprRef(f"width / {len(phases)} - 6")).encode(
        text=alt.Text("name:N"))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("attainment:Q", title=_("Attainment"), scale=alt.Scale(domain=[0, 1], scheme="blues"),
                        legend=None),
    )
    nulls = base.mark_rect(stroke="white", strokeWidth=2, color="#eef1f4").transform_filter("datum.attainment === null")
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("label:N"),
        color=alt.condition("datum.dark", alt.value("white"), alt.value(INK)),
    )
    return _themed(alt.layer(nulls, cells, text, numbers, names).properties(width=WIDTH, height=max(60, 30 * len(domains))),
                   _("Heatmap: how much of each phase's practice is in place, domain by domain, in per cent"))


def chart_svg(chart: alt.Chart) -> str:
    """The chart as an SVG document (text escaped by Vega)."""
    return spec_svg(chart.to_dict())


def spec_svg(spec: dict) -> str:
    """A Vega-Lite spec as an SVG document, the same bytes for the same spec: from the disk cache when this spec was
    drawn before, else converted and kept there. Starting the converter costs about 0.4 s of CPU in a new process,
    so a chart drawn before (the executive and the full report, a report rendered again) never starts it."""
    entry = _svg_entry(spec)
    svg = _read_svg(entry) if entry is not None else None
    if svg is None:
        svg = converted_svg(spec)
        if entry is not None:
            _write_svg(entry, svg)
    return svg


def converted_svg(spec: dict) -> str:
    """A Vega-Lite spec converted to an SVG document now (`drawn_svg`): by the command's chart process when it has
    one (`reports.converter`), else by the converter in this process (started on its first use)."""
    from reports.converter import ChartProcessError, current

    process = current()
    if process is not None:
        try:
            return _stable_ids(drawn_svg(spec, process.convert))
        except ChartProcessError:
            pass  # converted here instead, which raises what the spec itself gets wrong
    return _stable_ids(drawn_svg(spec, convert_here))


# One conversion at a time in a process. The converter holds a lock of its own while it converts, and holds Python's
# lock too, except while Python code runs in its midst: a garbage collection it sets off runs finalizers and
# callbacks, which may hand Python's lock to another thread. Had that thread gone into the converter, it would wait
# for the converter's lock while holding Python's, and the first could never take Python's back: the report would
# wait for ever. A thread waiting here lets go of Python's lock.
CONVERTER_LOCK = threading.Lock()


def convert_here(spec: dict, kind: str = "vegalite"):
    """What the chart process gives for `spec` and `kind` (`reports.converter.CONVERSIONS`), done in this process."""
    import vl_convert

    from reports.converter import CONVERSIONS

    with CONVERTER_LOCK:
        return getattr(vl_convert, CONVERSIONS[kind])(spec)


def drawn_svg(spec: dict, convert) -> str:
    """A Vega-Lite spec as an SVG document by `convert(spec, kind)`. A spec whose data comes in named datasets (a
    chart structure filled in per report) is drawn as its structure compiled to Vega (`compiled_vega`) with the
    data put back: Vega-Lite compiles a named dataset to a Vega data entry of the same name and never reads the
    values, so the document is the same, and the converter loads Vega-Lite (about 0.08 s of CPU in a new process)
    only for a structure it has not compiled before. Any other spec is drawn as Vega-Lite."""
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict) or not datasets:
        return convert(spec, "vegalite")
    vega = compiled_vega({**spec, "datasets": {name: [] for name in datasets}}, convert)
    data = [{**entry, "values": datasets[entry["name"]]} if entry.get("name") in datasets else entry
            for entry in vega["data"]]
    return convert({**vega, "data": data}, "vega")


VEGA_FOLDER = "vega"
KEPT_VEGA = 100  # a few hundred KB each at most: the structures of the last few dozen reports


def compiled_vega(structure: dict, convert) -> dict:
    """A chart structure (its datasets empty) compiled to Vega by `convert`: from the cache folder when it was
    compiled before by the same code and converter, else compiled now and kept there."""
    folder = cache_folder(VEGA_FOLDER)
    entry = folder / f"{_digest(structure)}.json" if folder is not None else None
    kept = _read_vega(entry) if entry is not None else None
    if kept is not None:
        return kept
    vega = convert(structure, "compile")
    if entry is not None and write_private(entry, json.dumps(vega).encode()):
        _keep_newest(entry.parent, "*.json", KEPT_VEGA)
    return vega


def _read_vega(entry: Path) -> dict | None:
    """A kept compiled structure, marked as just used; None when missing or damaged (then it is compiled again)."""
    content = read_private(entry)
    try:
        vega = json.loads(content) if content is not None else None
    except ValueError:
        return None
    if not isinstance(vega, dict) or not isinstance(vega.get("data"), list) or not all(
            isinstance(item, dict) for item in vega["data"]):
        return None
    try:
        os.utime(entry)
    except OSError:
        return None
    return vega


SVG_FOLDER = "svg"
KEPT_SVGS = 300  # about 15 KB each: the charts of the last hundred reports or so


def _svg_entry(spec: dict) -> Path | None:
    """Where the SVG of `spec` is kept: named by the spec, this module's code and the converter's version."""
    folder = cache_folder(SVG_FOLDER)
    if folder is None:
        return None
    return folder / f"{_digest(spec)}.svg"


def _digest(spec: dict) -> str:
    """A spec's name in the cache: the spec with this module's code and the converter's version."""
    digest = hashlib.sha256(f"{drawing_version()}:".encode())
    digest.update(json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str).encode())
    return digest.hexdigest()


def drawing_version() -> str:
    """What a drawn chart depends on besides its spec: this module's code, Altair's and the converter's versions."""
    import vl_convert  # the module alone; its engine starts only on a first conversion

    return f"{spec_fingerprint()}:{vl_convert.__version__}"


def _read_svg(entry: Path) -> str | None:
    """A kept SVG document, marked as just used; None when missing or damaged (then it is converted again)."""
    content = read_private(entry)
    if content is None or not content.startswith(b"<svg") or not content.rstrip().endswith(b"</svg>"):
        return None
    try:
        os.utime(entry)
        return content.decode()
    except (OSError, UnicodeDecodeError):
        return None


def _write_svg(entry: Path, svg: str) -> None:
    """Keep an SVG document, and only the KEPT_SVGS most recently used; a failure only costs speed."""
    if write_private(entry, svg.encode()):
        _keep_newest(entry.parent, "*.svg", KEPT_SVGS)


def _keep_newest(folder: Path, pattern: str, count: int) -> None:
    """Remove all but the `count` most recently used entries matching `pattern`."""
    try:
        kept = sorted(folder.glob(pattern), key=lambda path: path.stat().st_mtime_ns, reverse=True)
    except OSError:  # another process removed one meanwhile; the next write tidies up
        return
    for older in kept[count:]:
        older.unlink(missing_ok=True)


def _stable_ids(svg: str) -> str:
    # Vega numbers clip paths with a process-wide counter; renumber them per document.
    numbers: dict[str, str] = {}
    return re.sub(r"\bclip\d+\b", lambda m: numbers.setdefault(m.group(), f"clip{len(numbers) + 1}"), svg)


def report_specs(result: Result, accent: str = DEFAULT_ACCENT) -> dict[str, dict]:
    """The report's chart specs by stable name; the same charts as above, with the
    Altair structure built once per questionnaire and only the data filled in per report."""
    return {
        "domains": {**_spec(_domain_base, _domain_names(result), accent), "datasets": {"domains": _domain_rows(result)}},
        "heatmap": {**_spec(_heat_base, _domain_names(result), _phase_names(result)), "datasets": _heat_data(result)},
        **plan_specs(result, accent),
        **({"funnel": pilot_funnel_spec(result.pilots, accent)} if result.pilots is not None else {}),
    }


def plan_specs(result: Result, accent: str = DEFAULT_ACCENT) -> dict[str, dict]:
    """The plan's charts by stable name: the effort/impact matrix and the timeline (none without steps)."""
    if not result.actions:
        return {}
    from scoring.narrative import timeline

    bars, links = _timeline_rows(timeline(result.actions))
    return {
        "matrix": {**_spec(_matrix_base, accent), "datasets": {"steps": _matrix_rows(result.actions)}},
        "timeline": {**_spec(_timeline_base, tuple(b["step"] for b in bars), accent),
                     "datasets": {"bars": bars, "links": links, "months": _months(bars)}},
    }


@lru_cache(maxsize=64)
def _spec_cached(build, language: str, edition: str, *key) -> str:
    """A chart structure as JSON: from memory, else from the disk cache, else built by Altair and stored there (the
    structure depends only on `key` and the language of its titles, in the `edition` of its catalogues, so a cold
    process fills in its data without importing Altair, and an edited catalogue is drawn anew)."""
    folder = cache_folder(SPEC_FOLDER)
    name = _entry_name(build, (language, edition, *key))
    entry = folder / f"{spec_fingerprint()[:16]}-{name}.json" if folder is not None else None
    text = _read_spec(entry) if entry is not None else None
    if text is None:
        with i18n.use(language):
            text = json.dumps(build(*key).to_dict())
        if entry is not None:
            _write_spec(entry, text)
    return text


def _spec(build, *key) -> dict:
    """A chart structure in the language of the moment, its data still to fill in."""
    language = i18n.current()
    return json.loads(_spec_cached(build, language, i18n.edition(language), *key))


SPEC_FOLDER = "charts"


@lru_cache(maxsize=1)
def spec_fingerprint() -> str:
    """What a cached chart structure depends on besides its key: the code that builds it and Altair's version."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(importlib.metadata.version("altair").encode())
    return digest.hexdigest()


def _entry_name(build, key: tuple) -> str:
    return hashlib.sha256(json.dumps([build.__name__, *key]).encode()).hexdigest()


def _read_spec(entry: Path) -> str | None:
    """The cached structure's JSON, or None when it is missing or damaged (then it is built and written again)."""
    content = read_private(entry)
    try:
        return content.decode() if content is not None and isinstance(json.loads(content), dict) else None
    except ValueError:
        return None


def _write_spec(entry: Path, text: str) -> None:
    """Store a structure and drop those of older code or another Altair; a failure only costs speed."""
    if write_private(entry, text.encode()):
        fingerprint = entry.name.split("-", 1)[0]
        for older in entry.parent.glob("*.json"):
            if older.name.split("-", 1)[0] != fingerprint:
                older.unlink(missing_ok=True)


def _domain_names(result: Result) -> tuple[str, ...]:
    return tuple(d.name for d in result.domains)


def _phase_names(result: Result) -> tuple[str, ...]:
    return tuple(f"{p.number} {p.name}" for p in result.domains[0].phases) if result.domains else ()


# --- progress since a baseline -------------------------------------------------------------

BEFORE = "#b8c0c8"


def progress_chart(comparison, accent: str = DEFAULT_ACCENT) -> alt.LayerChart:
    """Each domain's index before (grey) and now (accent, with its change as printed in the report), side by side;
    a `scoring.compare.Comparison`."""
    rows = []
    before, now = _("Before"), _("Now")
    for d in comparison.domains:
        for when, index in ((before, d.index_before), (now, d.index_now)):
            shown = shown_index(index)
            label = _("not assessed") if shown is None else decimal(shown)
            if when == now and d.change is not None:
                label += f" ({_change(d.change)})"
            rows.append({"domain": d.name, "when": when, "index": round(index, 2) if index is not None else 0.0,
                         "label": label})
    order = [d.name for d in comparison.domains]
    y = alt.Y("domain:N", sort=order, title=None, axis=alt.Axis(labelLimit=160, ticks=False, domain=False))
    base = alt.Chart(alt.Data(values=rows)).encode(y=y, yOffset=alt.YOffset("when:N", sort=[before, now]))
    bars = base.mark_bar(height=11, cornerRadiusEnd=2).encode(
        x=alt.X("index:Q", scale=alt.Scale(domain=[0, 4]), title=_("Maturity index (phases completed)"),
                axis=alt.Axis(values=[0, 1, 2, 3, 4], format="d", grid=True)),
        color=alt.Color("when:N", title=None, scale=alt.Scale(domain=[before, now], range=[BEFORE, accent]),
                        legend=alt.Legend(orient="bottom", symbolType="square")),
    )
    labels = base.mark_text(align="left", dx=5, fontSize=9, color=INK).encode(x=alt.X("index:Q"), text=alt.Text("label:N"))
    return _themed(alt.layer(bars, labels).properties(width=WIDTH, height=max(80, 34 * len(order)), title=alt.Title(
        _("Index per domain, before and now"), fontSize=11, color=MUTED, fontWeight="normal", anchor="start")),
        _("Bar chart: each domain's maturity index from 0 to 4 at the earlier assessment and now"))


def _change(change: float) -> str:
    """A change of index as the report prints it: '+0.1', '−0.3' ('+0,1' in German)."""
    text = change_text(change)
    return text if i18n.current() == i18n.SOURCE else text.replace(".", ",")


def trend_chart(points, accent: str = DEFAULT_ACCENT) -> alt.LayerChart:
    """The overall index of every assessment in a series, oldest first; `scoring.compare.TrendPoint`s."""
    rows = [{"order": number, "when": _when(point.date, number), "index": round(point.index, 2),
             "label": decimal(point.index)} for number, point in enumerate(points, start=1)]
    x = alt.X("when:N", sort=[row["when"] for row in rows], title=None, axis=alt.Axis(labelAngle=0, ticks=False))
    base = alt.Chart(alt.Data(values=rows)).encode(x=x, y=alt.Y(
        "index:Q", scale=alt.Scale(domain=[0, 4]), title=_("Overall maturity index"),
        axis=alt.Axis(values=[0, 1, 2, 3, 4], format="d", grid=True)))
    line = base.mark_line(color=accent, strokeWidth=2)
    dots = base.mark_point(color=accent, filled=True, size=60)
    labels = base.mark_text(dy=-10, fontSize=10, color=INK).encode(text=alt.Text("label:N"))
    return _themed(alt.layer(line, dots, labels).properties(width=WIDTH, height=110, title=alt.Title(
        _("Overall index at each assessment"), fontSize=11, color=MUTED, fontWeight="normal", anchor="start")),
        _("Line chart: the overall maturity index from 0 to 4 at each assessment, oldest first"))


def _when(date, number: int) -> str:
    """A point's label: its date, or its place in the series when the date is unknown."""
    if not date:
        return _("Assessment {number}").format(number=number)
    return f"{date.day} {date:%b %Y}" if i18n.current() == i18n.SOURCE else i18n.date(date, "medium")


# --- the plan: effort/impact matrix and timeline ------------------------------------------

EFFORTS = ("S", "M", "L")
EFFORT_LABELS = (N_("Small (S)"), N_("Medium (M)"), N_("Large (L)"))
HORIZON_NAMES = HORIZONS  # 'Now (0–3 months)', ... in the language of the moment
LATER = "#c9d0d7"
CELL_COLUMNS = 6


def horizon_colours(accent: str) -> dict:
    """Now in the accent colour, Next in a lighter tint of it, Later in grey."""
    return {"domain": list(HORIZON_NAMES.values()), "range": [accent, _tint(accent, 0.45), LATER]}


def _tint(colour: str, amount: float) -> str:
    """The colour mixed with white by `amount` (0: unchanged, 1: white)."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in (red, green, blue))


def _matrix_rows(steps) -> list[dict]:
    """One point per step, spread on a small grid inside its effort × impact cell, in rank order."""
    cells: dict[tuple, list] = {}
    for step in steps:
        cells.setdefault((step.effort, step.impact), []).append(step)
    rows = []
    for (effort, impact), members in cells.items():
        columns = min(len(members), CELL_COLUMNS)
        lines = -(-len(members) // columns)
        pitch = min(0.22, 0.8 / max(lines, 1))
        for place, step in enumerate(members):
            rows.append({
                "x": EFFORTS.index(effort) + (place % columns - (columns - 1) / 2) * 0.13,
                "y": impact + ((lines - 1) / 2 - place // columns) * pitch,
                "rank": str(step.rank), "title": step.title, "horizon": HORIZON_NAMES[step.horizon],
                "light": step.horizon == "later",
            })
    return sorted(rows, key=lambda row: int(row["rank"]))


def matrix_chart(steps, accent: str = DEFAULT_ACCENT) -> alt.LayerChart:
    """Every step by effort (S, M, L) and impact (1-3), labelled by rank and coloured by horizon."""
    return _matrix_base(accent).properties(datasets={"steps": _matrix_rows(steps)})


@_per_language
def _matrix_base(accent: str) -> alt.LayerChart:
    efforts = [_(label) for label in EFFORT_LABELS]
    impacts = ["", _("1 · low"), "2", _("3 · high")]
    x = alt.X("x:Q", scale=alt.Scale(domain=[-0.5, 2.5]), title=_("Effort"),
              axis=alt.Axis(values=[0, 1, 2], labelExpr=f"{json.dumps(efforts)}[datum.value]", grid=False,
                            ticks=False))
    y = alt.Y("y:Q", scale=alt.Scale(domain=[0.5, 3.5]), title=_("Impact"),
              axis=alt.Axis(values=[1, 2, 3], labelExpr=f"{json.dumps(impacts)}[datum.value]", grid=False,
                            ticks=False))
    base = alt.Chart(alt.NamedData(name="steps")).encode(x=x, y=y)
    dots = base.mark_circle(size=260, opacity=1).encode(
        color=alt.Color("horizon:N", title=None, scale=alt.Scale(**horizon_colours(accent)),
                        legend=alt.Legend(orient="bottom", symbolType="circle")),
        tooltip=[alt.Tooltip("rank:N"), alt.Tooltip("title:N"), alt.Tooltip("horizon:N")])
    ranks = base.mark_text(fontSize=8, fontWeight="bold").encode(
        text=alt.Text("rank:N"), color=alt.condition("datum.light", alt.value(INK), alt.value("white")))
    lines = [{"at": at} for at in (0.5, 1.5)]
    columns = alt.Chart(alt.Data(values=lines)).mark_rule(color=GRID).encode(x=alt.X("at:Q"))
    rows = alt.Chart(alt.Data(values=[{"at": at + 1} for at in (0.5, 1.5)])).mark_rule(color=GRID).encode(y=alt.Y("at:Q"))
    corner = alt.Chart(alt.Data(values=[{"x": -0.46, "y": 3.44, "text": _("Quick wins")}])).mark_text(
        align="left", baseline="top", fontSize=9, color=MUTED, fontStyle="italic").encode(x=alt.X("x:Q"), y=alt.Y("y:Q"), text=alt.Text("text:N"))
    return _themed(alt.layer(columns, rows, corner, dots, ranks).properties(width=WIDTH, height=260, title=alt.Title(
        _("Every step by effort and impact; numbers are ranks"), fontSize=11, color=MUTED, fontWeight="normal",
        anchor="start")), _("Matrix: every step of the plan placed by its effort (small, medium, large) and its "
                            "impact (1 to 3), numbered by rank and coloured by horizon"))


def _timeline_rows(slots) -> tuple[list[dict], list[dict]]:
    label = {s.step.rank: fitted(f"{s.step.rank}. {s.step.title}", TIMELINE_LABEL_LIMIT, TIMELINE_LABEL_SIZE)
             for s in slots}
    bars = [{"step": label[s.step.rank], "rank": s.step.rank, "start": s.start, "end": s.end,
             "horizon": HORIZON_NAMES[s.step.horizon],
             "after": _("after {ranks}").format(ranks=", ".join(str(r) for r in s.after)) if s.after else ""}
            for s in slots]
    ends = {s.step.rank: s.end for s in slots}
    # Each dependency as a two-point line, from the end of the step required to the start of the one waiting.
    links = [point for s in slots for r in s.after if r in label
             for point in ({"link": f"{r}-{s.step.rank}", "step": label[r], "x": ends[r]},
                           {"link": f"{r}-{s.step.rank}", "step": label[s.step.rank], "x": s.start})]
    return bars, links


TIMELINE_LABEL_LIMIT = 290  # pixels
TIMELINE_LABEL_SIZE = 9


def fitted(text: str, limit: float, size: float) -> str:
    """Text cut with an ellipsis to `limit` pixels in the chart font, as Vega's labelLimit cuts it. Done here, once:
    Vega's own cut measures a long label over and over, half the timeline's conversion time. Unchanged when the
    font file cannot be found (Vega then cuts it)."""
    font = _label_font(size)
    if font is None or font.getlength(text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle] + "…") <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"


@lru_cache(maxsize=4)
def _label_font(size: float):
    from PIL import ImageFont

    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return None


def timeline_chart(slots, accent: str = DEFAULT_ACCENT) -> alt.LayerChart:
    """A Gantt-style chart: Now and Next steps in months, each after the steps it requires."""
    bars, links = _timeline_rows(slots)
    return _timeline_base(tuple(b["step"] for b in bars), accent).properties(
        datasets={"bars": bars, "links": links, "months": _months(bars)})


def _months(bars: list[dict]) -> list[dict]:
    """The ends of Now and Next, drawn as dashed lines (which also keep nine months in view)."""
    return [{"month": 3}, {"month": 9}]


@_per_language
def _timeline_base(order: tuple[str, ...], accent: str) -> alt.LayerChart:
    y = alt.Y("step:N", sort=list(order), title=None, axis=alt.Axis(
        labelLimit=TIMELINE_LABEL_LIMIT, ticks=False, domain=False, labelFontSize=TIMELINE_LABEL_SIZE))
    x = alt.X("start:Q", title=_("Months from the start of the plan"), scale=alt.Scale(domainMin=0, nice=False),
              axis=alt.Axis(tickMinStep=1, format="d", grid=True))
    base = alt.Chart(alt.NamedData(name="bars"))
    spans = base.mark_bar(height=11, cornerRadius=2).encode(
        y=y, x=x, x2=alt.X2("end:Q"),
        color=alt.Color("horizon:N", title=None, scale=alt.Scale(
            domain=list(HORIZON_NAMES.values())[:2], range=horizon_colours(accent)["range"][:2]),
            legend=alt.Legend(orient="bottom", symbolType="square")))
    after = base.mark_text(align="left", dx=4, fontSize=8, color=MUTED).encode(y=y, x=alt.X("end:Q"), text=alt.Text("after:N"))
    links = alt.Chart(alt.NamedData(name="links")).mark_line(color=INK, strokeWidth=0.8, strokeDash=[2, 2]).encode(
        x=alt.X("x:Q"), y=y, detail=alt.Detail("link:N"))
    months = alt.Chart(alt.NamedData(name="months")).mark_rule(color=MUTED, strokeDash=[4, 3]).encode(x=alt.X("month:Q"))
    return _themed(alt.layer(months, spans, links, after).properties(
        width=270, height=max(60, 17 * len(order)), title=alt.Title(
            _("Now and Next in months; dotted lines lead from a step to the one that waits for it"), fontSize=11,
            color=MUTED, fontWeight="normal", anchor="start")),
        _("Timeline: when each Now and Next step runs, in months from the start of the plan"))


# --- the pilot portfolio ------------------------------------------------------------------

STUCK = "#c2562d"
FUNNEL_PARTS = (N_("Stuck here"), N_("At this stage"), N_("Went further"))
STOPPED = N_("Stopped")


def _funnel_rows(metrics) -> list[dict]:
    """One row per funnel stage and part: pilots stuck at the stage, the others at it, and those that went
    further (so each bar is the pilots that got at least this far); stopped pilots get one bar of their own."""
    kinds = metrics.stage_kinds or {stage: "active" for stage in metrics.by_stage}
    months = metrics.stuck_after_months
    stuck_at: dict[str, int] = {}
    for item in metrics.items:
        if kinds.get(item.stage) == "active" and item.age_months > months:
            stuck_at[item.stage] = stuck_at.get(item.stage, 0) + 1
    funnel = [stage for stage in metrics.by_stage if kinds.get(stage) != "stopped"]
    rows = []
    for place, stage in enumerate(funnel):
        here = metrics.by_stage.get(stage, 0)
        further = sum(metrics.by_stage.get(later, 0) for later in funnel[place + 1:])
        stuck = stuck_at.get(stage, 0)
        label = (_("{here} here, {stuck} stuck") if stuck else _("{here} here")).format(here=here, stuck=stuck)
        if further:
            label = _("{label} · {count} got this far").format(label=label, count=here + further)
        rows.extend(_parts(metrics.stage_labels.get(stage, stage), (stuck, here - stuck, further), label))
    for stage in metrics.by_stage:
        if kinds.get(stage) == "stopped" and metrics.by_stage[stage]:
            rows.extend(_parts(metrics.stage_labels.get(stage, stage), (0, 0, 0), "", stopped=metrics.by_stage[stage]))
    return rows


def _parts(stage: str, counts: tuple[int, int, int], label: str, stopped: int = 0) -> list[dict]:
    total = sum(counts) + stopped
    rows = [{"stage": stage, "part": _(part), "order": order, "count": count, "total": total, "label": ""}
            for order, (part, count) in enumerate(zip(FUNNEL_PARTS, counts)) if count]
    if stopped:
        rows.append({"stage": stage, "part": _(STOPPED), "order": 3, "count": stopped, "total": total, "label": ""})
    if rows:
        rows[0]["label"] = label or _("{count} stopped").format(count=total)
    else:
        rows.append({"stage": stage, "part": _(FUNNEL_PARTS[1]), "order": 1, "count": 0, "total": 0,
                     "label": _("{here} here").format(here=0)})
    return rows


def pilot_funnel(metrics, accent: str = DEFAULT_ACCENT) -> alt.LayerChart:
    """The pilot funnel of a `scoring.pilots.PilotMetrics`: one bar per stage, as long as the pilots that got at
    least that far, split into those stuck at the stage, the others at it and those that went further; stopped
    pilots last, in grey."""
    rows = _funnel_rows(metrics)
    order = tuple(dict.fromkeys(row["stage"] for row in rows))
    return _funnel_base(order, accent, metrics.stuck_after_months).properties(datasets={"funnel": rows})


def pilot_funnel_spec(metrics, accent: str = DEFAULT_ACCENT) -> dict:
    """The funnel as a Vega-Lite spec, the structure built once per stage list."""
    rows = _funnel_rows(metrics)
    order = tuple(dict.fromkeys(row["stage"] for row in rows))
    return {**_spec(_funnel_base, order, accent, metrics.stuck_after_months), "datasets": {"funnel": rows}}


@_per_language
def _funnel_base(order: tuple[str, ...], accent: str, months: int) -> alt.LayerChart:
    y = alt.Y("stage:N", sort=list(order), title=None, axis=alt.Axis(labelLimit=160, ticks=False, domain=False))
    base = alt.Chart(alt.NamedData(name="funnel")).encode(y=y)
    parts = [_(part) for part in (*FUNNEL_PARTS, STOPPED)]
    stuck = _("Stuck here (active over {months} months)").format(months=months)
    bars = base.mark_bar(height=16).encode(
        x=alt.X("count:Q", stack="zero", title=_("Pilots"), axis=alt.Axis(tickMinStep=1, format="d", grid=True)),
        color=alt.Color("part:N", title=None, sort=parts, scale=alt.Scale(
            domain=parts, range=[STUCK, accent, _tint(accent, 0.6), "#b8c0c8"]),
            legend=alt.Legend(orient="bottom", symbolType="square", labelLimit=260, labelExpr=(
                f"datum.label == {json.dumps(parts[0])} ? {json.dumps(stuck)} : datum.label"))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("stage:N"), alt.Tooltip("part:N"), alt.Tooltip("count:Q")],
    )
    labels = base.transform_filter("datum.label != ''").mark_text(
        align="left", dx=6, fontSize=10, color=INK).encode(x=alt.X("total:Q"), text=alt.Text("label:N"))
    return _themed(alt.layer(bars, labels).properties(width=WIDTH - 90, height=max(60, 28 * len(order)), title=alt.Title(
        _("Pilots by stage; each bar counts the pilots that got at least this far"), fontSize=11, color=MUTED,
        fontWeight="normal", anchor="start")),
        _("Bar chart: how many pilots got at least as far as each stage, split into stuck, at the stage and further"))


def svg_uri(svg: str) -> str:
    """An SVG document as a base64 `data:` URI (Markup: base64 cannot carry markup, and must not be rewrapped)."""
    return Markup("data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii"))
