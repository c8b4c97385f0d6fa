"""Small browser cookies: how a browser that comes back is recognised without a secret in its address bar.

Streamlit reads the cookies a browser sent when it connected (`st.context.cookies`) and has
no way to set one, so a cookie is written by a one-line script in the page. A cookie set in
a run is therefore seen by the next connection (a reload, a new tab, a scanned QR code), and
by the rest of this session through what is kept here. Values are tokens the database holds
only as hashes; names and values are restricted to characters that need no quoting.
"""

from __future__ import annotations

import json
import re

import streamlit as st

NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
VALUE = re.compile(r"^[A-Za-z0-9_\-]{0,256}$")
_SET = "cookies_set"  # what this session wrote, by name ("" once dropped): seen before the next connection


def get_cookie(name: str) -> str | None:
    """The cookie's value as this browser holds it (what this session wrote wins), or None."""
    written = st.session_state.get(_SET, {})
    if name in written:
        return written[name] or None
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and value and VALUE.match(value) else None


def set_cookie(name: str, value: str, days: int | None = None) -> None:
    """Keep `value` in this browser under `name`: until the browser closes, or for `days`."""
    if not NAME.match(name) or not VALUE.match(value):
        raise ValueError(f"not a cookie this app writes: {name!r}")
    if st.session_state.get(_SET, {}).get(name) == value and st.context.cookies.get(name) == value:
        return
    st.session_state.setdefault(_SET, {})[name] = value
    _write(name, value, None if days is None else days * 86400)


def drop_cookie(name: str) -> None:
    """Forget the cookie in this browser."""
    if not NAME.match(name):
        raise ValueError(f"not a cookie this app writes: {name!r}")
    if get_cookie(name) is None:
        return
    st.session_state.setdefault(_SET, {})[name] = ""
    _write(name, "", 0)


def _write(name: str, value: str, max_age: int | None) -> None:
    attributes = "; path=/; SameSite=Strict" + ("" if max_age is None else f"; Max-Age={max_age}")
    cookie = json.dumps(f"{name}={value}{attributes}")
    st.html(f"<script>document.cookie = {cookie} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
            unsafe_allow_javascript=True)
