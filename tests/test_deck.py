"""The readout deck: opened with python-pptx, its slides, their editable text and the branding."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

import services
from reports.branding import Branding
from reports.deck import DeckError, render_deck, workshop_deck
from scoring import Answer, Response, read_answers, score_response
from scoring.answers import Pilot
from storage import repository as repo
from storage import workshops as ws
from storage.benchmark import set_workshop_profile
from tests.conftest import DATA

DAY = dt.date(2026, 11, 26)
SELF_TITLES = ["Example Corp", "Phase 1: Assess & Align", "Where each domain stands", "Each domain, phase by phase",
               "The next steps", "The 90-day plan", "Risks to watch", "Next steps"]


def logo_png(colour="#7a3e9d") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 100), colour).save(out, "PNG")
    return out.getvalue()


BRANDING = Branding("Northwind Advisory", "#7a3e9d", logo_png(), "logo.png", "The room agrees on data, not on governance.")


def slides(data: bytes) -> list[dict]:
    """Each slide's title, every piece of text (text boxes and table cells) and its pictures."""
    found = []
    for slide in Presentation(io.BytesIO(data)).slides:
        texts, pictures = [], []
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.shape_type == 13:  # a picture
                pictures.append(shape._element.nvPicPr.cNvPr.get("descr") or "")
        found.append({"title": slide.shapes.title.text, "text": "\n".join(texts), "pictures": pictures})
    return found


@pytest.fixture(scope="module")
def tiny_result(tiny):
    return score_response(tiny, read_answers(DATA / "tiny-answers.yaml", tiny))


@pytest.fixture(scope="module")
def branded_deck(tiny, tiny_result) -> bytes:
    """The tiny answers file's deck with the full branding, rendered once for the tests that only read it."""
    return render_deck(tiny, tiny_result, BRANDING, generated=DAY)


def test_an_answers_file_deck_has_eight_slides_of_editable_text_in_order(tiny_result, branded_deck):
    deck = slides(branded_deck)
    assert [s["title"] for s in deck] == SELF_TITLES
    assert "Assessment readout" in deck[0]["text"] and "26 November 2026" in deck[0]["text"]
    assert "Prepared by Northwind Advisory" in deck[0]["text"]
    assert tiny_result.overall.profile + "." in deck[1]["text"]
    assert "The room agrees on data, not on governance." in deck[1]["text"]  # the consultant's commentary
    assert "Northwind Advisory's view" in deck[1]["text"]
    for step in tiny_result.actions:
        assert step.title in deck[4]["text"]
    assert "Governance: index 0.2, working on phase 1, holds the organisation back" in deck[2]["text"]
    assert "Resolve the 1 “don't know” answer" in deck[7]["text"]
    # The footer on every slide after the cover names the client, the date and who prepared it.
    assert all("Example Corp · Tiny test questionnaire · 26 November 2026 · Prepared by Northwind Advisory" in s["text"]
               for s in deck[1:])


def test_charts_are_the_only_pictures_besides_the_logo(branded_deck):
    deck = slides(branded_deck)
    charts = [d for s in deck for d in s["pictures"] if not d.startswith("Logo")]
    assert len(charts) == 3 and "Bar chart of each domain's maturity index" in charts[0]
    logos = [d for s in deck for d in s["pictures"] if d == "Logo of Northwind Advisory"]
    assert len(logos) == len(deck)  # one logo per slide, the cover's included


def test_the_deck_wears_the_accent_colour(tiny, tiny_result, branded_deck):
    plain = render_deck(tiny, tiny_result, Branding(), generated=DAY)
    assert band_colour(branded_deck) == BRANDING.color.lstrip("#").upper() == "7A3E9D"
    assert band_colour(plain) == "1F5F8B"


def band_colour(data: bytes) -> str:
    """The colour of the band down the left of the second slide."""
    shapes = Presentation(io.BytesIO(data)).slides[1].shapes
    return str(next(s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE).fill.fore_color.rgb)


def test_a_pilot_register_adds_the_pilot_slide(tiny):
    pilots = (Pilot("Churn model", "production", "2024-03", "2025-01", True, True),
              Pilot("Chatbot", "pilot", "2025-01", value=250000.0))
    response = Response("tiny", "1.0.0", organisation="Example Corp", date=DAY,
                        answers={"data.inventory": Answer(1), "governance.board": Answer(1)}, pilots=pilots)
    deck = slides(render_deck(tiny, score_response(tiny, response), generated=DAY))
    titles = [s["title"] for s in deck]
    assert "The pilot portfolio" in titles and 8 <= len(titles) <= 12
    text = deck[titles.index("The pilot portfolio")]["text"]
    assert "2 pilots, 1 in production or scaled." in text and "1 stuck" in text


