"""Workshop charts (Altair, shared by the dashboard and the PDF) and the report's workshop view."""

from __future__ import annotations

import altair as alt

from questionnaires.models import Questionnaire
from reports.charts import DEFAULT_ACCENT, INK, MUTED, WIDTH, _themed, chart_svg
from scoring.workshop import (
    EXECUTIVE,
    GAP_FLAG,
    METHOD,
    PRACTITIONER,
    SOURCE_CONSENSUS,
    SOURCE_MEDIAN,
    QuestionStats,
    WorkshopResult,
    answer_label,
)

GAP_COLOURS = ["#f3f5f7", "#1f5f8b"]
TOP_DISAGREEMENTS = 15


def _count_axis(most: int) -> alt.Axis:
    """Whole-number ticks only: with few people Vega would otherwise tick at 0.5 and print it as 1."""
    if most <= 10:
        return alt.Axis(format="d", values=list(range(most + 1)))
    return alt.Axis(format="d", tickMinStep=1)


def participation_chart(workshop: WorkshopResult, accent: str = DEFAULT_ACCENT) -> alt.Chart:
    """Participants per role: joined, and how many of them finished."""
    rows = []
    for count in workshop.participation:
        if count.joined:
            rows.append({"role": count.role, "state": "Finished", "people": count.finished})
            rows.append({"role": count.role, "state": "Still answering", "people": count.joined - count.finished})
    order = [c.role for c in workshop.participation if c.joined]
    chart = alt.Chart(alt.Data(values=rows)).mark_bar(height=14).encode(
        y=alt.Y("role:N", sort=order, title=None, axis=alt.Axis(labelLimit=160, ticks=False, domain=False)),
        x=alt.X("people:Q", stack="zero", title="Participants", axis=_count_axis(max((c.joined for c in workshop.participation), default=0))),
        color=alt.Color("state:N", title=None, scale=alt.Scale(domain=["Finished", "Still answering"], range=[accent, "#b8c0c8"]),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("state:N", sort="ascending"),
        tooltip=["role:N", "state:N", "people:Q"],
    )
    return _themed(chart.properties(width=WIDTH, height=max(40, 24 * len(order))))


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
    whisker = base.mark_rule(color=MUTED).encode(x=alt.X("min:Q", scale=scale, axis=axis, title="Participants' maturity index (0–4)"), x2="max:Q")
    box = base.mark_bar(height=14, color=accent, opacity=0.35).encode(x="q1:Q", x2="q3:Q")
    median = base.mark_tick(thickness=2.5, size=18, color=accent).encode(x="median:Q")
    own = base.mark_point(shape="diamond", filled=True, size=70, color=INK).encode(
        x="workshop:Q", tooltip=["domain:N", "n:Q", "min:Q", "median:Q", "max:Q", "workshop:Q"])
    title = alt.Title("Line: lowest to highest · box: middle half · tick: median · ◆ workshop result",
                      fontSize=11, color=MUTED, fontWeight="normal", anchor="start")
    return _themed(alt.layer(whisker, box, median, own).properties(width=WIDTH, height=max(60, 30 * len(order)), title=title))


def gap_rows(workshop: WorkshopResult) -> list[dict]:
    """Heatmap cells: average index per role (with participants) and domain, plus the overall index."""
    rows = []
    roles = [r for r in workshop.roles if any(c.role == r.name and c.joined for c in workshop.participation)]
    for role in roles:
        marker = {EXECUTIVE: " (executive)", PRACTITIONER: " (practitioner)"}.get(role.group, "")
        for gap in workshop.role_gaps:
            rows.append(_gap_cell(role.name + marker, gap.name, gap.by_role.get(role.name)))
        rows.append(_gap_cell(role.name + marker, "Overall", workshop.overall_by_role.get(role.name)))
    return rows


def _gap_cell(role: str, domain: str, value: float | None) -> dict:
    return {"role": role, "domain": domain, "index": value, "label": "–" if value is None else f"{value:.1f}",
            "dark": value is not None and value >= 2.4}


def gap_heatmap(workshop: WorkshopResult) -> alt.Chart:
    """Perception by role: each role's average index per domain (0–4)."""
    rows = gap_rows(workshop)
    roles = list(dict.fromkeys(r["role"] for r in rows))
    domains = [g.name for g in workshop.role_gaps] + ["Overall"]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("domain:N", sort=domains, title=None, axis=alt.Axis(orient="top", labelAngle=0, ticks=False, domain=False, labelLimit=90)),
        y=alt.Y("role:N", sort=roles, title=None, axis=alt.Axis(ticks=False, domain=False, labelLimit=200)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("index:Q", scale=alt.Scale(domain=[0, 4], range=GAP_COLOURS), legend=None),
        tooltip=["role:N", "domain:N", "label:N"],
    )
    text = base.mark_text(fontSize=11).encode(
        text="label:N", color=alt.condition("datum.dark", alt.value("white"), alt.value(INK)))
    width = min(WIDTH, 80 * len(domains))
    return _themed(alt.layer(cells, text).properties(width=width, height=max(40, 26 * len(roles))))


def distribution_chart(stats: QuestionStats, accent: str = DEFAULT_ACCENT) -> alt.Chart:
    """How many participants gave each answer to one question."""
    rows = [{"answer": c.label, "people": c.count} for c in stats.distribution]
    chart = alt.Chart(alt.Data(values=rows)).mark_bar(height=12, color=accent).encode(
        y=alt.Y("answer:N", sort=[r["answer"] for r in rows], title=None, axis=alt.Axis(labelLimit=200, ticks=False, domain=False)),
        x=alt.X("people:Q", title="Participants", axis=alt.Axis(format="d", tickMinStep=1)),
        tooltip=["answer:N", "people:Q"],
    )
    return _themed(chart.properties(width=320, height=max(40, 18 * len(rows))))


# --- the report's workshop section ------------------------------------------------------


def distribution_text(stats: QuestionStats) -> str:
    """'Ad hoc 1 · Managed 2 · Don't know 1' (answers nobody gave are left out)."""
    return " · ".join(f"{c.label} {c.count}" for c in stats.distribution if c.count) or "no answers"


def gap_sentence(gap) -> str:
    """'Executives rate Governance 1.2 phases higher than practitioners (2.4 against 1.2).'"""
    direction = "higher" if gap.gap > 0 else "lower"
    return (f"Executives rate {gap.name} {abs(gap.gap):.1f} phase{'s' if abs(gap.gap) >= 1.05 else ''} {direction} "
            f"than practitioners ({gap.executive:.1f} against {gap.practitioner:.1f}).")


def workshop_view(questionnaire: Questionnaire, workshop: WorkshopResult, accent: str = DEFAULT_ACCENT) -> dict:
    """What the report's workshop section shows, charts as SVG data: URIs (pass as `workshop=`)."""
    from reports.html import svg_uri

    disputed = list(workshop.disagreements)
    sources = list(workshop.sources.values())
    return {
        "result": workshop,
        "client": workshop.client,
        "participants": workshop.participants,
        "finished": workshop.finished,
        "participation": [c for c in workshop.participation if c.joined],
        "method": METHOD,
        "gap_flag": GAP_FLAG,
        "from_consensus": sources.count(SOURCE_CONSENSUS),
        "from_median": sources.count(SOURCE_MEDIAN),
        "disagreements": [{"stats": s, "distribution": distribution_text(s),
                           "answer": answer_label(questionnaire, questionnaire.question(s.id), s.workshop_value)}
                          for s in disputed[:TOP_DISAGREEMENTS]],
        "more_disagreements": max(0, len(disputed) - TOP_DISAGREEMENTS),
        "gaps": list(workshop.role_gaps),
        "flagged": [gap_sentence(g) for g in workshop.role_gaps if g.flagged],
        "decisions": list(workshop.decisions),
        "charts": {
            "participation": svg_uri(chart_svg(participation_chart(workshop, accent))),
            "spread": svg_uri(chart_svg(spread_chart(workshop, accent))),
            "gaps": svg_uri(chart_svg(gap_heatmap(workshop))),
        },
    }
