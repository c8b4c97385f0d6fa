"""About your organisation: a self-assessment's size, industry, currency and role under the EU AI Act, kept with it for
the benchmark, the owners' titles and the regulatory steps of the plan, and the pilots' values (workshops take the
client profile their facilitator sets)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import streamlit as st

from i18n import _
from scoring.pilots import default_currency
from scoring.words import N_
from storage import repository as repo
from ui import flow, session, state

FIELDS = ("size", "industry", "currency", "ai_role", "business_model")  # as organisation_profile names them
SIZES = {"": N_("Not given"), "small": N_("Small: fewer than 250 people"), "medium": N_("Medium: 250 to 999 people"),
         "large": N_("Large: 1,000 people or more")}  # by headcount, as the answers file's size names them
SIZE_HELP = N_("People employed across the whole organisation, counting full-time equivalents. The size titles the "
               "owners in the plan (a small organisation's CTO is a large one's Chief Risk Officer) and picks the "
               "organisations you are compared with.")
CURRENCIES = ["", "EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "JPY", "CNY", "INR",
              "SGD", "HKD", "AUD", "NZD", "CAD", "BRL", "MXN", "ZAR", "AED"]  # "": not given; a file may give others
AI_ROLES = {"": N_("Not given"), "provider": N_("We build AI systems others use (provider)"),
            "deployer": N_("We use AI systems others build (deployer)"), "both": N_("Both")}
AI_ROLE_HELP = N_("It decides which EU AI Act obligations apply; a system that is likely high-risk gets its "
                  "classification step first in the plan.")
BUSINESS_MODELS = {"": N_("Not given"), "ai-product": N_("AI is what we sell (an AI product)"),
                   "ai-in-operations": N_("AI runs in our own operations")}
IN_SUMMARY = {"provider": N_("provider under the EU AI Act"), "deployer": N_("deployer under the EU AI Act"),
              "both": N_("provider and deployer under the EU AI Act"), "ai-product": N_("AI product"),
              "ai-in-operations": N_("AI in operations")}


def _labels(table: dict[str, str]) -> dict[str, str]:
    """A table's labels in the language of the moment (made before a widget is drawn, never in its format_func)."""
    return {value: _(label) for value, label in table.items()}


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
    given = [_(IN_SUMMARY[profile[name]]) if profile[name] in IN_SUMMARY else profile[name]
             for name in FIELDS if profile.get(name)]
    return " · ".join(given) or _("size, industry, currency and EU AI Act role")


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
    size_col.selectbox(_("Size"), list(SIZES), key=key("size"), format_func=_labels(SIZES).get, help=_(SIZE_HELP))
    industry_col.text_input(_("Industry"), key=key("industry"), max_chars=60,
                            placeholder=_("e.g. retail, financial services"))
    currency_col, role_col = st.columns([1, 2])
    currencies = _currencies(saved.get("currency"))
    currency_col.selectbox(_("Currency"), currencies, key=key("currency"),
                           format_func={code: code or _("Not given") for code in currencies}.get,
                           help=_("Of the pilots' values; {currency} when not given.").format(
                               currency=default_currency()))
    role_col.selectbox(_("Role under the EU AI Act"), list(AI_ROLES), key=key("ai_role"),
                       format_func=_labels(AI_ROLES).get, help=_(AI_ROLE_HELP))
    st.selectbox(_("Business model"), list(BUSINESS_MODELS), key=key("business_model"),
                 format_func=_labels(BUSINESS_MODELS).get,
                 help=_("Whether AI is the product you sell or runs inside your own processes."))


def _currencies(saved: str | None) -> list[str]:
    """The common codes, and the saved one when an answers file gave another."""
    return CURRENCIES + ([saved] if saved and saved not in CURRENCIES else [])


def _save(now: state.Current) -> None:
    """Keep what the form holds (a callback, so the page draws the benchmark and the plan with it at once)."""
    wanted = typed(_key(now))
    if not state.stored_by_callback(repo.set_profile, now.assessment.id, wanted, problem=session.PROFILE_PROBLEM):
        return
    show_as_kept(_key(now), wanted)
    session.PROFILE_SAVED.value = (_("Saved: the comparison and the plan use it now.")
                                   if wanted["size"] or wanted["industry"]
                                   else _("Saved without industry or size: the comparison is with every "
                                          "organisation that took this questionnaire."))


def show(now: state.Current) -> None:
    """The size, industry, currency and EU AI Act role of the open self-assessment, to give or change."""
    profile = now.assessment.profile or {}
    problem = session.PROFILE_PROBLEM.pop()
    saved = session.PROFILE_SAVED.pop()
    if saved:
        st.success(saved, icon=":material/check:")
    with st.expander(_("About your organisation: {summary}").format(summary=summary(profile)),
                     icon=":material/domain:", expanded=bool(problem) or not profile):
        st.caption(_("All optional. You are compared with organisations of the same industry and size (without them, "
                     "with all that took this questionnaire); the size also titles the owners in the plan."))
        with st.form("org_profile", border=False):
            fields(_key(now), profile)
            if problem:
                st.error(flow.plain(problem))
            st.form_submit_button(_("Save"), key="save_org_profile", icon=":material/domain:", on_click=_save,
                                  args=(now,))
