"""attack12 H2, H3, M2, M3: who holds a need, as classes, end to end through ``ConciergeService``.

Each case remembers what the user said before (``remember``, as ``concierge memory add`` does), then says one
message to ``chat``. The checks are on typed fields: the need ids and holders that hold for the user's plans
(``user_needs``) and the needs a plan in a new session applies (``plan.needs``).

- A possessive chain ("my mother's carer"): the holder is the last person, never the relative; a role the relations
  list does not know (carer, nanny, tutor) is a person; an animal at the end ("my son's hamster") holds nothing.
- A person the relations list does not know ("the bride", "our au pair", "the new intern who's joining us"): the
  need is that person's, never dropped, never the user's.
- A pronoun whose only candidate is a remembered companion with that need is that companion: no second, generic
  holder that would outlive the companion's retraction.
- "Actually it's my wife who's vegan, not me" with the user's own need remembered moves the need.
"""

from __future__ import annotations

import pytest

from concierge.service import ConciergeService

UNNAMED = "companion"


def _held(service: ConciergeService, scope) -> set[tuple[str, str]]:
    return {(n.need_id, n.holder.casefold()) for n in service.user_needs(scope)}


def _planned(service: ConciergeService, user: str, project: str) -> set[tuple[str, str]]:
    """The needs a plan asked for in a new session applies."""
    scope = service.scope(user, project_id=project, run_id="later")
    reply = service.chat(scope, "Book dinner in Lyon tomorrow at 8pm for 4")
    assert reply.plan is not None, reply.text
    return {(n.need_id, n.holder.casefold()) for n in reply.plan.needs}


def _say(service: ConciergeService, project: str, user: str, history: tuple[str, ...], message: str):
    scope = service.scope(user, project_id=project, run_id="s1")
    for text in history:
        service.remember(scope, text)
    service.chat(scope, message)
    return scope


# -- H2: the last person of a possessive chain holds the need -----------------------------------------------------
CHAINS = [
    ("My mother's carer is hard of hearing.", "hearing", "carer", "mother"),
    ("The kids' nanny uses a wheelchair.", "wheelchair", "nanny", "kids"),
    ("My son's teacher is vegan.", "vegan", "teacher", "son"),
    ("My dad's nurse is allergic to peanuts.", "peanuts", "nurse", "dad"),
    ("My daughter's tutor is coeliac.", "gluten", "tutor", "daughter"),
    ("My grandma's physio is vegetarian.", "vegetarian", "physio", "grandma"),
    ("My husband's assistant only eats halal.", "halal", "assistant", "husband"),
    ("My sister's babysitter is allergic to eggs.", "eggs", "babysitter", "sister"),
    ("My daughter's piano teacher is lactose intolerant.", "milk", "teacher", "daughter"),
    ("My son's coach is allergic to sesame.", "sesame", "coach", "son"),
    ("My uncle's nurse keeps kosher.", "kosher", "nurse", "uncle"),
    ("Our children's tutor is vegan.", "vegan", "tutor", "children"),
    ("My father's carer uses a wheelchair.", "wheelchair", "carer", "father"),
]


@pytest.mark.parametrize(("said", "need", "role", "relative"), CHAINS, ids=[c[0] for c in CHAINS])
def test_the_last_person_of_a_chain_holds_the_need(
    service: ConciergeService, project: str, said: str, need: str, role: str, relative: str
) -> None:
    user = f"h2-{CHAINS.index((said, need, role, relative))}"
    held = _held(service, _say(service, project, user, (), said))
    holders = {h for n, h in held if n == need}
    assert holders and all(h.endswith(role) and h != relative for h in holders), held
    assert all(h not in (relative, "user") for _, h in held), held
    assert all(h not in (relative, "user") for _, h in _planned(service, user, project))


PETS = [
    "Eggs give my son's hamster diarrhoea.",
    "My son's hamster is allergic to nuts.",
    "My daughter's pony is allergic to peanuts.",
    "My mother's parrot is allergic to sesame.",
]


@pytest.mark.parametrize("said", PETS)
def test_an_animal_at_the_end_of_a_chain_holds_nothing(service: ConciergeService, project: str, said: str) -> None:
    assert _held(service, _say(service, project, f"pet-{PETS.index(said)}", (), said)) == set()


# -- H3: a person the relations list does not know holds the need ---------------------------------------------------
# MiniLM puts a driver, a chauffeur, a guide, an au pair and a girl nearer "my car" and "my dog" than the people of
# person_or_thing's examples (they read as objects, holding nothing): known misses, listed so a fix shows.
_STAFF = pytest.mark.xfail(strict=True, reason="person_or_thing reads this person as an object (attack12 H3)")
STRANGERS = [
    ("The bride is allergic to sesame.", "sesame", "bride"),
    ("The birthday boy is vegan.", "vegan", "boy"),
    pytest.param("The birthday girl is allergic to eggs.", "eggs", "girl", marks=_STAFF),
    pytest.param("Our au pair is allergic to eggs.", "eggs", "pair", marks=_STAFF),
    pytest.param("Our tour guide is coeliac.", "gluten", "guide", marks=_STAFF),
    pytest.param("My chauffeur is vegan.", "vegan", "chauffeur", marks=_STAFF),
    ("The new intern who's joining us is allergic to peanuts.", "peanuts", "intern"),
    pytest.param("My driver only eats halal.", "halal", "driver", marks=_STAFF),
    ("The groom is lactose intolerant.", "milk", "groom"),
    ("The best man is allergic to sesame.", "sesame", "man"),
    ("Our babysitter is vegetarian.", "vegetarian", "babysitter"),
    ("The new hire is allergic to peanuts.", "peanuts", "hire"),
    pytest.param("Our driver, who eats with us, is coeliac.", "gluten", "driver", marks=_STAFF),
    ("The guest of honour is coeliac.", "gluten", "guest"),
]


