"""Issue 24 M3 (attack11): a need is a person's, so a need word said of no one is neither stored nor applied.

Classes, each generated over several needs: a property of a thing ("Nut-free granola is bland"), people in general
("People with nut allergies should be careful", "Fish allergy stories scare me"), frames that state it of no one
now ("Imagine being allergic to eggs", "I'd hate to be coeliac", "Being kosher must be hard", "I tried being vegan
once"), topics and trades ("I study peanut allergies", "I cook halal for my customers"), owned objects and fiction
("My shampoo is vegan", "My novel's villain is allergic to peanuts"), names in apposition ("Sesame, my cat, is
vegan"), idioms ("as blind as a bat", "deaf when I call him for chores", "allergic to peanut-butter jokes").
Each is checked on what the message states and on what the memory the extraction writes from it states (by the
rule the plan uses), and end to end through chat and remember; beside positive controls of the same shapes: requests
("halal dinner in Paris", "nut-free lunch for 2") and needs said of a person. Assertions are on typed needs.
"""

from __future__ import annotations

import pytest

from concierge.needs import detect_needs
from concierge.offline.extraction import extract_facts
from concierge.service import ConciergeService
from tests.needs_held import held, users_needs

FREE = ["Nut", "Dairy", "Gluten", "Egg", "Sesame", "Soy", "Peanut"]
FOODS = ["peanut", "egg", "sesame", "shellfish", "milk", "fish", "soy"]
DIETS = ["vegan", "vegetarian", "coeliac", "kosher", "halal", "lactose intolerant"]
OBJECTS = ["shampoo", "jacket", "soap", "toothpaste", "sofa", "lipstick", "handbag", "sunscreen", "candle", "belt"]
OBJECT_NEEDS = ["vegan", "gluten-free", "nut-free", "dairy-free"]
PETS = [("Peanut", "hamster"), ("Sesame", "cat"), ("Cashew", "parrot"), ("Walnut", "kitten"), ("Almond", "dog")]
DISHES = [
    ("granola", "bread", "desserts"),
    ("brownies", "pancakes", "snacks"),
    ("pasta", "waffles", "cupcakes"),
    ("cookies", "pizza", "brownies"),
    ("muffins", "cereal", "bagels"),
    ("crackers", "cake", "noodles"),
    ("biscuits", "chocolate", "sweets"),
]

NO_NEED: dict[str, list[str]] = {
    "thing": [
        said
        for free, (a, b, c) in zip(FREE, DISHES, strict=True)
        for said in (
            f"{free}-free {a} is bland.",
            f"{free}-free {b} never tastes right.",
            f"{free}-free {c} are overrated.",
        )
    ]
    + ["Lactose-free milk is expensive.", "Shellfish-free paella is a crime.", "Fish-free sushi sounds sad."],
    "people in general": [
        said
        for food in FOODS
        for said in (
            f"People with {food} allergies should be careful.",
            f"Anyone with a {food} allergy should carry an EpiPen.",
            f"{food.capitalize()} allergy stories scare me.",
            f"{food.capitalize()} allergy memes are hilarious.",
        )
    ]
    + ["Folks who are vegan always bring their own food.", "Coeliac awareness week starts Monday."],
    "hypothetical": [
        said
        for food in ("peanuts", "eggs", "sesame", "shellfish", "milk", "fish", "soy")
        for said in (
            f"Imagine being allergic to {food}.",
            f"I'd hate to be allergic to {food}.",
            f"Being allergic to {food} must be awful.",
        )
    ]
    + [
        said
        for diet in DIETS
        for said in (f"I'd hate to be {diet}.", f"Being {diet} must be hard.", f"I tried being {diet} once.")
    ]
    + ["Can you imagine being allergic to milk?", "I'd never survive being vegan.", "I tried going vegetarian once."],
    "topic": [said for food in FOODS for said in (f"I study {food} allergies.", f"I write about {food} allergies.")]
    + [f"I sell {free.lower()}-free cakes." for free in FREE]
    + [f"I cook {diet} for my customers." for diet in ("vegan", "kosher", "halal")]
    + ["I write about coeliac disease.", "I bake nut-free cakes for a living.", "My sister researches egg allergies."],
    "object": [f"My {thing} is {OBJECT_NEEDS[i % 4]}." for i, thing in enumerate(OBJECTS)]
    + [
        "My novel's villain is allergic to peanuts.",
        "My book's hero is coeliac.",
        "My robot vacuum is blind.",
        "My game character is vegan.",
        "My bonsai is vegan lol.",
    ],
    "name": [f"{name}, my {pet}, is allergic to eggs." for name, pet in PETS]
    + [f"{name}, my {pet}, is vegan." for name, pet in PETS],
    "idiom": [
        "I'm as blind as a bat without my morning coffee.",
        "I'm as deaf as a post before my coffee.",
        "My husband is blind as a bat without his glasses.",
        "My dad is as blind as a mole without his specs.",
        "My teenager is deaf when I call him for chores.",
        "My son is deaf when I ask him to tidy up.",
        "My wife is deaf whenever football is on.",
        "My kids go deaf when it's bedtime.",
        "I'm allergic to Mondays and peanut-butter jokes.",
        "I'm allergic to egg puns.",
    ],
}

