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

from ui import session

NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
VALUE = re.compile(r"^[A-Za-z0-9_\-]{0,256}$")


def get_cookie(name: str) -> str | None:
    """The cookie's value as this browser holds it (what this session wrote wins), or None."""
    written = session.COOKIES_SET.get({})
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
    if session.COOKIES_SET.get({}).get(name) == value and _carried(name) == value:
        return
    session.COOKIES_SET.setdefault({})[name] = value
    session.COOKIES_MAX_AGE.setdefault({})[name] = None if days is None else days * 86400
    _write({name: value})


def drop_cookie(name: str) -> None:
    """Forget the cookie in this browser."""
    if not NAME.match(name):
        raise ValueError(f"not a cookie this app writes: {name!r}")
    if get_cookie(name) is None:
        return
    session.COOKIES_SET.setdefault({})[name] = ""
    session.COOKIES_MAX_AGE.setdefault({})[name] = 0
    _write({name: ""})


def write_pending() -> None:
    """Write again, in this run, every cookie this session set or dropped that the browser's connection did not
    already carry as it is now; nothing when there is none."""
    pending = {name: value for name, value in session.COOKIES_SET.get({}).items()
               if _carried(name) != value}
    if pending:
        _write(pending)


def _write(cookies: dict[str, str]) -> None:
    ages = session.COOKIES_MAX_AGE.get({})
    lines = []
    for name, value in cookies.items():
        max_age = 0 if not value else ages.get(name)
        attributes = "; path=/; SameSite=Strict" + ("" if max_age is None else f"; Max-Age={max_age}")
        lines.append(f"document.cookie = {json.dumps(f'{name}={value}{attributes}')} + secure;")
    session.COOKIES_WRITES.value = session.COOKIES_WRITES.get(0) + 1
    st.html(f"<script>/* {session.COOKIES_WRITES.value} */ (() => {{ const secure = location.protocol === 'https:'"
            f" ? '; Secure' : ''; {' '.join(lines)} }})();</script>", unsafe_allow_javascript=True)
