"""The benchmark reveals no one: made-up peers do not count, each organisation counts once, and what it shows is a
band that no choice of one's own answers turns into another organisation's index."""

from __future__ import annotations

import itertools
import re
import shutil

import pytest

from cli import format_benchmark
import services
from questionnaires import load_questionnaire
from reports.benchmark import benchmark_rows
from scoring import Answer, Response, score_response
from scoring.answers import OrganisationProfile
from scoring.benchmark import benchmark_to_dict, half_phase, percentile_text, summary_text
from storage import access, dispose_all, get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.benchmark import benchmark_stored, peers as stored_peers, set_workshop_profile
from tests.conftest import DATA

RETAIL_MEDIUM = {"industry": "retail", "size": "medium"}
SETTING = "PHASEGATE_BENCHMARK_SELF_ASSESSMENTS"
# The real client's answers in two worlds: other indices, the same half phases (Data 1.25 or 1.0, Governance
# 0.25 or 0.0); and a third world far from both.
CLIENT = {"data.inventory": 3, "data.pipelines": 1, "governance.board": 1}
CLIENT_NEARBY = {"data.inventory": 3, "data.pipelines": 0, "governance.board": 0}
CLIENT_FAR = {"data.inventory": 4, "data.pipelines": 4, "governance.board": 4, "governance.approval": 4}


@pytest.fixture(scope="module")
def tiny_q():
    return load_questionnaire(DATA / "tiny.yaml")


@pytest.fixture
def find(tiny_q):
    return lambda questionnaire_id, version: tiny_q if questionnaire_id == "tiny" else None


@pytest.fixture
def engine(engine, monkeypatch):
    """The test's database (tests/conftest.py), read with self-assessments left out of the benchmark unless the test
    allows them."""
    monkeypatch.delenv(SETTING, raising=False)
    return engine


def self_assessment(engine, organisation: str, values: dict, profile=RETAIL_MEDIUM) -> None:
    """A finished self-assessment: anyone can make one, no sign-in needed."""
    stored = repo.import_response(engine, Response(
        "tiny", "1.0.0", organisation=organisation, organisation_profile=OrganisationProfile(**profile),
        answers={question: Answer(value) for question, value in values.items()}))
    services.finish_assessment(engine, stored.id)


def workshop(engine, client: str, *rooms: dict, owner: access.Consultant | None = None, profile=RETAIL_MEDIUM):
    """A closed workshop for the client, one participant per answers dict; owned by `owner` when given."""
    if owner is None:
        room = ws.create_workshop(engine, client, "tiny", "1.0.0")
    else:
        room = access.create_workshop(engine, client, "tiny", "1.0.0", owner=owner)
    for values in rooms:
        joined = ws.join_workshop(engine, room, "Executive")
        repo.save_answers(engine, joined.id, {question: Answer(value) for question, value in values.items()})
    set_workshop_profile(engine, room.id, profile)
    services.close_workshop(engine, room.id)
    return room


def real_client(engine, kind: str, values: dict) -> None:
    owner = access.Consultant("https://id.example.com|consultant-7", "ana@example.com") if kind == "consultant" else None
    workshop(engine, "Real Client Ltd", values, owner=owner)


def fakes(engine) -> None:
    """Four made-up self-assessments with the real client's industry and size, spread over the range."""
    for number, value in enumerate((0, 1, 3, 4)):
        self_assessment(engine, f"Fake {number}", {"data.inventory": value, "governance.board": value})


def attacker_answers(questionnaire) -> list[Response]:
    """The attacker's own answers over the whole range: every index each domain reaches, in every pairing."""
    per_domain = [_reachable(questionnaire, domain.id) for domain in questionnaire.domains]
    return [Response("tiny", "1.0.0", organisation="Attacker", organisation_profile=OrganisationProfile(
        **RETAIL_MEDIUM), answers={k: v for answers in chosen for k, v in answers.items()})
            for chosen in itertools.product(*per_domain)]


def _reachable(questionnaire, domain_id: str) -> list[dict]:
    """One set of answers to the domain's questions per index it reaches."""
    asked = [q for q in questionnaire.questions if q.domain == domain_id and q.scored]
    found = {}
    for values in itertools.product(*[_choices(questionnaire, q) for q in asked]):
        answers = {q.id: Answer(v) for q, v in zip(asked, values)}
        index = next(d.index for d in score_response(questionnaire, Response("tiny", "1.0.0", answers=answers)).domains
                     if d.id == domain_id)
        found.setdefault(index, answers)
    return list(found.values())


