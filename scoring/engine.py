"""Score one response against its questionnaire: phase-gated, deterministic, explained.

The rules are those of the design's scoring model; the report's methodology page says them in plain words.
What a score gives is in `scoring.results`; the plan's steps are made by `scoring.steps`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from i18n import _, ngettext
from questionnaires.models import Question, Questionnaire
from scoring.answers import DONT_KNOW, NA, Response, Value
from scoring.compiled import _cells, _Item, compiled_items
from scoring.headline import ToNextPhase, answers_needed, furthest_from_bar, profile_sentence
from scoring.pilots import pilot_metrics, pilot_portfolio, profile_currency
from scoring.results import (LOW_CONFIDENCE, STATUS_ATTAINED, STATUS_NOT_ANSWERED, STATUS_NOT_APPLICABLE,
                             STATUS_NOT_ATTAINED, STATUS_UNKNOWN, DomainResult, Overall, PhaseResult, QuestionResult,
                             Result, join_names)
from scoring.steps import Step, critical_gap, next_steps
from scoring.thresholds import below_threshold, meets_threshold
from scoring.words import decimal, listed, quoted, share

# What a score gives is defined in scoring.results and scoring.steps; it is named here too, beside the function
# that computes it.
__all__ = ["LOW_CONFIDENCE", "STATUS_ATTAINED", "STATUS_NOT_ANSWERED", "STATUS_NOT_APPLICABLE", "STATUS_NOT_ATTAINED",
           "STATUS_UNKNOWN", "DomainResult", "Overall", "PhaseResult", "QuestionResult", "Result", "Step",
           "compiled_items", "join_names", "score_response"]


def question_score(item: _Item, value: Value) -> float | None:
    """The 0-1 score of a real answer; None for dont_know, na, unscored or missing."""
    if item.scores is None or value is None or value == DONT_KNOW or value == NA or item.total <= 0:
        return None
    if item.question.type == "multi":
        chosen = value if isinstance(value, list) else [value]
        return min(1.0, sum(item.scores.get(v, 0.0) for v in chosen) / item.total)
    score = item.scores.get(value)
    return None if score is None else score / item.total


# --- the rules, one place each --------------------------------------------------------
# The workshop applies them to thousands of responses at once, so the numeric ones work
# element-wise on numpy arrays as well as on single numbers.

def unanswered_phase_attained(visible, not_applicable):
    """A phase without a real answer is attained only when every visible question is n/a (or none is visible)."""
    return not_applicable == visible


def achieved_phases(attained: Sequence[bool]) -> int:
    """Gating: the phases achieved are the attained ones before the first that is not."""
    achieved = 0
    while achieved < len(attained) and attained[achieved]:
        achieved += 1
    return achieved


def domain_index(achieved: int, next_attainment):
    """The maturity index: phases achieved plus the attainment of the next one (4.0 once all four are)."""
    return 4.0 if achieved >= 4 else achieved + (0.0 if next_attainment is None else next_attainment)


def seen_value(visible: bool, value: Value) -> Value:
    """What visible_if sees of an earlier answer: its value; None when hidden, unanswered, dont_know or na."""
    return value if visible and value != DONT_KNOW and value != NA else None


def is_visible(item: _Item, lookup: Callable[[str], Value]) -> bool:
    """Whether a question shows, given what visible_if sees of each earlier answer (`seen_value`)."""
    return item.visible_if is None or item.visible_if.evaluate(lookup)


# --- scoring ------------------------------------------------------------------------


def score_response(questionnaire: Questionnaire, response: Response, targets: dict[str, int] | None = None) -> Result:
    """Score one response; `targets` (domain -> phase) override the response's own."""
    items = compiled_items(questionnaire)
    questions = _question_results(items, response)
    wanted = {**response.targets, **(targets or {})}
    domains = tuple(_domain_result(questionnaire, d, questions, wanted.get(d.id, 4)) for d in questionnaire.domains)
    overall = _overall(questionnaire, domains, questions)

    on = response.date or dt.date.today()
    register = getattr(response, "pilots", ())
    profile = organisation_profile(response)
    portfolio = pilot_portfolio(questionnaire, register, on) if register else None
    high_risk = likely_high_risk(questionnaire, profile)
    actions = next_steps(questionnaire, questions, domains, overall, organisation_size(response), pilots=portfolio,
                         high_risk=high_risk, on=on, business_model=profile.get("business_model"))
    unknowns = tuple(q.id for q in questions.values() if q.visible and q.dont_know)
    return Result(
        questionnaire=questionnaire.id,
        questionnaire_version=questionnaire.version,
        title=questionnaire.title,
        organisation=response.organisation,
        overall=overall,
        domains=domains,
        questions=questions,
        actions=actions,
        unknowns=unknowns,
        warnings=tuple(_warnings(questionnaire, response, domains, questions, overall)),
        size=organisation_size(response),
        pilots=(pilot_metrics(portfolio, actions, profile_currency(response.organisation_profile))
                if portfolio else None),
        profile=profile,
        likely_high_risk=high_risk,
    )


