"""In the app: the readout deck offered on the Report page and on the workshop dashboard."""

from __future__ import annotations

import services
from scoring import Answer
from storage import get_engine
from storage import repository as repo
from storage import workshops as ws
from tests.conftest import open_page


def deck_button(at):
    """The deck's download button as the page sent it (label and whether it can be pressed)."""
    found = [e.proto for e in at.get("download_button") if e.proto.id.endswith("download_deck")
             or "download_deck" in e.proto.id]
    assert len(found) == 1, [e.proto.label for e in at.get("download_button")]
    return found[0]


def test_the_report_page_offers_the_readout_deck(app_env):
    assessment = repo.create_assessment(get_engine(), "tiny", "1.0.0", organisation="Example Corp")
    repo.save_answer(get_engine(), assessment.id, "data.inventory", 3)
    at = open_page("app_pages/report.py", a=assessment.token)
    button = deck_button(at)
    assert button.label == "Readout deck (PowerPoint)" and not button.disabled


def test_the_dashboard_offers_the_deck_once_someone_has_joined(app_env):
    workshop = ws.create_workshop(get_engine(), "Example Corp", "tiny", "1.0.0")
    at = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    assert deck_button(at).disabled
    joined = ws.join_workshop(get_engine(), workshop, "Executive")
    repo.save_answers(get_engine(), joined.id, {"data.inventory": Answer(2)})
    at = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    assert not deck_button(at).disabled


def retail(organisation: str, level: int, finish: bool = True):
    from scoring import Response
    from scoring.answers import OrganisationProfile

    stored = repo.import_response(get_engine(), Response(
        "tiny", "1.0.0", organisation=organisation, organisation_profile=OrganisationProfile(industry="retail"),
        answers={"data.inventory": Answer(level), "governance.board": Answer(level)}))
    if finish:
        services.finish_assessment(get_engine(), stored.id)
    return stored


def test_results_and_the_report_compare_with_similar_organisations_only_from_the_fifth(app_env, monkeypatch):
    monkeypatch.setenv("PHASEGATE_BENCHMARK_SELF_ASSESSMENTS", "true")  # the peers are self-assessments
    from ui import pdf_worker

    own = retail("Example Corp", 1, finish=False)
    for number, level in enumerate((0, 2, 2, 4)):
        retail(f"Peer {number}", level)
    at = open_page("app_pages/results.py", a=own.token)
    assert "Compared with similar organisations" not in [s.value for s in at.subheader]
    retail("Peer 4", 3)
    at = open_page("app_pages/results.py", a=own.token)
    assert "Compared with similar organisations" in [s.value for s in at.subheader]
    caption = " ".join(c.value for c in at.caption)
    assert "Compared with 5 organisations in retail that finished the same questionnaire." in caption
    assert "Peer" not in caption
    # The PDF made from the Report page carries the same comparison.
    now = pdf_worker_current(own)
    payload = pdf_worker.inputs_of(now).benchmark
    # Data 0.25 among 0, 0.5, 0.5, 1.0, 1.0: the same half phase as 0 only -> 10 % -> bottom fifth.
    assert payload["available"] and [(d["id"], d["band"], d["percentile"]) for d in payload["domains"]] == [
        ("data", "bottom fifth", "0–20"), ("governance", "bottom fifth", "0–20")]


def pdf_worker_current(stored):
    """The open assessment as the pages hold it."""
    from ui.state import Current
    from questionnaires import load_questionnaire
    from tests.conftest import DATA

    return Current(repo.get_assessment(get_engine(), stored.id), load_questionnaire(DATA / "tiny.yaml"),
                   repo.load_answers(get_engine(), stored.id))


def test_the_facilitator_sets_the_clients_profile_for_the_benchmark(app_env):
    workshop = ws.create_workshop(get_engine(), "Example Corp", "tiny", "1.0.0")
    at = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    at.selectbox(key=f"profile_size:{workshop.id}").set_value("medium")
    at.text_input(key=f"profile_industry:{workshop.id}").set_value("&&&")
    at.button(key="save_workshop_profile").click().run()
    assert "give the industry as a short id in lower case" in at.error[0].value
    assert ws.get_workshop(get_engine(), workshop.id).profile is None
    at = open_page("app_pages/workshop_dashboard.py", f=workshop.facilitator_token)
    at.selectbox(key=f"profile_size:{workshop.id}").set_value("medium")
    at.text_input(key=f"profile_industry:{workshop.id}").set_value("Retail banking")
    at.button(key="save_workshop_profile").click().run()
    assert ws.get_workshop(get_engine(), workshop.id).profile == {"size": "medium", "industry": "retail-banking"}
