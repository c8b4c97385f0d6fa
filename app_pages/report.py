"""Report: organisation and branding, the PDF (rendered in a worker) and the answers file."""

import streamlit as st

from i18n import _

from questionnaires import PhasegateError
from reports import deck
from reports.branding import Branding
from reports.filenames import response_name
from scoring.answers import dated, dump_answers
from storage import get_engine
from storage import repository as repo
from storage.errors import StorageError
from ui import session, state
from ui.flow import plain
from ui.pdf_worker import download_button, prepare

now = state.current()
questionnaire = now.questionnaire
prepare()


def save_organisation() -> None:
    state.stored_by_callback(repo.set_organisation, now.assessment.id, session.ORGANISATION.value)


def stored_branding() -> Branding:
    """The branding kept with the open assessment; the default when none (or none usable) is kept. A saved logo
    that no longer decodes is left out (its `logo_problem` says why)."""
    try:
        return Branding.from_stored(state.current().assessment.branding)
    except PhasegateError:
        return Branding()


def logo_key() -> str:
    """The logo field's key; it changes when the logo is removed, so the field no longer holds the old file."""
    return f"brand_logo:{session.LOGO_FIELD.get(0)}"


def save_branding(remove_logo: bool = False) -> None:
    """Keep what the branding fields hold with the assessment (a callback), so it survives leaving the page, a
    reload and a resume; a value that does not hold up is refused with what to fix, and the kept one stays."""
    kept = stored_branding()
    upload = st.session_state.get(logo_key())
    logo, logo_name = (upload.getvalue(), upload.name) if upload is not None else (kept.logo, kept.logo_name)
    if remove_logo:
        logo, logo_name = None, "logo"
        session.LOGO_FIELD.value = session.LOGO_FIELD.get(0) + 1  # a fresh, empty upload field
    try:
        chosen = Branding(session.PREPARED_BY.get(""), session.BRAND_COLOUR.get() or kept.color,
                          logo, logo_name, kept.commentary)
        repo.set_branding(get_engine(), now.assessment.id, chosen.to_stored())
    except StorageError as exc:
        session.FLASH.value = _(state.SAVE_FAILED).format(reason=exc.reason)
        return
    except PhasegateError as exc:
        session.FLASH.value = _("The branding was not saved: {reason}").format(reason=" ".join(exc.lines()))
        return
    state.refresh_assessment()


stored_brand = stored_branding()
# The fields start from what is kept with the assessment each time the page is opened (leaving the page clears them).
if session.BRAND_FOR.get() != now.assessment.token or not session.PREPARED_BY.held():
    session.BRAND_FOR.value = now.assessment.token
    session.ORGANISATION.value = now.assessment.organisation
    session.PREPARED_BY.value = stored_brand.prepared_by
    session.BRAND_COLOUR.value = stored_brand.color
st.title(_("Report"))
st.write(_("The executive report: the summary, the domain overview, the 90-day plan and what follows, the roadmap "
           "and the method. The full report adds every question and answer. The answers file lets you resume later "
           "or score the answers with the command line."))
state.show_flash()
if stored_brand.logo_problem:
    st.warning(plain(stored_brand.logo_problem), icon=":material/broken_image:")

with st.container(border=True):
    st.header(_("Organisation and branding"), anchor=False)
    st.text_input(_("Organisation"), key=session.ORGANISATION.name, on_change=save_organisation,
                  max_chars=repo.MAX_ORGANISATION)
    st.text_input(_("Prepared by (optional)"), key=session.PREPARED_BY.name, max_chars=120,
                  placeholder=_("Your name or firm"), on_change=save_branding)
    colour_col, logo_col = st.columns([1, 3])
    colour_col.color_picker(_("Accent colour"), key=session.BRAND_COLOUR.name, on_change=save_branding)
    with logo_col:
        st.file_uploader(_("Logo (PNG or JPEG, up to 2 MB)"), type=["png", "jpg", "jpeg"], key=logo_key(),
                         max_upload_size=2, on_change=save_branding)
        if stored_brand.logo is not None:
            shown, remove = st.columns([1, 2], vertical_alignment="center")
            shown.image(stored_brand.logo, width=80)
            remove.button(_("Remove the logo"), key="remove_logo", icon=":material/delete:", on_click=save_branding,
                          args=(True,))
    st.caption(_("Kept with this assessment: the PDF and the deck use them, and they are here when you come back."))

response = dated(state.current().response)  # the answers file carries the date it was taken
answers = dump_answers(response)


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
    st.subheader(_("Downloads"), anchor=False)
    kinds = {False: _("Executive report"), True: _("Full report, with every answer")}
    full = st.radio(_("PDF report"), [False, True], key="report_full", horizontal=True, format_func=kinds.get)
    full = full is True
    download_button(state.current(), key="download_pdf", full=full)
    st.download_button(_("Readout deck (PowerPoint)"), readout(state.current()), file_name=response_name(response, "pptx"),
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       key="download_deck", icon=":material/slideshow:", on_click="ignore",
                       help=_("8-12 slides in your branding, every word editable in PowerPoint."))
    st.download_button(_("Download answers"), answers, file_name=response_name(response, "yaml"), mime="application/x-yaml",
                       key="download_answers", icon=":material/download:", on_click="ignore")
