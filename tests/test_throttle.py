"""Wrong join codes: the client's address as the proxies saw it, a small allowance per browser session and a largeone per address, checked and counted in one step even when tries arrive together."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from storage import workshops as ws
from storage.engine import dispose_all

WRONG = "0000-0000-0000"
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)
ROOM = "198.51.100.20"


@pytest.mark.parametrize(("forwarded", "connection", "proxies", "expected"), [
    (None, "10.0.0.5", 0, "10.0.0.5"),
    ("203.0.113.7", "10.0.0.5", 0, "10.0.0.5"),  # no proxy trusted: a header is whatever the client sent
    ("203.0.113.7", "10.0.0.5", 1, "203.0.113.7"),
    ("1.1.1.1, 203.0.113.7", "10.0.0.5", 1, "203.0.113.7"),  # a client's own header stays on the left
    ("1.1.1.1, 2.2.2.2, 203.0.113.7", "10.0.0.5", 1, "203.0.113.7"),
    ("1.1.1.1, 203.0.113.7, 10.0.0.9", "10.0.0.5", 2, "203.0.113.7"),
    (" 203.0.113.7 ,10.0.0.9 ", "10.0.0.5", 2, "203.0.113.7"),
    ("203.0.113.7", "10.0.0.5", 2, "203.0.113.7"),  # fewer hops than proxies: the leftmost there is
    ("", "10.0.0.5", 1, "10.0.0.5"),
    (None, None, 1, None),
], ids=["no-header", "header-ignored-without-proxies", "one-proxy", "one-proxy-forged-left", "one-proxy-two-forged",
        "two-proxies", "two-proxies-spaces", "short-header", "empty-header", "localhost"])
def test_the_client_address_is_counted_from_the_right_by_the_number_of_trusted_proxies(forwarded, connection, proxies,
                                                                                         expected):
    assert ws.forwarded_client(forwarded, connection, proxies) == expected


def test_a_client_cannot_rotate_its_address_by_sending_its_own_header():
    seen = {ws.forwarded_client(f"10.9.8.{n}, 203.0.113.7", "10.0.0.5", 1) for n in range(20)}
    assert seen == {"203.0.113.7"}


def knock(engine, knocker: ws.Knocker, code: str = WRONG, at: dt.datetime = START):
    """What one try gets: the workshop, or the error's class and message."""
    try:
        return ws.open_by_code(engine, code, knocker, at)
    except ws.WorkshopError as exc:
        return type(exc).__name__, str(exc)


def test_one_browser_gets_five_wrong_codes_then_waits(engine):
    me = ws.Knocker.of(ROOM, "session-1")
    assert [knock(engine, me)[0] for _ in range(ws.FREE_ATTEMPTS)] == ["WrongCode"] * ws.FREE_ATTEMPTS
    assert knock(engine, me) == ("WaitBeforeTrying", "Too many wrong codes were typed in this browser. "
                                                     "Try again in 2 s.")


def test_one_persons_typos_do_not_lock_out_the_room_behind_the_same_address(engine):
    for _ in range(ws.FREE_ATTEMPTS + 3):
        knock(engine, ws.Knocker.of(ROOM, "typist"))
    workshop = ws.create_workshop(engine, "Client", "tiny", "1.0.0")
    neighbour = ws.Knocker.of(ROOM, "neighbour")
    assert knock(engine, neighbour, workshop.display_code).id == workshop.id
    assert knock(engine, neighbour)[0] == "WrongCode"


def test_a_whole_network_waits_after_many_wrong_codes_from_many_sessions(engine):
    for n in range(ws.ADDRESS_FREE_ATTEMPTS):
        assert knock(engine, ws.Knocker.of(ROOM, f"guesser-{n}"))[0] == "WrongCode"
    assert knock(engine, ws.Knocker.of(ROOM, "fresh-session")) == (
        "WaitBeforeTrying", "Too many wrong codes were typed from your network. Try again in 2 s.")
    assert knock(engine, ws.Knocker.of("198.51.100.21", "elsewhere"))[0] == "WrongCode"


def test_a_right_code_is_not_even_looked_up_while_the_browser_must_wait(engine):
    workshop = ws.create_workshop(engine, "Client", "tiny", "1.0.0")
    me = ws.Knocker.of(ROOM, "session-1")
    for _ in range(ws.FREE_ATTEMPTS):
        knock(engine, me)
    assert knock(engine, me, workshop.display_code)[0] == "WaitBeforeTrying"
    later = START + ws.ATTEMPT_WINDOW + dt.timedelta(seconds=1)
    assert knock(engine, me, workshop.display_code, later).id == workshop.id


def test_an_unreadable_code_counts_as_a_wrong_one(engine):
    me = ws.Knocker.of(ROOM, "session-1")
    for _ in range(ws.FREE_ATTEMPTS):
        assert knock(engine, me, "!!")[0] == "WrongCode"
    assert knock(engine, me)[0] == "WaitBeforeTrying"


def all_at_once(engine, knockers: list[ws.Knocker]) -> list[str]:
    barrier = threading.Barrier(len(knockers))
    outcomes: list[str] = []

    def attempt(knocker):
        barrier.wait()
        outcomes.append(knock(engine, knocker, at=ws.repo.now())[0])

    threads = [threading.Thread(target=attempt, args=(k,)) for k in knockers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_seven_simultaneous_wrong_codes_from_one_browser_try_only_five(engine):
    me = ws.Knocker.of(ROOM, "session-1")
    assert all_at_once(engine, [me] * 7) == ["WaitBeforeTrying"] * 2 + ["WrongCode"] * 5


def test_simultaneous_wrong_codes_from_many_sessions_on_one_address_keep_to_the_address_allowance(engine, monkeypatch):
    monkeypatch.setattr(ws, "ADDRESS_FREE_ATTEMPTS", 5)
    assert all_at_once(engine, [ws.Knocker.of(ROOM, f"s{n}") for n in range(7)]) == (
        ["WaitBeforeTrying"] * 2 + ["WrongCode"] * 5)


def test_a_knocker_keeps_only_hashes():
    knocker = ws.Knocker.of(ROOM, "session-1")
    assert ROOM not in knocker.address and "session-1" not in knocker.session
    assert len(knocker.address) == len(knocker.session) == 64 and knocker.address != knocker.session
