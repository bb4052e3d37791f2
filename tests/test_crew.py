"""The crew end to end on the offline model: real CrewAI loop, real tools, real memory, two users at once."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from concierge.crew_memory import ScopedCrewMemory
from concierge.reply import Reply
from concierge.service import ConciergeService


def _venues(service: ConciergeService, text: str) -> list:
    catalog = {r.id: r for r in service.crew_parts()[0].catalog.restaurants}
    return [catalog[i] for i in re.findall(r"\[(r-[a-z0-9-]+)\]", text)]


def test_alice_allergy_and_lyon_shape_a_later_dinner_plan_bob_gets_none_of_it(
    service: ConciergeService, project: str
) -> None:
    alice_first = service.scope("alice", project_id=project, run_id="s1")
    told = service.chat(alice_first, "I am allergic to nuts and I love Lyon")
    assert {m.text for m in told.memories_stored} == {"User is allergic to nuts", "User loves Lyon"}
    assert told.answer.startswith("Noted.")  # a statement: nothing searched, nothing booked

    alice_later = service.scope("alice", project_id=project, run_id="s2")
    bob = service.scope("bob", project_id=project, run_id="s3")
    with ThreadPoolExecutor(2) as pool:
        alice_job = pool.submit(service.chat, alice_later, "Can you plan a dinner for me tomorrow for two?")
        bob_job = pool.submit(service.chat, bob, "Plan a dinner for me in Madrid tonight")
        alice_reply: Reply = alice_job.result()
        bob_reply: Reply = bob_job.result()

    # Alice: catalog venues in Lyon that can serve a nut allergy, found by the research tool.
    venues = _venues(service, alice_reply.findings)
    nut_free = {"peanut_free", "tree_nut_free"}
    assert venues and all(v.city == "Lyon" and nut_free <= set(v.dietary_options) for v in venues)
    assert "peanut_free" in alice_reply.findings and "tree_nut_free" in alice_reply.findings
    first = re.search(r"First choice: (.+?) \(", alice_reply.plan).group(1)
    assert first in {v.name for v in venues}
    assert alice_reply.draft.startswith("To: reservations@") and first in alice_reply.draft
    assert "the guest is allergic to nuts" in alice_reply.draft
    assert {m.text for m in alice_reply.memories_used} >= {"User is allergic to nuts", "User loves Lyon"}
    assert alice_reply.memories_stored == []  # a request says nothing new about her

    # Bob, at the same time: only his own (empty) memory, a Madrid plan, nothing of Alice's.
    assert bob_reply.memories_used == []
    bob_text = f"{bob_reply.answer}\n{bob_reply.findings}".lower()
    assert "allergic" not in bob_text and "lyon" not in bob_text and "alice" not in bob_text
    assert "hard needs applied: none" in bob_reply.findings
    assert all(v.city == "Madrid" for v in _venues(service, bob_reply.findings))
    assert set(alice_reply.timings_ms) == {"recall", "crew", "store", "total"}


def test_agent_output_never_becomes_a_user_fact(service: ConciergeService, project: str) -> None:
    scope = service.scope("carol", project_id=project, run_id="s1")
    service.chat(scope, "I use a wheelchair and I am vegan")
    reply = service.chat(scope, "Find me a dinner in Rome")
    assert "[step_free]" in reply.findings and "[vegan]" in reply.findings
    long_term = service.memories(service.scope("carol", project_id=project))
    assert {m.text for m in long_term} == {"User uses a wheelchair", "User is vegan"}


def test_crew_memory_recalls_only_its_scope_and_saves_session_notes(service: ConciergeService, project: str) -> None:
    service.remember(service.scope("dora", project_id=project), "I prefer a window seat")
    service.remember(service.scope("erik", project_id=project), "I prefer an aisle seat")
    dora = service.scope("dora", project_id=project, run_id="trip-1")
    crew_memory = ScopedCrewMemory.bind(service.memory, dora)
    recalled = [m.record.content for m in crew_memory.recall("which seat on the flight?", limit=5)]
    assert recalled == ["User prefers a window seat"]

    saved = crew_memory.remember("Shortlisted Kawa Sushi for Friday")  # CrewAI's "Save to memory" tool path
    assert saved is not None and saved.metadata == {"session": "trip-1"}
    in_session = {m.text for m in service.memories(dora)}
    assert "Shortlisted Kawa Sushi for Friday" in in_session
    other_session = {m.text for m in service.memories(dora.with_run("trip-2"))}
    assert "Shortlisted Kawa Sushi for Friday" not in other_session
    assert crew_memory.extract_memories("Task: ...\nResult: a long plan") == []
    with pytest.raises(NotImplementedError, match="never wipes"):
        crew_memory.reset()


def test_a_request_without_a_place_says_so(service: ConciergeService, project: str) -> None:
    reply = service.chat(service.scope("fay", project_id=project), "Find me somewhere for lunch")
    assert "You did not say where" in reply.plan
    assert reply.run_id.startswith("s-")  # a fresh session was opened for the turn


def test_window_seat_said_once_shapes_a_later_tokyo_trip_plan(service: ConciergeService, project: str) -> None:
    kenji = service.scope("kenji", project_id=project, run_id="s1")
    service.chat(kenji, "I always prefer a window seat on long flights")
    reply = service.chat(kenji.with_run("s3"), "Plan a trip to Tokyo for me in April")
    assert "Destinations in Tokyo, Japan" in reply.findings and "Stays in Tokyo, Japan" in reply.findings
    assert "Flights: into HND, NRT." in reply.plan and "Flights: ask for a window seat." in reply.plan
    first = re.search(r"First choice: (.+?) \(", reply.plan).group(1)
    assert f"Hello {first} team" in reply.draft and reply.draft.startswith("To: bookings@")


def test_a_trip_without_a_place_picks_a_destination_first(service: ConciergeService, project: str) -> None:
    reply = service.chat(service.scope("lin", project_id=project), "I want a weekend getaway with beaches and seafood")
    destination = re.search(r"Destination: (.+?) \(", reply.plan).group(1)
    assert f"Stays in {destination}," in reply.findings
    assert "You did not say where" not in reply.plan  # the destination search chose the place
