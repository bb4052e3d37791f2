"""Issues 21 and 24, need readings round 10, by class; every phrasing is checked on what the message states
(``detect_needs``, and for a request what it asks of the venue) and end to end through chat (the plan's typed needs).

1. An exception named inside a need: "no meat for me, fish is fine" is pescatarian (not vegetarian); "allergic to
   shellfish except mussels" is crustaceans only ("shellfish" names crustaceans and molluscs; a named exception
   removes one); "allergic to nuts, peanuts are fine" is tree nuts only; "vegetarian, but I eat eggs" stays
   vegetarian.
2. A sense or diet word describing a thing in a request asks nothing of the venue ("a blind wine-tasting dinner", "a
   vegan leather shop"), beside requests whose need word describes the meal, venue or guest ("halal dinner", "a
   deaf-friendly venue", "a table for a blind guest").
3. Needs said of no one the parser misread: a verb read as a noun ("Dairy-free ice cream rocks."), an object's
   property ("My wallet is gluten-free."), a trade ("I cook vegetarian for my customers.").
4. A negated "vegetarian who eats fish" denies the eating, not the diet: vegetarian holds, never pescatarian.
"""

from __future__ import annotations

import pytest

from concierge.needs import detect_needs
from concierge.needs.asked import needs_asked
from concierge.service import ConciergeService
from tests.needs_held import users_needs

Held = set[tuple[str, str]]

EXCEPTIONS: list[tuple[str, Held]] = [
    ("Don't eat meat but do eat fish", {("pescatarian", "user")}),
    ("no meat for me, fish is fine", {("pescatarian", "user")}),
    ("No meat, but I do eat fish", {("pescatarian", "user")}),
    ("I'm vegetarian but I eat fish", {("pescatarian", "user")}),
    ("vegetarian but fish is ok", {("pescatarian", "user")}),
    ("I'm vegetarian, but seafood is fine", {("pescatarian", "user")}),
    ("My wife doesn't eat meat but she does eat fish", {("pescatarian", "wife")}),
    ("Allergic to crustaceans but fine with mussels", {("crustaceans", "user")}),
    ("I'm allergic to shellfish except mussels", {("crustaceans", "user")}),
    ("I'm allergic to shellfish but I can eat clams", {("crustaceans", "user")}),
    ("allergic to shellfish, but oysters are fine", {("crustaceans", "user")}),
    ("My son is allergic to shellfish but fine with squid", {("crustaceans", "son")}),
    ("allergic to tree nuts but peanuts are ok", {("tree_nuts", "user")}),
    ("I'm allergic to nuts except peanuts", {("tree_nuts", "user")}),
    ("allergic to nuts, peanuts are fine though", {("tree_nuts", "user")}),
    ("I'm allergic to nuts but I can eat peanuts", {("tree_nuts", "user")}),
    ("My daughter is allergic to nuts, but peanuts are fine", {("tree_nuts", "daughter")}),
    ("vegetarian, but I eat eggs", {("vegetarian", "user")}),
    ("I'm vegetarian but I eat dairy", {("vegetarian", "user")}),
    ("I'm allergic to peanuts but almonds are fine", {("peanuts", "user")}),
    ("I'm vegan but I eat honey", {("vegan", "user")}),
    # controls: the broad word alone keeps every need it names
    ("I'm allergic to shellfish", {("crustaceans", "user"), ("molluscs", "user")}),
    ("I'm allergic to nuts", {("peanuts", "user"), ("tree_nuts", "user")}),
    # a broader word said fine excepts nothing from a narrower need (data/needs/needs_heldout.yaml)
    ("Seafood is fine, but keep the shellfish away from my son", {("crustaceans", "son"), ("molluscs", "son")}),
]

NOT_ASKED = [
    "Book us a blind wine-tasting dinner in Bordeaux on Thursday, 4 people",
    "Book a blind tasting menu in Lyon on Friday for 2",
    "Find me a vegan leather shop in Milan tomorrow",
    "Book tickets for a blind football match in Madrid on Sunday",
    "Book a deaf comedy night in London on Friday for 2",
    "Can you find a blind-tasting wine bar in Porto on Saturday?",
    "We want a silent disco in Berlin on Saturday for 6",
    "Reserve a blind tasting in Florence on Friday for 3",
    "Find a vegan leather boutique in Paris on Saturday",
    "Book a blind wine tasting in Porto tomorrow for 4",
    "Plan a blind cheese tasting in Lyon on Saturday, 6 people",
    "Book a blind coffee tasting in Vienna on Monday for 2",
    "Find us a vegan sneaker store in Berlin on Friday",
    "Find a deaf poetry slam in Dublin on Thursday",
    "A blind date dinner in Rome on Friday for 2",
]

ASKED: list[tuple[str, set[str]]] = [
    ("halal dinner in Paris tomorrow", {"halal"}),
    ("nut-free lunch in Rome on Friday for 3", {"peanuts", "tree_nuts"}),
    ("a vegan restaurant in Lyon tomorrow for 2", {"vegan"}),
    ("wheelchair-accessible table in Madrid tonight for 2", {"wheelchair"}),
    ("a deaf-friendly venue in Paris tomorrow for 2", {"hearing"}),
    ("a kosher wine tasting in Paris on Friday for 4", {"kosher"}),
    ("a vegan tasting menu in Lyon tomorrow for 2", {"vegan"}),
    ("a table for a blind guest in Rome tomorrow", {"visual"}),
]

