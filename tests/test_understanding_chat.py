"""Issue 21 through the real chat turn: questions answered without a booking or a stored fact, a statement that
plans nothing, a request asked as a question, a stay kind that is a preference, and an adjective need applied."""

from __future__ import annotations

import pytest

from concierge.service import ConciergeService


def _scope(service: ConciergeService, project: str, user: str, session: str = "s1"):
    return service.scope(user, project_id=project, run_id=session)


def test_a_needs_question_is_answered_from_the_users_own_memories(service: ConciergeService, project: str) -> None:
    scope = _scope(service, project, "nina")
    service.chat(scope, "I'm allergic to sesame and my son is vegan")
    reply = service.chat(scope, "which ingredients should a chef keep off my plate?")
    assert reply.request.intent == "needs_question" and reply.draft is None and not reply.memories_stored
    assert "sesame" in reply.answer.lower() and "vegan" in reply.answer.lower()
    other = service.chat(_scope(service, project, "omar"), "which ingredients should a chef keep off my plate?")
    assert "sesame" not in other.answer.lower()  # another user's needs are never read


def test_a_place_question_answers_from_the_catalog_climate(service: ConciergeService, project: str) -> None:
    reply = service.chat(_scope(service, project, "pia"), "is Granada warm in April?")
    assert reply.request.intent == "place_question" and reply.plan is None and reply.draft is None
    assert not reply.memories_stored
    assert "Granada" in reply.answer and "April" in reply.answer


def test_a_statement_is_stored_and_plans_nothing(service: ConciergeService, project: str) -> None:
    scope = _scope(service, project, "ravi")
    reply = service.chat(scope, "I'm vegetarian and we're heading to Portugal in May")
    assert reply.request.intent == "statement" and reply.plan is None and reply.draft is None
    assert any("vegetarian" in m.text for m in reply.memories_stored)
    dinner = service.chat(scope, "dinner in Porto tomorrow for 2")
    assert dinner.plan is not None and {n.need_id for n in dinner.plan.needs} == {"vegetarian"}


def test_a_request_asked_as_a_question_shows_options_and_stores_no_need(
    service: ConciergeService, project: str
) -> None:
    reply = service.chat(_scope(service, project, "sami"), "are there any vegan places for lunch in Milan?")
    assert reply.plan is not None and reply.plan.chosen is not None and reply.draft is None
    assert {n.need_id for n in reply.plan.needs} == {"vegan"}
    assert not reply.memories_stored  # the question says nothing about who is vegan


@pytest.mark.parametrize("message", ["a hotel in Madrid for 2 nights, at most 110 euros a night"])
def test_a_stay_kind_ranks_first_but_a_fitting_other_kind_is_offered(
    service: ConciergeService, project: str, message: str
) -> None:
    reply = service.chat(_scope(service, project, "tess"), message)
    assert reply.plan is not None and reply.plan.chosen is not None
    assert not reply.plan.chosen.summary.startswith("hotel")
    assert any("No hotel fits" in note for note in reply.plan.notes)


def test_a_hotel_request_offers_options_to_pick_from(service: ConciergeService, project: str) -> None:
    scope = _scope(service, project, "uma")
    first = service.chat(scope, "a hotel in Lisbon for 3 nights")
    assert first.plan is not None and first.plan.chosen is not None and first.plan.backups
    picked = service.chat(scope, "the second option")
    assert picked.plan is not None and picked.plan.chosen is not None
    assert picked.plan.chosen.id == first.plan.backups[0].id