def organisation_profile(response: Response) -> dict:
    """The answers' organisation_profile as a plain mapping of the fields given."""
    profile = getattr(response, "organisation_profile", None) or {}
    if not isinstance(profile, dict):
        profile = profile.model_dump(exclude_none=True) if hasattr(profile, "model_dump") else dict(vars(profile))
    return {key: value for key, value in profile.items() if value is not None}


def likely_high_risk(questionnaire: Questionnaire, profile: dict) -> bool:
    """Whether a system is likely high-risk under the EU AI Act: the organisation's industry is one the
    questionnaire lists as high-risk (as provider or deployer, its AI then faces the high-risk obligations)."""
    regulation = getattr(questionnaire, "regulation", None)
    industries = getattr(regulation, "high_risk_industries", ()) or ()
    return profile.get("industry") in industries


def organisation_size(response: Response) -> str | None:
    """small, medium or large from the answers' organisation_profile; None when not given."""
    profile = getattr(response, "organisation_profile", None) or {}
    size = profile.get("size") if isinstance(profile, dict) else getattr(profile, "size", None)
    return size if isinstance(size, str) else None


def _question_results(items: tuple[_Item, ...], response: Response) -> dict[str, QuestionResult]:
    results: dict[str, QuestionResult] = {}

    def lookup(question_id: str) -> Value:
        known = results.get(question_id)
        return None if known is None else seen_value(known.visible, known.value)

    answers = response.answers
    model = organisation_profile(response).get("business_model")
    for item in items:
        question = item.question
        qid = question.id
        visible = question.asked_of(model) and (item.visible_if is None or item.visible_if.evaluate(lookup))
        answer = answers.get(qid)
        if answer is None:
            value, note, score = None, "", None
        else:
            value, note = answer.value, answer.note
            score = question_score(item, value) if visible and value is not None else None
        results[qid] = QuestionResult(qid, question.domain, question.phase, visible, value, score,
                                      item.scores is not None, note)
    return results


def _phase_result(questionnaire: Questionnaire, items: tuple[_Item, ...], questions: dict[str, QuestionResult], number: int,
                  weighted: tuple[tuple[str, float], ...] | None = None) -> PhaseResult:
    """One cell's attainment and status; `weighted` is the cell's (question id, weight) pairs when already known."""
    phase = questionnaire.roadmap.phases[number - 1]
    visible = answered = dont_know = na = 0
    total = weights = 0.0
    for qid, weight in weighted if weighted is not None else ((i.question.id, i.question.weight) for i in items):
        result = questions[qid]
        if not result.visible:
            continue
        visible += 1
        score = result.score
        if score is not None:
            answered += 1
            total += score * weight
            weights += weight
        elif result.value == DONT_KNOW:
            dont_know += 1
        elif result.value == NA:
            na += 1
    if answered:
        attainment = total / weights
        status = STATUS_ATTAINED if meets_threshold(attainment, phase.threshold) else STATUS_NOT_ATTAINED
    elif unanswered_phase_attained(visible, na):
        attainment, status = None, STATUS_NOT_APPLICABLE
    else:
        attainment, status = None, STATUS_UNKNOWN if dont_know else STATUS_NOT_ANSWERED
    return PhaseResult(number, phase.name, phase.threshold, attainment, status, visible, answered, dont_know, na)