NO_ONES = [
    "Dairy-free ice cream rocks.",
    "Wheat-free pizza crust crumbles.",
    "My wallet is gluten-free.",
    "My code is gluten-free, no wheat in it lol.",
    "I cook vegetarian for my customers.",
]

NOT_AN_EXCEPTION: list[tuple[str, Held]] = [
    ("I'm not a vegetarian who eats fish — no fish either", {("vegetarian", "user")}),
    ("I'm not a vegetarian who eats fish, no fish either", {("vegetarian", "user")}),
    ("I'm not a vegetarian who eats fish", {("vegetarian", "user")}),
    ("I'm not one of those vegetarians who eat fish", {("vegetarian", "user")}),
    ("My wife isn't a vegetarian who eats fish, no fish for her either", {("vegetarian", "wife")}),
    ("I'm not the kind of vegetarian who eats fish", {("vegetarian", "user")}),
    ("I'm not a vegetarian that eats fish, so no fish please", {("vegetarian", "user")}),
    ("My son is not a vegetarian who eats fish", {("vegetarian", "son")}),
    ("I'm not a vegan who eats honey", {("vegan", "user")}),
    ("I am not a vegetarian who eats seafood", {("vegetarian", "user")}),
    ("I'm not a vegetarian who has fish", {("vegetarian", "user")}),
    ("Not a vegetarian who eats fish, no fish at all", {("vegetarian", "user")}),
    ("I'm a vegetarian, no fish either", {("vegetarian", "user")}),
    ("I'm vegetarian and I don't eat fish", {("vegetarian", "user")}),
    ("My husband is vegetarian, no fish either", {("vegetarian", "husband")}),
    # controls: an allergy beside the diet stays; the plain "vegetarian who eats fish" is pescatarian
    ("I'm vegetarian and allergic to fish", {("vegetarian", "user"), ("fish", "user")}),
    ("I'm a vegetarian who eats fish", {("pescatarian", "user")}),
]

BOOKING = "Book dinner in Lyon tomorrow for 2"


def stated(message: str) -> Held:
    return {(n.need_id, n.holder.casefold()) for n in detect_needs(message) if n.active}


def asked(message: str) -> set[str]:
    return {n.need_id for n in needs_asked(message)} | {need for need, _ in stated(message)}


@pytest.mark.parametrize(("message", "needs"), EXCEPTIONS + NOT_AN_EXCEPTION)
def test_a_need_with_its_exception_is_read_as_said(message: str, needs: Held) -> None:
    assert stated(message) == needs
    assert asked(message) == {need for need, _ in needs}  # what a session applies besides: nothing else


@pytest.mark.parametrize("message", NOT_ASKED)
def test_a_need_word_describing_another_thing_in_a_request_asks_nothing(message: str) -> None:
    assert asked(message) == set()


@pytest.mark.parametrize(("message", "needs"), ASKED)
def test_a_need_word_describing_the_meal_venue_or_guest_asks_for_the_need(message: str, needs: set[str]) -> None:
    assert asked(message) == needs


@pytest.mark.parametrize("message", NO_ONES)
def test_a_need_said_of_no_one_is_stated_by_no_one(message: str) -> None:
    assert asked(message) == set()


def _scope(service: ConciergeService, project: str, tag: str, message: str, run: str | None = None):
    return service.scope(f"n10-{tag}-{abs(hash(message)) % 10**8}", project_id=project, run_id=run)


@pytest.mark.parametrize(
    ("message", "needs"), [*EXCEPTIONS[::3], *NOT_AN_EXCEPTION[::3], NOT_AN_EXCEPTION[0], EXCEPTIONS[7]]
)
def test_end_to_end_the_plan_applies_the_need_as_said(
    service: ConciergeService, project: str, message: str, needs: Held
) -> None:
    """Said in a session, the need holds for the user's memory and for the session's next booking."""
    session = _scope(service, project, "x", message, run="s")
    service.chat(session, message)
    plan = service.chat(session, BOOKING).plan
    assert plan is not None and {(n.need_id, n.holder.casefold()) for n in plan.needs} == needs
    assert users_needs(service, _scope(service, project, "x", message)) == needs


# The extraction rewrites "it" in "no wheat in it" into garbled words that state gluten for the user (reported).
GARBLED = pytest.mark.xfail(strict=True, reason="the stored rewrite of 'no wheat in it' is garbled")
END_TO_END_NO_ONES = [pytest.param(m, marks=GARBLED) if "in it" in m else m for m in NO_ONES]


@pytest.mark.parametrize("message", [*NOT_ASKED[::2], *END_TO_END_NO_ONES])
def test_end_to_end_no_need_is_applied(service: ConciergeService, project: str, message: str) -> None:
    session = _scope(service, project, "n", message, run="s")
    first = service.chat(session, message).plan
    assert first is None or first.needs == []
    plan = service.chat(session, BOOKING).plan
    assert plan is not None and plan.needs == []
    assert users_needs(service, _scope(service, project, "n", message)) == set()


@pytest.mark.parametrize(("message", "needs"), ASKED[:4])
def test_end_to_end_a_request_for_the_need_keeps_to_it(
    service: ConciergeService, project: str, message: str, needs: set[str]
) -> None:
    plan = service.chat(_scope(service, project, "a", message, run="s"), message).plan
    assert plan is not None and {n.need_id for n in plan.needs} == needs
