"""Report: organisation and branding, the PDF (rendered in a worker) and the answers file."""

import hashlib

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from app_pages import state
from app_pages.flow import plain
from app_pages.pdf_worker import prepare, submit_pdf
from questionnaires import PhasegateError
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


st.session_state.setdefault("organisation", now.assessment.organisation)
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
    colour = colour_col.color_picker("Accent colour", value="#1f5f8b", key="brand_colour")
    logo = logo_col.file_uploader("Logo (PNG or JPEG, up to 2 MB)", type=["png", "jpg", "jpeg"], key="brand_logo",
                                max_upload_size=2)

answers = dump_answers(state.current().response)
branding = {"prepared_by": st.session_state.get("prepared_by", ""), "color": colour,
            "logo": logo.getvalue() if logo else None, "logo_name": logo.name if logo else "logo"}
moved = state.baseline_progress(state.current())
baseline = moved.payload if moved is not None else None
full = st.radio("Document", [False, True], key="report_full", horizontal=True,
                format_func=lambda wanted: "Full report, with every answer" if wanted else "Executive report") is True
fingerprint = hashlib.sha256(repr((answers, sorted(branding.items()), baseline, full)).encode()).hexdigest()
ready = st.session_state.get("pdf")
slug = questionnaire.id

with st.container(border=True):
    st.subheader("Downloads", anchor=False)
    if ready is None or ready[0] != fingerprint:
        if st.button("Create the PDF report", key="make_pdf", type="primary", icon=":material/picture_as_pdf:"):
            with st.spinner("Rendering the report — this takes a few seconds…"):
                try:
                    st.session_state["pdf"] = (fingerprint, submit_pdf(answers, branding, baseline=baseline, full=full)
                                                                .result(timeout=300))
                except PhasegateError as exc:
                    st.error("The report could not be made:\n\n" + "\n".join(f"- {plain(line)}" for line in exc.lines()))
                except Exception as exc:  # noqa: BLE001 - a worker failure must not show a traceback
                    st.error(f"The report could not be made ({exc.__class__.__name__}). Try again in a moment; "
                             "your answers are saved.")
            if st.session_state.get("pdf", (None,))[0] == fingerprint:
                st.rerun()
    if ready is not None and ready[0] == fingerprint:
        st.download_button("Download PDF", ready[1], file_name=f"{slug}-{'full-' if full else ''}report.pdf", mime="application/pdf",
                           key="download_pdf", type="primary", icon=":material/download:", on_click="ignore")
    st.download_button("Download answers", answers, file_name=f"{slug}-answers.yaml", mime="application/x-yaml",
                       key="download_answers", icon=":material/download:", on_click="ignore")
