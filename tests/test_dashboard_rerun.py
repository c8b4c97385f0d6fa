"""A re-run on its dashboard: it says it is a re-run, shows the progress since the first run per domain and for
the pilots, and asks the facilitator to confirm the pilots it carried over. The dashboard also warns when phones
cannot reach the join link."""

from __future__ import annotations

import pytest

import services
from scoring.answers import Pilot
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from storage.pilots import save_workshop_register
from tests.conftest import open_page

DASHBOARD = "app_pages/workshop_dashboard.py"
REGISTER = (Pilot("Churn model", "pilot", "2025-01", owner=True, blockers=("data",)),
            Pilot("Invoice OCR", "production", "2024-03", production_since="2024-09"))


@pytest.fixture
def engine(app_env):
    yield get_engine()


def answered(engine, workshop, value: int) -> None:
    person = ws.join_workshop(engine, workshop, "Executive")
    repo.save_answers(engine, person.id, {"data.inventory": repo.Answer(value), "data.pipelines": repo.Answer(value),
                                          "governance.board": repo.Answer(value)})


def text_of(at) -> str:
    return " ".join(str(e.value) for e in (*at.title, *at.header, *at.subheader, *at.markdown, *at.caption,
                                           *at.metric)).replace("\\", "").replace("**", "")


@pytest.fixture
def rerun(engine):
    first = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    answered(engine, first, 1)
    save_workshop_register(engine, first.id, REGISTER)
    services.close_workshop(engine, first.id)
    again = ws.rerun_workshop(engine, ws.get_workshop(engine, first.id))
    answered(engine, again, 3)
    return again


def test_a_rerun_shows_the_progress_since_the_first_run(engine, rerun):
    at = open_page(DASHBOARD, f=rerun.facilitator_token)
    assert not at.exception, at.exception
    text = text_of(at)
    assert "Workshop · Example Corp · re-run" in text and "Re-run of the workshop of" in text
    assert any(h.value.startswith("Progress since the workshop of") for h in at.header)
    assert "Phase then → now" in [m.label for m in at.metric]
    assert any(t.value["Domain"].tolist() for t in at.dataframe if "Index before" in t.value.columns)
    assert "The pilots then and now" in [s.value for s in at.subheader]


def test_a_first_run_shows_no_progress_section(engine):
    first = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    answered(engine, first, 2)
    at = open_page(DASHBOARD, f=first.facilitator_token)
    assert [t.value for t in at.title] == ["Workshop · Example Corp"]
    assert "Re-run of" not in text_of(at)
    assert not any(h.value.startswith("Progress since") for h in at.header)


def test_the_carried_pilots_are_confirmed_on_the_dashboard(engine, rerun):
    at = open_page(DASHBOARD, f=rerun.facilitator_token)
    assert "2 pilots carried over from the first run: Churn model, Invoice OCR" in text_of(at)
    at.button(key="confirm_carried_pilots").click().run()
    assert not at.exception, at.exception
    assert ws.carried_pilots(engine, rerun.id) == []
    assert "carried over from the first run" not in text_of(at)


def test_a_join_link_on_this_computers_own_address_is_said_to_be_out_of_reach_of_phones(engine, monkeypatch):
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")

    def warnings_at(public: str) -> str:
        monkeypatch.setenv("PHASEGATE_PUBLIC_URL", public)
        at = open_page(DASHBOARD, f=workshop.facilitator_token, prepare=lambda at: setattr(
            at, "context", {"url": "http://localhost:8501/workshop-dashboard"}))
        return " ".join(w.value for w in at.warning)

    assert "Phones cannot open this join link" in warnings_at("")
    assert "PHASEGATE_PUBLIC_URL" in warnings_at("")
    assert "Phones cannot open" not in warnings_at("https://assess.example.com")