def _cell_weights(questionnaire: Questionnaire) -> dict[str, tuple]:
    """Per domain, the (question id, weight) pairs of each phase's cell, built once."""
    cells = _cells(questionnaire)
    return {domain: tuple(tuple((i.question.id, i.question.weight) for i in cell) for cell in phases)
            for domain, phases in cells.items()}


def _domain_result(questionnaire: Questionnaire, domain, questions: dict[str, QuestionResult], target: int) -> DomainResult:
    cells = _cells(questionnaire)[domain.id]
    weighted = questionnaire.cached("scoring.cell_weights", _cell_weights)[domain.id]
    phases = tuple(_phase_result(questionnaire, cells[n - 1], questions, n, weighted[n - 1]) for n in range(1, 5))
    visible = sum(p.visible for p in phases)
    answered = sum(p.answered for p in phases)
    na = sum(p.not_applicable for p in phases)
    achieved = achieved_phases([p.attained for p in phases])
    assessed = answered > 0
    index = None
    if assessed:
        index = domain_index(achieved, phases[achieved].attainment if achieved < 4 else None)
    shaky = assessed and _foundation_gap(phases) and not _one_answer_short(cells, questions, phases)
    return DomainResult(
        id=domain.id,
        name=domain.name,
        weight=domain.weight,
        assessed=assessed,
        achieved=achieved if assessed else 0,
        index=index,
        phases=phases,
        foundation_gap=shaky,
        target=target,
        confidence=answered / (visible - na) if visible > na else 1.0,
        to_next_phase=_to_next(cells, questions, phases, achieved) if assessed else None,
    )


def _one_answer_short(cells, questions: dict[str, QuestionResult], phases: tuple[PhaseResult, ...]) -> bool:
    """Whether a single answer one level higher would close every gap below the attained phases: a near miss,
    not practices built on sand."""
    top = max(p.number for p in phases if p.status == STATUS_ATTAINED)
    needed = [answers_needed(cells[p.number - 1], questions, p.attainment, p.threshold)
              for p in phases[:top - 1] if not p.attained]
    return None not in needed and sum(needed) == 1


def _to_next(cells, questions: dict[str, QuestionResult], phases: tuple[PhaseResult, ...], achieved: int) -> ToNextPhase | None:
    if achieved >= 4:
        return None
    working = phases[achieved]
    needed = answers_needed(cells[achieved], questions, working.attainment, working.threshold)
    return ToNextPhase(working.number, working.attainment, working.threshold, needed)


def _foundation_gap(phases: tuple[PhaseResult, ...]) -> bool:
    """A later phase attained on real answers while an earlier one is not attained."""
    for later in range(1, 4):
        if phases[later].status == STATUS_ATTAINED and not all(p.attained for p in phases[:later]):
            return True
    return False


def foundation_gap_text(phases: tuple[PhaseResult, ...]) -> str:
    """'phase 3 is attained while phase 2 is not' for the first such pair."""
    for later in range(1, 4):
        if phases[later].status == STATUS_ATTAINED:
            earlier = [p.number for p in phases[:later] if not p.attained]
            if earlier:
                return ngettext("phase {later} is attained while phase {missing} is not",
                                "phase {later} is attained while phases {missing} are not",
                                len(earlier)).format(later=later + 1, missing=listed([str(n) for n in earlier]))
    return _("no gap")