# The same shapes said of a person, or asked for: (message, the needs that hold as (need id, holder)).
A_NEED = [
    ("I'm vegan.", {("vegan", "user")}),
    ("I'm coeliac.", {("gluten", "user")}),
    ("My son is allergic to eggs.", {("eggs", "son")}),
    ("No nuts for me please.", {("peanuts", "user"), ("tree_nuts", "user")}),
    ("gluten-free options please", {("gluten", "user")}),
    ("halal food only please", {("halal", "user")}),
    ("We need a wheelchair-accessible place.", {("wheelchair", "user")}),
    ("Nut-free snacks for my son please.", {("peanuts", "son"), ("tree_nuts", "son")}),
    ("Gluten-free pasta is a must.", {("gluten", "user")}),
    ("I can't eat gluten, gluten-free bread is a lifesaver.", {("gluten", "user")}),
    ("I'm allergic to eggs, egg-free cakes never rise though.", {("eggs", "user")}),
    ("lupini beans make me sick", {("lupin", "user")}),
    ("My peanut allergy is severe.", {("peanuts", "user")}),
    ("My kids have egg allergies.", {("eggs", "kids")}),
    ("I love being vegan.", {("vegan", "user")}),
    ("I need to be gluten-free.", {("gluten", "user")}),
    ("Being coeliac, I avoid bread.", {("gluten", "user")}),
    ("Being vegan is important to me.", {("vegan", "user")}),
    ("I cook vegan for my son.", {("vegan", "son")}),
    ("My son is allergic to peanut sauce.", {("peanuts", "son")}),
    ("I'm allergic to Mondays and peanuts.", {("peanuts", "user")}),
    ("I'm as vegan as they come.", {("vegan", "user")}),
    ("I'm vegan when it comes to food.", {("vegan", "user")}),
    ("My husband is deaf.", {("hearing", "husband")}),
    ("I'm deaf in one ear.", {("hearing", "user")}),
    ("My diet is vegan.", {("vegan", "user")}),
    ("My physio is hard of hearing.", {("hearing", "physio")}),
    ("Peanut, my son, is coeliac.", {("gluten", "son")}),
    ("Peanut, my daughter, is vegan.", {("vegan", "daughter")}),
    (
        "No nuts, no shellfish, I'm allergic to both",
        {("peanuts", "user"), ("tree_nuts", "user"), ("crustaceans", "user"), ("molluscs", "user")},
    ),
]

CASES = [(cls, text) for cls, texts in NO_NEED.items() for text in texts]
BOOKING = "Book dinner in Lyon tomorrow for 2"


def stated(message: str) -> set[tuple[str, str]]:
    return {(n.need_id, n.holder.casefold()) for n in detect_needs(message) if n.active}


