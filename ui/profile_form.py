"""About your organisation: a self-assessment's size, industry, currency and role under the EU AI Act, kept with it for
the benchmark, the owners' titles and the regulatory steps of the plan, and the pilots' values (workshops take the
client profile their facilitator sets)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import streamlit as st

from scoring.pilots import default_currency
from storage import repository as repo
from ui import flow, session, state

FIELDS = ("size", "industry", "currency", "ai_role", "business_model")  # as organisation_profile names them
SIZES = {"": "Not given", "small": "Small: fewer than 250 people", "medium": "Medium: 250 to 999 people",
         "large": "Large: 1,000 people or more"}  # by headcount, as the answers file's size names them
SIZE_HELP = ("People employed across the whole organisation, counting full-time equivalents. The size titles the "
             "owners in the plan (a small organisation's CTO is a large one's Chief Risk Officer) and picks the "
             "organisations you are compared with.")
CURRENCIES = ["", "EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "JPY", "CNY", "INR",
              "SGD", "HKD", "AUD", "NZD", "CAD", "BRL", "MXN", "ZAR", "AED"]  # "": not given; a file may give others
AI_ROLES = {"": "Not given", "provider": "We build AI systems others use (provider)",
            "deployer": "We use AI systems others build (deployer)", "both": "Both"}
AI_ROLE_HELP = ("It decides which EU AI Act obligations apply; a system that is likely high-risk gets its "
                "classification step first in the plan.")
BUSINESS_MODELS = {"": "Not given", "ai-product": "AI is what we sell (an AI product)",
                   "ai-in-operations": "AI runs in our own operations"}
IN_SUMMARY = {"provider": "provider under the EU AI Act", "deployer": "deployer under the EU AI Act",
              "both": "provider and deployer under the EU AI Act", "ai-product": "AI product",
              "ai-in-operations": "AI in operations"}


def _key(now: state.Current) -> Callable[[str], str]:
    """The fields' widget keys, one set per assessment (another one opened starts from its own)."""
    return lambda name: f"org_{name}:{now.assessment.id}"


def industry_id(typed: str) -> str | None:
    """The industry as the profile keeps it, from what a person types: "Retail banking" is kept as retail-banking,
    "Énergie" as energie. None when nothing was typed; what has no letter or digit is kept as typed, to be refused
    with what to write."""
    plain = unicodedata.normalize("NFKD", typed).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9_]+", "-", plain).strip("-_")
    return slug or typed.strip() or None


def summary(profile: dict) -> str:
    """The folded form's line: what the profile gives ("large · retail · EUR · provider under the EU AI Act"), or
    what it may give."""
    given = [IN_SUMMARY.get(profile[name], profile[name]) for name in FIELDS if profile.get(name)]
    return " · ".join(given) or "size, industry, currency and EU AI Act role"


def typed(key: Callable[[str], str]) -> dict:
    """The profile as the fields hold it, to be saved: the industry as its id, what is not given as None."""
    given = {name: st.session_state[key(name)] or None for name in FIELDS}
    return {**given, "industry": industry_id(given["industry"] or "")}


def show_as_kept(key: Callable[[str], str], saved: dict) -> None:
    """After a save (in its callback), the industry field shows the id it was kept as ("Retail banking" as
    retail-banking)."""
    if saved["industry"]:
        st.session_state[key("industry")] = saved["industry"]


def fields(key: Callable[[str], str], saved: dict) -> None:
    """The size, industry, currency and EU AI Act role fields of a form, each keyed by `key(name)`, starting from the
    saved profile; a refused value stays in its field to be corrected."""
    for name in FIELDS:
        st.session_state.setdefault(key(name), saved.get(name, ""))
    size_col, industry_col = st.columns([1, 2])
    size_col.selectbox("Size", list(SIZES), key=key("size"), format_func=SIZES.get, help=SIZE_HELP)
    industry_col.text_input("Industry", key=key("industry"), max_chars=60,
                            placeholder="e.g. retail, financial services")
    currency_col, role_col = st.columns([1, 2])
    currency_col.selectbox("Currency", _currencies(saved.get("currency")), key=key("currency"),
                           format_func=lambda code: code or "Not given",
                           help=f"Of the pilots' values; {default_currency()} when not given.")
    role_col.selectbox("Role under the EU AI Act", list(AI_ROLES), key=key("ai_role"), format_func=AI_ROLES.get,
                       help=AI_ROLE_HELP)
    st.selectbox("Business model", list(BUSINESS_MODELS), key=key("business_model"), format_func=BUSINESS_MODELS.get,
                 help="Whether AI is the product you sell or runs inside your own processes.")


def _currencies(saved: str | None) -> list[str]:
    """The common codes, and the saved one when an answers file gave another."""
    return CURRENCIES + ([saved] if saved and saved not in CURRENCIES else [])


def _save(now: state.Current) -> None:
    """Keep what the form holds (a callback, so the page draws the benchmark and the plan with it at once)."""
    wanted = typed(_key(now))
    if not state.stored_by_callback(repo.set_profile, now.assessment.id, wanted, problem=session.PROFILE_PROBLEM):
        return
    show_as_kept(_key(now), wanted)
    session.PROFILE_SAVED.value = ("Saved: the comparison and the plan use it now."
                                         if wanted["size"] or wanted["industry"]
                                         else "Saved without industry or size: the comparison is with every "
                                              "organisation that took this questionnaire.")


def show(now: state.Current) -> None:
    """The size, industry, currency and EU AI Act role of the open self-assessment, to give or change."""
    profile = now.assessment.profile or {}
    problem = session.PROFILE_PROBLEM.pop()
    saved = session.PROFILE_SAVED.pop()
    if saved:
        st.success(saved, icon=":material/check:")
    with st.expander(f"About your organisation: {summary(profile)}", icon=":material/domain:",
                     expanded=bool(problem) or not profile):
        st.caption("All optional. You are compared with organisations of the same industry and size (without them, "
                   "with all that took this questionnaire); the size also titles the owners in the plan.")
        with st.form("org_profile", border=False):
            fields(_key(now), profile)
            if problem:
                st.error(flow.plain(problem))
            st.form_submit_button("Save", key="save_org_profile", icon=":material/domain:", on_click=_save,
                                  args=(now,))
