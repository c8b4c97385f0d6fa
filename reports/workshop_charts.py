"""Workshop charts (Altair, shared by the dashboard, the presenter view and the PDF), the words around them, the
presenter view's join panel (code and QR code), and the report's workshop view.

Row heights are steps (`alt.Step`), not a total height: a chart then grows with its rows wherever it is drawn,
and the app cannot squeeze the rows of a chart into one line to fit a legend.

Every word here is in the language of the moment (`i18n.use`): the dashboard, the presenter view and the workshop PDF
speak the workshop's engagement language; what people typed (roles, notes, the client's name) stays as it was typed.
"""

from __future__ import annotations

import datetime as dt
import html

import json

import altair as alt
import pyphen

import i18n
from i18n import _, ngettext
from questionnaires.errors import PhasegateError
from questionnaires.models import Questionnaire
from reports.branding import Branding
from reports.charts import DEFAULT_ACCENT, INK, MUTED, WIDTH, _label_font, _themed, chart_svg
from scoring.engine import Result
from scoring.answers import DONT_KNOW, NA, answer_label
from scoring.workshop import (
    EXECUTIVE,
    GAP_FLAG,
    GAP_MIN_FINISHED,
    PRACTITIONER,
    CONFIDENCE_METHOD,
    METHOD,
    SOURCE_CONSENSUS,
    SOURCE_MEDIAN,
    QuestionStats,
    WorkshopResult,
)
from scoring.words import N_, decimal, share

GAP_COLOURS = ["#f3f5f7", "#1f5f8b"]
TOP_DISAGREEMENTS = 15
ROLE_COLOURS = ["#1f5f8b", "#c2562d", "#3f8f5a", "#8a5fb0", "#c99a2e", "#4aa3b8", "#7a6a58", "#d46a9a"]
# Kept in English here and translated where shown (`_(COMPLETE_MEANING)`).
COMPLETE_TEXT = N_("Complete: all four phases achieved")
COMPLETE_MEANING = N_("A complete domain has achieved all four phases; it has no working phase left and adds no step "
                      "to the plan.")
ROLE_GROUPS = {EXECUTIVE: N_("executive"), PRACTITIONER: N_("practitioner")}  # a role's group, as a label names it
SPECIAL_ANSWERS = {DONT_KNOW: N_("Don't know"), NA: N_("Not applicable"), None: N_("Not answered")}


