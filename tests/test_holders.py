"""Whose fact it is (attack4 M4, M5, L2): a person introduced with another relation is another holder; a holder
corrected in the same session moves the need; garbled words are never stored.

Checks are on typed fields: the needs the stored facts state (need, holder, active), what the store keeps current,
the needs a plan applies; the answers' wording is not asserted.
"""

from __future__ import annotations

import pytest

from concierge.conversation.holder import read_holder_correction
from concierge.needs import detect_needs
from concierge.offline.extraction import extract_facts, read_clauses
from concierge.offline.hearsay import GARBLED, NOTHING_SAID
from concierge.offline.people import relations, resolve_names
from concierge.offline.supersede import decide_supersedes
from concierge.service import ConciergeService
from tests.needs_held import held as _held


# -- M4: "Anna Smith, my colleague," is not "my daughter Anna" ------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "relation"),
    [
        ("Anna Smith, my colleague, is not allergic to eggs", "colleague"),
        ("Anna, my colleague, is not allergic to eggs", "colleague"),
        ("My colleague Anna is not allergic to eggs", "colleague"),
        ("Anna, our neighbour, is not allergic to eggs", "neighbour"),
        ("Anna my colleague isn't allergic to eggs", "colleague"),
    ],
)
def test_apposition_is_another_holder(said: str, relation: str) -> None:
    known = {"Anna": "daughter"}  # "My daughter Anna is allergic to eggs" was said before
    resolved = resolve_names(said, {**known, **relations([said])})
    assert "daughter" not in resolved and relation in resolved
    (old,) = extract_facts("My daughter Anna is allergic to eggs", None)
    facts = extract_facts(resolved, None)
    assert facts and all("daughter" not in f for f in facts)
    assert all(decide_supersedes(f, [("0", old)]) == [] for f in facts)  # the daughter's allergy stays
    assert ("eggs", "anna") in _held([old, *facts])


def test_a_name_said_alone_still_takes_its_one_known_relation() -> None:
    assert resolve_names("Anna is not allergic to eggs any more", {"Anna": "daughter"}).startswith("My daughter Anna")
    assert resolve_names("Tom, my son, is allergic to peanuts", {}) == "My son Tom is allergic to peanuts"


def test_apposition_end_to_end_keeps_the_daughters_need(service: ConciergeService, project: str) -> None:
    scope = service.scope("anna-two", project_id=project)
    service.remember(scope, "My daughter Anna is allergic to eggs")
    service.remember(scope, "Anna Smith, my colleague, is not allergic to eggs")
    current = [r.text for r in service.memories(scope)]
    assert "User's daughter Anna is allergic to eggs" in current
    assert not any("daughter" in t and "colleague" in t for t in current)  # never one person with two relations
    colleague = [t for t in current if "colleague" in t]
    assert colleague and all(not n.active for t in colleague for n in detect_needs(t))
    reply = service.chat(scope, "Book dinner in Lyon tomorrow for 2")
    assert reply.plan is not None and "eggs" in {n.need_id for n in reply.plan.needs}


# -- M5: "no wait, that was my son" -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "person"),
    [
        ("no wait, that was my son", "my son"),
        ("sorry, I meant my son", "my son"),
        ("I meant my daughter", "my daughter"),
        ("oops, wrong person, it's Tom who is allergic", "Tom"),
        ("actually it's my wife, not me", "my wife"),
        ("no, it was for my daughter", "my daughter"),
        ("actually, not me, my husband", "my husband"),
        ("no, it's my son Tom, not me", "my son Tom"),
        ("wrong person", None),
        ("no wait, not me", None),
        ("sorry, I meant someone else", None),
    ],
)
def test_a_holder_correction_is_read(message: str, person: str | None) -> None:
    correction = read_holder_correction(message)
    assert correction is not None and correction.person == person


@pytest.mark.parametrize(
    "message",
    [
        "That was my son",  # tells, corrects nothing
        "sorry, that was my mistake",
        "Actually it is Paris",
        "no wait, make it Paris",
        "sorry, I meant tomorrow",
        "I love my son",
        "It's my son who is allergic to peanuts",
        "My husband is vegan, not me",  # no cue: a new fact, stored as said
    ],
)
def test_what_corrects_no_holder_is_left_alone(message: str) -> None:
    assert read_holder_correction(message) is None


@pytest.mark.parametrize(
    ("correction", "holder"),
    [
        ("no wait, that was my son", "son"),
        ("sorry, I meant my son", "son"),
        ("oops, wrong person, it's Tom who is allergic", "tom"),
        ("actually it's my wife, not me", "wife"),
        ("correction: my husband is allergic to peanuts, not me", "husband"),  # attack5 L2: the need restated
        ("I meant my mother is allergic to peanuts, not me", "mother"),
    ],
)
def test_holder_correction_moves_need(service: ConciergeService, project: str, correction: str, holder: str) -> None:
    scope = service.scope(f"moved-{holder}-{len(correction)}", project_id=project, run_id="s1")
    service.chat(scope, "I'm allergic to peanuts")
    reply = service.chat(scope, correction)

    current = [r.text for r in service.memories(scope)]
    assert _held(current) == {("peanuts", holder)}  # the person named holds it; the user no longer does
    assert reply.memories_stored == [] and not any(t.lower().startswith(("that was", "user meant")) for t in current)
    plan = service.chat(scope, "Book dinner in Lyon tomorrow for 2").plan
    assert plan is not None and {(n.need_id, n.holder.casefold()) for n in plan.needs} == {("peanuts", holder)}