def _quoted(found: list[Question], shown: int = 3) -> str:
    """The first questions by their text, as a client reads them, and how many more."""
    text = "; ".join(quoted(q.text) for q in found[:shown])
    if len(found) <= shown:
        return text
    return ngettext("{questions} and {count} more", "{questions} and {count} more",
                    len(found) - shown).format(questions=text, count=len(found) - shown)


def _gap_questions(questionnaire: Questionnaire, domain: DomainResult, questions: dict[str, QuestionResult]) -> list[Question]:
    """The questions of a domain's unattained earlier phases that sit below the threshold or are unknown."""
    later = max((p.number for p in domain.phases if p.status == STATUS_ATTAINED), default=0)
    open_phases = {p.number: p.threshold for p in domain.phases if p.number < later and not p.attained}
    found = []
    for question in questionnaire.cached("scoring.domain_questions", _domain_questions)[domain.id]:
        result = questions[question.id]
        if question.phase not in open_phases or not result.visible or not result.scored:
            continue
        if result.score is None and not result.not_applicable or (result.score is not None
                                                                  and below_threshold(result.score, open_phases[question.phase])):
            found.append(question)
    return found


def _domain_questions(questionnaire: Questionnaire) -> dict[str, tuple[Question, ...]]:
    """Per domain, its questions in questionnaire order."""
    found: dict[str, list[Question]] = {d.id: [] for d in questionnaire.domains}
    for question in questionnaire.questions:
        found.setdefault(question.domain, []).append(question)
    return {domain: tuple(questions) for domain, questions in found.items()}


def _overall(questionnaire: Questionnaire, domains: tuple[DomainResult, ...], questions: dict[str, QuestionResult]) -> Overall:
    assessed = [d for d in domains if d.assessed]
    visible = [q for q in questions.values() if q.visible and q.scored and not q.not_applicable]
    confidence = sum(1 for q in visible if q.score is not None) / len(visible) if visible else 0.0
    if not assessed:
        name = questionnaire.phase(1).name
        return Overall(1, name, 0, False, 0.0, (), confidence,
                       _("Phase 1 — {phase_name} (no domain assessed yet)").format(phase_name=name))
    achieved = min(d.achieved for d in assessed)
    limiting = tuple(d.id for d in assessed if d.achieved == achieved) if achieved < 4 else ()
    index = sum(d.index * d.weight for d in assessed) / sum(d.weight for d in assessed)
    phase = min(achieved + 1, 4)
    name = questionnaire.phase(phase).name
    gaps = critical_gaps(questionnaire, questions)
    overall = Overall(phase, name, achieved, achieved == 4 and not gaps, index, limiting, confidence, "",
                      critical_gaps=gaps)
    return _with_summary(questionnaire, overall, domains)


def critical_gaps(questionnaire: Questionnaire, questions: dict[str, QuestionResult]) -> tuple[str, ...]:
    """The critical practices not in place (lowest level or "don't know"), in questionnaire order."""
    marked = questionnaire.cached("scoring.critical", _critical_questions)
    return tuple(q.id for q in marked if critical_gap(q, questions[q.id]))


def _critical_questions(questionnaire: Questionnaire) -> tuple[Question, ...]:
    """The questions marked critical, in questionnaire order."""
    return tuple(q for q in questionnaire.questions if getattr(q, "critical", False))


def critical_names(questionnaire: Questionnaire, question_ids: tuple[str, ...]) -> str:
    """The critical gaps as a client reads them: each practice's step title, quoted."""
    return join_names([quoted(_practice_name(questionnaire.question(qid))) for qid in question_ids])


def _practice_name(question: Question) -> str:
    action = question.action
    wording = getattr(action.by_level, "establish", None) if action and action.by_level else None
    return wording.title if wording else action.title if action else question.text


