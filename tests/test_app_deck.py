"""In the app: the readout deck offered on the Report page and on the workshop dashboard."""

from __future__ import annotations

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
