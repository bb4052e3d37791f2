"""Issue 24 / attack9 M1: a need is stored and applied only when a person is said to have it.

A generic statement ("Vegans are annoying", "Kids often outgrow egg allergies"), an object or an animal ("my wife's
cookbook is vegan", "my cat is vegan", "'The Vegan Cookbook'"), an idiom ("blind drunk", "deaf to my complaints",
"teaches sign language", "deaf-initely"), a nickname ("our peanut is allergic to eggs"), another language ("Ya no
soy alérgico al maní": "soy" is "I am") and a real word the respeller once made a need ("vegetating") state no need.
Each class is checked on the pure functions (what the message states, and what the memory the extraction writes
from it states, by the rule the plan uses) and end to end (the needs the service holds for the user, and the plan's
needs), beside controls of the same shapes that do state a need ("My wife is vegan", "I'm blind", "My son is deaf").
Assertions are on typed needs (need id, holder), never on wording.
"""

from __future__ import annotations

import pytest

from concierge.needs.foreign import not_english
from concierge.needs.spelling import spelled_out
from concierge.offline.extraction import extract_facts
from concierge.service import ConciergeService
from tests.needs_held import held, users_needs

# Messages that state no need, class by class (attack9's own and more of each shape).
NO_NEED = {
    "generic": [
        "Vegans are annoying.",
        "Peanut allergies are scary.",
        "Kids often outgrow egg allergies.",
        "Vegetarians tend to live longer.",
        "Coeliacs usually know their options.",
        "Egg allergies are common in toddlers.",
        "Most vegans eat tofu.",
        "Many kids outgrow milk allergies.",
        "Nut allergies are on the rise.",
        "Sesame allergies are increasingly common.",
        "Vegans are everywhere these days.",
        "Children often grow out of egg allergies.",
        "Shellfish allergies can be severe.",
        "Vegetarians always order the risotto.",
    ],
    "objects": [
        "My wife's cookbook is vegan.",
        "My cat is vegan (don't ask).",
        "I read 'The Vegan Cookbook' last week.",
        "My dog is allergic to chicken.",
        "Our hamster is vegetarian.",
        "My son's puppy is allergic to wheat.",
        "My husband's blog is vegan.",
        "We watched The Blind Side last night.",
        "My parrot is allergic to peanuts.",
        "My car is wheelchair accessible.",
        "My sister's restaurant is halal.",
        "My daughter's horse is allergic to dust and oats.",
        "My novel is vegan-themed.",
        "My favourite book is 'The Gluten-Free Kitchen'.",
    ],
    "idioms": [
        "My dad went blind drunk at the wedding.",
        "Tom is deaf to my complaints.",
        "My dad is blind to my faults.",
        "Love is blind.",
        "My wife teaches sign language.",
        "I'm deaf-initely coming.",
        "My boss is blind to the problems.",
        "My husband is deaf to reason.",
        "My sister repairs wheelchairs.",
        "My mum sells hearing aids.",
        "My wife is vegan-friendly.",
        "My husband is kosher-curious.",
        "I'm a vegetarian-curious carnivore.",
        "My son studies sign language.",
        "I teach deaf children.",
    ],
    "nicknames": [
        "Our peanut is allergic to eggs.",
        "My peanut is vegan.",
        "Our little peanut is allergic to milk.",
        "Our peanut is lactose intolerant.",
        "My peanut is coeliac.",
        "Our little peanut is allergic to sesame.",
        "My peanut keeps kosher.",
        "Our peanut can't have gluten.",
        "User's peanut is allergic to eggs",
    ],
    "languages": [
        "Ya no soy alérgico al maní.",
        "Soy alérgico al maní.",
        "Mi hijo es alérgico al huevo.",
        "Je suis allergique aux arachides.",
        "Mon mari est végétarien.",
        "Meine Frau ist Vegetarierin.",
        "Mio figlio è allergico alle arachidi.",
        "Ik ben allergisch voor pinda's.",
        "Soy celíaco y mi hijo es vegano.",
        "Ich esse kein Fleisch.",
        "Ya no soy alérgico al maní. Es broma.",
    ],
    "respelt": [
        "The kids are vegetating on the sofa.",
        "My son is hazarding a guess.",
        "I love koshering my kitchen.",
        "My wife is sulfuring the grapes.",
        "The kids are vegetating in front of the TV.",
        "My husband is visioning a new kitchen.",
        "My dad whitens his teeth.",
        "We were oystering all day.",
        "My son is shellfishing with his uncle.",
    ],
}