def _choices(questionnaire, question) -> list:
    values = [o.value for o in questionnaire.options_for(question)]
    return [[v] for v in values] + [values] if question.type == "multi" else values


@pytest.fixture(scope="module")
def attacker(tiny_q) -> list:
    """The attacker's answers (see attacker_answers) with their results: the same in every world, so scored once."""
    return [(response, score_response(tiny_q, response)) for response in attacker_answers(tiny_q)]


def observed(engine, attacker, find) -> list:
    """Everything the benchmark returns to the attacker for each of their answers: the object, the JSON, the rows
    the PDF and deck show, and the text of the app and the command line."""
    seen = []
    for _, result in attacker:
        bench = benchmark_stored(engine, result, RETAIL_MEDIUM, find, organisation="Attacker")
        seen.append((bench, benchmark_to_dict(bench), benchmark_rows(bench), summary_text(bench),
                     format_benchmark(bench), [percentile_text(d) for d in bench.domains]))
    return seen


def client_indices(tiny_q, values: dict) -> tuple[float, ...]:
    result = score_response(tiny_q, Response("tiny", "1.0.0", answers={q: Answer(v) for q, v in values.items()}))
    return tuple(d.index for d in result.domains)


def exact_ranks(engine, attacker, find) -> list:
    """What the attacker read before: each domain's exact percentile among the peers' exact indices."""
    found = stored_peers(engine, "tiny", find, organisation="Attacker")
    ranks = []
    for _, result in attacker:
        for domain in result.domains:
            others = [p.indices[domain.id] for p in found if p.indices.get(domain.id) is not None]
            below = sum(o < domain.index for o in others)
            equal = sum(o == domain.index for o in others)
            ranks.append(round(100 * (below + equal / 2) / len(others)))
    return ranks


@pytest.fixture(scope="module")
def worlds(tmp_path_factory, sqlite_template, kept_schemas):
    """The attack's databases, each built once for the module on its first use: an empty database per backend, kind
    of real client (workshop- or consultant-backed) and client's answers, holding the fakes and the real client.
    The tests that share a world only read it (the benchmark's own refresh of the stored summaries aside, which
    leaves them as the first reading did); the setting they read it under is theirs. Empty databases are made as the
    engine fixture makes them (tests/conftest.py): a copy of the SQLite template, a kept PostgreSQL schema."""
    folder = tmp_path_factory.mktemp("worlds")
    built, schemas = {}, []

    def get(backend: str, kind: str, values: dict):
        key = (backend, kind, tuple(sorted(values.items())))
        if key not in built:
            if backend == "sqlite":
                path = folder / f"world-{len(built)}.db"
                shutil.copyfile(sqlite_template, path)
                url = f"sqlite:///{path}"
            else:
                url, schema = kept_schemas.take()
                schemas.append((url, schema))
            engine = get_engine(url)
            fakes(engine)
            real_client(engine, kind, values)
            built[key] = engine
        return built[key]

    yield get
    for engine in built.values():
        engine.dispose()
    dispose_all()
    for url, schema in schemas:
        kept_schemas.give_back(url, schema)


@pytest.fixture
def world(backend, worlds, attacker, find):
    """What the attacker observes in the world around a real client (workshop- or consultant-backed) with these
    answers, on the test's backend (SQLite or PostgreSQL)."""

    def build(kind: str, values: dict, exact: bool = False):
        engine = worlds(backend, kind, values)
        return exact_ranks(engine, attacker, find) if exact else observed(engine, attacker, find)

    yield build
    dispose_all()


def test_the_two_clients_differ_in_index_but_not_in_half_phase(tiny_q):
    near, nearby = client_indices(tiny_q, CLIENT), client_indices(tiny_q, CLIENT_NEARBY)
    assert near == (1.25, 0.25) and nearby == (1.0, 0.0)
    assert [half_phase(i) for i in near] == [half_phase(i) for i in nearby]


@pytest.mark.parametrize("kind", ["workshop", "consultant"])
def test_four_made_up_self_assessments_do_not_reach_the_floor_and_show_nothing(world, monkeypatch, kind):
    monkeypatch.delenv(SETTING, raising=False)
    seen = world(kind, CLIENT)
    assert len(seen) > 20  # the attacker's answers reach many pairs of indices
    for bench, data, rows, summary, table, readings in seen:
        assert not bench.available and bench.n == 1 and bench.domains == ()  # only the real client counts
        assert data["domains"] == [] and rows == [] and readings == []
        assert summary.startswith("No benchmark yet: 1 comparable")
    # Nothing observed depends on the real client's answers, however far apart.
    assert seen == world(kind, CLIENT_FAR)