def test_hostile_text_stays_text(tiny):
    response = Response("tiny", "1.0.0", organisation="<b>Acme</b> & {{ x }}",
                        answers={"data.inventory": Answer(1, "=cmd|' /C calc'!A0 <script>")})
    deck = slides(render_deck(tiny, score_response(tiny, response), generated=DAY))
    assert deck[0]["title"] == "<b>Acme</b> & {{ x }}"
    assert "=cmd|' /C calc'!A0 <script>" in deck[6]["text"]  # the respondent's note, quoted as written


# --- a workshop's deck ------------------------------------------------------------------------


def find_for(questionnaire):
    return lambda questionnaire_id, version: questionnaire if questionnaire_id == questionnaire.id else None


def room(engine, client="Example Corp", answers=((0, 4), (4, 0), (2, 2)), close=True):
    workshop = ws.create_workshop(engine, client, "tiny", "1.0.0")
    for role, (data, board) in zip(("Executive", "Data & AI", "IT & engineering"), answers):
        joined = ws.join_workshop(engine, workshop, role)
        repo.save_answers(engine, joined.id, {"data.inventory": Answer(data), "governance.board": Answer(board),
                                              "data.pipelines": Answer(data)})
    set_workshop_profile(engine, workshop.id, {"industry": "retail", "size": "medium"})
    if close:
        services.close_workshop(engine, workshop.id)
    return workshop


def test_a_workshop_deck_shows_the_disagreements_the_consensus_and_the_perception_gap(engine, tiny):
    workshop = room(engine)
    ws.save_consensus(engine, workshop.id, "governance.board", 1, "Only the finance team does this")
    ws.set_branding(engine, workshop.id, BRANDING.to_stored())
    deck = slides(workshop_deck(engine, ws.get_workshop(engine, workshop.id), find_for(tiny), generated=DAY))
    titles = [s["title"] for s in deck]
    assert titles == ["Example Corp", "Phase 1: Assess & Align", "Where each domain stands",
                      "Each domain, phase by phase", "Where the room disagreed",
                      "Executive view versus operational reality", "The next steps", "The 90-day plan",
                      "Risks to watch", "Next steps"]
    assert "Workshop readout" in deck[0]["text"] and "3 participants" in deck[0]["text"]
    disputed = deck[4]["text"]
    assert "Is there an AI governance board?" in disputed and "Ad hoc (decided in the room)" in disputed
    assert "Is there an inventory of data sets?" in disputed and "(median, still open)" in disputed
    assert "2 open disputes, 1 decided in the room" in disputed and "1 answer agreed in the room" in disputed
    gap = deck[5]["text"]
    assert "too few answers yet" in gap and "Average index by role" in gap  # one executive, two practitioners
    assert "Executive (executive" not in gap and "Data & AI (practitioner)" in gap
    assert "Prepared by Northwind Advisory" in deck[3]["text"]  # the workshop's stored branding
    assert "The room agrees on data, not on governance." in deck[1]["text"]


def test_a_workshop_deck_gets_the_benchmark_once_five_comparable_clients_are_stored(engine, tiny):
    workshop = ws.get_workshop(engine, room(engine, close=False).id)
    for number in range(4):
        room(engine, f"Peer {number}", answers=((number % 3, 1),))
    titles = [s["title"] for s in slides(workshop_deck(engine, workshop, find_for(tiny), generated=DAY))]
    assert "Compared with similar organisations" not in titles
    room(engine, "Peer 4", answers=((1, 1),))
    deck = slides(workshop_deck(engine, workshop, find_for(tiny), generated=DAY))
    titles = [s["title"] for s in deck]
    assert "Compared with similar organisations" in titles and len(titles) == 11
    text = deck[titles.index("Compared with similar organisations")]["text"]
    assert "Compared with 5 medium-sized organisations in retail" in text
    assert "Peer" not in text  # no other client is named


def test_a_workshop_nobody_joined_has_no_deck(engine, tiny):
    workshop = ws.create_workshop(engine, "Empty Corp", "tiny", "1.0.0")
    with pytest.raises(DeckError, match="no participants yet"):
        workshop_deck(engine, workshop, find_for(tiny))


def test_a_workshop_with_everything_stays_at_twelve_slides(engine, tiny):
    from storage.pilots import save_workshop_register

    workshop = room(engine, close=False)
    save_workshop_register(engine, workshop.id, (Pilot("Churn model", "production", "2024-03", "2025-01", True, True),
                                                 Pilot("Chatbot", "pilot", "2025-01")))
    for number in range(5):
        room(engine, f"Peer {number}", answers=((number % 3, 1),))
    data = workshop_deck(engine, ws.get_workshop(engine, workshop.id), find_for(tiny), BRANDING, generated=DAY)
    titles = [s["title"] for s in slides(data)]
    assert len(titles) == 12
    assert {"The pilot portfolio", "Where the room disagreed", "Compared with similar organisations"} <= set(titles)
