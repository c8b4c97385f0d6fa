"""Phasegate: the router. Page config, the list of pages, st.navigation, run."""

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from storage.engine import StorageError, unreachable
from app_pages.flow import plain
from config import SettingsError, check_settings, database_url

st.set_page_config(page_title="Phasegate — AI maturity assessment", page_icon=":material/insights:", layout="centered")

PAGES = [
    st.Page("app_pages/start.py", title="Start", icon=":material/home:", url_path="start", default=True),
    st.Page("app_pages/assessment.py", title="Assessment", icon=":material/checklist:", url_path="assessment"),
    st.Page("app_pages/results.py", title="Results", icon=":material/insights:", url_path="results"),
    st.Page("app_pages/report.py", title="Report", icon=":material/picture_as_pdf:", url_path="report"),
    st.Page("app_pages/workshop_new.py", title="New workshop", icon=":material/groups:", url_path="workshop-new"),
    st.Page("app_pages/workshop_join.py", title="Join a workshop", icon=":material/login:", url_path="workshop"),
    st.Page("app_pages/workshop_dashboard.py", title="Workshop dashboard", icon=":material/monitoring:",
            url_path="workshop-dashboard"),
]

try:
    check_settings()
except SettingsError as exc:  # a bad value in the environment: name it, and run nothing on it
    for line in exc.lines():
        st.error(plain(line), icon=":material/settings:")
    st.stop()

try:
    st.navigation(PAGES).run()
except StorageError as exc:  # the database cannot be reached or written: say what to check, in one line
    st.error(plain(str(exc)), icon=":material/database:")
except SQLAlchemyError as exc:  # it went away while the page ran
    st.error(plain(unreachable(database_url(), exc)), icon=":material/database:")
