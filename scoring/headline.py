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

from i18n import _
from scoring.thresholds import above, meets_threshold
from scoring.words import N_

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
            return f"{domain_name}: phase {self.phase} has no real answer yet"
        head = f"{domain_name}: {self.attainment:.0%} of the {self.threshold:.0%} needed for phase {self.phase}"
        if self.answers_needed is None:
            return head
        return f"{head} — {number(self.answers_needed)} answer{'s' if self.answers_needed != 1 else ''} away"


def number(count: int) -> str:
    """A small count in words ('three'), larger ones in digits."""
    return _(NUMBERS[count]) if 0 <= count < len(NUMBERS) else str(count)


def answers_needed(items, questions, attainment: float | None, threshold: float) -> int | None:
    """The fewest answered questions that, each one level higher, lift the attainment to the threshold."""
    if attainment is None:
        return None
    answered = [(item, questions[item.question.id]) for item in items
                if questions[item.question.id].visible and questions[item.question.id].score is not None]
    weights = sum(item.question.weight for item, _ in answered)
    if meets_threshold(attainment, threshold):
        return 0
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
    share = domain.bar
    if share is None:
        return ""
    if domain.working_phase is None:
        return "all four phases achieved"
    return f"{share:.0%} of the phase {domain.working_phase} bar"


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
        return "No domain is assessed yet"
    total = number(len(assessed))
    names = {d.id: d.name for d in assessed}
    if not limiting:
        return f"All {total} domains have achieved all four phases" if len(assessed) > 1 else \
            f"{names[assessed[0].id]} has achieved all four phases"
    if len(limiting) == len(assessed):
        if len(assessed) == 1:
            return f"{names[limiting[0]]}, the one domain assessed, is in phase {overall_phase}"
        head = f"All {total} domains are still in phase {overall_phase}"
        if primary:
            return f"{head}; {names[primary]} is furthest from the bar"
        if len(tied) == len(limiting):
            return f"{head}, each about as far from the bar as the others"
        return f"{head}; {_names([names[d] for d in tied])} are furthest from the bar"
    others = [d for d in assessed if d.id not in limiting]
    groups: dict[int, int] = {}
    for domain in others:
        key = domain.working_phase or 5
        groups[key] = groups.get(key, 0) + 1
    phase, count = max(groups.items(), key=lambda entry: (entry[1], entry[0]))
    where = "have achieved all four phases" if phase == 5 else f"work at phase {phase}"
    if count == 1:
        where = "has achieved all four phases" if phase == 5 else f"works at phase {phase}"
    head = f"{number(count).capitalize()} of {total} domains {where}"
    blocking = [d for d in limiting if d not in released] or list(limiting)
    held = _names([names[d] for d in blocking])
    verb = "holds" if len(blocking) == 1 else "hold"
    text = f"{head}; {held} {verb} the organisation at phase {overall_phase}"
    close = [d for d in released if d not in blocking]
    if close:
        text += (f", and {_names([names[d] for d in close])} {'is' if len(close) == 1 else 'are each'} one answer "
                 f"from phase {overall_phase + 1}" if overall_phase < 4 else "")
    elif released and len(released) == len(limiting):
        text += f", {'one answer' if len(released) == 1 else 'each one answer'} from the bar"
    return text


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
