"""Whose need, round 5 (issue 24 item 3, issue 21 whose need; attack7 M1 M2 M3 M6 H4): each class with many
phrasings, several people, said in one message or earlier and now.

Checks are on typed fields: the needs a text states (need, holder, active), the needs that hold after texts said
in order (what the plan applies), the facts the memory layer stores and the needs they state; no wording.
"""

from __future__ import annotations

import pytest

from concierge.needs import detect_needs
from concierge.needs.current import statements
from concierge.needs.detect_too import said_too
from concierge.offline.extraction import read_clauses
from concierge.service import ConciergeService
from tests.needs_held import held as _held


def _said(text: str) -> set[tuple[str, str, bool]]:
    return {(n.need_id, n.holder.casefold(), n.active) for n in detect_needs(text)}


def _stored(message: str) -> set[tuple[str, str]]:
    """The needs the facts the memory layer stores for ``message`` state."""
    return _held(read_clauses(message, None)[0])


# -- M1: a name typed in lower case after a relation is a name ---------------------------------------------------
LOWER_NAMES = [
    ("My nephew tom is allergic to peanuts", "tom", "peanuts"),
    ("my daughter mia is allergic to eggs", "mia", "eggs"),
    ("My friend sam is coeliac", "sam", "gluten"),
    ("My wife ana is vegan", "ana", "vegan"),
    ("my son leo is vegan", "leo", "vegan"),
    ("My brother jo has a peanut allergy", "jo", "peanuts"),
    ("My niece zoe is allergic to sesame", "zoe", "sesame"),
    ("My colleague priya can't eat fish", "priya", "fish"),
    ("My mum ines is allergic to milk", "ines", "milk"),
    ("My sister emma is allergic to peanuts", "emma", "peanuts"),
    ("my son tom, who is 5, is allergic to eggs", "tom", "eggs"),
    ("our daughter lucy is coeliac", "lucy", "gluten"),
]


@pytest.mark.parametrize(("message", "name", "need"), LOWER_NAMES)
def test_a_lower_case_name_after_a_relation_holds_the_need(message: str, name: str, need: str) -> None:
    assert _said(message) == {(need, name, True)}
    assert _stored(message) == {(need, name)}  # the stored fact, read again, is the named person's


@pytest.mark.parametrize(
    ("message", "holder", "need"),
    [
        ("My son really is allergic to eggs", "son", "eggs"),
        ("my wife also is vegan", "wife", "vegan"),
        ("my son still is allergic to eggs", "son", "eggs"),
        ("my husband tho is vegan", "husband", "vegan"),
    ],
)
def test_an_adverb_after_a_relation_is_no_name(message: str, holder: str, need: str) -> None:
    assert _said(message) == {(need, holder, True)}


def test_a_lower_case_name_said_earlier_is_another_person_than_the_user() -> None:
    assert _held(["I am vegan", "my friend sam is coeliac"]) == {("vegan", "user"), ("gluten", "sam")}


# -- M2: a title, with or without its full stop, opens a name ----------------------------------------------------
TITLED = [
    ("My dentist Dr. Smith is coeliac", "smith", "gluten"),
    ("My dentist Dr Smith is coeliac", "smith", "gluten"),
    ("My colleague Dr. Smith is coeliac", "smith", "gluten"),
    ("My neighbour Mrs. Brown is vegan", "brown", "vegan"),
    ("My teacher Mr. Lee is allergic to peanuts", "lee", "peanuts"),
    ("My boss Ms. Khan is vegetarian", "khan", "vegetarian"),
    ("My friend Prof. Ito is allergic to fish", "ito", "fish"),
    ("My son St. John is allergic to eggs", "john", "eggs"),
    ("Mrs. Brown, my neighbour, is vegan", "brown", "vegan"),
    ("My doctor Dr. Patel is allergic to sesame", "patel", "sesame"),
    ("My physio Ms Khan is vegetarian", "khan", "vegetarian"),
    ("Dr. Smith is coeliac", "smith", "gluten"),
]


@pytest.mark.parametrize(("message", "name", "need"), TITLED)
def test_a_titled_name_holds_the_need(message: str, name: str, need: str) -> None:
    assert (need, "user", True) not in _said(message)
    assert (need, name, True) in _said(message)
    assert ("user" not in {h for _, h in _stored(message)}) and (need, name) in _stored(message)


def test_a_titled_companion_beside_the_users_own_need() -> None:
    assert _said("My colleague Dr. Smith is coeliac. I'm vegan.") == {
        ("gluten", "smith", True),
        ("vegan", "user", True),
    }


