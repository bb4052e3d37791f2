"""Taking back the previous turn (attack3 M1, L1): read by example, never deleting a need it does not name."""

from __future__ import annotations

import datetime

import pytest

from concierge.conversation.undo import edit_after_retraction, read_undo
from concierge.scope import Scope
from concierge.service import ConciergeService


def _needs(service: ConciergeService, scope: Scope) -> set[str]:
    return {n.need_id for n in service.user_needs(scope)}


def _booked(service: ConciergeService, scope: Scope) -> None:
    service.chat(scope, "I'm allergic to peanuts")
    booked = service.chat(scope, "Book dinner in Lyon tomorrow at 8pm for 2").plan
    assert booked is not None and booked.chosen is not None and booked.chosen.city == "Lyon"


@pytest.mark.parametrize(
    "undo",
    [
        "never mind, cancel that",
        "undo",
        "I take it back",
        "strike that",
        "wait, no",
        "actually, scratch everything I said",
    ],
)
def test_taking_a_booking_back_in_other_words_undoes_it_and_keeps_the_need(
    service: ConciergeService, project: str, undo: str
) -> None:
    scope = service.scope("undoer", project_id=project, run_id=f"u-{abs(hash(undo)) % 10**8}")
    _booked(service, scope)

    reply = service.chat(scope, undo)

    state = service.session_state(scope)
    assert reply.request.intent == "forget" and reply.plan is None
    assert state is not None and not state.has_plan  # the booking is undone
    assert _needs(service, scope) == {"peanuts"}  # nothing older than the booking went


@pytest.mark.parametrize("undo", ["undo", "I take it back", "strike that", "actually, scratch everything I said"])
def test_taking_back_a_need_in_other_words_never_deletes_it(service: ConciergeService, project: str, undo: str) -> None:
    scope = service.scope("undo-need", project_id=project, run_id=f"n-{abs(hash(undo)) % 10**8}")
    service.chat(scope, "I'm allergic to peanuts")

    reply = service.chat(scope, undo)

    assert reply.forgotten is not None and reply.forgotten.status == "kept_need" and reply.forgotten.deleted == ()
    assert _needs(service, scope) == {"peanuts"}


@pytest.mark.parametrize(
    ("message", "field", "value"),
    [
        ("scratch that, make it Paris", "city", "Paris"),
        ("scratch that, make it 9pm", "time", datetime.time(21)),
        ("forget that, make it for 3", "party_size", 3),
        ("Actually, strike that - make it Paris", "city", "Paris"),
    ],
)
def test_a_retraction_followed_by_an_edit_applies_the_edit(
    service: ConciergeService, project: str, message: str, field: str, value: object
) -> None:
    scope = service.scope("undo-edit", project_id=project, run_id=f"e-{abs(hash(message)) % 10**8}")
    _booked(service, scope)

    reply = service.chat(scope, message)

    plan = reply.plan
    assert plan is not None and plan.chosen is not None and reply.forgotten is None
    got = {"city": plan.chosen.city, "time": plan.time, "party_size": plan.party_size}[field]
    assert got == value
    assert _needs(service, scope) == {"peanuts"} and "peanuts" in {n.need_id for n in plan.needs}


def test_a_forget_naming_a_fact_is_never_read_as_taking_back_the_last_turn() -> None:
    for message in ("forget my nut allergy", "please forget that I love sushi", "delete what I said about my budget"):
        asked = read_undo(message)
        assert asked.kind == "target" and asked.target
    assert edit_after_retraction("scratch that") is None
    assert edit_after_retraction("scratch that, I live in Rome") is None  # a fact, read as a correction