@pytest.mark.parametrize(("said", "need", "who"), STRANGERS)
def test_a_person_the_relations_list_does_not_know_holds_the_need(
    service: ConciergeService, project: str, said: str, need: str, who: str
) -> None:
    user = f"h3-{abs(hash(said))}"
    held = _held(service, _say(service, project, user, (), said))
    holders = {h for n, h in held if n == need}
    assert holders and all(h.endswith(who) for h in holders), held
    assert all(h != "user" for _, h in held), held
    assert all(h != "user" for _, h in _planned(service, user, project))


# -- M2: a pronoun about the one remembered companion with the need is that companion --------------------------------
PRONOUNS = [
    ("My husband uses a wheelchair", "His doctor hopes he'll be out of the wheelchair next year.", "wheelchair",
     "husband", "My husband no longer uses a wheelchair."),
    ("My wife uses a wheelchair", "She's been in a wheelchair since the accident.", "wheelchair", "wife",
     "My wife doesn't use a wheelchair anymore."),
    ("My son is allergic to eggs", "He has had the egg allergy since he was a baby.", "eggs", "son",
     "My son has outgrown his egg allergy."),
    ("My wife is coeliac", "She was diagnosed coeliac last year.", "gluten", "wife", "My wife isn't coeliac anymore."),
    ("My daughter is vegan", "She's been vegan for three years now.", "vegan", "daughter",
     "My daughter isn't vegan anymore."),
    ("My husband is allergic to peanuts", "His peanut allergy is quite severe.", "peanuts", "husband",
     "My husband is no longer allergic to peanuts."),
    ("My father uses a wheelchair", "He got the wheelchair after his stroke.", "wheelchair", "father",
     "My father doesn't use a wheelchair anymore."),
    ("My sister is lactose intolerant", "She's been lactose intolerant since childhood.", "milk", "sister",
     "My sister isn't lactose intolerant anymore."),
    ("My brother keeps kosher", "He has kept kosher all his life.", "kosher", "brother",
     "My brother doesn't keep kosher anymore."),
    ("My mother is hard of hearing", "She has been hard of hearing since her fifties.", "hearing", "mother",
     "My mother is no longer hard of hearing."),
]  # fmt: skip


@pytest.mark.parametrize(("stored", "said", "need", "who", "retracted"), PRONOUNS, ids=[c[1] for c in PRONOUNS])
def test_a_pronoun_about_the_remembered_companion_adds_no_second_holder(
    service: ConciergeService, project: str, stored: str, said: str, need: str, who: str, retracted: str
) -> None:
    user = f"m2-{[c[1] for c in PRONOUNS].index(said)}"
    scope = _say(service, project, user, (stored,), said)
    assert _held(service, scope) == {(need, who)}
    assert UNNAMED not in {h for _, h in _planned(service, user, project)}
    service.chat(scope, retracted)
    assert _held(service, scope) == set()
    assert _planned(service, user, project) == set()


# -- M3: a correction of who holds the user's need moves it -----------------------------------------------------------
MOVES = [
    ("I'm vegan", "Actually it's my wife who's vegan, not me.", "vegan", "wife"),
    ("I am allergic to peanuts", "The peanut allergy is my son's, not mine.", "peanuts", "son"),
    ("I'm vegan", "I misspoke: my son is the vegan, not me.", "vegan", "son"),
    ("I'm coeliac", "Sorry, it's my husband who's coeliac, not me.", "gluten", "husband"),
    ("I keep kosher", "Correction: my parents keep kosher, not me.", "kosher", "parents"),
    ("I am allergic to eggs", "Actually the egg allergy is my daughter's, not mine.", "eggs", "daughter"),
    ("I'm vegetarian", "Wait, I'm not the vegetarian, my girlfriend is.", "vegetarian", "girlfriend"),
    ("I use a wheelchair", "Actually it's my mother who uses a wheelchair, not me.", "wheelchair", "mother"),
    ("I'm lactose intolerant", "My mistake, my brother is the lactose intolerant one, not me.", "milk", "brother"),
    ("I only eat halal", "Actually it's my father who eats halal, not me.", "halal", "father"),
    ("I'm allergic to sesame", "The sesame allergy is my wife's, not mine.", "sesame", "wife"),
]


@pytest.mark.parametrize(("stored", "said", "need", "who"), MOVES, ids=[c[1] for c in MOVES])
def test_a_correction_of_the_holder_moves_the_users_need(
    service: ConciergeService, project: str, stored: str, said: str, need: str, who: str
) -> None:
    user = f"m3-{[c[1] for c in MOVES].index(said)}"
    held = _held(service, _say(service, project, user, (stored,), said))
    assert (need, who) in held and (need, "user") not in held, held
    assert (need, "user") not in _planned(service, user, project)
