"""The Results page tells the summary's story: plain headline, the first three steps with their why, findings and
risks, captioned charts, and human names rather than question ids."""

from __future__ import annotations

import re

from tests.test_app import ANSWERS, answer, start_tiny

IDS = re.compile(r"\b(data|governance)\.[a-z-]+\b")


def results_page():
    at = start_tiny("Example Corp")
    for question_id, value in ANSWERS.items():
        if question_id == "governance.board":
            at.button(key="next").click().run()
        answer(at, question_id, value)
    at.switch_page("app_pages/results.py").run()
    assert not at.exception, at.exception
    return at


def shown_text(at) -> list[str]:
    return [e.value for kind in ("markdown", "caption", "subheader", "header") for e in at.get(kind)]


def test_the_results_page_opens_with_the_profile_and_the_weakest_link_rule(app_env):
    text = shown_text(results_page())
    assert "**One of two domains has achieved all four phases; Governance holds the organisation at phase 2.**" in text
    assert ("The organisation is at the phase of its weakest domain: a phase counts once every domain has achieved "
            "the one before it.") in text


def test_the_first_three_steps_come_first_with_their_plain_why_and_the_arithmetic_in_a_tooltip(app_env):
    at = results_page()
    first = [at.container(key=f"first_step_{rank}") for rank in (1, 2, 3)]
    titles = [c.markdown[0] for c in first]
    assert [t.value for t in titles] == ["**1. Introduce model approval**", "**2. Add production controls**",
                                        "**3. Fund governance**"]
    assert all(t.help.startswith("Priority ") for t in titles)
    assert [c.markdown[1].value for c in first] == [
        "Governance holds the organisation at phase 2, and this phase 2 practice is not in place yet.",
        "Prepares Governance for phase 3, its next phase: the practice is only partly in place.",
        "A phase 4 practice for Governance, for after phase 2 and the phases between.",
    ]


def test_findings_risks_and_the_plan_charts_are_shown(app_env):
    at = results_page()
    headings = [s.value for s in at.subheader]
    assert {"Findings", "Risks", "The plan at a glance"} <= set(headings)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Each dot is a step, numbered by rank") for c in captions)
    assert any("- A model can go live without anyone signing off its risks. Step 1 closes this gap." in
               m.value.replace("\\", "") for m in at.markdown)  # markdown escapes removed


def test_the_results_page_shows_no_question_ids(app_env):
    at = results_page()
    assert [text for text in shown_text(at) if IDS.search(text)] == []


def test_the_pdf_is_offered_right_under_the_headline(app_env):
    at = results_page()
    box = at.container(key="pdf_box")
    offered = [b.proto.label for b in box.get("download_button")] + [b.proto.label for b in box.button]
    assert offered and offered[0] in ("Download PDF", "Preparing the PDF…")
    order = [getattr(node, "key", None) or type(node).__name__ for node in at.main.children.values()]
    assert order[:6] == ["Title", "Caption", "headline", "pdf_box", "Header", "first_step_1"]
    assert at.header[0].value == "Start here"


def test_foundation_gaps_are_one_warning_with_the_practices_folded_away(app_env):
    at = results_page()
    assert len(at.warning) == 1
    assert at.warning[0].value.startswith("Foundation gap in ")
    assert "Which practices are missing underneath" in [e.label for e in at.expander]


def test_both_domain_charts_carry_a_caption(app_env):
    captions = [c.value for c in results_page().caption]
    assert any(c.startswith("Each bar is a domain's maturity index") for c in captions)
    assert any(c.startswith("How much of each phase's practice is in place") for c in captions)