def critical_words(questionnaire: Questionnaire, question_ids: tuple[str, ...]) -> str:
    """'1 critical gap: “Monitor every production model for drift”' ('' when there is none)."""
    if not question_ids:
        return ""
    count = len(question_ids)
    return ngettext("{count} critical gap: {names}", "{count} critical gaps: {names}",
                    count).format(count=count, names=critical_names(questionnaire, question_ids))


def _with_summary(questionnaire: Questionnaire, overall: Overall, domains: tuple[DomainResult, ...]) -> Overall:
    names = {d.id: d.name for d in domains}
    primary, tied = furthest_from_bar(domains, overall.limiting_domains)
    released = tuple(d.id for d in domains if d.id in overall.limiting_domains and d.to_next_phase
                     and d.to_next_phase.answers_needed == 1)
    text = _summary(overall, names, primary if len(overall.limiting_domains) > 1 else None,
                    critical_words(questionnaire, overall.critical_gaps))
    profile = _profile(profile_sentence(domains, overall.phase, overall.limiting_domains, primary, tied, released),
                       overall, critical_words(questionnaire, overall.critical_gaps))
    return Overall(overall.phase, overall.phase_name, overall.achieved, overall.complete, overall.index,
                   overall.limiting_domains, overall.confidence, text, primary, profile, overall.critical_gaps,
                   released, tied)


def _summary(overall: Overall, names: dict[str, str], primary: str | None, gaps: str) -> str:
    """The one-line summary: 'Phase 2 — Build the Foundation (phase 1 achieved, index 1.8 / 4), held back by
    Governance', with who is furthest from the bar and the critical gaps; one whole message per case."""
    count = len(overall.critical_gaps)
    facts = {"phase": overall.phase, "phase_name": overall.phase_name, "achieved": overall.achieved,
             "index": decimal(overall.index), "gaps": gaps}
    if overall.achieved >= 4:
        if overall.complete:
            return _("All four phases achieved — {phase_name} (index {index} / 4)").format(**facts)
        return ngettext("Phase 4 — {phase_name} (every domain meets the bar of all four phases, index {index} / 4), "
                        "with {gaps}",
                        "Phase 4 — {phase_name} (every domain meets the bar of all four phases, index {index} / 4), "
                        "with {gaps}", count).format(**facts)
    facts["held"] = join_names([names[d] for d in overall.limiting_domains])
    if primary:
        facts["furthest"] = names[primary]
    return _summary_template(overall.achieved > 0, primary is not None, count).format(**facts)


def _summary_template(achieved: bool, furthest: bool, gaps: int) -> str:
    """The summary's message for a phase below 4: with or without a phase achieved, a domain furthest from the bar
    and critical gaps."""
    if achieved and furthest:
        if gaps:
            return ngettext("Phase {phase} — {phase_name} (phase {achieved} achieved, index {index} / 4), held back "
                            "by {held} (furthest from the bar: {furthest}), with {gaps}",
                            "Phase {phase} — {phase_name} (phase {achieved} achieved, index {index} / 4), held back "
                            "by {held} (furthest from the bar: {furthest}), with {gaps}", gaps)
        return _("Phase {phase} — {phase_name} (phase {achieved} achieved, index {index} / 4), held back by {held} "
                 "(furthest from the bar: {furthest})")
    if achieved:
        if gaps:
            return ngettext("Phase {phase} — {phase_name} (phase {achieved} achieved, index {index} / 4), held back "
                            "by {held}, with {gaps}",
                            "Phase {phase} — {phase_name} (phase {achieved} achieved, index {index} / 4), held back "
                            "by {held}, with {gaps}", gaps)
        return _("Phase {phase} — {phase_name} (phase {achieved} achieved, index {index} / 4), held back by {held}")
    if furthest:
        if gaps:
            return ngettext("Phase {phase} — {phase_name} (no phase achieved yet, index {index} / 4), held back by "
                            "{held} (furthest from the bar: {furthest}), with {gaps}",
                            "Phase {phase} — {phase_name} (no phase achieved yet, index {index} / 4), held back by "
                            "{held} (furthest from the bar: {furthest}), with {gaps}", gaps)
        return _("Phase {phase} — {phase_name} (no phase achieved yet, index {index} / 4), held back by {held} "
                 "(furthest from the bar: {furthest})")
    if gaps:
        return ngettext("Phase {phase} — {phase_name} (no phase achieved yet, index {index} / 4), held back by "
                        "{held}, with {gaps}",
                        "Phase {phase} — {phase_name} (no phase achieved yet, index {index} / 4), held back by "
                        "{held}, with {gaps}", gaps)
    return _("Phase {phase} — {phase_name} (no phase achieved yet, index {index} / 4), held back by {held}")


