"""The pilot register in the app: a leader's Pilot portfolio step, the room's register on the workshop dashboard,
the portfolio on Results; each edit saved whole as the table's callback runs, a bad row named and never saved."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

import services
from questionnaires import load_questionnaire
from scoring.answers import Pilot, dump_answers, Response
from scoring.engine import score_response
from scoring.pilots import pilots_to_dict
from scoring.register import editor_rows, portfolio_figures, triage_rows
from storage import dispose_all, get_engine
from storage import pilots as registers
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import DATA, open_page
from tests.test_app import open_app, start_tiny

EDITOR = "pilot_register"
ROOM = "room_pilot_register"
NO_EDITS = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
FIVE = [  # one of each kind: stuck without owner or KPI, blocked, in production, young, stopped
    {"name": "Invoice reader", "stage": "pilot", "started": "2025-01", "owner": False, "kpi_baseline": False,
     "blockers": ["governance.approval-queue"], "value": 120000},
    {"name": "Churn model", "stage": "production", "started": "2024-03", "production_since": "2025-01",
     "owner": True, "kpi_baseline": True, "blockers": [], "value": 400000},
    {"name": "Chatbot", "stage": "ready", "started": "2025-06", "owner": True, "kpi_baseline": False,
     "blockers": ["data.no-access", "governance.no-risk-review"], "value": 90000},
    {"name": "Forecast <b>v2</b> *now*", "stage": "pilot", "started": "2026-10", "owner": True,
     "kpi_baseline": True, "blockers": []},
    {"name": "Route planner", "stage": "stopped", "started": "2024-06", "owner": False, "kpi_baseline": False,
     "blockers": []},
]


def edit(at: AppTest, key: str, **edits) -> AppTest:
    """Send the table's edits as the browser does (the data editor's widget state), so its on_change runs."""
    states = at._tree.get_widget_states()
    widget = states.widgets.add()
    widget.id = at.data_editor(key=key).proto.id
    widget.string_value = json.dumps({**NO_EDITS, **edits})
    at._run(states)
    assert not at.exception, at.exception
    return at


def to_pilot_step(at: AppTest) -> AppTest:
    at.button(key="next").click().run()  # Data -> Governance
    at.button(key="next").click().run()  # Governance -> Pilot portfolio
    assert not at.exception, at.exception
    assert [h.value for h in at.header] == ["Pilot portfolio"]
    return at


def saved(at: AppTest) -> tuple[Pilot, ...]:
    return repo.find_assessment(get_engine(), at.query_params["a"]).pilots


def triage_table(at: AppTest):
    """The triage table on screen (the one table with a Verdict column)."""
    (table,) = [frame.value for frame in at.table if "Verdict" in frame.value.columns]
    return table.map(lambda cell: cell.replace("\\", "") if isinstance(cell, str) else cell)  # unescaped


def warnings(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning).replace("\\", "")


@pytest.fixture
def any_database(app_env, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    yield database_url
    dispose_all()


def test_a_leader_enters_pilots_and_finds_them_saved_after_reopening(any_database):
    at = to_pilot_step(start_tiny("Acme"))
    assert at.data_editor(key=EDITOR).value.empty
    edit(at, EDITOR, added_rows=FIVE[:2])
    assert [p.name for p in saved(at)] == ["Invoice reader", "Churn model"]
    edit(at, EDITOR, added_rows=FIVE[2:])  # the table now shows the two saved; its edits are relative to them
    assert [p.name for p in saved(at)] == [row["name"] for row in FIVE]
    assert saved(at)[2] == Pilot("Chatbot", "ready", "2025-06", None, True, False,
                                 ("data.no-access", "governance.no-risk-review"), 90000.0)

    again = open_app(at.query_params["a"], "app_pages/assessment.py")
    again.radio(key="step_picker").set_value("pilots").run()
    shown = again.data_editor(key=EDITOR).value
    assert list(shown["name"]) == [row["name"] for row in FIVE]
    assert list(shown["stage"]) == ["Pilot", "In production", "Ready for production", "Pilot", "Stopped"]


def test_cells_changed_and_rows_deleted_are_saved_whole(app_env):
    at = to_pilot_step(start_tiny())
    edit(at, EDITOR, added_rows=FIVE)
    edit(at, EDITOR, edited_rows={"0": {"owner": True, "stage": "ready"}}, deleted_rows=[4, 3])
    assert [(p.name, p.stage, p.owner) for p in saved(at)] == [
        ("Invoice reader", "ready", True), ("Churn model", "production", True), ("Chatbot", "ready", True)]


def test_a_bad_row_is_named_with_what_to_fix_and_nothing_of_the_edit_is_saved(app_env):
    at = to_pilot_step(start_tiny())
    edit(at, EDITOR, added_rows=FIVE[:1])
    edit(at, EDITOR, edited_rows={"0": {"value": 5}},
         added_rows=[{"name": "Vision", "stage": "pilot", "started": "2099-01"}, FIVE[1]])
    assert "Row 2 (Vision) · Started: 2099-01 is after today" in warnings(at)
    assert "give the month the pilot started" in warnings(at)
    assert "Everything saved before is kept" in warnings(at)
    assert [(p.name, p.value) for p in saved(at)] == [("Invoice reader", 120000.0)]  # not even the good cell

    # The table keeps the edit; fixing the row saves the register as it now stands.
    edit(at, EDITOR, edited_rows={"0": {"value": 5}},
         added_rows=[{"name": "Vision", "stage": "pilot", "started": "2026-01"}, FIVE[1]])
    assert not warnings(at)
    assert [(p.name, p.value) for p in saved(at)] == [("Invoice reader", 5.0), ("Vision", None),
                                                      ("Churn model", 400000.0)]


@pytest.mark.parametrize(
    "row, expected",
    [
        ({"name": "Chatbot", "stage": "pilot", "started": "2025-01"},
         "Row 2 (Chatbot) · Name: 'Chatbot' is already the name of row 1; names must be unique"),
        ({"name": "Live", "stage": "production", "started": "2025-05", "production_since": "2025-01"},
         "Row 2 (Live) · In production since: 2025-01 is before the pilot started (2025-05); check both months"),
        ({"name": "N" * 121, "stage": "pilot", "started": "2025-01"}, "Name: is 121 characters long; at most 120"),
        ({"name": "Unknown", "stage": "pilot", "started": "2025-01", "blockers": ["legal.nope"]},
         "Row 2 (Unknown) · Blockers: unknown blocker 'legal.nope'"),
        ({"name": "Half typed"}, "Row 2 (Half typed) · Stage: is empty; choose where the pilot stands"),
    ],
    ids=["duplicate", "live-before-start", "long-name", "unknown-blocker", "half-typed"],
)
def test_every_kind_of_bad_row_is_refused_and_the_saved_register_kept(app_env, row, expected):
    at = to_pilot_step(start_tiny())
    edit(at, EDITOR, added_rows=[FIVE[2]])
    edit(at, EDITOR, added_rows=[row])
    assert expected in warnings(at)
    assert [p.name for p in saved(at)] == ["Chatbot"]


def test_results_show_the_funnel_the_figures_against_the_reference_and_the_triage(app_env):
    at = to_pilot_step(start_tiny("Acme"))
    edit(at, EDITOR, added_rows=FIVE)
    at.switch_page("app_pages/results.py").run()
    assert not at.exception, at.exception
    assert "Pilot portfolio" in [h.value for h in at.header]
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    figures = {m.label: m.value for m in at.metric}
    assert (figures["Pilots"], figures["Reached production"], figures["Stuck"]) == ("5", "25%", "2")
    assert any("source: an industry article (2026)" in c.value.replace("\\", "") for c in at.caption)
    triage = triage_table(at)
    assert list(triage["Verdict"]) == ["Stop", "Fix", "Scale", "Continue", "—"]
    assert triage["Pilot"][3] == "Forecast <b>v2</b> *now*"
    raw = [frame.value for frame in at.table if "Verdict" in frame.value.columns][0]
    assert raw["Pilot"][3] == "Forecast \\<b\\>v2\\</b\\> \\*now\\*"  # escaped, so it shows as typed


def test_workshop_participants_never_get_a_pilot_step(app_env):
    engine = get_engine()
    tiny = load_questionnaire(DATA / "tiny.yaml")
    workshop = ws.create_workshop(engine, "Acme", "tiny", tiny.version)
    participant = ws.join_workshop(engine, workshop, "Executive")
    at = open_app(participant.token, "app_pages/assessment.py")
    assert "pilots" not in at.radio(key="step_picker").options
    at.button(key="next").click().run()
    assert at.button(key="next").disabled  # Governance is the last step
    assert not at.data_editor
    assert "Pilot portfolio" not in [h.value for h in at.header]


def _figures(at: AppTest) -> dict:
    labels = {figure.label for figure in portfolio_figures(_metrics())}
    return {m.label: m.value for m in at.metric if m.label in labels}


def _metrics():
    tiny = load_questionnaire(DATA / "tiny.yaml")
    return score_response(tiny, Response("tiny", tiny.version, pilots=tuple(_pilots()))).pilots


def _pilots():
    return [Pilot(r["name"], r["stage"], r["started"], r.get("production_since"), r["owner"], r["kpi_baseline"],
                  tuple(r["blockers"]), float(r["value"]) if "value" in r else None) for r in FIVE]


def test_the_same_register_gives_the_same_figures_in_the_app_the_workshop_and_an_answers_file(app_env):
    engine = get_engine()
    tiny = load_questionnaire(DATA / "tiny.yaml")
    expected = pilots_to_dict(_metrics())

    leader = to_pilot_step(start_tiny("Acme"))
    edit(leader, EDITOR, added_rows=FIVE)
    leader.switch_page("app_pages/results.py").run()

    workshop = ws.create_workshop(engine, "Acme", "tiny", tiny.version)
    ws.join_workshop(engine, workshop, "Executive")
    room = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    edit(room, ROOM, added_rows=FIVE)
    assert registers.load_workshop_register(engine, workshop.id) == tuple(_pilots())

    text = dump_answers(Response("tiny", tiny.version, organisation="Acme", pilots=tuple(_pilots()))).encode()
    imported = open_app()
    imported.file_uploader(key="answers_file").set_value(("acme.yaml", text, "application/x-yaml")).run()
    imported.button(key="import_answers").click().run()
    imported.button(key="import_copy").click().run()
    imported.switch_page("app_pages/results.py").run()
    assert not imported.exception, imported.exception

    stored = [repo.find_assessment(engine, at.query_params["a"]) for at in (leader, imported)]
    _, result = services.aggregate_stored(engine, workshop, tiny)
    scored = [score_response(tiny, repo.load_response(engine, a)).pilots for a in stored] + [result.result.pilots]
    for metrics in scored:
        assert pilots_to_dict(metrics) == expected
    shown = [_figures(at) for at in (leader, room, imported)]
    assert shown[0] == shown[1] == shown[2] == {f.label: f.value for f in portfolio_figures(_metrics())}
    triage = [triage_table(at).to_dict("records") for at in (leader, room, imported)]
    assert triage[0] == triage[1] == triage[2] == triage_rows(_metrics())


def test_the_facilitator_keeps_one_register_for_the_room_and_a_bad_row_is_not_saved(app_env):
    engine = get_engine()
    tiny = load_questionnaire(DATA / "tiny.yaml")
    workshop = ws.create_workshop(engine, "Acme", "tiny", tiny.version)
    room = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    edit(room, ROOM, added_rows=FIVE[:2])
    edit(room, ROOM, added_rows=[{"name": "Later", "stage": "pilot", "started": "2099-05"}])
    assert "Row 3 (Later) · Started: 2099-05 is after today" in warnings(room)
    assert [p.name for p in registers.load_workshop_register(engine, workshop.id)] == ["Invoice reader", "Churn model"]
    assert list(room.data_editor(key=ROOM).value["name"]) == ["Invoice reader", "Churn model"]
    assert editor_rows(registers.load_workshop_register(engine, workshop.id))[1]["production_since"] == "2025-01"


@pytest.mark.parametrize("currency, label", [("GBP", "Annual value (GBP)"), ("", "Annual value (EUR)")])
def test_the_register_asks_for_values_in_the_organisations_currency(monkeypatch, currency, label):
    from ui.pilot_register import columns

    monkeypatch.delenv("PHASEGATE_CURRENCY", raising=False)
    assert columns(load_questionnaire(DATA / "tiny.yaml"), currency)["value"]["label"] == label
