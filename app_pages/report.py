"""Report: organisation and branding, the PDF (rendered in a worker) and the answers file."""

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from app_pages import state
from app_pages.flow import plain
from app_pages.pdf_worker import download_button, prepare
from questionnaires import PhasegateError
from reports import deck
from reports.branding import Branding
from scoring.answers import dump_answers
from storage import get_engine
from storage import repository as repo

now = state.current()
questionnaire = now.questionnaire
prepare()


def save_organisation() -> None:
    try:
        repo.set_organisation(get_engine(), now.assessment.id, st.session_state["organisation"])
    except PhasegateError as exc:
        st.session_state["flash"] = " ".join(exc.lines())
        return
    except SQLAlchemyError as exc:
        st.session_state["flash"] = state.SAVE_FAILED.format(reason=exc.__class__.__name__)
        return
    state.refresh_assessment()


try:
    stored_brand = Branding.from_stored(now.assessment.branding)
except PhasegateError:  # unusable stored branding: start again from the default
    stored_brand = Branding()
st.session_state.setdefault("organisation", now.assessment.organisation)
st.session_state.setdefault("prepared_by", stored_brand.prepared_by)
st.title("Report")
st.write("The executive report: the summary, the domain overview, the 90-day plan and what follows, the roadmap "
         "and the method. The full report adds every question and answer. The answers file lets you resume later or "
         "score the answers with the command line.")
state.show_flash()

with st.container(border=True):
    st.subheader("Organisation and branding", anchor=False)
    st.text_input("Organisation", key="organisation", on_change=save_organisation, max_chars=repo.MAX_ORGANISATION)
    st.text_input("Prepared by (optional)", key="prepared_by", max_chars=120, placeholder="Your name or firm")
    colour_col, logo_col = st.columns([1, 3])
    colour = colour_col.color_picker("Accent colour", value=stored_brand.color, key="brand_colour")
    logo = logo_col.file_uploader("Logo (PNG or JPEG, up to 2 MB)", type=["png", "jpg", "jpeg"], key="brand_logo",
                                max_upload_size=2)

answers = dump_answers(state.current().response)
full = st.radio("Document", [False, True], key="report_full", horizontal=True,
                format_func=lambda wanted: "Full report, with every answer" if wanted else "Executive report") is True
try:  # the branding chosen here is kept with the assessment, which is what the PDF is made from
    chosen = Branding(st.session_state.get("prepared_by", ""), colour, logo.getvalue() if logo else stored_brand.logo,
                      logo.name if logo else stored_brand.logo_name, stored_brand.commentary)
    if chosen != stored_brand:
        repo.set_branding(get_engine(), now.assessment.id, chosen.to_stored())
        state.refresh_assessment()
except PhasegateError as exc:
    st.error("The branding was not used:\n\n" + "\n".join(f"- {plain(line)}" for line in exc.lines()))
except SQLAlchemyError as exc:
    st.error(state.SAVE_FAILED.format(reason=exc.__class__.__name__))
slug = questionnaire.id


def readout(current):
    """The deck of the assessment as it is now, made only when the button is pressed."""
    result = state.result(current)
    try:
        branding = Branding.from_stored(current.assessment.branding)
    except PhasegateError:
        branding = Branding()
    return lambda: deck.assessment_deck(get_engine(), current.assessment, questionnaire, result, branding,
                                        state.library().find)


with st.container(border=True):
    st.subheader("Downloads", anchor=False)
    download_button(state.current(), key="download_pdf", full=full)
    st.download_button("Readout deck (PowerPoint)", readout(state.current()), file_name=f"{slug}-readout.pptx",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       key="download_deck", icon=":material/slideshow:", on_click="ignore",
                       help="8-12 slides in your branding, every word editable in PowerPoint.")
    st.download_button("Download answers", answers, file_name=f"{slug}-answers.yaml", mime="application/x-yaml",
                       key="download_answers", icon=":material/download:", on_click="ignore")