# The same shapes stating a need: (message, the needs that hold as [need id, holder]).
A_NEED = {
    "generic": [
        ("My wife is vegan.", [("vegan", "wife")]),
        ("Vegan here.", [("vegan", "user")]),
        ("Eggs are a problem.", [("eggs", "user")]),
        ("My kids have egg allergies.", [("eggs", "kids")]),
        ("Peanut allergy here.", [("peanuts", "user")]),
        ("My kids are vegetarian.", [("vegetarian", "kids")]),
        ("Kids are vegetarian, wife is coeliac.", [("gluten", "wife"), ("vegetarian", "kids")]),
        ("Kids under 5 are often allergic to milk, like my son.", [("milk", "son")]),
    ],
    "objects": [
        ("My diet is vegan.", [("vegan", "user")]),
        ("My stomach can't handle dairy.", [("milk", "user")]),
        ("My wife's diet is gluten free.", [("gluten", "wife")]),
        ("The restaurant must be halal.", [("halal", "user")]),
        ("My cat is allergic to fish, and so am I.", [("fish", "user")]),
    ],
    "idioms": [
        ("I'm blind.", [("visual", "user")]),
        ("My son is deaf.", [("hearing", "son")]),
        ("I'm deaf in one ear.", [("hearing", "user")]),
        ("My wife uses sign language.", [("hearing", "wife")]),
        ("My dad is blind and uses a guide dog.", [("visual", "dad")]),
        ("My son is deaf and blind.", [("hearing", "son"), ("visual", "son")]),
        ("I need a wheelchair-accessible room.", [("wheelchair", "user")]),
        ("can u find somewhere wheelchair friendly in Porto", [("wheelchair", "user")]),
        ("My husband is strictly kosher.", [("kosher", "husband")]),
        ("My son is deaf-mute.", [("hearing", "son")]),
        ("I'm blind drunk and also coeliac.", [("gluten", "user")]),
        ("My dad is blind, deaf to my jokes though.", [("visual", "dad")]),
    ],
    "nicknames": [
        ("I'm allergic to peanuts.", [("peanuts", "user")]),
        ("My son is allergic to peanuts.", [("peanuts", "son")]),
        ("Peanuts make me sick.", [("peanuts", "user")]),
        ("My peanut allergy is severe.", [("peanuts", "user")]),
        ("Our son's peanut allergy is severe.", [("peanuts", "son")]),
    ],
    "languages": [
        ("I'm allergic to soy.", [("soy", "user")]),
        ("No soy, please, I'm allergic.", [("soy", "user")]),
        ("Soy allergy here.", [("soy", "user")]),
        ("Merci! I'm vegan.", [("vegan", "user")]),
        ("Das ist gut, I am vegan.", [("vegan", "user")]),
        ("Mi hijo es alérgico al huevo. My wife is vegan.", [("vegan", "wife")]),
        ("Dinner in Amsterdam tomorrow, I'm vegetarian.", [("vegetarian", "user")]),
        ("im celiac and lactos intolerant", [("gluten", "user"), ("milk", "user")]),
    ],
    "respelt": [
        ("im alergic to penuts", [("peanuts", "user")]),
        ("my husbnd is vegitarian", [("vegetarian", "husband")]),
        ("my son is alergic to egs", [("eggs", "son")]),
    ],
}

