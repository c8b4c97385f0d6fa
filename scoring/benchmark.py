"""Benchmark: where an organisation's domains stand among comparable past clients, in fifths.

Comparable organisations took the same questionnaire and share the organisation's
profile (industry and size, as far as it gives them). When fewer than `MIN_PEERS` share
both, those of the same industry are used instead. No benchmark is shown over fewer than
`MIN_PEERS` organisations, and it only ever shows bands and counts: never another
organisation's name or index, and never an exact rank.

Standing of an index `x` among the peers' indices: the share of peers below `x`, counting
ties as half, `(below + ½ × equal) ÷ n`, shown as the fifth it falls in (bottom fifth for
under 20 %, ..., top fifth from 80 %). Indices are compared in half-phase levels (0–0.49,
0.5–0.99, ..., 4.0), so that whoever varies their own answers against peers they made up
learns at most the half-phase a real peer stands in, never its index: an exact rank would
give a tie away ("percentile 90" among five), and a band over exact indices would still
move at the very index of the one real peer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from i18n import _, ngettext, pgettext
from scoring.engine import Result
from scoring.words import N_

MIN_PEERS = 5  # k-anonymity floor: fewer comparable organisations and nothing is shown
PROFILE_FIELDS = ("industry", "size")
TIE_TOLERANCE = 1e-9
LEVEL_STEP = 0.5  # indices are compared in half-phase levels, never as they are
# The bands as the JSON contract names them (English); `DomainRank.band_text` in the language of the moment.
BANDS = (N_("bottom fifth"), N_("second fifth"), N_("middle fifth"), N_("fourth fifth"), N_("top fifth"))


@dataclass(frozen=True)
class Peer:
    """One comparable organisation as the benchmark sees it: its profile and its index per domain id."""

    profile: Mapping[str, str]
    indices: Mapping[str, float | None]


@dataclass(frozen=True)
class DomainRank:
    """One domain's band among the peers that assessed it: 0 bottom fifth .. 4 top fifth (None below MIN_PEERS or
    when not assessed)."""

    id: str
    name: str
    index: float | None
    band: int | None
    n: int

    @property
    def label(self) -> str | None:
        """'top fifth', ..., 'bottom fifth'."""
        return None if self.band is None else BANDS[self.band]

    @property
    def band_text(self) -> str | None:
        """The band as a report names it, in the language of the moment: 'top fifth', 'oberstes Fünftel'."""
        return None if self.band is None else _(BANDS[self.band])

    @property
    def percentile(self) -> str | None:
        """The band as a range of percentiles, '80–100': never one figure."""
        return None if self.band is None else band_range(self.band)


@dataclass(frozen=True)
class Benchmark:
    """The organisation against its comparable peers; `available` only with at least MIN_PEERS of them."""

    n: int
    filters: dict[str, str]
    domains: tuple[DomainRank, ...] = ()
    requested: dict[str, str] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.n >= MIN_PEERS and any(d.band is not None for d in self.domains)

    @property
    def broadened(self) -> bool:
        """True when the profile asked for more than was matched (too few shared it whole)."""
        return self.filters != self.requested


def half_phase(index: float) -> int:
    """The half-phase level an index is compared at: 0 for 0–0.49, 1 for 0.5–0.99, ..., 8 for 4.0."""
    return int(index / LEVEL_STEP + TIE_TOLERANCE)


def band_of(value: float, others: Sequence[float]) -> int:
    """The fifth `value` stands in among `others` (0 bottom .. 4 top): `(below + ½ × equal) ÷ n` on levels."""
    return band_among(half_phase(value), Counter(half_phase(other) for other in others))


def band_among(own: int, levels: Mapping[int, int]) -> int:
    """The fifth the half-phase level `own` stands in among peers counted per level (level -> how many)."""
    below = sum(count for level, count in levels.items() if level < own)
    equal = levels.get(own, 0)
    return min(len(BANDS) - 1, len(BANDS) * (2 * below + equal) // (2 * sum(levels.values())))


def band_range(band: int) -> str:
    """'0–20', '20–40', ..., '80–100': the percentiles a band spans."""
    width = 100 // len(BANDS)
    return f"{band * width}–{(band + 1) * width}"


def profile_filters(profile: Mapping[str, str | None] | None) -> dict[str, str]:
    """The industry and size the organisation gives (missing ones left out)."""
    return {key: profile[key] for key in PROFILE_FIELDS if profile and profile.get(key)}


def shares(profile: Mapping[str, str], filters: Mapping[str, str]) -> bool:
    """True when the profile has every one of `filters`."""
    return all(profile.get(key) == value for key, value in filters.items())


def matching(peers: Sequence[Peer], filters: Mapping[str, str]) -> list[Peer]:
    """The peers whose profile has every one of `filters`."""
    return [p for p in peers if shares(p.profile, filters)]


def widest_filters(requested: Mapping[str, str]) -> dict[str, str]:
    """The widest comparison `choose_filters` may fall back to: the industry alone when given, else the profile."""
    return {"industry": requested["industry"]} if "industry" in requested else dict(requested)


def filter_tries(requested: Mapping[str, str]) -> list[dict[str, str]]:
    """The comparisons to try in turn: the whole profile, then the industry alone when that is wider."""
    tries = [dict(requested)]
    if widest_filters(requested) != tries[0]:
        tries.append(widest_filters(requested))
    return tries


def choose_filters(peers: Sequence[Peer], requested: Mapping[str, str]) -> tuple[dict[str, str], list[Peer]]:
    """The organisation's whole profile, or its industry alone when fewer than MIN_PEERS share the whole profile."""
    tries = filter_tries(requested)
    for filters in tries:
        found = matching(peers, filters)
        if len(found) >= MIN_PEERS:
            return filters, found
    return tries[0], matching(peers, tries[0])