@pytest.mark.parametrize("kind", ["workshop", "consultant"])
def test_with_self_assessments_allowed_the_bands_do_not_pin_the_real_clients_index(world, monkeypatch, kind):
    monkeypatch.setenv(SETTING, "true")
    seen = world(kind, CLIENT)
    assert all(bench.available and bench.n == 5 for bench, *_ in seen)
    for bench, data, rows, summary, table, readings in seen:
        assert all(re.fullmatch(r"\d+–\d+", d["percentile"]) for d in data["domains"])
        assert all(re.fullmatch(r"in the \w+ fifth of comparable organisations \(percentile \d+–\d+\)", r)
                   for r in readings)
        assert not re.search(r"percentile \d+(?!\d|–)", table)
    # A client with other indices in the same half phases gives the attacker exactly the same answers ...
    assert seen == world(kind, CLIENT_NEARBY)


def test_the_two_clients_were_told_apart_by_exact_percentiles(world, monkeypatch):
    monkeypatch.setenv(SETTING, "true")
    # ... where the exact percentile the benchmark used to show gave the difference away.
    assert world("workshop", CLIENT, exact=True) != world("workshop", CLIENT_NEARBY, exact=True)


# --- who counts, and how often ------------------------------------------------------------------------------------


def names(found) -> list[float]:
    return sorted(p.indices["data"] for p in found)


def test_an_organisation_counts_once_however_its_name_is_spelt(engine, find):
    workshop(engine, "Acme Corp", {"data.inventory": 0})
    workshop(engine, "ACME  corp", {"data.inventory": 1})
    workshop(engine, " AcmeCorp ", {"data.inventory": 2})  # the latest: index 0.5
    workshop(engine, "Ａｃｍｅ Ｃｏｒｐ", {"data.inventory": 4})  # full-width letters: the latest after all, 1.0
    workshop(engine, "Beta", {"data.inventory": 1})
    assert names(stored_peers(engine, "tiny", find)) == [0.25, 1.0]
    assert names(stored_peers(engine, "tiny", find, organisation="acme corp")) == [0.25]


def test_a_workshop_counts_once_however_many_joined(engine, find, tiny_q):
    workshop(engine, "Crowded Ltd", *[{"data.inventory": value} for value in (0, 1, 2, 2, 4, 4)])
    found = stored_peers(engine, "tiny", find)
    assert len(found) == 1 and names(found) == [0.5]  # the room's median: level 2
    bench = benchmark_stored(engine, score_response(tiny_q, Response("tiny", "1.0.0")), RETAIL_MEDIUM, find)
    assert bench.n == 1 and not bench.available


def test_five_workshops_of_distinct_clients_reach_the_floor(engine, find, tiny_q):
    for number in range(4):
        workshop(engine, f"Client {number}", {"data.inventory": number})
    example = score_response(tiny_q, Response("tiny", "1.0.0", answers={"data.inventory": Answer(2)}))
    assert not benchmark_stored(engine, example, RETAIL_MEDIUM, find).available
    workshop(engine, "Client 1", {"data.inventory": 4})  # a re-run for a client already counted
    assert benchmark_stored(engine, example, RETAIL_MEDIUM, find).n == 4
    workshop(engine, "Client 4", {"data.inventory": 4}, owner=access.Consultant("https://id.example.com|c-1"))
    bench = benchmark_stored(engine, example, RETAIL_MEDIUM, find)
    assert bench.available and bench.n == 5


def test_self_assessments_count_only_when_the_setting_allows(engine, find, monkeypatch):
    workshop(engine, "Real Client Ltd", {"data.inventory": 2})
    fakes(engine)
    assert names(stored_peers(engine, "tiny", find)) == [0.5]
    monkeypatch.setenv(SETTING, "true")
    assert names(stored_peers(engine, "tiny", find)) == [0.0, 0.25, 0.5, 1.0, 1.0]


def test_a_self_assessment_under_a_clients_name_does_not_replace_its_workshop(engine, find, monkeypatch):
    monkeypatch.setenv(SETTING, "true")
    workshop(engine, "Real Client Ltd", {"data.inventory": 2})
    self_assessment(engine, "real client ltd", {"data.inventory": 4})  # later, but nobody vouches for it
    assert names(stored_peers(engine, "tiny", find)) == [0.5]