def _profile(sentence: str, overall: Overall, gaps: str) -> str:
    """The profile sentence and, when there are any, the critical gaps."""
    count = len(overall.critical_gaps)
    if not count:
        return sentence
    if overall.achieved >= 4:
        return ngettext("{profile}, with {gaps}", "{profile}, with {gaps}", count).format(profile=sentence, gaps=gaps)
    return ngettext("{profile}; {gaps}", "{profile}; {gaps}", count).format(profile=sentence, gaps=gaps)


def _warnings(questionnaire, response, domains, questions, overall) -> list[str]:
    warnings = []
    for domain in domains:
        if not domain.assessed:
            warnings.append(_("{domain} is not assessed: none of its questions has a real answer; it is left out of "
                              "the overall phase and index.").format(domain=domain.name))
    if not any(d.assessed for d in domains):
        warnings.append(_("No domain has a real answer yet, so there is no result to show."))
    if overall.confidence < LOW_CONFIDENCE:
        warnings.append(confidence_warning(overall.confidence))
    required = questionnaire.cached("scoring.required", _required_questions)
    missing = [q for q in required if questions[q.id].visible and not questions[q.id].answered]
    if missing:
        # English keeps its "question(s)" for either count; the languages that translate it take their plural
        warnings.append(ngettext("{count} required question(s) unanswered: {questions}",
                                 "{count} required question(s) unanswered: {questions}",
                                 len(missing)).format(count=len(missing), questions=_quoted(missing)))
    hidden = [q for q in questionnaire.questions if not questions[q.id].visible and questions[q.id].answered]
    if hidden:
        warnings.append(ngettext("Answers to {count} hidden question(s) were ignored: {questions}",
                                 "Answers to {count} hidden question(s) were ignored: {questions}",
                                 len(hidden)).format(count=len(hidden), questions=_quoted(hidden)))
    for domain in domains:
        if domain.foundation_gap:
            warnings.append(_foundation_warning(questionnaire, domain, questions))
    return warnings


def _required_questions(questionnaire: Questionnaire) -> tuple[Question, ...]:
    """The questions marked required, in questionnaire order."""
    return tuple(q for q in questionnaire.questions if q.required)


def confidence_warning(confidence: float) -> str:
    """The warning a result with low confidence carries (a workshop puts the room's in its place)."""
    return _("Confidence is {confidence}: fewer than {low} of the questions have a real answer; resolve the unknowns "
             "before acting on the result.").format(confidence=share(confidence), low=share(LOW_CONFIDENCE))


def _foundation_warning(questionnaire: Questionnaire, domain: DomainResult,
                        questions: dict[str, QuestionResult]) -> str:
    """'Foundation gap in Data: phase 3 is attained while phase 2 is not; below the bar there: “…”.'"""
    behind = _gap_questions(questionnaire, domain, questions)
    facts = {"domain": domain.name, "gap": foundation_gap_text(domain.phases)}
    if not behind:
        return _("Foundation gap in {domain}: {gap}.").format(**facts)
    return _("Foundation gap in {domain}: {gap}; below the bar there: {questions}.").format(questions=_quoted(behind),
                                                                                          **facts)
