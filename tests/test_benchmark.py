"""Benchmark: the fifth each domain stands in among comparable organisations, never over fewer than five."""

from __future__ import annotations

import pytest
from sqlalchemy import update

import services
from questionnaires import load_questionnaire
from scoring import Answer, Response, read_answers, score_response
from scoring.answers import OrganisationProfile
from scoring.benchmark import (
    MIN_PEERS,
    Peer,
    band_of,
    benchmark,
    benchmark_to_dict,
    choose_filters,
    half_phase,
    percentile_text,
    summary_text,
)
from storage import repository as repo
from storage import workshops as ws
from storage.benchmark import benchmark_stored, peers as stored_peers, set_workshop_profile
from storage.tables import assessments
from tests.conftest import DATA

RETAIL_MEDIUM = {"industry": "retail", "size": "medium"}


@pytest.fixture(scope="module")
def example():
    """Example Corp on the tiny questionnaire: Data 1.5, Governance 0.25."""
    questionnaire = load_questionnaire(DATA / "tiny.yaml")
    return score_response(questionnaire, read_answers(DATA / "tiny-answers.yaml", questionnaire))


def peers(*indices, profile=RETAIL_MEDIUM):
    """One peer per (data, governance) pair, all with the same profile."""
    return [Peer(dict(profile), {"data": data, "governance": governance}) for data, governance in indices]


@pytest.mark.parametrize("index, expected", [
    (0.0, 0), (0.25, 0), (0.49, 0), (0.5, 1), (1.25, 2), (1.5, 3), (3.99, 7), (4.0, 8),
])
def test_indices_are_compared_in_half_phase_levels(index, expected):
    assert half_phase(index) == expected


@pytest.mark.parametrize("value, others, expected", [
    (1.5, [0.5, 1.0, 1.5, 2.0, 2.5], 2),       # 2 below, 1 equal: (2 + 0.5) / 5 = 50 % -> middle fifth
    (3.0, [0.5, 1.0, 1.5, 2.0, 2.5], 4),       # above everyone -> top fifth
    (0.0, [0.5, 1.0, 1.5, 2.0, 2.5], 0),       # below everyone -> bottom fifth
    (1.0, [1.0, 1.0, 1.0, 1.0, 1.0], 2),       # all tied: half -> middle fifth
    (2.0, [0.0, 1.0, 1.0, 3.0, 3.0, 4.0], 2),  # 3 below of 6: 50 %
    (1.0, [0.0, 1.0, 1.0, 3.0, 3.0, 4.0], 1),  # (1 + 1) / 6 = 33 % -> second fifth
    (1.2, [1.0, 1.4, 1.4, 1.4, 1.4], 2),       # the same half phase is a tie, however the indices differ
    (0.5, [0.0, 0.0, 0.0, 0.0, 0.45], 4),      # a half phase above all of them
    (1.0, [0.0, 0.0, 0.0, 0.0, 1.0], 4),       # (4 + 0.5) / 5 = 90 %: a tie is no longer told from a lead
    (0.5, [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5], 0),  # (1 + 0.5) / 8 = 18.75 %
])
def test_a_band_is_the_fifth_of_those_below_and_half_the_ties(value, others, expected):
    assert band_of(value, others) == expected


def test_each_domain_gets_its_own_percentile_over_the_comparable_peers(example):
    bench = benchmark(example, peers((0.5, 0.0), (1.0, 0.5), (1.5, 1.0), (2.0, 1.5), (2.5, 2.0)), RETAIL_MEDIUM)
    assert bench.available and bench.n == 5 and bench.filters == RETAIL_MEDIUM
    # Data 1.5: 2 below, 1 tie of 5 -> 50 %; Governance 0.25 is in the half phase of 0.0: 1 tie of 5 -> 10 %
    assert [(d.id, d.label, d.percentile, d.n) for d in bench.domains] == [
        ("data", "middle fifth", "40–60", 5), ("governance", "bottom fifth", "0–20", 5)]
    assert percentile_text(bench.domains[0]) == "in the middle fifth of comparable organisations (percentile 40–60)"