def counted(n: int, word: str, plural: str | None = None) -> str:
    """'1 answer', '3 answers', '0 answers' (`plural` for irregular words: 'person', 'people'). English only: the
    words of this module say a count with `ngettext`."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def room_answer(value, label: str) -> str:
    """An answer of the room as the language of the moment names it: "don't know", "not applicable" and no answer in
    that language, an option by its label (the questionnaire's, already in that language)."""
    special = SPECIAL_ANSWERS.get(value) if value is None or isinstance(value, str) else None
    return _(special) if special else label


def finished_of(finished: int, joined: int) -> str:
    """'2 of 3 finished' (a role's bar, the room in words, the presenter's room)."""
    return _("{finished} of {joined} finished").format(finished=finished, joined=joined)


def _count_axis(most: int) -> alt.Axis:
    """Whole-number ticks only: with few people Vega would otherwise tick at 0.5 and print it as 1."""
    if most <= 10:
        return alt.Axis(format="d", values=list(range(most + 1)))
    return alt.Axis(format="d", tickMinStep=1)


def participation_chart(workshop: WorkshopResult, accent: str = DEFAULT_ACCENT) -> alt.Chart:
    """Participants per role: joined, and how many of them finished."""
    rows = []
    finished, waiting = _("Finished"), _("Still answering")
    for count in workshop.participation:
        if count.joined:
            rows.append({"role": count.role, "state": finished, "people": count.finished, "position": 0})
            rows.append({"role": count.role, "state": waiting, "people": count.joined - count.finished,
                         "position": 1})
    order = [c.role for c in workshop.participation if c.joined]
    totals = [{"role": c.role, "joined": c.joined, "label": finished_of(c.finished, c.joined)}
              for c in workshop.participation if c.joined]
    most = max((c.joined for c in workshop.participation), default=0)
    y = alt.Y("role:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=200, ticks=False, domain=False, labelFontSize=12))
    bars = alt.Chart(alt.Data(values=rows)).mark_bar(height=16).encode(
        y=y,
        x=alt.X("people:Q", stack="zero", title=_("Participants"),
                scale=alt.Scale(domain=[0, max(most, 1) * 1.35]), axis=_count_axis(most)),
        color=alt.Color("state:N", title=None, scale=alt.Scale(domain=[finished, waiting], range=[accent, "#b8c0c8"]),
                        legend=alt.Legend(orient="top", symbolType="square", labelFontSize=11)),
        order=alt.Order("position:Q", sort="ascending"),  # finished first, whatever the words' alphabetical order
        tooltip=[alt.Tooltip("role:N"), alt.Tooltip("state:N"), alt.Tooltip("people:Q")],
    )
    labels = alt.Chart(alt.Data(values=totals)).mark_text(align="left", dx=6, fontSize=11, color=INK).encode(
        y=alt.Y("role:N", sort=order), x=alt.X("joined:Q"), text=alt.Text("label:N"))
    return _themed(alt.layer(bars, labels).properties(width=WIDTH, height=alt.Step(28)),
                   _("Bar chart: participants per role, those who finished and those still answering"))


def spread_chart(workshop: WorkshopResult, accent: str = DEFAULT_ACCENT) -> alt.Chart:
    """Per domain, participants' indices: full range, middle half, median, and the workshop's own index."""
    rows = []
    workshop_index = {d.id: d.index for d in workshop.result.domains}
    for s in workshop.domain_spreads:
        if s.n:
            rows.append({"domain": s.name, "min": s.min, "q1": s.q1, "median": s.median, "q3": s.q3, "max": s.max,
                         "n": s.n, "workshop": workshop_index.get(s.domain)})
    order = [s.name for s in workshop.domain_spreads]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("domain:N", sort=order, title=None, axis=alt.Axis(labelLimit=160, ticks=False, domain=False)))
    scale = alt.Scale(domain=[0, 4])
    axis = alt.Axis(values=[0, 1, 2, 3, 4], format="d", grid=True)
    whisker = base.mark_rule(color=MUTED).encode(x=alt.X("min:Q", scale=scale, axis=axis, title=_("Participants' maturity index (0–4)")), x2=alt.X2("max:Q"))
    box = base.mark_bar(height=14, color=accent, opacity=0.35).encode(x=alt.X("q1:Q"), x2=alt.X2("q3:Q"))
    median = base.mark_tick(thickness=2.5, size=18, color=accent).encode(x=alt.X("median:Q"))
    own = base.mark_point(shape="diamond", filled=True, size=70, color=INK).encode(
        x=alt.X("workshop:Q"), tooltip=[alt.Tooltip("domain:N"), alt.Tooltip("n:Q"), alt.Tooltip("min:Q"), alt.Tooltip("median:Q"), alt.Tooltip("max:Q"), alt.Tooltip("workshop:Q")])
    title = alt.Title(_("Line: lowest to highest · box: middle half · tick: median · ◆ workshop result"),
                      fontSize=11, color=MUTED, fontWeight="normal", anchor="start")
    return _themed(alt.layer(whisker, box, median, own).properties(width=WIDTH, height=alt.Step(30), title=title),
                   _("Box plot: per domain, the spread of participants' maturity indices and the workshop's result"))


def role_label(role) -> str:
    """A role as the heatmap, the tables and the deck name it: 'Data & AI (practitioner)', and a role whose name
    already says its group once only: 'Executive', not 'Executive (executive)'."""
    if not role.group or role.group in role.name.casefold():
        return role.name
    return _("{role} ({group})").format(role=role.name, group=_(ROLE_GROUPS.get(role.group, role.group)))


def gap_rows(workshop: WorkshopResult) -> list[dict]:
    """Heatmap cells: average index per role (with participants) and domain, plus the overall index."""
    rows = []
    roles = [r for r in workshop.roles if any(c.role == r.name and c.joined for c in workshop.participation)]
    for role in roles:
        for gap in workshop.role_gaps:
            rows.append(_gap_cell(role_label(role), gap.name, gap.by_role.get(role.name)))
        rows.append(_gap_cell(role_label(role), _("Overall"), workshop.overall_by_role.get(role.name)))
    return rows


def _gap_cell(role: str, domain: str, value: float | None) -> dict:
    return {"role": role, "domain": domain, "index": value, "label": "–" if value is None else decimal(value),
            "dark": value is not None and value >= 2.4}


def participation_text(workshop: WorkshopResult) -> str:
    """The participation chart in words: 'Executive: 2 of 3 finished · Data & AI: 4 of 4 finished'."""
    counts = [c for c in workshop.participation if c.joined]
    if not counts:
        return _("Nobody has joined yet.")
    return " · ".join(f"{c.role}: {finished_of(c.finished, c.joined)}" for c in counts)


def gap_text(workshop: WorkshopResult) -> str:
    """The perception heatmap in words, one role at a time: 'Executive: Data 2.1, Governance 1.5, Overall 1.8'."""
    by_role: dict[str, list[str]] = {}
    for cell in gap_rows(workshop):
        by_role.setdefault(cell["role"], []).append(f"{cell['domain']} {cell['label']}")
    if not by_role:
        return _("No answers yet.")
    return " · ".join(f"{role}: {', '.join(cells)}" for role, cells in by_role.items())


def gap_heatmap(workshop: WorkshopResult, accent: str = DEFAULT_ACCENT) -> alt.Chart:
    """Perception by role: each role's average index per domain (0–4)."""
    rows = gap_rows(workshop)
    roles = list(dict.fromkeys(r["role"] for r in rows))
    domains = [g.name for g in workshop.role_gaps] + [_("Overall")]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("domain:N", sort=domains, title=None, axis=alt.Axis(
            orient="top", labelAngle=0, ticks=False, domain=False, labelLimit=GAP_COLUMN,
            **two_line_labels(domains, GAP_COLUMN, 11))),
        y=alt.Y("role:N", sort=roles, title=None, axis=alt.Axis(ticks=False, domain=False, labelLimit=200)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("index:Q", scale=alt.Scale(domain=[0, 4], range=[GAP_COLOURS[0], accent]), legend=None),
        tooltip=[alt.Tooltip("role:N"), alt.Tooltip("domain:N"), alt.Tooltip("label:N")],
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("label:N"), color=alt.condition("datum.dark", alt.value("white"), alt.value(INK)))
    width = min(WIDTH + 60, GAP_COLUMN * len(domains))
    return _themed(alt.layer(cells, text).properties(width=width, height=alt.Step(28)),
                   _("Heatmap: each role's average maturity index per domain, from 0 to 4"))


GAP_COLUMN = 84  # pixels per domain in the perception heatmap
LINE_HEIGHT = 13  # pixels between the lines of a two-line heading


def two_line_labels(labels: list[str], limit: float, size: float) -> dict:
    """Axis settings that set each heading too wide for its column on two lines, broken at a space or at a hyphenation
    point of the language ("Wirtschaft-" / "lichkeit", the most even break), rather than cut with an ellipsis. Vega
    writes a label's second line below its first, towards the chart; so on two-line axes every heading takes two
    lines, a short one on the second, and the labels stand a line further out."""
    broken = {label: lines for label in labels if (lines := _broken(label, limit, size))}
    if not broken:
        return {}
    expression = json.dumps(["", "placeholder"]).replace('"placeholder"', "datum.label")
    for label, lines in broken.items():
        expression = f"datum.label == {json.dumps(label)} ? {json.dumps(lines)} : {expression}"
    return {"labelExpr": expression, "labelLineHeight": LINE_HEIGHT, "labelPadding": LINE_HEIGHT + 2}


def _broken(label: str, limit: float, size: float) -> list[str] | None:
    """`label` as two lines that each fit `limit` pixels, the most even such break, or None when it fits on one (or
    cannot be measured, or cannot be broken to fit). Words break at a space; a single word at a hyphenation point."""
    font = _label_font(size)
    if font is None or font.getlength(label) <= limit:
        return None
    words = label.split(" ")
    if len(words) > 1:
        breaks = [[" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))]
    else:
        hyphenation = pyphen.Pyphen(lang=i18n.locale(), left=3, right=3)
        breaks = [[start + "-", end] for start, end in hyphenation.iterate(label)]
    fitting = [lines for lines in breaks if all(font.getlength(line) <= limit for line in lines)]
    return min(fitting, key=lambda lines: max(len(line) for line in lines)) if fitting else None


def role_answer_chart(stats: QuestionStats, roles: list[str], projector: bool = True) -> alt.Chart:
    """How each role answered one question: one bar per answer (in the scale's order), split by role, the count
    at its end. `roles`: every role in the workshop's order, so a role keeps its colour from question to question;
    `projector`: type large enough to read from the back of a room."""
    rows, totals = [], []
    for option in stats.distribution:
        for answered in stats.by_role:
            count = next((c.count for c in answered.counts if c.value == option.value), 0)
            if count:
                rows.append({"answer": option.label, "role": answered.role, "people": count})
        totals.append({"answer": option.label, "people": option.count,
                       "label": str(option.count) if option.count else ""})
    order = [o.label for o in stats.distribution]
    most = max((o.count for o in stats.distribution), default=0)
    big = 1.8 if projector else 1.0
    y = alt.Y("answer:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=int(320 * big), ticks=False, domain=False, labelFontSize=round(12 * big),
                            labelPadding=round(8 * big)))
    bars = alt.Chart(alt.Data(values=rows)).mark_bar(height=round(18 * big)).encode(
        y=y,
        x=alt.X("people:Q", stack="zero", title=None, scale=alt.Scale(domain=[0, max(most, 1) * 1.12]),
                axis=alt.Axis(format="d", tickMinStep=1, labels=False, grid=False, ticks=False, domain=False)),
        color=alt.Color("role:N", title=None, sort=roles, scale=alt.Scale(domain=roles, range=ROLE_COLOURS),
                        legend=alt.Legend(orient="top", symbolType="square", labelFontSize=round(11 * big),
                                          symbolSize=round(100 * big), columns=min(len(roles), 3), labelLimit=300,
                                          columnPadding=round(14 * big))),
        order=alt.Order("position:Q"),
        tooltip=[alt.Tooltip("answer:N"), alt.Tooltip("role:N"), alt.Tooltip("people:Q")],
    ).transform_calculate(position=f"indexof({roles!r}, datum.role)")
    labels = alt.Chart(alt.Data(values=totals)).mark_text(align="left", dx=8, fontSize=round(12 * big),
                                                          fontWeight="bold", color=INK).encode(
        y=alt.Y("answer:N", sort=order), x=alt.X("people:Q"), text=alt.Text("label:N"))
    chart = alt.layer(bars, labels).properties(width=int(WIDTH * (1.9 if projector else 1)),
                                               height=alt.Step(round(26 * big)))
    return _themed(chart, _("Bar chart: how many people gave each answer to the question, split by role"))


def distribution_by_role_text(stats: QuestionStats) -> str:
    """'Executive: Managed 2 · Data & AI: Ad hoc 1, None 1' (the chart in words, for screen readers and notes)."""
    parts = []
    for answered in stats.by_role:
        given = ", ".join(f"{room_answer(c.value, c.label)} {c.count}" for c in answered.counts if c.count)
        parts.append(f"{answered.role}: {given}")
    return " · ".join(parts) or _("no answers yet")


def dispute_text(stats: QuestionStats) -> str:
    """'Answers 3 levels apart · 5 answers · 1 don't know' (why the question is disputed, in words)."""
    parts = []
    if stats.spread is not None:
        levels = round(stats.spread)
        parts.append(ngettext("answers {count} level apart", "answers {count} levels apart", levels).format(count=levels))
    parts.append(ngettext("{count} answer", "{count} answers", stats.n).format(count=stats.n))
    if stats.dont_know:
        parts.append(ngettext("{count} don't know", "{count} don't know", stats.dont_know).format(count=stats.dont_know))
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


def working_text(questionnaire: Questionnaire, domain) -> str:
    """What a domain works on now: 'Phase 2 · Build the Foundation', the complete text, or 'Not assessed'."""
    if not domain.assessed:
        return _("Not assessed")
    if domain.working_phase is None:
        return _(COMPLETE_TEXT)
    return _("Phase %(number)s · %(name)s") % {"number": domain.working_phase,
                                               "name": questionnaire.phase(domain.working_phase).name}


def domain_rows(questionnaire: Questionnaire, result: Result) -> list[dict]:
    """The dashboard's domain table: name, index (1 decimal, or 'not assessed') and what it works on."""
    return [{"Domain": d.name, "Index": f"{decimal(d.index)} / 4" if d.assessed else _("not assessed"),
             "Working on": working_text(questionnaire, d)} for d in result.domains]


def sources_text(workshop: WorkshopResult) -> str:
    """'2 answers agreed in the room, 40 from the median of the participants' answers'."""
    sources = list(workshop.sources.values())
    agreed = sources.count(SOURCE_CONSENSUS)
    return ngettext("{count} answer agreed in the room, {median} from the median of the participants' answers",
                    "{count} answers agreed in the room, {median} from the median of the participants' answers",
                    agreed).format(count=agreed, median=sources.count(SOURCE_MEDIAN))


def confidence_text(workshop: WorkshopResult) -> str:
    """'62% confidence: 4 of 8 participants finished' (the room's, see scoring.workshop.CONFIDENCE_METHOD)."""
    return ngettext("{confidence} confidence: {finished} of {count} participant finished",
                    "{confidence} confidence: {finished} of {count} participants finished",
                    workshop.participants).format(confidence=share(workshop.confidence), finished=workshop.finished,
                                                  count=workshop.participants)


# --- the presenter view's join panel and room -------------------------------------------


def join_qr_svg(link: str, colour: str = INK) -> str:
    """The join link as a QR code, an SVG document 10 pixels a module (medium error correction: readable from
    the back of a room off a projector)."""
    import segno

    return segno.make(link, error="m").svg_inline(scale=10, border=2, dark=colour, light="#ffffff")


def join_panel_html(code: str, link: str, accent: str = DEFAULT_ACCENT) -> str:
    """The projector's join panel beside the QR code: where to go and the code in large type. Only the join link
    and code appear here, never a facilitator's link."""
    address = html.escape(link.split("?", 1)[0])
    where = html.escape(_("Scan the QR code, or open {address} and type the code")).format(
        address=f"<strong>{address}</strong>")
    kicker, label = html.escape(_("Join the workshop")), html.escape(_("Join code"))
    return (
        f'<div class="pg-join" style="--accent: {html.escape(accent)}">'
        f'<p class="pg-join-kicker">{kicker}</p>'
        f'<p class="pg-join-where">{where}</p>'
        f'<p class="pg-join-code" aria-label="{label}">{html.escape(code)}</p></div>'
    )


def room_html(workshop: WorkshopResult, accent: str = DEFAULT_ACCENT) -> str:
    """The room at a glance, in large type: joined and finished, then one bar per role."""
    rows = []
    for count in workshop.participation:
        if not count.joined:
            continue
        part = count.finished / count.joined
        rows.append(
            f'<div class="pg-role"><span class="pg-role-name">{html.escape(count.role)}</span>'
            f'<span class="pg-role-bar"><span style="width: {part:.0%}"></span></span>'
            f'<span class="pg-role-count">{html.escape(finished_of(count.finished, count.joined))}</span></div>')
    if not rows:
        nobody = html.escape(_("Nobody has joined yet."))
        rows.append(f'<p class="pg-room-empty">{nobody}</p>')
    joined = html.escape(_("{count} joined")).format(count=f'<span class="pg-big">{workshop.participants}</span>')
    finished = html.escape(_("{count} finished")).format(count=f'<span class="pg-big">{workshop.finished}</span>')
    return (
        f'<div class="pg-room" style="--accent: {html.escape(accent)}">'
        f'<div class="pg-room-totals"><p>{joined}</p><p>{finished}</p></div>'
        f'<div class="pg-roles">{"".join(rows)}</div></div>'
    )


PRESENTER_CSS = """
<style>
/* The presenter view is read from across a room: larger type everywhere, no chrome. */
html { font-size: 20px; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stWidgetLabel"] p { font-size: 1.15rem; }
[data-testid="stMain"] [data-testid="stRadio"] label p { font-size: 1.1rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1rem; }
[data-testid="stMain"] textarea, [data-testid="stMain"] button p { font-size: 1.05rem; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display: none; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 1rem; max-width: 1800px; }
.pg-join { padding-top: 2rem; }
.pg-join-kicker { font-size: 1.4rem; color: #6b7785; margin: 0; }
.pg-join-where { font-size: 1.25rem; margin: 0.4rem 0 1rem; }
.pg-join-code { font-size: 6rem; font-weight: 700; letter-spacing: 0.08em; line-height: 1.05; margin: 0;
  color: var(--accent); font-variant-numeric: tabular-nums; white-space: nowrap; }
.pg-room { display: flex; gap: 3rem; align-items: flex-start; margin-top: 1rem; }
.pg-room-totals p { font-size: 1.25rem; margin: 0 0 0.6rem; white-space: nowrap; }
.pg-big { font-size: 3.2rem; font-weight: 700; color: var(--accent); margin-right: 0.4rem; }
.pg-roles { flex: 1; }
.pg-role { display: grid; grid-template-columns: 14rem 1fr 12rem; align-items: center; gap: 1rem; margin: 0.5rem 0; }
.pg-role-name { font-size: 1.15rem; }
.pg-role-bar { height: 1.4rem; background: #e3e7ec; border-radius: 0.3rem; overflow: hidden; }
.pg-role-bar span { display: block; height: 100%; background: var(--accent); }
.pg-role-count { font-size: 1rem; color: #6b7785; }
.pg-room-empty { font-size: 1.25rem; color: #6b7785; }
</style>
"""


# --- the report's workshop section ------------------------------------------------------


def distribution_text(stats: QuestionStats) -> str:
    """'Ad hoc 1 · Managed 2 · Don't know 1' (answers nobody gave are left out)."""
    return " · ".join(f"{room_answer(c.value, c.label)} {c.count}" for c in stats.distribution if c.count) or _(
        "no answers")


TOO_FEW = N_("too few answers yet")


def gap_sentence(gap) -> str:
    """One domain's perception gap in words: 'Executives rate Governance 1.2 phases higher than practitioners (2.4
    against 1.2).', within half a phase, or 'too few answers yet' while a side has fewer than two finished."""
    if gap.too_few:
        return _("{domain}: too few answers yet to compare executives and practitioners ({finished}; {least} of each "
                 "are needed).").format(domain=gap.name, finished=_finished_sides(gap), least=GAP_MIN_FINISHED)
    if gap.gap is None:
        return _("{domain}: executives and practitioners cannot be compared, one side has no index here.").format(
            domain=gap.name)
    figures = {"domain": gap.name, "executive": decimal(gap.executive), "practitioner": decimal(gap.practitioner)}
    if not gap.flagged:
        return _("Executives and practitioners rate {domain} within half a phase of each other ({executive} against "
                 "{practitioner}).").format(**figures)
    phases = 1 if abs(gap.gap) < 1.05 else 2  # '1.0 phase', '1.1 phases': the number as printed decides
    if gap.gap > 0:
        sentence = ngettext("Executives rate {domain} {gap} phase higher than practitioners ({executive} against "
                            "{practitioner}).", "Executives rate {domain} {gap} phases higher than practitioners "
                            "({executive} against {practitioner}).", phases)
    else:
        sentence = ngettext("Executives rate {domain} {gap} phase lower than practitioners ({executive} against "
                            "{practitioner}).", "Executives rate {domain} {gap} phases lower than practitioners "
                            "({executive} against {practitioner}).", phases)
    return sentence.format(gap=decimal(abs(gap.gap)), **figures)


def _finished_sides(gap) -> str:
    """'1 executive and 0 practitioners have finished'."""
    executives, practitioners = gap.executives_finished, gap.practitioners_finished
    return ngettext("{executives} and {practitioners} has finished", "{executives} and {practitioners} have finished",
                    executives + practitioners).format(
        executives=ngettext("{count} executive", "{count} executives", executives).format(count=executives),
        practitioners=ngettext("{count} practitioner", "{count} practitioners", practitioners).format(
            count=practitioners))


def gap_cell(gap) -> str:
    """The gap column of a table: '+1.2', '−0.3', or 'too few answers yet'."""
    if gap.too_few:
        return _(TOO_FEW)
    if gap.gap is None:
        return "–"
    return ("−" if f"{gap.gap:+.1f}".startswith("-") else "+") + decimal(abs(gap.gap))


def disputes_text(workshop: WorkshopResult) -> str:
    """'3 open disputes, 1 decided in the room; 12 more questions with answers as far apart' (the count the
    dashboard, the PDF and the deck say)."""
    open_count = len(workshop.open_disagreements)
    decided = len(workshop.disagreements) - open_count
    text = ngettext("{count} open dispute, {decided} decided in the room",
                    "{count} open disputes, {decided} decided in the room", open_count).format(count=open_count,
                                                                                               decided=decided)
    if not workshop.apart_only:
        return text
    more = ngettext("{count} more question with answers as far apart, ranked lower",
                    "{count} more questions with answers as far apart, ranked lower",
                    workshop.apart_only).format(count=workshop.apart_only)
    return _("{disputes}; {more}").format(disputes=text, more=more)


def unknown_rows(questionnaire: Questionnaire, workshop: WorkshopResult) -> list[dict]:
    """The room's "don't know" answers per question, as many as the disagreement table shows: question, domain,
    phase, how many said it of how many answered, and who would know (the owner of the question's step)."""
    from scoring.steps import owner_title

    rows = []
    for stats in workshop.dont_knows:
        question = questionnaire.question(stats.id)
        asked = stats.n + stats.dont_know + stats.not_applicable
        rows.append({"question": question, "domain": questionnaire.domain(question.domain).name,
                     "said": ngettext("{said} of {count} answer", "{said} of {count} answers", asked).format(
                         said=stats.dont_know, count=asked),
                     "count": stats.dont_know,
                     "ask": owner_title(questionnaire, question.action.owner, workshop.result.size,
                                        workshop.result.profile.get("business_model"))
                     if question.action else ""})
    return rows


# --- a re-run: the progress since the first run -----------------------------------------------


def held_on(workshop) -> dt.date:
    """The day a stored workshop counts as held: the day it was closed, else the day it was created."""
    return (workshop.closed_at or workshop.created_at).date()


def rerun_text(engine, workshop) -> str:
    """'Re-run of the workshop of 2 March 2026' for a workshop with a baseline, else ''."""
    from scoring.progress import day_text
    from storage import workshops as ws

    if workshop.baseline_id is None:
        return ""
    first = ws.get_workshop(engine, workshop.baseline_id)
    if first is None:
        return _("Re-run of an earlier workshop")
    return _("Re-run of the workshop of {day}").format(day=day_text(held_on(first)))


def progress_since(engine, workshop, questionnaire: Questionnaire, current: WorkshopResult | None = None,
                   find=None):
    """What moved since the first run of a re-run workshop (`scoring.compare.Comparison`, per domain, question and
    for the pilots), or None for a first run or when the first run's questionnaire is not installed. `current`:
    the workshop's aggregate when the caller has it; `find(id, version)`: a questionnaire (default: the shipped
    library). Draw it with `progress_rows`, `reports.charts.progress_chart` and `scoring.progress.progress_sentence`."""
    import services
    from scoring.compare import compare_results
    from storage import workshops as ws

    first = ws.get_workshop(engine, workshop.baseline_id) if workshop.baseline_id is not None else None
    if first is None:
        return None
    if find is None:
        from questionnaires import find_questionnaire as find
    try:
        earlier = find(first.questionnaire_id, first.questionnaire_version)
    except PhasegateError:
        earlier = None
    if earlier is None:
        return None
    _people, then = services.aggregate_stored(engine, first, earlier)
    if current is None:
        _people, current = services.aggregate_stored(engine, workshop, questionnaire)
    return compare_results(earlier, then.result, questionnaire, current.result, held_on(first), kind="workshop")


def workshop_branding(workshop) -> Branding:
    """A stored workshop's branding for its reports (`storage.workshops.Workshop`); the default when none was set
    or what is stored no longer passes the checks."""
    try:
        return Branding.from_stored(workshop.branding)
    except PhasegateError:
        return Branding()


def workshop_view(questionnaire: Questionnaire, workshop: WorkshopResult, accent: str = DEFAULT_ACCENT,
                  rerun: str = "") -> dict:
    """What the report's workshop section shows, charts as SVG data: URIs (pass as `workshop=`); `rerun`: the
    words naming a re-run on every page ('Re-run of the workshop of 2 March 2026'), '' for a first run."""
    from reports.charts import svg_uri

    questionnaire = questionnaire.for_size(workshop.result.size)  # each question as the room was asked it
    disputed = list(workshop.disagreements)
    sources = list(workshop.sources.values())
    unknowns = unknown_rows(questionnaire, workshop)
    return {
        "result": workshop,
        "client": workshop.client,
        "rerun": rerun,
        "participants": workshop.participants,
        "finished": workshop.finished,
        "participation": [c for c in workshop.participation if c.joined],
        "method": _(METHOD),  # scoring.workshop's rules, in the report's language
        "gap_flag": GAP_FLAG,
        "gap_min": GAP_MIN_FINISHED,
        "from_consensus": sources.count(SOURCE_CONSENSUS),
        "from_median": sources.count(SOURCE_MEDIAN),
        "disputes_text": disputes_text(workshop),
        "open_disputes": len(workshop.open_disagreements),
        "disagreements": [{"stats": s, "distribution": distribution_text(s),
                           "answer": room_answer(s.workshop_value, answer_label(
                               questionnaire, questionnaire.question(s.id), s.workshop_value))}
                          for s in disputed[:TOP_DISAGREEMENTS]],
        "more_disagreements": max(0, len(disputed) - TOP_DISAGREEMENTS),
        "gaps": [{"gap": g, "cell": gap_cell(g)} for g in workshop.role_gaps],
        "flagged": [gap_sentence(g) for g in workshop.role_gaps if g.flagged],
        "too_few": [g.name for g in workshop.role_gaps if g.too_few],
        "decisions": [{"text": d.text, "label": room_answer(d.value, d.label), "note": d.note,
                       "median_label": room_answer(d.median_value, d.median_label)} for d in workshop.decisions],
        "unknowns": unknowns,
        "dont_know_answers": sum(row["count"] for row in unknowns),
        "charts": {
            "participation": svg_uri(chart_svg(participation_chart(workshop, accent))),
            "spread": svg_uri(chart_svg(spread_chart(workshop, accent))),
            "gaps": svg_uri(chart_svg(gap_heatmap(workshop, accent))),
        },
    }


def stored_workshop_view(engine, workshop, questionnaire: Questionnaire, current: WorkshopResult,
                         accent: str = DEFAULT_ACCENT, find=None):
    """The workshop section's view of a stored workshop and its progress since the first run (None for a first
    run): what `reports.pdf.render_pdf` takes as `workshop=` and `progress=`."""
    progress = progress_since(engine, workshop, questionnaire, current, find)
    return workshop_view(questionnaire, current, accent, rerun_text(engine, workshop)), progress