@pytest.mark.parametrize("correction", ["wrong person", "no wait, not me", "sorry, I meant someone else"])
def test_an_unclear_holder_correction_asks_and_stores_nothing(
    service: ConciergeService, project: str, correction: str
) -> None:
    scope = service.scope(f"unclear-{len(correction)}", project_id=project, run_id="s1")
    service.chat(scope, "I'm allergic to peanuts")
    before = sorted(r.text for r in service.memories(scope))
    reply = service.chat(scope, correction)
    assert sorted(r.text for r in service.memories(scope)) == before and reply.memories_stored == []
    assert "?" in reply.answer


def test_a_correction_restating_another_need_asks_and_moves_nothing(service: ConciergeService, project: str) -> None:
    scope = service.scope("restated-other", project_id=project, run_id="s1")
    service.chat(scope, "I'm allergic to peanuts")
    reply = service.chat(scope, "sorry, my son is vegan, not me")
    assert _held([r.text for r in service.memories(scope)]) == {("peanuts", "user")} and reply.memories_stored == []


def test_a_holder_correction_never_moves_a_need_from_an_earlier_session(
    service: ConciergeService, project: str
) -> None:
    earlier = service.scope("older-need", project_id=project, run_id="s0")
    service.chat(earlier, "I'm allergic to peanuts")
    now = service.scope("older-need", project_id=project, run_id="s1")
    service.chat(now, "no wait, that was my son")
    assert _held([r.text for r in service.memories(now)]) == {("peanuts", "user")}


def test_a_holder_correction_after_a_fact_that_states_no_need_moves_nothing(
    service: ConciergeService, project: str
) -> None:
    scope = service.scope("no-need-before", project_id=project, run_id="s1")
    service.chat(scope, "I'm allergic to peanuts")
    service.chat(scope, "I love jazz")
    service.chat(scope, "no wait, that was my son")
    current = [r.text for r in service.memories(scope)]
    assert _held(current) == {("peanuts", "user")} and "User loves jazz" in current


# -- L2: garbled words are never stored ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "needs"),
    [
        ("My son's teacher says he's not allergic to peanuts", set()),
        ("I'm no longer allergic to peanuts, said my brother", set()),
        ("My friend thinks I'm not vegan", set()),
        ("you can't forget my peanut allergy", {("peanuts", "user")}),
        ("My son's teacher says he is allergic to peanuts", {("peanuts", "son")}),
    ],
)
def test_reported_speech_stores_no_junk(message: str, needs: set[tuple[str, str]]) -> None:
    facts, _dropped = read_clauses(message, None)
    assert not any(f.split()[0].lower() in {"said", "says", "you"} or " 's " in f for f in facts), facts
    assert _held(facts) == needs
    # nothing the message stores takes back a need said before
    for old in ("User is allergic to peanuts", "User's son is allergic to peanuts", "User is vegan"):
        assert all(decide_supersedes(f, [("0", old)]) == [] for f in facts)


@pytest.mark.parametrize(
    ("message", "kept", "why"),
    [
        ("I'm not allergic to peanuts anymore. I wish.", 0, NOTHING_SAID),  # "User wishes" before
        ("I'm not allergic to peanuts anymore. I'm kidding.", 0, NOTHING_SAID),  # "User is kidding"
        ("We're not vegan anymore. Well, I'm not.", 1, None),  # "Well, I'm not." is read as no clause at all
        ("I'm allergic to peanuts. I wish I wasn't.", 1, NOTHING_SAID),  # "User wishes User wasn't"
        ('My son keeps saying "I\'m not allergic to peanuts"', 0, GARBLED),  # the quote cut open
        ("I smoke.", 1, None),  # a clause with nothing but a verb still says something of the user
        ("I think Lyon is lovely.", 1, None),
    ],
)
def test_a_clause_that_says_nothing_of_anyone_is_never_stored(message: str, kept: int, why: str | None) -> None:
    """attack5 L3: a stored fact is a clause with a subject and something said of it, never an aside."""
    facts, dropped = read_clauses(message, None)
    assert len(facts) == kept and all(f.startswith("User") for f in facts), facts
    assert why is None or why in {reason for _fact, reason in dropped}, dropped


def test_reported_speech_end_to_end_keeps_every_need(service: ConciergeService, project: str) -> None:
    scope = service.scope("hearsay", project_id=project)
    service.remember(scope, "My son is allergic to peanuts")
    service.remember(scope, "I am allergic to peanuts")
    for said in (
        "My son's teacher says he's not allergic to peanuts",
        "I'm no longer allergic to peanuts, said my brother",
        "you can't forget my peanut allergy",
    ):
        service.remember(scope, said)
    current = [r.text for r in service.memories(scope)]
    assert _held(current) == {("peanuts", "user"), ("peanuts", "son")}
    assert not any(t.startswith(("Said", "You ")) or " 's " in t for t in current), current


@pytest.mark.xfail(
    strict=True, reason="known regression at the end of stop 24: a moved need no longer gives back what it replaced"
)
def test_a_moved_need_gives_back_what_it_had_replaced(service: ConciergeService, project: str) -> None:
    """The user's vegetarian "now" had superseded their vegan; once it is the son's, the user is vegan again."""
    service.chat(service.scope("diet-moved", project_id=project, run_id="s0"), "I'm vegan")
    scope = service.scope("diet-moved", project_id=project, run_id="s1")
    service.chat(scope, "I'm vegetarian now")
    assert _held([r.text for r in service.memories(scope)]) == {("vegetarian", "user")}
    service.chat(scope, "no wait, that was my son")
    assert _held([r.text for r in service.memories(scope)]) == {("vegan", "user"), ("vegetarian", "son")}
