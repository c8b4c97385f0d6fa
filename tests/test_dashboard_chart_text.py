"""The dashboard's charts say in words what they show: who joined and finished per role, and how each role sees
each domain, with the figures the charts draw."""

from __future__ import annotations

from reports.workshop_charts import gap_rows, gap_text, participation_text
from scoring.answers import Answer, Response
from scoring.workshop import aggregate_workshop


def response(**answers) -> Response:
    given = {key.replace("_", ".", 1): Answer(value) for key, value in answers.items()}
    return Response("tiny", "1.0.0", given)


def test_the_participation_chart_in_words_names_each_role_with_its_counts(tiny):
    room = [("Executive", response(data_inventory=3)), ("Executive", response()),
            ("Data & AI", response(data_inventory=1))]
    result = aggregate_workshop(tiny, room)
    counts = {c.role: (c.finished, c.joined) for c in result.participation if c.joined}
    text = participation_text(result)
    for role, (finished, joined) in counts.items():
        assert f"{role}: {finished} of {joined} finished" in text
    assert participation_text(aggregate_workshop(tiny, [])) == "Nobody has joined yet."


def test_the_perception_heatmap_in_words_gives_every_cell_it_draws(tiny):
    result = aggregate_workshop(tiny, [("Executive", response(data_inventory=4)),
                                       ("Data & AI", response(data_inventory=1))])
    text = gap_text(result)
    for cell in gap_rows(result):
        assert f"{cell['domain']} {cell['label']}" in text.split(f"{cell['role']}: ")[1].split(" · ")[0]