# -- M3: the speaker of reported speech does not hold what is reported -------------------------------------------
REPORTED = [
    "My mum keeps saying I'm no longer allergic to peanuts; she's wrong",
    "My mum insists I'm not allergic to peanuts but she's wrong",
    "My friend asked you to forget my peanut allergy",
    "My brother says I'm not allergic to peanuts anymore",
    "My wife thinks I'm not allergic to peanuts",
    "My dad keeps telling me I'm not allergic to peanuts",
    "My sister claims I'm no longer allergic to peanuts",
    "My doctor said I'm not allergic to peanuts but I don't believe him",
    "My son told me I'm not allergic to peanuts anymore",
    "My friend reckons I'm no longer allergic to peanuts",
    "My brother: forget my peanut allergy",
]


@pytest.mark.parametrize("message", REPORTED)
def test_reported_speech_gives_the_speaker_no_need(message: str) -> None:
    stored = "User is allergic to peanuts"
    assert _held([stored, message]) == {("peanuts", "user")}
    assert _held([stored, *read_clauses(message, None)[0]]) == {("peanuts", "user")}


# -- M6: a need said by pointing back, and a wish that presupposes it --------------------------------------------
@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        ("User's son is allergic to eggs", "My daughter too", {("eggs", "daughter")}),
        ("User's wife is vegan", "Same for my husband", {("vegan", "husband")}),
        ("User's husband is coeliac", "my son as well", {("gluten", "son")}),
        ("User's daughter is allergic to peanuts", "And my son too", {("peanuts", "son")}),
        ("User's son is vegetarian", "Also my wife", {("vegetarian", "wife")}),
        ("User's wife is allergic to sesame", "my brother too", {("sesame", "brother")}),
        ("User is allergic to fish", "My wife too", {("fish", "wife")}),
        ("User is allergic to fish", "I love Lyon", set()),
        ("User's wife is coeliac", "My son is allergic to eggs", set()),  # says a need of its own
    ],
)
def test_a_message_pointing_back_gives_the_need_said_before(
    before: str, now: str, expected: set[tuple[str, str]]
) -> None:
    assert {(n.need_id, n.holder.casefold()) for n in said_too(now, [before])} == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("I'm vegan and so is my wife", {("vegan", "user"), ("vegan", "wife")}),
        ("My son is allergic to eggs and my daughter too", {("eggs", "son"), ("eggs", "daughter")}),
        ("My wife is coeliac, same for my son", {("gluten", "wife"), ("gluten", "son")}),
        ("I'm allergic to fish, my husband as well", {("fish", "user"), ("fish", "husband")}),
        ("I'm allergic to peanuts and so is my son", {("peanuts", "user"), ("peanuts", "son")}),
    ],
)
def test_one_message_pointing_back_within_itself(message: str, expected: set[tuple[str, str]]) -> None:
    assert _held([message]) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("I wish I wasn't allergic to peanuts", ("peanuts", "user")),
        ("I wish I weren't coeliac", ("gluten", "user")),
        ("If only I wasn't allergic to eggs", ("eggs", "user")),
        ("I really wish I wasn't allergic to sesame", ("sesame", "user")),
        ("If only my son weren't allergic to eggs", ("eggs", "son")),
        ("User wishes they weren't allergic to peanuts", ("peanuts", "user")),
    ],
)
def test_a_wish_presupposes_the_need_it_wishes_away(message: str, expected: tuple[str, str]) -> None:
    assert _held([message]) == {expected}
    assert _held(["I am allergic to peanuts", "My son is allergic to eggs", message]) >= {expected}


def test_a_wish_said_after_a_retraction_does_not_restate_it() -> None:
    assert _held(["User is allergic to eggs", "I'm not allergic to eggs, I wish I were"]) == set()


def test_a_new_users_wish_is_applied_to_the_plan(service: ConciergeService) -> None:
    scope = service.scope("wish-user")
    service.chat(scope, "I wish I wasn't allergic to peanuts")
    assert {(n.need_id, n.holder) for n in service.user_needs(scope)} == {("peanuts", "user")}


def test_my_daughter_too_in_a_session(service: ConciergeService) -> None:
    scope = service.scope("too-user", run_id="too-session")
    service.chat(scope, "My son is allergic to eggs")
    service.chat(scope, "My daughter too")
    service.chat(scope, "Same for my husband")
    held = {(n.need_id, n.holder) for n in service.user_needs(service.scope("too-user"))}
    assert held == {("eggs", "son"), ("eggs", "daughter"), ("eggs", "husband")}


