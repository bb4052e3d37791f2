"""Issue 21, typos (round 6): a message with typos in its intent, need, relation, date or city words, texting
shorthand ("u", "r", "pls", "ppl", "2nite") or dropped apostrophes ("im", "wifes") is read as the request it is,
its needs held by the right person and stored in their canonical words; a correctly spelt sentence is never
respelt into a need ("legs", "fist", "Sony", "uber", "gelato", "my glutes")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from concierge.needs import detect_needs
from concierge.needs.speller import Speller
from concierge.needs.spelling import spelled_out
from concierge.reply import Reply
from concierge.request.spelling import corrected
from concierge.service import ConciergeService
from tests.request_reading import parse_at, shipped_places

CITIES = [*shipped_places().cities, *shipped_places().cities.values()]


@dataclass(frozen=True)
class Case:
    say: str
    intent: str
    city: str | None = None
    party: int | None = None
    meal: str | None = None
    user: frozenset[str] = frozenset()  # needs the plan applies as the user's, and stores as the user's
    others: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (relation, need) of a companion


def _case(say: str, intent: str, city: str | None = None, party: int | None = None, meal: str | None = None, *,
          user: tuple[str, ...] = (), others: tuple[tuple[str, str], ...] = ()) -> Case:  # fmt: skip
    return Case(say, intent, city, party, meal, frozenset(user), frozenset(others))


CASES = [
    # the intent word
    _case("dinr in Rome on friday for 3", "dine", "Rome", 3, "dinner"),
    _case("lnch in Porto tomorrow for 2", "dine", "Porto", 2, "lunch"),
    _case("hotl in Lyon for 2 nights from friday for 2", "stay", "Lyon", 2),
    _case("restraunt in Athens tomorrow evening for 3", "dine", "Athens", 3),
    # the need word, the need's own short words and two run together
    _case("I'm alergic to egs, dinner in Paris tonight for 2", "dine", "Paris", 2, user=("eggs",)),
    _case("lunch in Munich tomorow for 2, im glutn free", "dine", None, 2, "lunch", user=("gluten",)),
    _case("glutenfree dinner in Faro tomorrow for 2", "dine", "Faro", 2, "dinner", user=("gluten",)),
    _case("I'm allergic to selery", "statement", user=("celery",)),
    _case("I'm alergic to tree nutts", "statement", user=("tree_nuts",)),
    # the relation word, and "is" with its apostrophe dropped
    _case(
        "dinner in Lyon tomorrow for 2, my husbnd is allergic to fish", "dine", "Lyon", 2, others=(("husband", "fish"),)
    ),
    _case("my wifes vegetarian, dinner in Rome tomorrow for 2", "dine", "Rome", 2, others=(("wife", "vegetarian"),)),
    _case(
        "my husbands allergic to eggs, lunch in Nice tomorrow for 2",
        "dine",
        "Nice",
        2,
        "lunch",
        others=(("husband", "eggs"),),
    ),
    _case(
        "dinner in Paris on friday for 3, my doughter is coeliac", "dine", "Paris", 3, others=(("daughter", "gluten"),)
    ),
    # the date word and the city
    _case("lunch in Berlin on thrusday for 2", "dine", "Berlin", 2, "lunch"),
    _case("dinner in Lisbon on wendesday for 4", "dine", "Lisbon", 4, "dinner"),
    _case("dinner in Bordaux on saturday for 2, I'm pescatarian", "dine", "Bordeaux", 2, user=("pescatarian",)),
    # texting shorthand
    _case(
        "my husbnd and i r vegitarian, dinner in Rome on friday for 2",
        "dine",
        "Rome",
        2,
        "dinner",
        user=("vegetarian",),
        others=(("husband", "vegetarian"),),
    ),
    _case("can u book dinner in Paris 2nite for 2 pls", "dine", "Paris", 2, "dinner"),
    _case("dinner in Rome tmrw 4 ppl", "dine", "Rome", 4, "dinner"),
    # a day said short after a word that introduces a day: the parse read "sat" as a verb and lost the need
    _case("alergic to peanuts, lunch in Tokio on sat for 2", "dine", "Tokyo", 2, "lunch", user=("peanuts",)),
    _case("vegan, dinner in Lyon this fri for 3", "dine", "Lyon", 3, "dinner", user=("vegan",)),
    _case("dinner in Porto next thurs for 2, im coeliac", "dine", "Porto", 2, "dinner", user=("gluten",)),
    _case(
        "dinr in barcelona tmrw for 2, im alergic to shelfish",
        "dine",
        "Barcelona",
        2,
        "dinner",
        user=("crustaceans", "molluscs"),
    ),
]


def _city(reply: Reply) -> str | None:
    place = reply.request.place
    return place.city if place is not None else None


def _stored(reply: Reply, holder: str) -> set[str]:
    return {n.need_id for m in reply.memories_stored for n in detect_needs(m.text) if n.active and n.holder == holder}


@pytest.mark.parametrize("case", CASES, ids=[c.say[:40] for c in CASES])
def test_a_message_with_typos_is_read_as_the_request_it_is(service: ConciergeService, project: str, case: Case) -> None:
    reply = service.chat(service.scope("typist", project_id=project, run_id="s1"), case.say)
    assert reply.request.intent == case.intent
    if case.city is not None:
        assert _city(reply) == case.city
    if case.party is not None:
        assert reply.request.party_size == case.party
    if case.meal is not None:
        assert reply.request.meal == case.meal
    assert _stored(reply, "user") == set(case.user)  # a companion's need is never stored as the user's
    if case.city is not None:  # a plan for a covered city applies every need said, each as its holder's
        assert reply.plan is not None
        applied = {(n.holder, n.need_id) for n in reply.plan.needs}
        assert {need for holder, need in applied if holder == "user"} == set(case.user)
        assert {(holder.lower(), need) for holder, need in applied if holder != "user"} == set(case.others)


@pytest.mark.parametrize(
    ("said", "typo"),
    [("dinnr in Pariss tommorow, im alergic to penuts", "penuts"), ("im lactos intolerant", "lactos")],
)
def test_a_need_said_with_a_typo_is_stored_in_its_canonical_words(
    service: ConciergeService, project: str, said: str, typo: str
) -> None:
    reply = service.chat(service.scope("canon", project_id=project, run_id="s1"), said)
    assert reply.memories_stored
    assert all(not re.search(rf"\b{typo}\b", m.text, re.I) for m in reply.memories_stored)
    assert _stored(reply, "user")


# -- no false need: a word spelt right, or no typo of a need, is left as said --------------------------------------
PLAIN = [
    "I hurt my legs running yesterday",
    "my fist still aches from boxing class",
    "I just bought a new Sony camera",
    "my boss is a total nut job",
    "we took an uber from the airport",
    "the gelato in Florence was divine",
    "my glutes are sore from the gym",
    "I keep a diary of every trip I take",
    "stay calm, it's only a delay",
    "my salary went up this year",
    "I almost missed my train this morning",
    "the sashimi was so fresh and the gyoza too",
    "we saw a squad of cyclists near the port",
    "my muscles hurt after the hike",
    "dinner with tom on friday was lovely",
    "thanks hun, see you soon",
    "I sat in the sun on the terrace",
    "we wed in the sun last June",
]


@pytest.mark.parametrize("text", PLAIN)
def test_a_correctly_spelt_sentence_is_left_as_said_and_states_no_need(text: str) -> None:
    assert corrected(text, CITIES) == text
    assert not [n for n in detect_needs(spelled_out(text)) if n.active]


@pytest.mark.parametrize(
    ("message", "intent", "city"),
    [
        ("dinner in pariss tomorrow for 2", "dine", "Paris"),  # a city's typo is the gazetteer's: read, not respelt
        ("r u able to book lunch in Nice tmrw for 2?", "dine", "Nice"),
        ("brkfast in Nice tommorow for 2", "dine", "Nice"),
    ],
)
def test_the_request_reader_reads_the_respelt_words(message: str, intent: str, city: str) -> None:
    request = parse_at(shipped_places(), message)
    assert request.intent == intent and request.place is not None and request.place.city == city


def test_a_typo_close_to_two_words_as_used_is_left_as_said() -> None:
    speller = Speller(["table", "cable"])
    assert speller.meant("xable") is None  # no word starts like it
    assert speller.meant("tablr") == "table"
    assert Speller(["tree", "the"]).meant("tre") is None  # "the" and "tree" are as close
