"""The headline beyond the weakest link: who holds the organisation back most, the profile, how close each domain is.

- Furthest from the bar: among the limiting domains, the one whose working phase needs the
  most answers raised one level -- named only when it needs more than one answer more than
  the next; otherwise the domains within one answer of it are a tie, and none is named alone.
- Profile: how many domains work at which phase, then who holds the organisation back; the
  limiting domains one answer from their bar are said apart from those that truly block.
- To next phase: per domain, the working phase's attainment against its threshold and
  the fewest answers that, each raised one level, would reach it.
"""

from __future__ import annotations

from dataclasses import dataclass

from i18n import _, ngettext
from scoring.thresholds import above, meets_threshold
from scoring.words import N_, listed, share

NUMBERS = (N_("no"), N_("one"), N_("two"), N_("three"), N_("four"), N_("five"), N_("six"), N_("seven"), N_("eight"),
           N_("nine"), N_("ten"), N_("eleven"), N_("twelve"))


@dataclass(frozen=True, slots=True)
class ToNextPhase:
    """How far a domain is from achieving its working phase."""

    phase: int
    attainment: float | None
    threshold: float
    answers_needed: int | None  # None: not reachable by raising answers one level (or nothing answered yet)

    def text(self, domain_name: str) -> str:
        """'Economics: 69% of the 70% needed for phase 2 — one answer away'."""
        if self.attainment is None:
            return _("{domain}: phase {phase} has no real answer yet").format(domain=domain_name, phase=self.phase)
        facts = {"domain": domain_name, "attainment": share(self.attainment), "threshold": share(self.threshold),
                 "phase": self.phase}
        if self.answers_needed is None:
            return _("{domain}: {attainment} of the {threshold} needed for phase {phase}").format(**facts)
        return ngettext("{domain}: {attainment} of the {threshold} needed for phase {phase} — {count} answer away",
                        "{domain}: {attainment} of the {threshold} needed for phase {phase} — {count} answers away",
                        self.answers_needed).format(count=number(self.answers_needed), **facts)


def number(count: int) -> str:
    """A small count in words ('three'), larger ones in digits."""
    return _(NUMBERS[count]) if 0 <= count < len(NUMBERS) else str(count)


def answers_needed(items, questions, attainment: float | None, threshold: float) -> int | None:
    """The fewest answered questions that, each one level higher, lift the attainment to the threshold."""
    if attainment is None:
        return None
    if meets_threshold(attainment, threshold):
        return 0
    answered = [(item, questions[item.question.id]) for item in items
                if questions[item.question.id].visible and questions[item.question.id].score is not None]
    weights = sum(item.question.weight for item, _ in answered)
    gains = sorted((item.question.weight * _one_level_up(item, result) / weights for item, result in answered),
                   reverse=True)
    reached = attainment
    for count, gain in enumerate(gains, start=1):
        if gain <= 0:
            break
        reached += gain
        if meets_threshold(reached, threshold):
            return count
    return None


def _one_level_up(item, result) -> float:
    """How much the question's 0-1 score rises when its answer goes one level up (0 at the top)."""
    current = result.score * item.total
    if item.question.type == "multi":
        chosen = set(result.value if isinstance(result.value, list) else [result.value])
        left = [points for value, points in item.scores.items() if value not in chosen]
        return min(1.0, (current + max(left, default=0.0)) / item.total) - result.score if left else 0.0
    higher = [points for points in item.scores.values() if above(points, current)]
    return (min(higher) - current) / item.total if higher else 0.0


UNREACHABLE = 1000  # answers_needed None: the bar is out of reach by raising each answer one level


def working_bar(phase) -> float | None:
    """A phase's attainment as a share of its threshold, capped at 1 (None without a real answer)."""
    if phase.attainment is None:
        return None
    return min(1.0, phase.attainment / phase.threshold)


def bar_words(domain) -> str:
    """'68% of the phase 2 bar' beside a domain's index; 'all four phases achieved'; '' when there is no bar to
    show (not assessed, or no real answer in its working phase)."""
    bar = domain.bar
    if bar is None:
        return ""
    if domain.working_phase is None:
        return _("all four phases achieved")
    return _("{share} of the phase {phase} bar").format(share=share(bar), phase=domain.working_phase)


def gap_in_answers(domain) -> int:
    """How many answers, each raised one level, the domain's working phase needs (UNREACHABLE when no number of
    one-level raises reaches it, or nothing is answered there)."""
    needed = domain.to_next_phase.answers_needed if domain.to_next_phase else None
    return UNREACHABLE if needed is None else needed


