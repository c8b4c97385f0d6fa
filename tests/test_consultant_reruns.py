"""My workshops and New workshop write in callbacks and submits only: each change is made once, and a plain rerun
after it (nothing pressed) writes nothing, however often it runs."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from storage import access
from storage import workshops as ws
from tests.test_access import app_engine, owner, page_as, shown  # noqa: F401 - the signed-in pages' fixture and helpers

MY_WORKSHOPS = "app_pages/my_workshops.py"


def plain_reruns_write_nothing(at: AppTest, writes: list[str]) -> None:
    writes.clear()
    for _ in range(3):
        at.run()
        assert not at.exception, at.exception
    assert writes == []


def listed(engine, who: str) -> list[str]:
    return [entry.workshop.client for client in access.list_workshops(engine, owner(who), "")
            for entry in client.entries]


@pytest.fixture
def acme(app_engine):
    """Ana's workshop for Acme, shared with Ben."""
    workshop = access.create_workshop(app_engine, "Acme", "tiny", "1.0.0", owner=owner("ana"))
    access.share(app_engine, workshop.id, owner("ana"), "ben@example.com")
    return workshop


def test_a_rerun_for_the_client_is_made_once_and_its_dashboard_opens(app_engine, acme, writes):
    at = page_as(MY_WORKSHOPS, "ana")
    at.checkbox(key=f"confirm_rerun:{acme.id}").check().run()
    writes.clear()
    at.button(key=f"rerun_workshop:{acme.id}").click().run()
    assert not at.exception, at.exception
    assert writes, "the re-run was not written"
    assert listed(app_engine, "ana") == ["Acme", "Acme"]
    (made,) = [entry.workshop for client in access.list_workshops(app_engine, owner("ana"), "")
               for entry in client.entries if entry.workshop.id != acme.id]
    assert made.baseline_id == acme.id
    assert at.query_params["w"] in (str(made.id), [str(made.id)])  # the new workshop's dashboard is open
    plain_reruns_write_nothing(at, writes)
    assert listed(app_engine, "ana") == ["Acme", "Acme"]


def test_taking_a_shared_workshop_off_the_list_is_done_once_and_said(app_engine, acme, writes):
    at = page_as(MY_WORKSHOPS, "ben")
    at.button(key=f"leave_workshop:{acme.id}").click().run()
    assert not at.exception, at.exception
    assert listed(app_engine, "ben") == [] and listed(app_engine, "ana") == ["Acme"]
    assert "The workshop for Acme is off your list." in shown(at.success)
    plain_reruns_write_nothing(at, writes)


def test_deleting_for_good_asks_for_the_clients_name_then_deletes_once(app_engine, acme, writes):
    at = page_as(MY_WORKSHOPS, "ana")
    assert at.button(key=f"delete_workshop:{acme.id}").disabled
    at.text_input(key=f"confirm_delete:{acme.id}").input(" acme ").run()
    at.button(key=f"delete_workshop:{acme.id}").click().run()
    assert not at.exception, at.exception
    assert ws.get_workshop(app_engine, acme.id) is None
    assert "The workshop for Acme and all its data were deleted." in shown(at.success)
    plain_reruns_write_nothing(at, writes)


def test_sharing_and_taking_back_are_each_done_once(app_engine, acme, writes):
    at = page_as(MY_WORKSHOPS, "ana")
    at.text_input(key=f"my:{acme.id}:share_email").input("chloe@example.com")
    at.button(key=f"FormSubmitter:my:{acme.id}:share_form-Share").click().run()
    assert not at.exception, at.exception
    assert "Shared with chloe@example.com." in shown(at.success)
    plain_reruns_write_nothing(at, writes)
    at.button(key=f"my:{acme.id}:unshare:ben@example.com").click().run()
    assert not at.exception, at.exception
    assert [share.email for share in access.shares(app_engine, acme.id)] == ["chloe@example.com"]
    assert "No longer shared with ben@example.com." in shown(at.success)
    plain_reruns_write_nothing(at, writes)


def test_a_refused_change_is_said_and_changes_nothing(app_engine, acme, writes):
    at = page_as(MY_WORKSHOPS, "ana")
    at.text_input(key=f"my:{acme.id}:share_email").input("ana@example.com")  # her own address
    at.button(key=f"FormSubmitter:my:{acme.id}:share_form-Share").click().run()
    assert not at.exception, at.exception
    assert "That is your own address; the workshop is already yours." in shown(at.error)
    assert [share.email for share in access.shares(app_engine, acme.id)] == ["ben@example.com"]
    plain_reruns_write_nothing(at, writes)


def test_a_new_workshop_is_created_once(app_engine, writes):
    at = page_as("app_pages/workshop_new.py", "ana")
    at.text_input(key="ws_client").input("Acme")
    at.selectbox(key="ws_questionnaire").select("tiny")
    at.button(key="create_workshop").click().run()
    assert not at.exception, at.exception
    assert listed(app_engine, "ana") == ["Acme"]
    plain_reruns_write_nothing(at, writes)
    assert listed(app_engine, "ana") == ["Acme"]
