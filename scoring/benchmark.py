"""Benchmark: where an organisation's domains rank among comparable past clients, as percentiles.

Comparable organisations took the same questionnaire and share the organisation's
profile (industry and size, as far as it gives them). When fewer than `MIN_PEERS` share
both, those of the same industry are used instead. No benchmark is shown over fewer than
`MIN_PEERS` organisations, and it only ever shows percentiles and counts: never another
organisation's name or index.

Percentile rank of an index `x` among the peers' indices: the share of peers below `x`,
counting ties as half, `100 × (below + ½ × equal) ÷ n`, rounded to a whole number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scoring.engine import Result

MIN_PEERS = 5  # k-anonymity floor: fewer comparable organisations and nothing is shown
PROFILE_FIELDS = ("industry", "size")
TIE_TOLERANCE = 1e-9
SIZE_WORDS = {"small": "small", "medium": "medium-sized", "large": "large"}


@dataclass(frozen=True)
class Peer:
    """One comparable organisation as the benchmark sees it: its profile and its index per domain id."""

    profile: Mapping[str, str]
    indices: Mapping[str, float | None]


@dataclass(frozen=True)
class DomainRank:
    """One domain's percentile among the peers that assessed it (None below MIN_PEERS or when not assessed)."""

    id: str
    name: str
    index: float | None
    percentile: int | None
    n: int


@dataclass(frozen=True)
class Benchmark:
    """The organisation against its comparable peers; `available` only with at least MIN_PEERS of them."""

    n: int
    filters: dict[str, str]
    domains: tuple[DomainRank, ...] = ()
    requested: dict[str, str] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.n >= MIN_PEERS and any(d.percentile is not None for d in self.domains)

    @property
    def broadened(self) -> bool:
        """True when the profile asked for more than was matched (too few shared it whole)."""
        return self.filters != self.requested


def percentile_rank(value: float, others: Sequence[float]) -> int:
    """`100 × (below + ½ × equal) ÷ n` over `others`, rounded half up; ties within 1e-9 count as equal."""
    below = sum(1 for other in others if other < value - TIE_TOLERANCE)
    equal = sum(1 for other in others if abs(other - value) <= TIE_TOLERANCE)
    return int(100 * (below + 0.5 * equal) / len(others) + 0.5)


def profile_filters(profile: Mapping[str, str | None] | None) -> dict[str, str]:
    """The industry and size the organisation gives (missing ones left out)."""
    return {key: profile[key] for key in PROFILE_FIELDS if profile and profile.get(key)}


def matching(peers: Sequence[Peer], filters: Mapping[str, str]) -> list[Peer]:
    """The peers whose profile has every one of `filters`."""
    return [p for p in peers if all(p.profile.get(key) == value for key, value in filters.items())]


def choose_filters(peers: Sequence[Peer], requested: Mapping[str, str]) -> tuple[dict[str, str], list[Peer]]:
    """The organisation's whole profile, or its industry alone when fewer than MIN_PEERS share the whole profile."""
    tries = [dict(requested)]
    if "industry" in requested and len(requested) > 1:
        tries.append({"industry": requested["industry"]})
    for filters in tries:
        found = matching(peers, filters)
        if len(found) >= MIN_PEERS:
            return filters, found
    return tries[0], matching(peers, tries[0])


def benchmark(result: Result, peers: Sequence[Peer], profile: Mapping[str, str | None] | None = None) -> Benchmark:
    """Each assessed domain's percentile among the comparable peers that assessed it too."""
    requested = profile_filters(profile)
    filters, found = choose_filters(peers, requested)
    if len(found) < MIN_PEERS:
        return Benchmark(len(found), filters, requested=requested)
    ranks = []
    for domain in result.domains:
        others = [p.indices[domain.id] for p in found if p.indices.get(domain.id) is not None]
        enough = domain.assessed and domain.index is not None and len(others) >= MIN_PEERS
        ranks.append(DomainRank(domain.id, domain.name, domain.index if domain.assessed else None,
                                percentile_rank(domain.index, others) if enough else None, len(others)))
    return Benchmark(len(found), filters, tuple(ranks), requested)


def benchmark_to_dict(bench: Benchmark) -> dict:
    """The `benchmark` object of `score --benchmark`: n, filters and each domain's percentile (counts only)."""
    return {
        "available": bench.available,
        "n": bench.n,
        "min_peers": MIN_PEERS,
        "filters": dict(bench.filters),
        "requested": dict(bench.requested),
        "summary": summary_text(bench),
        "domains": [{"id": d.id, "name": d.name, "index": None if d.index is None else round(d.index, 4),
                     "percentile": d.percentile, "n": d.n} for d in bench.domains] if bench.available else [],
    }


def benchmark_from_dict(data: dict) -> Benchmark:
    """A benchmark as `benchmark_to_dict` wrote it (to hand it to another process as plain data)."""
    ranks = tuple(DomainRank(d["id"], d["name"], d["index"], d["percentile"], d["n"]) for d in data["domains"])
    return Benchmark(data["n"], dict(data["filters"]), ranks, dict(data.get("requested") or {}))


def describe_filters(filters: Mapping[str, str], count: int = 2) -> str:
    """'medium-sized organisations in retail', 'organisation in retail' (one), 'organisations'."""
    size = filters.get("size")
    noun = "organisation" if count == 1 else "organisations"
    who = f"{SIZE_WORDS.get(size, size)} {noun}" if size else noun
    industry = filters.get("industry")
    return f"{who} in {industry.replace('-', ' ').replace('_', ' ')}" if industry else who


def summary_text(bench: Benchmark) -> str:
    """One sentence on what the organisation is compared with, or why there is no comparison."""
    if not bench.available:
        have = "has" if bench.n == 1 else "have"
        return (f"No benchmark yet: {bench.n} comparable {describe_filters(bench.filters, bench.n)} {have} finished "
                f"the same questionnaire, and a benchmark needs at least {MIN_PEERS} so that no organisation can be "
                "recognised.")
    text = f"Compared with {bench.n} {describe_filters(bench.filters, bench.n)} that finished the same questionnaire."
    if bench.broadened:
        text += (f" Fewer than {MIN_PEERS} share the whole profile ({describe_filters(bench.requested)}), "
                 "so the comparison is with the same industry.")
    return text


def percentile_text(rank: DomainRank) -> str:
    """'percentile 72 (50 is the middle of comparable organisations)', or why there is no figure."""
    if rank.index is None:
        return "Not assessed"
    if rank.percentile is None:
        return f"Too few comparable organisations assessed {rank.name} (fewer than {MIN_PEERS})"
    return f"percentile {rank.percentile} (50 is the middle of comparable organisations)"
