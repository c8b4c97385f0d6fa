"""Benchmark: the comparison with similar organisations over 10 to 100,000 stored finished assessments.

    python bench/benchmark.py [--sizes 10,1000,10000,100000] [--databases sqlite,postgresql] [--rounds 10]

Fills a fresh database (an SQLite file in a temporary folder; a scratch schema in PostgreSQL's `test` database on
127.0.0.1:5432, dropped afterwards) with finished self-assessments and their stored summaries, as finishing them
would have left them: a pool of random responses is scored once and its summaries are spread over the stored
organisations (a tenth of them assessed twice), over three profiles. Then times `benchmark_stored` for one more
organisation, as Results and `score --benchmark` call it: the first call in the process (cold) and the median of
the next ones (warm), with the CPU time and the peak of Python memory allocated during one call.

Goal: at most 200 ms at 10,000 stored assessments, with memory that does not grow with the number stored.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROFILES = ({"industry": "retail", "size": "medium"}, {"industry": "retail", "size": "large"},
            {"industry": "banking", "size": "medium"})
POOL = 300  # distinct scored responses spread over the stored organisations
BATCH = 5_000
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def scored_pool(questionnaire) -> list:
    """POOL summaries of random responses, scored once."""
    from bench.generate import random_response
    from scoring import score_response
    from scoring.summary import summarise

    rng = random.Random(7)
    return [summarise(score_response(questionnaire, random_response(questionnaire, rng, rng.randint(0, 2))))
            for _ in range(POOL)]


def fill(engine, questionnaire, pool: list, start: int, stop: int) -> None:
    """Stored finished self-assessments number `start` to `stop - 1`, each with its summary."""
    from scoring.summary import fingerprint
    from storage.summaries import name_key
    from storage.tables import assessments, summaries, summary_domains

    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    mark = fingerprint(questionnaire)
    for first in range(start, stop, BATCH):
        numbers = range(first, min(stop, first + BATCH))
        people, rows, domains = [], [], []
        for number in numbers:
            at = stamp + dt.timedelta(minutes=number)
            organisation = f"Client {number if number % 10 else number // 10}"  # every tenth: a re-assessment
            profile = PROFILES[number % len(PROFILES)]
            figures = pool[number % len(pool)]
            people.append({"id": number + 1, "token": secrets.token_hex(32), "questionnaire_id": questionnaire.id,
                           "questionnaire_version": questionnaire.version, "organisation": organisation, "targets": {},
                           "created_at": at, "updated_at": at, "finished_at": at, "profile": dict(profile)})
            rows.append({"id": number + 1, "assessment_id": number + 1, "kind": "assessment",
                         "questionnaire_id": questionnaire.id, "questionnaire_version": questionnaire.version,
                         "fingerprint": mark, "stamp": at, "organisation": organisation,
                         "organisation_key": name_key(organisation), "at": at, "size": profile["size"],
                         "industry": profile["industry"], "ai_role": None, "scored": True, "phase": figures.phase,
                         "phase_name": figures.phase_name, "achieved": figures.achieved, "complete": figures.complete,
                         "overall_index": figures.index, "assessed": figures.assessed, "scored_at": at})
            domains += [{"summary_id": number + 1, "domain_id": d.id, "position": d.position, "assessed": d.assessed,
                         "domain_index": d.index, "level": d.level, "achieved": d.achieved,
                         "attainment": d.attainment} for d in figures.domains]
        with engine.begin() as conn:
            conn.execute(assessments.insert(), people)
            conn.execute(summaries.insert(), rows)
            conn.execute(summary_domains.insert(), domains)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def measure(engine, questionnaire, result, find, rounds: int) -> dict:
    """Wall and CPU time of the first call and the median of `rounds` more, and the peak Python memory of one."""
    from scoring.benchmark import benchmark_to_dict
    from storage.benchmark import benchmark_stored

    def one():
        wall, cpu = time.perf_counter(), time.process_time()
        bench = benchmark_stored(engine, result, PROFILES[0], find, organisation="Compared Corp")
        return time.perf_counter() - wall, time.process_time() - cpu, bench

    cold_wall, cold_cpu, bench = one()
    runs = [one() for _ in range(rounds)]
    tracemalloc.start()
    one()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert benchmark_to_dict(bench)["available"], "the benchmark found too few peers"
    return {"n": bench.n, "cold": cold_wall, "cold_cpu": cold_cpu, "warm": statistics.median(r[0] for r in runs),
            "warm_cpu": statistics.median(r[1] for r in runs), "peak": peak}


def run(name: str, url: str, sizes: list[int], rounds: int) -> None:
    from bench.generate import random_response
    from questionnaires import find_questionnaire
    from scoring import score_response
    from scoring.answers import OrganisationProfile
    from storage import dispose_all, get_engine

    questionnaire = find_questionnaire("ai-maturity")
    find = lambda questionnaire_id, version: (  # noqa: E731
        questionnaire if (questionnaire_id, version) == (questionnaire.id, questionnaire.version) else None)
    pool = scored_pool(questionnaire)
    own = dataclasses.replace(random_response(questionnaire, random.Random(3)), organisation="Compared Corp",
                              organisation_profile=OrganisationProfile(**PROFILES[0]))
    result = score_response(questionnaire, own)
    engine = get_engine(url)
    stored = 0
    print(f"{name}: {questionnaire.id} {questionnaire.version}, self-assessments counted as peers")
    print(f"  {'stored':>8} {'peers':>6} {'cold wall':>10} {'cold CPU':>9} {'warm wall':>10} {'warm CPU':>9} "
          f"{'peak memory':>12}  {'filled in':>9}")
    for size in sizes:
        start = time.perf_counter()
        fill(engine, questionnaire, pool, stored, size)
        filled = time.perf_counter() - start
        stored = size
        dispose_all()  # each size starts with a new connection pool, as a new process would
        engine = get_engine(url)
        figures = measure(engine, questionnaire, result, find, rounds)
        print(f"  {size:>8,} {figures['n']:>6,} {figures['cold'] * 1000:>8.0f} ms {figures['cold_cpu'] * 1000:>6.0f} ms "
              f"{figures['warm'] * 1000:>8.1f} ms {figures['warm_cpu'] * 1000:>6.1f} ms "
              f"{figures['peak'] / 1024:>9.0f} KB  {filled:>7.1f} s", flush=True)
    dispose_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,10000,100000",
                        help="how many finished assessments to store, in turn (comma-separated, rising)")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    os.environ["PHASEGATE_BENCHMARK_SELF_ASSESSMENTS"] = "true"
    for name in args.databases.split(","):
        if name == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                run("SQLite", f"sqlite:///{folder}/phasegate.db", sizes, args.rounds)
        elif name == "postgresql":
            import psycopg

            schema = f"bench_{secrets.token_hex(6)}"
            with psycopg.connect(POSTGRES, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')
            try:
                run("PostgreSQL", f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}",
                    sizes, args.rounds)
            finally:
                with psycopg.connect(POSTGRES, autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        else:
            parser.error(f"unknown database '{name}': give sqlite, postgresql or both")


if __name__ == "__main__":
    main()