def test_four_comparable_organisations_give_no_benchmark(example):
    bench = benchmark(example, peers((0.5, 0.0), (1.0, 0.5), (1.5, 1.0), (2.0, 1.5)), RETAIL_MEDIUM)
    assert not bench.available and bench.n == 4 and bench.domains == ()
    data = benchmark_to_dict(bench)
    assert data["available"] is False and data["domains"] == [] and data["n"] == 4
    assert "needs at least 5" in data["summary"]


def test_peers_of_another_industry_or_size_do_not_count(example):
    others = (peers((0.0, 0.0), (0.0, 0.0), (0.0, 0.0), profile={"industry": "banking", "size": "medium"})
              + peers((0.0, 0.0), (0.0, 0.0), profile={"industry": "retail", "size": "large"})
              + peers((3.0, 3.0), (3.0, 3.0), (3.0, 3.0), (3.0, 3.0), (3.0, 3.0)))
    bench = benchmark(example, others, RETAIL_MEDIUM)
    assert bench.n == 5 and [d.band for d in bench.domains] == [0, 0]


def test_too_few_of_the_same_size_falls_back_to_the_same_industry_and_says_so(example):
    others = (peers((0.0, 0.0), (0.0, 0.0), (2.0, 2.0))
              + peers((0.0, 0.0), (2.0, 2.0), (2.0, 2.0), profile={"industry": "retail", "size": "large"})
              + peers((0.0, 0.0), (0.0, 0.0), profile={"industry": "banking", "size": "medium"}))
    bench = benchmark(example, others, RETAIL_MEDIUM)
    assert bench.filters == {"industry": "retail"} and bench.n == 6 and bench.broadened
    assert [d.band for d in bench.domains] == [2, 1]  # Data 1.5: 3 of 6 below; Governance 0.25: 3 of 6 tied
    assert "Fewer than 5 share the whole profile" in summary_text(bench)


def test_without_a_profile_every_organisation_of_the_questionnaire_compares(example):
    others = (peers((1.0, 1.0), (1.0, 1.0), profile={"industry": "banking"})
              + peers((2.0, 2.0), (2.0, 2.0), profile={}) + peers((1.5, 0.25), profile={"size": "small"}))
    bench = benchmark(example, others, None)
    assert bench.filters == {} and bench.n == 5
    assert [d.band for d in bench.domains] == [2, 0]  # Data: 2 below + 1 tie; Governance: 0 below + 1 tie
    assert summary_text(bench) == "Compared with 5 organisations that finished the same questionnaire."


def test_a_domain_too_few_peers_assessed_has_no_percentile(example):
    others = peers((0.5, None), (1.0, None), (1.5, 1.0), (2.0, 1.5), (2.5, 2.0))
    bench = benchmark(example, others, RETAIL_MEDIUM)
    assert bench.available
    assert [(d.id, d.band, d.n) for d in bench.domains] == [("data", 2, 5), ("governance", None, 3)]


def test_the_json_shows_bands_and_counts_but_no_peer_values(example):
    values = (0.11, 0.77, 1.33, 2.99, 3.55)
    bench = benchmark(example, peers(*[(v, v) for v in values]), RETAIL_MEDIUM)
    data = benchmark_to_dict(bench)
    assert set(data) == {"available", "n", "min_peers", "filters", "requested", "summary", "domains"}
    assert data["domains"][0] == {"id": "data", "name": "Data", "index": 1.5, "band": "fourth fifth",
                                  "percentile": "60–80", "n": 5}  # 3 of 5 below
    text = repr(data)
    assert not any(str(v) in text for v in values)


def test_the_floor_is_five():
    assert MIN_PEERS == 5
    filters, found = choose_filters(peers(*[(1.0, 1.0)] * 4), RETAIL_MEDIUM)
    assert filters == RETAIL_MEDIUM and len(found) == 4


