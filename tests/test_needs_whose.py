"""Whose need, adjective needs and needs said without a subject (issue 21), read by the parse, not by pattern.

Every phrasing here is new (not in the needs sets, the dev sets or the reader's docstrings): several people in
one message, the companion named in one sentence and the need in the next, unnamed people in the party ("one of
us"), negations that set the user apart ("I'm not ..., only my sister is"), and needs said before a plan with no
"I". The checks are on typed fields: the detector's (need, holder, active), the needs a request asks of the venue,
and the needs the stored facts state when read back (what the plan is built from)."""

from __future__ import annotations

import pytest

from concierge.needs import detect_needs
from concierge.needs.asked import needs_asked
from concierge.needs.detect import UNNAMED_COMPANION, USER
from concierge.offline.extraction import read_clauses


def _said(text: str) -> set[tuple[str, str, bool]]:
    return {(n.need_id, n.holder.casefold(), n.active) for n in detect_needs(text)}


def _stored(text: str) -> set[tuple[str, str, bool]]:
    """What the facts the offline extractor keeps state, read back as the plan reads memories."""
    facts, _ = read_clauses(text, None)
    return {key for fact in facts for key in _said(fact)}


# -- whose need --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # the companion named in the request, the need said of "he" / "she" after it
        ("Dinner for me and my brother on Friday, he is allergic to sesame", {("sesame", "brother", True)}),
        ("brunch on Sunday with my aunt - she can't have any dairy", {("milk", "aunt", True)}),
        ("A table for me and my nephew. He's got a really bad egg allergy", {("eggs", "nephew", True)}),
        ("Lunch in Verona with Marco. He is vegan", {("vegan", "marco", True)}),
        (
            "dinner for me and my father on Sunday; he is diabetic and uses a wheelchair",
            {("wheelchair", "father", True)},
        ),
        # someone in the party nobody named
        ("Lunch for 4 on Sunday, one of us can't have dairy", {("milk", UNNAMED_COMPANION, True)}),
        ("Supper for seven, one of the party is kosher", {("kosher", UNNAMED_COMPANION, True)}),
        # one of several: that person, in the singular
        ("one of my cousins is coeliac", {("gluten", "cousin", True)}),
        ("Dinner for 3 tomorrow; one of my colleagues eats halal only", {("halal", "colleague", True)}),
        # a semicolon ends the list of the party: the need is the one person's said after it, not the last listed
        (
            "Table for 3 tomorrow for me, my wife and our daughter; our daughter has a tree nut allergy",
            {("tree_nuts", "daughter", True)},
        ),
        ("lunch for me and my husband; my mum is coeliac", {("gluten", "mum", True)}),
        # the user set apart by a negation; the companion holds the need
        # the user is set apart: never given the need (the check below); whether the user's own "not" is kept as a
        # retraction is needs.retraction's strict rule (a sentence that also speaks of someone else is not plain)
        ("I'm not vegetarian, only my sister is", {("vegetarian", "sister", True)}),
        ("I don't eat halal myself, only my father does", {("halal", "father", True)}),
        # "we" after the people were named: all of them
        ("my partner and I, we're both pescatarian", {("pescatarian", "partner", True), ("pescatarian", USER, True)}),
        ("Me and my dad - we're both coeliac", {("gluten", USER, True), ("gluten", "dad", True)}),
        # each person their own need
        (
            "My son is allergic to kiwi and peanuts, and I'm lactose intolerant",
            {("peanuts", "son", True), ("milk", USER, True)},
        ),
    ],
)
def test_the_need_belongs_to_the_person_the_parse_gives_it_to(
    message: str, expected: set[tuple[str, str, bool]]
) -> None:
    assert _said(message) >= expected
    wrong_user = {(need, USER, True) for need, holder, _ in expected if holder != USER}
    assert not (_said(message) & wrong_user - expected)


@pytest.mark.parametrize(
    "message",
    [
        "Supper in Lucca for me and my wife, I'm coeliac",
        "a table for me and my two nieces - I can't eat gluten",
        "lunch for me and my son on Sunday, I'm gluten intolerant",
    ],
)
def test_the_users_own_need_is_not_given_to_the_people_the_request_is_for(message: str) -> None:
    assert _said(message) == {("gluten", USER, True)}


@pytest.mark.parametrize(
    ("message", "holder", "need"),
    [
        ("lunch for me and my son on Sunday, he's allergic to eggs", "son", "eggs"),
        ("I'm not vegan, only my husband is", "husband", "vegan"),
        ("Dinner for 6 - one of us cannot eat gluten", UNNAMED_COMPANION, "gluten"),
        ("Lunch in Bilbao for me and my mother. I'm not halal, only she is.", "mother", "halal"),
        ("Dinner for 3, one of my friends is allergic to sesame", "friend", "sesame"),
    ],
)
def test_a_companions_need_is_stored_as_theirs_and_never_as_the_users(message: str, holder: str, need: str) -> None:
    stored = _stored(message)
    assert (need, holder.casefold(), True) in stored
    assert (need, USER, True) not in stored


def test_the_companion_named_in_an_earlier_sentence_holds_the_need_stored() -> None:
    stored = _stored("Plan a long weekend in Porto for my wife and me. She's coeliac, I eat anything.")
    assert ("gluten", "wife", True) in stored
    assert not any(holder in ("companion", USER) for need, holder, _ in stored if need == "gluten")


# -- needs said without a subject --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "needs"),
    [
        ("shellfish allergy, off to Valencia for Easter", {"crustaceans", "molluscs"}),
        ("nut allergy, in Lisbon over New Year", {"peanuts", "tree_nuts"}),
        ("Strictly kosher. Off to Athens for Christmas with the family.", {"kosher"}),
        ("lactose intolerant - visiting Naples during Ramadan", {"milk"}),
    ],
)
def test_a_need_said_without_a_subject_is_the_users_and_a_holiday_is_nobody(message: str, needs: set[str]) -> None:
    stored = _stored(message)
    assert {(n, USER, True) for n in needs} <= stored
    assert {holder for _, holder, _ in stored} == {USER}


# -- adjective needs: what the request asks of the venue ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "need"),
    [
        ("a kosher bistro in Milan for lunch", "kosher"),
        ("halal brunch in Bologna on Sunday for 3", "halal"),
        ("any vegetarian trattoria in Naples tonight?", "vegetarian"),
        ("Book us a vegan place in Bordeaux, Thursday 8pm", "vegan"),
    ],
)
def test_a_diet_word_describing_the_meal_is_asked_of_the_venue(message: str, need: str) -> None:
    asked = {(n.need_id, n.holder) for n in needs_asked(message)} | {
        (n.need_id, n.holder) for n in detect_needs(message) if n.active
    }
    assert (need, USER) in asked


def test_a_diet_word_that_is_negated_or_liked_asks_nothing() -> None:
    assert not needs_asked("no vegan options needed, just dinner in Rome")
    assert not needs_asked("I love kosher delis, book me a steakhouse in Madrid")