FALSE_CASES = [(cls, text) for cls, texts in NO_NEED.items() for text in texts]
TRUE_CASES = [(cls, text, {tuple(n) for n in needs}) for cls, pairs in A_NEED.items() for text, needs in pairs]
BOOKING = "Book dinner in Lyon tomorrow for 2"


@pytest.mark.parametrize(("cls", "message"), FALSE_CASES)
def test_a_message_that_says_no_one_has_a_need_stores_none(cls: str, message: str) -> None:
    facts = extract_facts(message, None)
    assert held([message]) == set(), (cls, message)
    assert held(facts) == set(), (cls, message, facts)


@pytest.mark.parametrize(("cls", "message", "needs"), TRUE_CASES)
def test_the_same_shapes_said_of_a_person_still_state_the_need(cls: str, message: str, needs: set) -> None:
    facts = extract_facts(message, None)
    assert held([message]) == needs, (cls, message)
    assert held(facts) == needs, (cls, message, facts)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ya no soy alérgico al maní.",
        "Mi hijo es alérgico al huevo.",
        "Je suis allergique aux arachides.",
        "Meine Frau ist Vegetarierin.",
        "Mio figlio è allergico alle arachidi.",
        "Ik ben allergisch voor pinda's.",
    ],
)
def test_other_languages_are_told_apart(sentence: str) -> None:
    assert not_english(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Soy allergy here.",
        "No soy, please, I'm allergic.",
        "im celiac and lactos intolerant",
        "Plan a weekend in Amsterdam for me",
        "I work at a bank in Frankfurt",
        "My fiancé is Omar and he's from Marseille",
        "Im celiak, dinner in Rmoe tmrw for two",
    ],
)
def test_english_in_chat_spelling_is_english(sentence: str) -> None:
    assert not not_english(sentence)


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("The kids are vegetating on the sofa.", "vegetating"),
        ("My son is hazarding a guess.", "hazarding"),
        ("We were oystering all day.", "oystering"),
        ("My husband is visioning a new kitchen.", "visioning"),
    ],
)
def test_a_real_word_is_never_respelt_into_a_need_word(said: str, kept: str) -> None:
    assert kept in spelled_out(said)


@pytest.mark.parametrize(
    ("typo", "meant"), [("im alergic to penuts", "peanuts"), ("I am allergic to sesames", "sesame")]
)
def test_typos_and_plurals_of_need_words_are_still_respelt(typo: str, meant: str) -> None:
    assert meant in spelled_out(typo).split()


END_TO_END_FALSE = [
    "Vegans are annoying.",
    "Kids often outgrow egg allergies.",
    "My wife's cookbook is vegan.",
    "My cat is vegan (don't ask).",
    "I read 'The Vegan Cookbook' last week.",
    "My dad went blind drunk at the wedding.",
    "Tom is deaf to my complaints.",
    "My wife teaches sign language.",
    "Love is blind.",
    "Our peanut is allergic to eggs.",
    "The kids are vegetating on the sofa.",
    "Peanut allergies are scary.",
    "my wife is vegam-friendly? no idea what that means",
]


@pytest.mark.parametrize("message", END_TO_END_FALSE)
def test_end_to_end_no_need_is_held_or_applied(service: ConciergeService, project: str, message: str) -> None:
    scope = service.scope(f"fn7-{abs(hash(message)) % 10**8}", project_id=project)
    service.chat(scope, message)
    assert users_needs(service, scope) == set()
    plan = service.chat(service.scope(scope.user_id, project_id=project, run_id="p"), BOOKING).plan
    assert plan is not None and plan.needs == []


def test_end_to_end_another_language_keeps_the_stored_need(service: ConciergeService, project: str) -> None:
    scope = service.scope("fn7-es", project_id=project)
    service.remember(scope, "I am allergic to peanuts")
    service.chat(scope, "Ya no soy alérgico al maní. Es broma.")
    assert users_needs(service, scope) == {("peanuts", "user")}


