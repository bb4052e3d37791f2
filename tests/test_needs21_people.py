"""Issue 21, needs classes: whose need it is, needs said as adjectives of what is asked for, and misspelt need
words. Each parametrised list holds several phrasings of one class (not the one sentence a blind set missed)."""

from __future__ import annotations

import pytest

from concierge.needs import detect_needs
from concierge.needs.asked import needs_asked
from concierge.needs.lexicon import lexicon_for
from concierge.needs.nlp import parse
from concierge.needs.vocabulary import load_vocabulary
from concierge.offline.extraction import read_clauses


def _held(text: str) -> set[tuple[str, str]]:
    return {(n.holder, n.need_id) for n in detect_needs(text) if n.active}


def _asked(text: str) -> set[str]:
    return {n.need_id for n in needs_asked(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My mum can't eat gluten. Lunch in Bologna on Tuesday for the two of us.", {("mum", "gluten")}),
        ("Me and my friend Sam want dinner in Osaka tomorrow, Sam is allergic to soy", {("Sam", "soy")}),
        ("Lunch in Amsterdam tomorrow for me and my colleague Priya, Priya is vegetarian", {("Priya", "vegetarian")}),
        ("Lunch in Nice tomorrow with my friend Leo, Leo is coeliac", {("Leo", "gluten")}),
        ("My aunt can't have soy. Dinner in Florence on Saturday for the two of us", {("aunt", "soy")}),
        ("My friend Ana's mother is allergic to fish", {("Ana's mother", "fish")}),
        ("my friend's mother is allergic to fish", {("friend's mother", "fish")}),
        ("Tom's wife is coeliac", {("Tom's wife", "gluten")}),
        ("User's son is allergic to peanuts", {("son", "peanuts")}),
    ],
)
def test_a_companions_need_is_theirs_alone(text: str, expected: set[tuple[str, str]]) -> None:
    assert _held(text) == expected


@pytest.mark.parametrize(
    ("text", "need_ids"),
    [
        ("Planning Kyoto for cherry blossom season, nut allergy though", {"peanuts", "tree_nuts"}),
        ("Osaka next month, shellfish allergy though", {"crustaceans", "molluscs"}),
        ("Lisbon in May, vegan btw", {"vegan"}),
        ("Heading to Tokyo in April, coeliac btw", {"gluten"}),
    ],
)
def test_a_place_is_never_whose_need(text: str, need_ids: set[str]) -> None:
    assert _held(text) == {("user", need) for need in need_ids}


def test_a_person_named_like_a_place_keeps_their_need() -> None:
    assert _held("Jordan is allergic to peanuts") == {("Jordan", "peanuts")}
    assert _held("dinner with Florence tomorrow, she is vegan") == {("Florence", "vegan")}


@pytest.mark.parametrize(
    "text",
    [
        "Could you kindly arrange a halal-certified luncheon in Paris on Thursday for six guests?",
        "kosher dinner in London on Monday for eight guests please",
        "vegetarian dinner in Milan for ten guests on Friday",
        "A kosher dinner in Paris for 6 next Thursday please",
    ],
)
def test_a_counted_party_is_nobody_and_the_adjective_is_asked_of_the_venue(text: str) -> None:
    """Never a holder "guests" (stored as "User's guests is halal"): the need is the request's."""
    assert not any(holder == "guests" for holder, _ in _held(text))
    assert {n for _, n in _held(text)} | _asked(text)
    assert not [f for f in read_clauses(text, None)[0] if "guests" in f]


def test_guests_said_as_people_keep_their_need() -> None:
    assert _held("Dinner for 4 in Milan on Friday, our guests are vegetarian") == {("guests", "vegetarian")}
    assert _held("vegan lunch for my two kids") == {("kids", "vegan")}