# -- H4: a correction after a retraction states no new need ------------------------------------------------------
CORRECTIONS = [
    ("I'm no longer allergic to peanuts, I mean sesame", "sesame"),
    ("I'm not allergic to peanuts any more, sorry, I mean eggs", "eggs"),
    ("I'm no longer allergic to peanuts, I mean to sesame", "sesame"),
    ("I'm not allergic to peanuts anymore, I mean celery", "celery"),
    ("I'm no longer allergic to peanuts, no wait, I mean soy", "soy"),
    ("I'm not allergic to peanuts anymore, I mean milk", "milk"),
    ("I'm no longer allergic to peanuts, I meant sesame", "sesame"),
    ("I'm not allergic to peanuts anymore. I mean fish.", "fish"),
    ("I'm no longer allergic to peanuts... I mean mustard", "mustard"),
    ("I'm not allergic to peanuts anymore — oops, I meant tree nuts", "tree_nuts"),
]


@pytest.mark.parametrize(("message", "named"), CORRECTIONS)
def test_a_correction_of_a_retraction_adds_no_need(message: str, named: str) -> None:
    assert (named, "user", True) not in _said(message)
    held = _held(["User is allergic to peanuts", *read_clauses(message, None)[0]])
    assert (named, "user") not in held


def test_a_correction_of_a_statement_keeps_the_need_said_first() -> None:
    assert ("peanuts", "user") in _held(["I'm allergic to peanuts, I mean sesame"])


# -- a place is nobody -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("home is Marseille", set()),
        ("my home is Lyon and I'm allergic to fish", {("fish", "user")}),
        ("Home is Paris, I'm vegan", {("vegan", "user")}),
        ("My home is Madrid; I'm coeliac", {("gluten", "user")}),
        ("home's Berlin and I'm allergic to eggs", {("eggs", "user")}),
        ("My hometown is Porto and I'm allergic to sesame", {("sesame", "user")}),
        ("Home is Rome. I am vegetarian", {("vegetarian", "user")}),
        ("my base is London and I'm allergic to peanuts", {("peanuts", "user")}),
        ("home is Marseille and my wife is vegan", {("vegan", "wife")}),
        ("Our home is Lisbon, my son is allergic to eggs", {("eggs", "son")}),
    ],
)
def test_a_home_place_holds_no_need(message: str, expected: set[tuple[str, str]]) -> None:
    assert _held([message]) == expected
    assert _stored(message) == expected


# -- someone's relative: the owner is a qualifier, and only that person's need is taken back -------------------
_ANAS_MOTHER, _ANA = "Ana's mother is allergic to fish", "My friend Ana is allergic to fish"
_MY_MOTHER, _SAMS = "My mother is allergic to fish", "Sam's daughter is allergic to eggs"
_OUTGROWN = "Sam's daughter has outgrown her egg allergy"
OWNED = [
    ([_ANAS_MOTHER, _ANA], "Ana's mother isn't allergic to fish any more", {("fish", "ana")}),
    (["My friend's mother is allergic to fish"], "My friend's mother isn't allergic to fish any more", set()),
    ([_ANAS_MOTHER, _ANA], "Ana's mother is no longer allergic to fish", {("fish", "ana")}),
    ([_ANAS_MOTHER, _MY_MOTHER], "Ana's mother isn't allergic to fish any more", {("fish", "mother")}),
    ([_ANAS_MOTHER, _MY_MOTHER], "My mother isn't allergic to fish any more", {("fish", "ana's mother")}),
    (
        ["My wife's brother is coeliac", "My brother is coeliac"],
        "My wife's brother isn't coeliac",
        {("gluten", "brother")},
    ),
    ([_SAMS], _OUTGROWN, set()),
    ([_SAMS, "My daughter is allergic to eggs"], _OUTGROWN, {("eggs", "daughter")}),
    (["Ana's husband is vegan", "Ana is vegan"], "Ana's husband isn't vegan anymore", {("vegan", "ana")}),
    (["Ana's husband is vegan", "Ana is vegan"], "Ana isn't vegan anymore", {("vegan", "ana's husband")}),
    (["Tom is allergic to fish"], "Tom's dog isn't allergic to fish any more", {("fish", "tom")}),
]


@pytest.mark.parametrize(("before", "now", "expected"), OWNED)
def test_someones_relative_is_told_apart(before: list[str], now: str, expected: set[tuple[str, str]]) -> None:
    assert _held([*before, now]) == expected


def test_someones_relative_keeps_the_owner() -> None:
    (stated,) = statements("Ana's mother isn't allergic to fish any more")
    assert stated.person.relation == "mother" and stated.person.describe() == "Ana's mother"