# --- stored peers: closed workshops, and finished self-assessments where they count --------


@pytest.fixture
def engine(engine, monkeypatch):
    """A database whose self-assessments count as peers (as PHASEGATE_BENCHMARK_SELF_ASSESSMENTS=true allows)."""
    monkeypatch.setenv("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS", "true")
    return engine


@pytest.fixture(scope="module")
def tiny_q():
    return load_questionnaire(DATA / "tiny.yaml")


@pytest.fixture
def find(tiny_q):
    return lambda questionnaire_id, version: tiny_q if questionnaire_id == "tiny" else None


def level(value: int, organisation: str, profile=RETAIL_MEDIUM) -> Response:
    """Data and Governance both at one level: index value/4 for 0-2, 1.0 for 3 or 4."""
    return Response("tiny", "1.0.0", organisation=organisation,
                    answers={"data.inventory": Answer(value), "governance.board": Answer(value)},
                    organisation_profile=OrganisationProfile(**profile) if profile else None)


def finished(engine, value: int, organisation: str, profile=RETAIL_MEDIUM):
    stored = repo.import_response(engine, level(value, organisation, profile))
    services.finish_assessment(engine, stored.id)
    return stored


def closed_workshop(engine, client: str, values, profile=RETAIL_MEDIUM, close=True):
    workshop = ws.create_workshop(engine, client, "tiny", "1.0.0")
    for value in values:
        joined = ws.join_workshop(engine, workshop, "Executive")
        repo.save_answers(engine, joined.id, {"data.inventory": Answer(value), "governance.board": Answer(value)})
    set_workshop_profile(engine, workshop.id, profile)
    if close:
        services.close_workshop(engine, workshop.id)
    return workshop


def indices(found):
    return sorted(p.indices["data"] for p in found)


def test_peers_are_finished_self_assessments_and_closed_workshops_only(engine, find):
    for value, name in ((0, "A"), (1, "B"), (2, "C")):
        finished(engine, value, name)
    repo.import_response(engine, level(4, "Unfinished"))
    removed = finished(engine, 4, "Removed")
    with engine.begin() as conn:
        conn.execute(update(assessments).where(assessments.c.id == removed.id).values(removed_at=repo.now()))
    closed_workshop(engine, "Open room", [4, 4], close=False)  # its participants are no peers, nor is it yet
    closed_workshop(engine, "Closed room", [0, 2, 2])  # the median: level 2, index 0.5
    closed_workshop(engine, "Empty room", [])
    found = stored_peers(engine, "tiny", find)
    assert indices(found) == [0.0, 0.25, 0.5, 0.5]
    assert all(p.profile == RETAIL_MEDIUM for p in found)


def test_by_default_only_closed_workshops_are_peers(engine, find, monkeypatch):
    monkeypatch.delenv("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS")
    for value, name in ((0, "A"), (1, "B"), (2, "C")):
        finished(engine, value, name)
    closed_workshop(engine, "Open room", [4, 4], close=False)
    closed_workshop(engine, "Closed room", [0, 2, 2])
    assert indices(stored_peers(engine, "tiny", find)) == [0.5]


def test_an_organisation_counts_once_with_its_latest_result_and_never_against_itself(engine, find):
    finished(engine, 0, "Acme")
    finished(engine, 2, " acme ")  # the same organisation, assessed again later
    finished(engine, 1, "Beta")
    finished(engine, 4, "Example Corp")
    assert indices(stored_peers(engine, "tiny", find)) == [0.25, 0.5, 1.0]
    assert indices(stored_peers(engine, "tiny", find, organisation="example corp")) == [0.25, 0.5]


def test_other_questionnaires_and_unknown_versions_are_left_out(engine, find):
    finished(engine, 1, "Beta")
    other = repo.import_response(engine, Response("quick-check", "2.0.0", organisation="Gamma"))
    services.finish_assessment(engine, other.id)
    old = repo.import_response(engine, Response("tiny", "0.1.0", organisation="Delta",
                                                answers={"data.inventory": Answer(1)}))
    services.finish_assessment(engine, old.id)
    assert indices(stored_peers(engine, "tiny", lambda i, v: find(i, v) if v == "1.0.0" else None)) == [0.25]