@pytest.mark.parametrize(
    ("text", "need_ids"),
    [
        ("Dairy-free lunch spot in Madrid tomorrow for two?", {"milk"}),
        ("gluten-free dinner in Lyon on Friday for 3?", {"gluten"}),
        ("Know a nut-free brunch place in Paris for Sunday?", {"peanuts", "tree_nuts"}),
        ("Egg-free breakfast in London tomorrow for 2?", {"eggs"}),
        ("Lactose-free breakfast in Madrid tomorrow for one?", {"milk"}),
        ("Wheelchair-accessible hotel in Valencia for 3 nights from Friday?", {"wheelchair"}),
        ("Vegan dinner in Barcelona tonight?", {"vegan"}),
        ("Halal brunch in London on Sunday for 4?", {"halal"}),
    ],
)
def test_an_adjective_need_in_a_question_is_asked_of_the_venue(text: str, need_ids: set[str]) -> None:
    assert _asked(text) | {n for _, n in _held(text)} == need_ids


@pytest.mark.parametrize("text", ["is the hotel free on friday", "a sugar free dessert", "I love gluten-free pasta"])
def test_free_alone_asks_for_nothing(text: str) -> None:
    assert _asked(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dinner in Romme tomorow, alergic to sesmae, table for 2", {("user", "sesame")}),
        ("lactos intolerant, lunch in Porto tommorow for two", {("user", "milk")}),
        ("dinner in Milano tomorrow for 3, no nuts pls im alergic", {("user", "peanuts"), ("user", "tree_nuts")}),
        ("glutten free dinner in Naples tomorrow for 2", {("user", "gluten")}),
        ("lunch in Barcelona tomorow for 2, im allergic to peanutss", {("user", "peanuts")}),
        ("dinner tonite in Sevile for 3, no nutts pls", {("user", "peanuts"), ("user", "tree_nuts")}),
        ("my son is alergic to penauts", {("son", "peanuts")}),
        ("im celiac and alergic to sesmae", {("user", "gluten"), ("user", "sesame")}),
    ],
)
def test_misspelt_need_words_are_read(text: str, expected: set[tuple[str, str]]) -> None:
    assert _held(text) == expected


@pytest.mark.parametrize(
    ("text", "need_ids", "typos"),
    [
        ("dinner in Milano tomorrow for 3, no nuts pls im alergic", {"peanuts", "tree_nuts"}, ("alergic", "pls")),
        ("lactos intolerant, lunch in Porto tommorow for two", {"milk"}, ("lactos",)),
        ("I'm alergic to sesmae", {"sesame"}, ("alergic", "sesmae")),
        ("no sesmae for me, dinner in Berlin on Saturday for 2", {"sesame"}, ("sesmae",)),
    ],
)
def test_needs_are_stored_in_canonical_words(text: str, need_ids: set[str], typos: tuple[str, ...]) -> None:
    """The facts state the user's needs, in the vocabulary's words ("No nuts pls User is allergic" was stored)."""
    facts = read_clauses(text, None)[0]
    assert {n.need_id for f in facts for n in detect_needs(f) if n.holder == "user" and n.active} == need_ids
    assert not [f for f in facts if any(typo in f.lower().split() for typo in typos)], facts


@pytest.mark.parametrize(
    ("typed", "word"),
    [("lactos", "lactose"), ("vegann", "vegan"), ("halall", "halal"), ("nutts", "nuts"), ("sesmae", "sesame")],
)
def test_a_typo_is_read_as_the_nearest_whole_word(typed: str, word: str) -> None:
    lexicon = lexicon_for(load_vocabulary())
    assert lexicon.canonical(parse([f"I said {typed}"])[0][-1]) == word


@pytest.mark.parametrize("word", ["almost", "blinds", "nutty", "halls", "fishy", "eggnog", "table", "tables"])
def test_ordinary_words_are_never_corrected(word: str) -> None:
    lexicon = lexicon_for(load_vocabulary())
    assert lexicon.canonical(parse([f"I said {word}"])[0][-1]) == word


@pytest.mark.parametrize(
    ("text", "person_fact"),
    [
        ("My partner's name is Jonas and he's from Hamburg", "User's partner is from Hamburg"),
        ("My sister's name is Clara and she lives in Dublin", "User's sister lives in Dublin"),
        ("My son's name is Leo and he is six", "User's son is six"),
    ],
)
def test_a_companions_name_and_origin_are_kept(text: str, person_fact: str) -> None:
    facts = read_clauses(text, None)[0]
    assert any("name is" in f for f in facts) and any(person_fact in f for f in facts), facts