@pytest.mark.parametrize(
    ("message", "key"),
    [
        ("My wife is vegan.", ("vegan", "wife")),
        ("I'm blind.", ("visual", "user")),
        ("My son is deaf.", ("hearing", "son")),
        ("My diet is vegan.", ("vegan", "user")),
    ],
)
def test_end_to_end_a_need_said_of_a_person_is_held_and_applied(
    service: ConciergeService, project: str, message: str, key: tuple[str, str]
) -> None:
    scope = service.scope(f"fn7-t-{key[0]}-{key[1]}", project_id=project)
    service.chat(scope, message)
    assert users_needs(service, scope) == {key}
    plan = service.chat(service.scope(scope.user_id, project_id=project, run_id="p"), BOOKING).plan
    assert plan is not None and key in {(n.need_id, n.holder.casefold()) for n in plan.needs}


@pytest.mark.parametrize(
    ("message", "holder", "need"),
    [
        ("My teacher is vegan.", "teacher", "vegan"),
        ("My dentist uses a wheelchair.", "dentist", "wheelchair"),
        ("My carer is deaf.", "carer", "hearing"),
        ("Our nanny is allergic to peanuts.", "nanny", "peanuts"),
        ("My boss is coeliac.", "boss", "gluten"),
        ("My landlord keeps kosher.", "landlord", "kosher"),
        ("My tutor is allergic to sesame.", "tutor", "sesame"),
    ],
)
def test_a_person_the_relations_list_does_not_know_holds_their_own_need(message: str, holder: str, need: str) -> None:
    """attack9 M2 (a need filed for the wrong person): "my <person>" is someone else, whatever the noun."""
    from concierge.needs import detect_needs

    found = {(n.holder, n.need_id) for n in detect_needs(message) if n.active}
    assert found == {(holder, need)}


@pytest.mark.parametrize(
    ("message", "need"),
    [("My stomach can't handle dairy.", "milk"), ("My diet is vegan.", "vegan"), ("My household is kosher.", "kosher")],
)
def test_the_users_own_body_diet_or_household_is_the_user(message: str, need: str) -> None:
    from concierge.needs import detect_needs

    assert {(n.holder, n.need_id) for n in detect_needs(message) if n.active} == {("user", need)}


@pytest.mark.parametrize(
    ("message", "holders"),
    [
        ("My son is allergic to eggs. So am I.", {("son", "eggs"), ("user", "eggs")}),
        ("My wife is vegan, and so am I.", {("wife", "vegan"), ("user", "vegan")}),
        ("My son is allergic to eggs. I am too.", {("son", "eggs"), ("user", "eggs")}),
        ("My wife is vegan. I am a teacher.", {("wife", "vegan")}),
    ],
)
def test_so_am_i_copies_the_need_and_saying_who_i_am_does_not(message: str, holders: set) -> None:
    """The speaker's "So am I." shares the need just said; "I'm a teacher." / "I'm Anna." names them (attack9 M2)."""
    from concierge.needs import detect_needs

    assert {(n.holder, n.need_id) for n in detect_needs(message) if n.active} == holders


@pytest.mark.parametrize(
    ("message", "holder", "need"),
    [("My physio is hard of hearing.", "physio", "hearing"), ("My teacher is vegan.", "teacher", "vegan")],
)
def test_a_person_the_relations_list_does_not_know_holds_the_need_end_to_end(
    service: ConciergeService, project: str, message: str, holder: str, need: str
) -> None:
    """attack11 H2: the stored "User's teacher is vegan" had been read as the user's own need."""
    scope = service.scope(f"unknown-{holder}", project_id=project)
    service.chat(scope, message)
    assert {(n.holder.casefold(), n.need_id) for n in service.user_needs(scope)} == {(holder, need)}