def test_the_stored_benchmark_appears_with_the_fifth_comparable_organisation(engine, find, example):
    for value, name in ((0, "A"), (1, "B"), (2, "C")):
        finished(engine, value, name)
    finished(engine, 4, "Bank", {"industry": "banking", "size": "medium"})
    closed_workshop(engine, "Room", [3])
    bench = benchmark_stored(engine, example, RETAIL_MEDIUM, find)
    assert not bench.available and bench.n == 4
    finished(engine, 2, "E")
    bench = benchmark_stored(engine, example, RETAIL_MEDIUM, find)
    # Peers' Data: 0, 0.25, 0.5, 0.5, 1.0; Example Corp's 1.5 is above all -> top fifth.
    # Governance: the same; 0.25 shares the half phase of 0 and 0.25 -> (0 + 2 × 0.5) / 5 = 20 % -> second fifth.
    assert bench.available and bench.n == 5
    assert [(d.id, d.label) for d in bench.domains] == [("data", "top fifth"), ("governance", "second fifth")]


def test_a_workshop_profile_is_checked(engine):
    workshop = ws.create_workshop(engine, "Room", "tiny", "1.0.0")
    with pytest.raises(Exception, match="size"):
        set_workshop_profile(engine, workshop.id, {"size": "huge", "industry": "retail"})
    set_workshop_profile(engine, workshop.id, {"size": "small", "industry": "retail"})
    assert ws.get_workshop(engine, workshop.id).profile == {"size": "small", "industry": "retail"}


def test_a_peer_changed_after_it_finished_is_scored_again(engine, find):
    changed = finished(engine, 0, "A")
    assert indices(stored_peers(engine, "tiny", find)) == [0.0]
    repo.save_answers(engine, changed.id, {"data.inventory": Answer(2), "governance.board": Answer(2)})
    assert indices(stored_peers(engine, "tiny", find)) == [0.5]


def test_a_benchmark_travels_to_the_report_worker_as_plain_data(example):
    from scoring.benchmark import benchmark_from_dict

    bench = benchmark(example, peers((0.5, 0.0), (1.0, 0.5), (1.5, 1.0), (2.0, 1.5), (2.5, 2.0)), RETAIL_MEDIUM)
    again = benchmark_from_dict(benchmark_to_dict(bench))
    assert again == bench and again.available


def test_a_participant_removed_after_the_close_leaves_the_workshops_result(engine, find):
    workshop = closed_workshop(engine, "Room", [0, 4, 4])  # median level 4: index 1.0
    assert indices(stored_peers(engine, "tiny", find)) == [1.0]
    for participant in ws.list_participants(engine, workshop.id)[1:]:
        ws.remove_participant(engine, workshop.id, participant.assessment.id)
    assert indices(stored_peers(engine, "tiny", find)) == [0.0]
    ws.save_consensus(engine, workshop.id, "data.inventory", 2)
    assert indices(stored_peers(engine, "tiny", find)) == [0.5]


def test_a_rerun_for_the_same_client_keeps_its_profile_and_branding(engine):
    workshop = ws.create_workshop(engine, "Room", "tiny", "1.0.0")
    set_workshop_profile(engine, workshop.id, {"size": "large", "industry": "retail"})
    ws.set_branding(engine, workshop.id, {"prepared_by": "Northwind Advisory", "color": "#7a3e9d"})
    again = ws.rerun_workshop(engine, ws.get_workshop(engine, workshop.id))
    stored = ws.get_workshop(engine, again.id)
    assert stored.profile == {"size": "large", "industry": "retail"} == again.profile
    assert stored.branding["prepared_by"] == "Northwind Advisory" and stored.baseline_id == workshop.id
