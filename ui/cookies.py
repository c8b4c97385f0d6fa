"""Small browser cookies: how a browser that comes back is recognised without a secret in its address bar.

Streamlit reads the cookies a browser sent when it connected (`st.context.cookies`) and has
no way to set one, so a cookie is written by a one-line script in the page. A cookie set in
a run is therefore seen by the next connection (a reload, a new tab, a scanned QR code), and
by the rest of this session through what is kept here. A script can be lost: the run that
drew it may be replaced by another page's before the browser runs it (a switch of page right
after the cookie was set). So every full run of the session writes again what it set and
its connection did not bring (`write_pending`, called by the router), each time as a new
script the browser runs. Values are tokens the database holds only as hashes; names and
values are restricted to characters that need no quoting.
"""

from __future__ import annotations

import json
import re

import streamlit as st

NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
VALUE = re.compile(r"^[A-Za-z0-9_\-]{0,256}$")
_SET = "cookies_set"  # what this session wrote, by name ("" once dropped): seen before the next connection
_AGES = "cookies_max_age"  # the Max-Age each of them was written with (None: until the browser closes)
_WRITES = "cookies_writes"  # how many scripts this session has drawn, to make each one new


def get_cookie(name: str) -> str | None:
    """The cookie's value as this browser holds it (what this session wrote wins), or None."""
    written = st.session_state.get(_SET, {})
    if name in written:
        return written[name] or None
    return _carried(name) or None


def _carried(name: str) -> str:
    """The cookie's value as the browser sent it when this session connected ("" when it sent none)."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and VALUE.match(value) else ""


def set_cookie(name: str, value: str, days: int | None = None) -> None:
    """Keep `value` in this browser under `name`: until the browser closes, or for `days`."""
    if not NAME.match(name) or not VALUE.match(value):
        raise ValueError(f"not a cookie this app writes: {name!r}")
    if st.session_state.get(_SET, {}).get(name) == value and _carried(name) == value:
        return
    st.session_state.setdefault(_SET, {})[name] = value
    st.session_state.setdefault(_AGES, {})[name] = None if days is None else days * 86400
    _write({name: value})


def drop_cookie(name: str) -> None:
    """Forget the cookie in this browser."""
    if not NAME.match(name):
        raise ValueError(f"not a cookie this app writes: {name!r}")
    if get_cookie(name) is None:
        return
    st.session_state.setdefault(_SET, {})[name] = ""
    st.session_state.setdefault(_AGES, {})[name] = 0
    _write({name: ""})


def write_pending() -> None:
    """Write again, in this run, every cookie this session set or dropped that the browser's connection did not
    already carry as it is now; nothing when there is none."""
    pending = {name: value for name, value in st.session_state.get(_SET, {}).items()
               if _carried(name) != value}
    if pending:
        _write(pending)


def _write(cookies: dict[str, str]) -> None:
    ages = st.session_state.get(_AGES, {})
    lines = []
    for name, value in cookies.items():
        max_age = 0 if not value else ages.get(name)
        attributes = "; path=/; SameSite=Strict" + ("" if max_age is None else f"; Max-Age={max_age}")
        lines.append(f"document.cookie = {json.dumps(f'{name}={value}{attributes}')} + secure;")
    st.session_state[_WRITES] = st.session_state.get(_WRITES, 0) + 1
    st.html(f"<script>/* {st.session_state[_WRITES]} */ (() => {{ const secure = location.protocol === 'https:'"
            f" ? '; Secure' : ''; {' '.join(lines)} }})();</script>", unsafe_allow_javascript=True)
