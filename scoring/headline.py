"""The headline beyond the weakest link: who holds the organisation back most, the profile, how close each domain is.

- Primary limiting domain: among the limiting domains, the one furthest below the
  threshold of its working phase (ties: lower index, then questionnaire order).
- Profile: how many domains work at which phase, then who holds the organisation back.
- To next phase: per domain, the working phase's attainment against its threshold and
  the fewest answers that, each raised one level, would reach it.
"""

from __future__ import annotations

from dataclasses import dataclass

NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


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
    return NUMBERS[count] if 0 <= count < len(NUMBERS) else str(count)


def answers_needed(items, questions, attainment: float | None, threshold: float) -> int | None:
    """The fewest answered questions that, each one level higher, lift the attainment to the threshold."""
    if attainment is None:
        return None
    answered = [(item, questions[item.question.id]) for item in items
                if questions[item.question.id].visible and questions[item.question.id].score is not None]
    weights = sum(item.question.weight for item, _ in answered)
    if attainment >= threshold - 1e-12:
        return 0
    gains = sorted((item.question.weight * _one_level_up(item, result) / weights for item, result in answered),
                   reverse=True)
    reached = attainment
    for count, gain in enumerate(gains, start=1):
        if gain <= 0:
            break
        reached += gain
        if reached >= threshold - 1e-12:
            return count
    return None


def _one_level_up(item, result) -> float:
    """How much the question's 0-1 score rises when its answer goes one level up (0 at the top)."""
    current = result.score * item.total
    if item.question.type == "multi":
        chosen = set(result.value if isinstance(result.value, list) else [result.value])
        left = [points for value, points in item.scores.items() if value not in chosen]
        return min(1.0, (current + max(left, default=0.0)) / item.total) - result.score if left else 0.0
    higher = [points for points in item.scores.values() if points > current + 1e-12]
    return (min(higher) - current) / item.total if higher else 0.0


def primary_limiting(domains, limiting: tuple[str, ...]) -> str | None:
    """The limiting domain furthest below the threshold of its working phase."""
    candidates = [(order, d) for order, d in enumerate(domains) if d.id in limiting]
    if not candidates:
        return None

    def distance(entry):
        order, domain = entry
        phase = domain.phases[domain.achieved] if domain.achieved < 4 else None
        below = (phase.threshold - (phase.attainment or 0.0)) if phase else 0.0
        return -below, domain.index or 0.0, order

    return min(candidates, key=distance)[1].id


def profile_sentence(domains, overall_phase: int, limiting: tuple[str, ...], primary: str | None) -> str:
    """'Four of five domains work at phase 4; Economics holds the organisation at phase 2'."""
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
        return (f"All {total} domains are still in phase {overall_phase}; {names[primary]} is furthest from the bar")
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
    held = _names([names[d] for d in limiting])
    verb = "holds" if len(limiting) == 1 else "hold"
    return f"{head}; {held} {verb} the organisation at phase {overall_phase}"


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
