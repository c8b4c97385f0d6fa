"""Joining a workshop: wrong codes throttled per client in the database, a cap on participants, roles shown as typed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from scoring.workshop import Role
from storage import get_engine
from storage import workshops as ws
from storage.tables import join_attempts
from tests.conftest import APP_TIMEOUT, ROOT

WRONG = "0000-0000-0000"
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)


def fail(engine, client: str, times: int, at: dt.datetime = START) -> None:
    for _ in range(times):
        ws.record_wrong_code(engine, client, at)


@pytest.mark.parametrize(("failures", "seconds_later", "wait"), [
    (0, 0, 0), (4, 0, 0), (5, 0, 2), (5, 1, 1), (5, 2, 0), (6, 0, 4), (8, 0, 16), (20, 0, 300), (30, 0, 300),
    (20, 15 * 60, 0),  # the window has passed: everything is forgotten
])
def test_wrong_codes_cost_a_wait_that_doubles_after_five(engine, failures, seconds_later, wait):
    client = ws.client_key("203.0.113.7")
    fail(engine, client, failures)
    assert ws.join_wait(engine, client, START + dt.timedelta(seconds=seconds_later)) == wait


def test_one_clients_wrong_codes_do_not_slow_another_client(engine):
    fail(engine, ws.client_key("203.0.113.7"), 10)
    assert ws.join_wait(engine, ws.client_key("203.0.113.8"), START) == 0


def test_client_addresses_are_kept_only_as_hashes(engine):
    key = ws.client_key("203.0.113.7")
    assert "203.0.113.7" not in key and len(key) == 64 and key != ws.client_key(None)


@pytest.mark.parametrize("limit", [1, 3])
def test_a_workshop_accepts_at_most_the_configured_number_of_participants(engine, monkeypatch, limit):
    monkeypatch.setenv("PHASEGATE_MAX_PARTICIPANTS", str(limit))
    workshop = ws.create_workshop(engine, "Client", "tiny", "1.0.0")
    for _ in range(limit):
        ws.join_workshop(engine, workshop, "Executive")
    with pytest.raises(ws.WorkshopError, match=f"at most {limit} participants"):
        ws.join_workshop(engine, workshop, "Executive")
    assert len(ws.list_participants(engine, workshop.id)) == limit


# --- on the join page ----------------------------------------------------------------------


def join_page(code: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.run()
    at.query_params["code"] = code
    at.switch_page("app_pages/workshop_join.py").run()
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


WRONG_CODE = ("That code does not open a workshop. Check it against the whiteboard: it has 12 letters and digits, "
              "in groups of four.")


def test_a_browser_waits_after_five_wrong_codes_and_a_rerun_does_not_count_one_again(app_env):
    at = join_page(WRONG)
    assert errors(at) == [WRONG_CODE]
    at.run()  # the same code on the page is not tried again
    assert errors(at) == [WRONG_CODE]
    for n in range(1, ws.FREE_ATTEMPTS):
        at.text_input(key="join_code").set_value(f"0000-0000-000{n}").run()
        assert errors(at) == [WRONG_CODE]
    at.text_input(key="join_code").set_value("0000-0000-0009").run()
    assert errors(at) == ["Too many wrong codes were typed in this browser. Try again in 2 s."]


def attempts(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(join_attempts)).scalar_one()


def test_plain_reruns_with_a_wrong_code_in_the_box_record_no_attempt(app_env):
    engine = get_engine()
    at = join_page(WRONG)
    assert attempts(engine) == 2  # the link's code: once for this browser, once for its network
    for _ in range(3):
        at.run()
    assert attempts(engine) == 2 and errors(at) == [WRONG_CODE]
    at.text_input(key="join_code").set_value("0000-0000-0001").run()  # typed: a new attempt
    assert attempts(engine) == 4
    for _ in range(3):
        at.run()
    assert attempts(engine) == 4 and errors(at) == [WRONG_CODE]


def test_another_browser_on_the_same_network_may_still_try(app_env):
    engine = get_engine()
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    fail(engine, ws.Knocker.of(None, "a typist").session, ws.FREE_ATTEMPTS + 5, ws.repo.now())
    at = join_page(workshop.display_code)
    assert errors(at) == []
    assert "Example Corp" in " ".join(str(s.value) for s in at.header)


def test_a_right_code_is_refused_too_while_the_network_must_wait(app_env):
    engine = get_engine()
    workshop = ws.create_workshop(engine, "Example Corp", "tiny", "1.0.0")
    fail(engine, ws.client_key(None), ws.ADDRESS_FREE_ATTEMPTS, ws.repo.now())
    at = join_page(workshop.display_code)
    assert errors(at)[0].startswith("Too many wrong codes were typed from your network. Try again in ")
    assert "Example Corp" not in " ".join(str(s.value) for s in at.header)


def test_role_names_are_shown_as_typed_never_as_markdown(app_env):
    hostile = "![x](http://203.0.113.9/p.png) [click](http://x) **bold**"
    workshop = ws.create_workshop(get_engine(), "Example Corp", "tiny", "1.0.0", roles=[Role(hostile, None)])
    at = join_page(workshop.display_code)
    picker = at.radio(key="join_role")
    shown = picker.proto.options[0]
    assert "![x]" not in shown and "](" not in shown and "**" not in shown.replace("\\*", "")
    assert shown.replace("\\", "") == hostile