def furthest_from_bar(domains, limiting: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """(the limiting domain furthest from its bar, or None; the tie when no single one is): one is furthest only
    when its gap exceeds the next one's by more than one answer."""
    candidates = [d for d in domains if d.id in limiting]
    if not candidates:
        return None, ()
    if len(candidates) == 1:
        return candidates[0].id, ()
    gaps = sorted((gap_in_answers(d) for d in candidates), reverse=True)
    if gaps[0] > gaps[1] + 1:
        return next(d.id for d in candidates if gap_in_answers(d) == gaps[0]), ()
    return None, tuple(d.id for d in candidates if gap_in_answers(d) >= gaps[0] - 1)


def profile_sentence(domains, overall_phase: int, limiting: tuple[str, ...], primary: str | None,
                     tied: tuple[str, ...] = (), released: tuple[str, ...] = ()) -> str:
    """'Four of five domains have achieved all four phases; Economics holds the organisation at phase 2'."""
    assessed = [d for d in domains if d.assessed]
    if not assessed:
        return _("No domain is assessed yet")
    names = {d.id: d.name for d in assessed}
    if not limiting:
        if len(assessed) == 1:
            return _("{domain} has achieved all four phases").format(domain=names[assessed[0].id])
        return _("All {total} domains have achieved all four phases").format(total=number(len(assessed)))
    if len(limiting) == len(assessed):
        return _all_limiting(assessed, names, overall_phase, primary, tied, limiting)
    others = [d for d in assessed if d.id not in limiting]
    head = _most_domains(others, len(assessed))
    blocking = [d for d in limiting if d not in released] or list(limiting)
    tail = _holding(blocking, [d for d in released if d not in blocking], len(released) == len(limiting), names,
                    overall_phase)
    return _("{clause}; {next_clause}").format(clause=head, next_clause=tail)


def _all_limiting(assessed, names, phase: int, primary: str | None, tied: tuple[str, ...],
                  limiting: tuple[str, ...]) -> str:
    """The profile when every assessed domain holds the organisation at the same phase."""
    if len(assessed) == 1:
        return _("{domain}, the one domain assessed, is in phase {phase}").format(domain=names[limiting[0]],
                                                                                phase=phase)
    facts = {"total": number(len(assessed)), "phase": phase}
    if primary:
        return _("All {total} domains are still in phase {phase}; {domain} is furthest from the bar").format(
            domain=names[primary], **facts)
    if len(tied) == len(limiting):
        return _("All {total} domains are still in phase {phase}, each about as far from the bar as the "
                 "others").format(**facts)
    return _("All {total} domains are still in phase {phase}; {names} are furthest from the bar").format(
        names=listed([names[d] for d in tied]), **facts)


def _most_domains(others, total: int) -> str:
    """'Four of five domains work at phase 2': the phase most of the domains not holding the organisation work at."""
    groups: dict[int, int] = {}
    for domain in others:
        key = domain.working_phase or 5
        groups[key] = groups.get(key, 0) + 1
    phase, count = max(groups.items(), key=lambda entry: (entry[1], entry[0]))
    facts = {"count": number(count).capitalize(), "total": number(total), "phase": phase}
    if phase == 5:
        return ngettext("{count} of {total} domains has achieved all four phases",
                        "{count} of {total} domains have achieved all four phases", count).format(**facts)
    return ngettext("{count} of {total} domains works at phase {phase}",
                    "{count} of {total} domains work at phase {phase}", count).format(**facts)


def _holding(blocking: list[str], close: list[str], all_released: bool, names, phase: int) -> str:
    """'Governance holds the organisation at phase 1', and who is one answer from moving on."""
    facts = {"held": listed([names[d] for d in blocking]), "phase": phase, "next": phase + 1}
    count = len(blocking)
    if close and phase < 4:
        facts["close"] = listed([names[d] for d in close])
        if len(close) == 1:
            return ngettext("{held} holds the organisation at phase {phase}, and {close} is one answer from phase "
                            "{next}",
                            "{held} hold the organisation at phase {phase}, and {close} is one answer from phase "
                            "{next}", count).format(**facts)
        return ngettext("{held} holds the organisation at phase {phase}, and {close} are each one answer from phase "
                        "{next}",
                        "{held} hold the organisation at phase {phase}, and {close} are each one answer from phase "
                        "{next}", count).format(**facts)
    if all_released and not close:
        return ngettext("{held} holds the organisation at phase {phase}, one answer from the bar",
                        "{held} hold the organisation at phase {phase}, each one answer from the bar",
                        count).format(**facts)
    return ngettext("{held} holds the organisation at phase {phase}", "{held} hold the organisation at phase {phase}",
                    count).format(**facts)
