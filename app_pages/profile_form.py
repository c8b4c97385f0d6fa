"""About your organisation: a self-assessment's industry and size, kept with it for the benchmark and the owners'
titles in the plan (workshops take the client profile their facilitator sets)."""

from __future__ import annotations

import re
import unicodedata

import streamlit as st

from app_pages import flow, state
from storage import repository as repo

SIZES = ["", "small", "medium", "large"]  # "": not given


def _keys(now: state.Current) -> tuple[str, str]:
    """The size and industry widgets' keys, one pair per assessment (another one opened starts from its own)."""
    return f"org_size:{now.assessment.id}", f"org_industry:{now.assessment.id}"


def industry_id(typed: str) -> str | None:
    """The industry as the profile keeps it, from what a person types: "Retail banking" is kept as retail-banking,
    "Énergie" as energie. None when nothing was typed; what has no letter or digit is kept as typed, to be refused
    with what to write."""
    plain = unicodedata.normalize("NFKD", typed).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9_]+", "-", plain).strip("-_")
    return slug or typed.strip() or None


def _save(now: state.Current) -> None:
    """Keep what the form holds (a callback, so the page draws the benchmark with it at once)."""
    size_key, industry_key = _keys(now)
    industry = industry_id(st.session_state[industry_key])
    wanted = {"size": st.session_state[size_key] or None, "industry": industry}
    if not state.stored_by_callback(repo.set_profile, now.assessment.id, wanted, problem="profile_problem"):
        return
    if industry is not None:
        st.session_state[industry_key] = industry  # shown as it is kept
    st.session_state["profile_saved"] = ("Saved: the comparison and the plan use it now." if repo.checked_profile(wanted)
                                         else "Saved without industry or size: the comparison is with every "
                                              "organisation that took this questionnaire.")


def show(now: state.Current) -> None:
    """The industry and size of the open self-assessment, to give or change."""
    profile = now.assessment.profile or {}
    size_key, industry_key = _keys(now)
    st.session_state.setdefault(size_key, profile.get("size", ""))
    st.session_state.setdefault(industry_key, profile.get("industry", ""))
    problem = st.session_state.pop("profile_problem", None)
    saved = st.session_state.pop("profile_saved", None)
    if saved:
        st.success(saved, icon=":material/check:")
    given = " · ".join(profile[name] for name in ("size", "industry") if profile.get(name)) or "industry and size"
    with st.expander(f"About your organisation: {given}", icon=":material/domain:",
                     expanded=bool(problem) or not profile):
        st.caption("Both optional. The comparison is with organisations of the same industry and size (without them, "
                   "with all that took this questionnaire); the size also titles the owners in the plan.")
        with st.form("org_profile", border=False):
            size_col, industry_col = st.columns([1, 2])
            size_col.selectbox("Size", SIZES, key=size_key,
                               format_func=lambda value: value.capitalize() or "Not given")
            industry_col.text_input("Industry", key=industry_key,
                                    max_chars=60, placeholder="e.g. retail, financial services")
            if problem:
                st.error(flow.plain(problem))
            st.form_submit_button("Save", key="save_org_profile", icon=":material/domain:", on_click=_save,
                                  args=(now,))
