"""The one tolerance of every comparison at a threshold, in one place. Scores are sums of weighted fractions, so a
practice exactly at a bar can land a hair below it in floating point; these rules absorb that noise, never more.
They work element-wise on numpy arrays as well as on single numbers."""

TOLERANCE = 1e-12
"""How far below a threshold still counts as reaching it: floating-point noise, not leniency."""


def meets_threshold(value, threshold: float):
    """Whether a score or an attainment reaches a threshold."""
    return value >= threshold - TOLERANCE


def below_threshold(value, threshold: float):
    """Whether a score or an attainment falls short of a threshold (the opposite of `meets_threshold`)."""
    return value < threshold - TOLERANCE


def at_lowest_level(score) -> bool:
    """Whether a 0–1 score is nothing in place: the lowest answer."""
    return score <= TOLERANCE


def above(value, floor: float) -> bool:
    """Whether a value is more than `floor`, beyond floating-point noise."""
    return value > floor + TOLERANCE