def benchmark(result: Result, peers: Sequence[Peer], profile: Mapping[str, str | None] | None = None) -> Benchmark:
    """Each assessed domain's band among the comparable peers that assessed it too."""
    requested = profile_filters(profile)
    filters, found = choose_filters(peers, requested)
    levels: dict[str, Counter] = {}
    for peer in found:
        for domain_id, index in peer.indices.items():
            if index is not None:
                levels.setdefault(domain_id, Counter())[half_phase(index)] += 1
    return benchmark_of_levels(result, len(found), levels, filters, requested)


def benchmark_of_levels(result: Result, n: int, levels: Mapping[str, Mapping[int, int]], filters: Mapping[str, str],
                        requested: Mapping[str, str]) -> Benchmark:
    """Each assessed domain's band among `n` comparable peers, given how many of them stand at each half-phase level
    per domain (peers that did not assess a domain are not counted there)."""
    if n < MIN_PEERS:
        return Benchmark(n, dict(filters), requested=dict(requested))
    ranks = []
    for domain in result.domains:
        counted = levels.get(domain.id, {})
        others = sum(counted.values())
        enough = domain.assessed and domain.index is not None and others >= MIN_PEERS
        ranks.append(DomainRank(domain.id, domain.name, domain.index if domain.assessed else None,
                                band_among(half_phase(domain.index), counted) if enough else None, others))
    return Benchmark(n, dict(filters), tuple(ranks), dict(requested))


def benchmark_to_dict(bench: Benchmark) -> dict:
    """The `benchmark` object of `score --benchmark`: n, filters and each domain's band (counts only)."""
    return {
        "available": bench.available,
        "n": bench.n,
        "min_peers": MIN_PEERS,
        "filters": dict(bench.filters),
        "requested": dict(bench.requested),
        "summary": summary_text(bench),
        "domains": [{"id": d.id, "name": d.name, "index": None if d.index is None else round(d.index, 4),
                     "band": d.label, "percentile": d.percentile, "n": d.n} for d in bench.domains]
        if bench.available else [],
    }


def benchmark_from_dict(data: dict) -> Benchmark:
    """A benchmark as `benchmark_to_dict` wrote it (to hand it to another process as plain data)."""
    ranks = tuple(DomainRank(d["id"], d["name"], d["index"], None if d["band"] is None else BANDS.index(d["band"]),
                             d["n"]) for d in data["domains"])
    return Benchmark(data["n"], dict(data["filters"]), ranks, dict(data.get("requested") or {}))


def size_word(size: str) -> str:
    """An organisation size as the comparison names it: 'medium-sized' ('mittelgroße' in German); another size as
    it is written."""
    words = {"small": pgettext("organisations", "small"), "medium": pgettext("organisations", "medium-sized"),
             "large": pgettext("organisations", "large")}
    return words.get(size, size)


def describe_filters(filters: Mapping[str, str], count: int = 2) -> str:
    """'medium-sized organisations in retail', 'organisation in retail' (one), 'organisations'."""
    size = filters.get("size")
    industry = filters.get("industry")
    facts = {"size": size_word(size) if size else "",
             "industry": industry.replace("-", " ").replace("_", " ") if industry else ""}
    if size and industry:
        who = ngettext("{size} organisation in {industry}", "{size} organisations in {industry}", count)
    elif size:
        who = ngettext("{size} organisation", "{size} organisations", count)
    elif industry:
        who = ngettext("organisation in {industry}", "organisations in {industry}", count)
    else:
        who = ngettext("organisation", "organisations", count)
    return who.format(**facts)


def summary_text(bench: Benchmark) -> str:
    """One sentence on what the organisation is compared with, or why there is no comparison."""
    facts = {"n": bench.n, "who": describe_filters(bench.filters, bench.n), "least": MIN_PEERS}
    if not bench.available:
        return ngettext("No benchmark yet: {n} comparable {who} has finished the same questionnaire, and a benchmark "
                        "needs at least {least} so that no organisation can be recognised.",
                        "No benchmark yet: {n} comparable {who} have finished the same questionnaire, and a benchmark "
                        "needs at least {least} so that no organisation can be recognised.", bench.n).format(**facts)
    text = _("Compared with {n} {who} that finished the same questionnaire.").format(**facts)
    if bench.broadened:
        text += " " + _("Fewer than {least} share the whole profile ({who}), so the comparison is with the same "
                        "industry.").format(least=MIN_PEERS, who=describe_filters(bench.requested))
    return text


def percentile_text(rank: DomainRank) -> str:
    """'in the top fifth of comparable organisations (percentile 80–100)', or why there is no band."""
    if rank.index is None:
        return _("Not assessed")
    if rank.band is None:
        return _("Too few comparable organisations assessed {domain} (fewer than {least})").format(
            domain=rank.name, least=MIN_PEERS)
    return _("in the {band} of comparable organisations (percentile {range})").format(
        band=rank.band_text, range=rank.percentile)
