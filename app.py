"""Phasegate: the router. Page config, the pages, st.navigation showing the ones that make sense now, run."""

import streamlit as st

from config import SettingsError, check_settings
from i18n import _
from storage.errors import StorageError
from ui import auth, cookies, language, pdf_worker, run_order, state
from ui.flow import plain, visible_pages

run_order.deliver_run_ends_first()  # once per process: no run's end is lost to a piece's rerun
language.activate()  # before anything is drawn: every text of this run speaks it
st.set_page_config(page_title=_("Phasegate — AI maturity assessment"), page_icon=":material/insights:",
                   layout="centered")

# Every page, in sidebar order: (script, title, icon, url path). Every page stays reachable by its link;
# the sidebar lists only those that make sense for whoever is here (see `flow.visible_pages`).
PAGES = [
    ("app_pages/start.py", _("Start"), ":material/home:", "start"),
    ("app_pages/assessment.py", _("Assessment"), ":material/checklist:", "assessment"),
    ("app_pages/results.py", _("Results"), ":material/insights:", "results"),
    ("app_pages/report.py", _("Report"), ":material/picture_as_pdf:", "report"),
    ("app_pages/workshop_join.py", _("Join a workshop"), ":material/login:", "workshop"),
    ("app_pages/workshop_new.py", _("New workshop"), ":material/groups:", "workshop-new"),
    ("app_pages/workshop_dashboard.py", _("Workshop dashboard"), ":material/monitoring:", "workshop-dashboard"),
    ("app_pages/my_workshops.py", _("My workshops"), ":material/work_history:", "my-workshops"),
    ("app_pages/presenter.py", _("Presenter view"), ":material/co_present:", "presenter"),
]

# On a phone the page title takes less room, so the first question shows without scrolling.
st.html("<style>@media (max-width: 640px) { [data-testid='stHeading'] h1 { font-size: 2rem; } }</style>")
# A page link's label wraps where the line ends instead of being cut off (a long German or padded label on a phone).
st.html("<style>[data-testid='stPageLink-NavLink'] [data-testid='stMarkdownContainer'] p, "
        "[data-testid='stPageLink-NavLink'] > span:last-child { white-space: normal; }</style>")

try:
    check_settings()
except SettingsError as exc:  # a bad value in the environment: name it, and run nothing on it
    for line in exc.lines():
        st.error(plain(line), icon=":material/settings:")
    st.stop()

state.count_run()
shown = visible_pages(open_assessment=state.open_role(), facilitator=state.facilitating(),
                      login=state.login_configured())
pages = [st.Page(script, title=title, icon=icon, url_path=path, default=path == "start",
                 visibility="visible" if path in shown else "hidden")
         for script, title, icon, path in PAGES]

try:
    page = st.navigation(pages)
    cookies.write_pending()  # what this session set and the browser may not have kept yet
    state.pending_switch()  # a callback asked for another page: go there before this one draws anything
    if page.url_path in ("assessment", "results", "report"):
        pdf_worker.prepare()  # the PDF workers start and warm up while questions are answered, before any download
    auth.account(page)  # with sign-in configured: who is signed in (just signed in: off to My workshops), or a button
    page.run()
except StorageError as exc:  # the database cannot be reached or written, or went away: say what to check
    st.error(plain(str(exc)), icon=":material/database:")