@pytest.mark.parametrize(("cls", "message"), CASES)
def test_a_need_said_of_no_one_is_not_stated(cls: str, message: str) -> None:
    facts = extract_facts(message, None)
    assert stated(message) == set(), (cls, message)
    assert held(facts) == set(), (cls, message, facts)


@pytest.mark.parametrize(("message", "needs"), A_NEED)
def test_the_same_words_said_of_a_person_or_asked_for_state_the_need(message: str, needs: set) -> None:
    facts = extract_facts(message, None)
    assert stated(message) == needs, message
    assert held(facts) == needs, (message, facts)


def test_a_name_in_apposition_holds_the_need_and_the_food_is_nobodys() -> None:
    """ "Peanut, my little boy, is allergic to eggs": the boy holds eggs; nobody holds peanuts."""
    found = stated("Peanut, my little boy, is allergic to eggs.")
    assert {need for need, _ in found} == {"eggs"}
    assert all(holder != "user" for _, holder in found)


END_TO_END = [
    "Nut-free granola is bland.",
    "Dairy-free desserts are overrated.",
    "People with nut allergies should be careful.",
    "Fish allergy stories scare me.",
    "Imagine being allergic to eggs.",
    "I'd hate to be coeliac.",
    "Being kosher must be hard.",
    "I tried being vegan once.",
    "I study peanut allergies.",
    "I cook halal for my customers.",
    "My shampoo is vegan.",
    "My novel's villain is allergic to peanuts.",
    "Sesame, my cat, is vegan.",
    "I'm as blind as a bat without my morning coffee.",
    "My teenager is deaf when I call him for chores.",
    "I'm allergic to Mondays and peanut-butter jokes.",
]


@pytest.mark.parametrize("message", END_TO_END)
def test_end_to_end_no_need_is_held_or_applied(service: ConciergeService, project: str, message: str) -> None:
    chatted = service.scope(f"fn8-c-{abs(hash(message)) % 10**8}", project_id=project)
    service.chat(chatted, message)
    remembered = service.scope(f"fn8-r-{abs(hash(message)) % 10**8}", project_id=project)
    service.remember(remembered, message)
    for scope in (chatted, remembered):
        assert users_needs(service, scope) == set(), message
        plan = service.chat(service.scope(scope.user_id, project_id=project, run_id="probe"), BOOKING).plan
        assert plan is not None and plan.needs == [], message


@pytest.mark.parametrize(
    ("message", "needs"),
    [
        ("I'm vegan.", {("vegan", "user")}),
        ("My son is allergic to eggs.", {("eggs", "son")}),
        ("Peanut, my son, is coeliac.", {("gluten", "son")}),
        ("No nuts for me please.", {("peanuts", "user"), ("tree_nuts", "user")}),
    ],
)
def test_end_to_end_a_need_said_of_a_person_is_held_and_applied(
    service: ConciergeService, project: str, message: str, needs: set
) -> None:
    scope = service.scope(f"fn8-t-{abs(hash(message)) % 10**8}", project_id=project)
    service.chat(scope, message)
    assert users_needs(service, scope) == needs
    plan = service.chat(service.scope(scope.user_id, project_id=project, run_id="probe"), BOOKING).plan
    assert plan is not None and needs <= {(n.need_id, n.holder.casefold()) for n in plan.needs}


@pytest.mark.parametrize(
    ("request_text", "needs"),
    [
        ("Halal dinner in Paris tomorrow for 2", {"halal"}),
        ("A vegan restaurant in Lyon tomorrow for 2", {"vegan"}),
        ("nut-free lunch for 2 in Lyon tomorrow", {"peanuts", "tree_nuts"}),
    ],
)
def test_end_to_end_a_need_word_on_a_meal_or_venue_in_a_request_keeps_to_the_need(
    service: ConciergeService, project: str, request_text: str, needs: set
) -> None:
    scope = service.scope(f"fn8-q-{abs(hash(request_text)) % 10**8}", project_id=project, run_id="s")
    plan = service.chat(scope, request_text).plan
    assert plan is not None and needs <= {n.need_id for n in plan.needs}
