"""Issue 21 whose_need and issue 24 / attack11 H2: who holds a need, as a class, end to end through the chat.

Each case is said to ``ConciergeService.chat`` (earlier messages first, in one session) with its own user; the checks
are on typed fields: the needs that hold for the user's plans (``user_needs``: need id and holder) and the needs the
last plan applies (``plan.needs``: need id and holder). A holder written "a|b" may be read as either ("Sam" or
"friend" for "my friend Sam"). Sub-classes: a need that is not the user's but someone else's ("isn't mine, it's my
girlfriend's"), a request for someone else ("it's for my in-laws, I'm not kosher myself"), one of the party, a
companion told of earlier and named in the party now, a request that leaves a companion out ("just me this time",
"for me and my sister"), the user and a companion both, a person the relations list does not know said with more
words ("my date tonight", "my maths teacher"), named friends, and a person who may be anyone ("my son's mother").
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from concierge.crew.who_comes import needs_of_those_coming
from concierge.needs import DetectedNeed
from concierge.request import TurnRequest
from concierge.service import ConciergeService


@dataclass(frozen=True)
class Case:
    say: str
    held: frozenset[str]  # "need:holder" for every need that holds after the messages
    plan: frozenset[str] | None = None  # "need:holder" the last plan applies; None: no plan is asked for
    history: tuple[str, ...] = ()


SAME = frozenset({"same"})  # the plan applies what holds


def case(say: str, held: set[str], plan: set[str] | None = None, history: tuple[str, ...] = ()) -> Case:
    return Case(say, frozenset(held), None if plan is None else frozenset(plan), history)


CLASSES: dict[str, list[Case]] = {
    "not mine but theirs": [
        case(
            "the nut allergy isn't mine, it's my girlfriend's. lunch in Barcelona for 2 on monday",
            {"peanuts:girlfriend", "tree_nuts:girlfriend"},
            {"peanuts:girlfriend", "tree_nuts:girlfriend"},
        ),
        case("The egg allergy isn't mine, it's my son's.", {"eggs:son"}),
        case(
            "The sesame allergy is not mine - it's my husband's. Dinner in Lyon tomorrow for 2",
            {"sesame:husband"},
            {"sesame:husband"},
        ),
        case("That peanut allergy isn't mine, it's my wife's.", {"peanuts:wife"}),
        case("I'm not the vegan one, that's my wife!", {"vegan:wife"}),
        case(
            "I'm not the gluten-free one, it's my brother. Lunch for both of us in Bologna on Wednesday",
            {"gluten:brother"},
            {"gluten:brother"},
        ),
        case(
            "I'm not vegetarian, my partner is. Dinner in Rome tomorrow for the two of us", {"vegetarian:partner"}, SAME
        ),
        case("It's not me, it's my sister who's lactose intolerant.", {"milk:sister"}),
        case("The egg allergy is my son's, not mine.", {"eggs:son"}),
        case("That nut allergy is mine, not my son's.", {"peanuts:user", "tree_nuts:user"}),
        case("The peanut allergy isn't my son's, it's mine.", {"peanuts:user"}),
    ],
    "for someone else, not me": [
        case(
            "We need a kosher dinner in New York on Friday for 3 - it's for my in-laws, I'm not kosher myself",
            {"kosher:in-laws"},
            {"kosher:in-laws"},
        ),
        case(
            "We need a halal lunch in London on Thursday for 3 - it's for my parents, I'm not halal myself",
            {"halal:parents"},
            {"halal:parents"},
        ),
        case("Lunch for 2 in Paris on Friday, my husband is coeliac.", {"gluten:husband"}, SAME),
        case(
            "Table for 2 in Kyoto on the 21st. I have no allergies but my boyfriend is allergic to sesame.",
            {"sesame:boyfriend"},
            SAME,
        ),
        case(
            "I eat everything but my father uses a wheelchair. Dinner in Barcelona on Sunday for 3.",
            {"wheelchair:father"},
            SAME,
        ),
        case("Dinner for 2 in Naples on Tuesday. My wife can't have eggs; I eat anything.", {"eggs:wife"}, SAME),
        case("Table for 3 in Rome on Friday for dinner, my daughter has a peanut allergy", {"peanuts:daughter"}, SAME),
        case("Dinner in Tokyo on the 18th for 2. My colleague doesn't eat fish.", {"fish:colleague"}, SAME),
    ],
    "one of us": [
        case("Dinner for 4 in Rome tomorrow, one of us is vegan.", {"vegan:one of us"}, SAME),
        case("one of us can't eat gluten - lunch for 3 in Madrid on Friday", {"gluten:one of us"}, SAME),
        case(
            "Table for 5 in Lisbon on Saturday; someone in our group is allergic to peanuts",
            {"peanuts:one of us"},
            SAME,
        ),
        case("Dinner in Milan tomorrow for 4, one person in our party is halal", {"halal:one of us"}, SAME),
        case("Lunch for 6 in Berlin on Sunday, two of us are vegetarian", {"vegetarian:one of us"}, SAME),
    ],
    "told earlier, named now": [
        case(
            "Family lunch in Valencia on Saturday for 3: me, my husband and our daughter",
            {"tree_nuts:daughter"},
            SAME,
            ("My daughter has a severe tree nut allergy.",),
        ),
        case(
            "Lunch in Porto on Sunday for me, my mum and my sister",
            {"wheelchair:mum"},
            SAME,
            ("My mum uses a wheelchair.",),
        ),
        case(
            "Dinner in Amsterdam tomorrow for me and Priya",
            {"milk:priya|friend"},
            SAME,
            ("My friend Priya is lactose intolerant.",),
        ),
        case(
            "Table in Florence on Saturday evening for my wife and me",
            {"vegetarian:wife"},
            SAME,
            ("My wife is vegetarian.",),
        ),
        case(
            "Breakfast in Nice tomorrow for me and my son please",
            {"gluten:son"},
            SAME,
            ("My son is coeliac.",),
        ),
        case(
            "Dinner in Lyon tomorrow for me and Tom",
            {"sesame:tom|brother"},
            SAME,
            ("My brother Tom is allergic to sesame.",),
        ),
        case(
            "Lunch in Seville on Friday for me and my father",
            {"hearing:dad"},
            SAME,
            ("My dad is hard of hearing.",),
        ),
        case(
            "Dinner in Marseille tomorrow for me and my girlfriend",
            {"pescatarian:girlfriend"},
            SAME,
            ("My girlfriend is pescatarian.",),
        ),
    ],
    "the user alone or others": [
        case(
            "Dinner in Marseille tomorrow, just me this time",
            {"crustaceans:husband", "molluscs:husband"},
            set(),
            ("My husband is allergic to shellfish.",),
        ),
        case(
            "Book a dinner in New York on Thursday, table for one.",
            {"kosher:colleague"},
            set(),
            ("My colleague keeps kosher.",),
        ),
        case(
            "Lunch in Nice tomorrow for me and my sister.",
            {"vegetarian:husband"},
            set(),
            ("My husband is vegetarian.",),
        ),
        case(
            "Dinner in Paris tomorrow for me and my wife",
            {"peanuts:son"},
            set(),
            ("My son is allergic to peanuts.",),
        ),
        case(
            "Dinner in Lisbon tomorrow for me and my friend Sam",
            {"wheelchair:mother"},
            set(),
            ("My mother uses a wheelchair.",),
        ),
        case(
            "Dinner in Madrid tomorrow for me and my brother",
            {"vegan:friend"},
            set(),
            ("My friend is vegan.",),
        ),
        case(
            "Dinner in Berlin tomorrow, just me",
            {"vegetarian:user", "eggs:daughter"},
            {"vegetarian:user"},
            ("I'm vegetarian. My daughter is allergic to eggs.",),
        ),
        case(  # nobody listed: a companion may come, so their need is kept
            "Dinner in Paris tomorrow for 2",
            {"peanuts:son"},
            SAME,
            ("My son is allergic to peanuts.",),
        ),
    ],
    "the user and a companion": [
        case("I'm vegan and so is my partner. dinner in Berlin for 2 tonight", {"vegan:user", "vegan:partner"}, SAME),
        case(
            "I'm halal and my son is allergic to sesame. Dinner in London tomorrow for the two of us",
            {"halal:user", "sesame:son"},
            SAME,
        ),
        case(
            "I'm pescatarian; my boyfriend is allergic to mustard. Table for two in Lyon on Friday evening?",
            {"pescatarian:user", "mustard:boyfriend"},
            SAME,
        ),
        case(
            "Dinner in Milan Thursday for 2 - my sister is vegan, I'm vegetarian",
            {"vegetarian:user", "vegan:sister"},
            SAME,
        ),
        case(
            "Dinner in Porto tomorrow for me and my husband",
            {"gluten:user", "fish:husband"},
            SAME,
            ("I'm coeliac.", "My husband is allergic to fish."),
        ),
        case(
            "My wife and I are both vegetarian. Lunch in Rome on Saturday for 2",
            {"vegetarian:user", "vegetarian:wife"},
            SAME,
        ),
        case(
            "I can't eat gluten and my daughter is lactose intolerant. Lunch in Madrid tomorrow for me and my daughter",
            {"gluten:user", "milk:daughter"},
            SAME,
        ),
    ],
    "a person said with more words": [
        case("My date tonight is vegetarian.", {"vegetarian:date"}),
        case("Our guide tomorrow is deaf.", {"hearing:guide"}),
        case("My personal trainer is gluten-free.", {"gluten:trainer"}),
        case("My maths teacher uses a wheelchair.", {"wheelchair:teacher"}),
        case("My cleaner uses a wheelchair.", {"wheelchair:cleaner"}),
        case("My lodger is allergic to sesame.", {"sesame:lodger"}),
        case("My physio is hard of hearing.", {"hearing:physio"}),
        case("My piano teacher is vegan.", {"vegan:teacher"}),
        case("Our tour guide on Friday is allergic to peanuts.", {"peanuts:guide"}),
        case("My dinner date on Saturday keeps kosher.", {"kosher:date"}),
        case("My yoga instructor is allergic to eggs.", {"eggs:instructor"}),
        case("My driver tomorrow uses a wheelchair.", {"wheelchair:driver"}),
    ],
    "named friends": [
        case("Lunch in Lisbon tomorrow for me and my friend Sam, he's coeliac", {"gluten:sam|friend"}, SAME),
        case("My friend Leo is allergic to mustard.", {"mustard:leo|friend"}),
        case("Dinner in Rome on Friday for me and Marta, she's vegan", {"vegan:marta"}, SAME),
        case("My colleague Ana is allergic to fish. Dinner for 2 in Tokyo tomorrow", {"fish:ana|colleague"}, SAME),
        case(
            "Dinner in Berlin on Friday for me and Sam",
            {"halal:sam|friend"},
            SAME,
            ("My friend Sam only eats halal.",),
        ),
        case("Raj, my neighbour, is lactose intolerant.", {"milk:raj|neighbour"}),
    ],
    "a person who may be anyone": [
        case(
            "My son's mother isn't vegan anymore",
            {"vegan:user", "peanuts:son"},
            None,
            ("I am vegan. My son is allergic to peanuts.",),
        ),
        case("My sister's husband isn't vegan anymore", {"vegan:husband"}, None, ("My husband is vegan.",)),
        case("My wife's friend isn't allergic to eggs anymore.", {"eggs:user"}, None, ("I'm allergic to eggs.",)),
    ],
}

CASES = [(name, c) for name, cases in CLASSES.items() for c in cases]


def _fits(got: set[tuple[str, str]], expected: frozenset[str]) -> bool:
    """``got`` (need, holder) pairs are exactly ``expected``, a holder "a|b" matching either."""
    wanted = [(w.split(":")[0], set(w.split(":")[1].split("|"))) for w in expected]
    if len(got) != len(wanted):
        return False
    left = list(got)
    for need, holders in wanted:
        match = next((g for g in left if g[0] == need and g[1] in holders), None)
        if match is None:
            return False
        left.remove(match)
    return True


def run(service: ConciergeService, project: str, index: int, c: Case) -> tuple[set, set | None, list[str]]:
    """(what holds, what the last plan applied, the memories kept) after the case's messages."""
    scope = service.scope(f"w8-{index}", project_id=project, run_id="s1")
    plan = None
    for message in (*c.history, c.say):
        reply = service.chat(scope, message)
        plan = reply.plan if reply.plan is not None else plan
    held = {(n.need_id, n.holder.casefold()) for n in service.user_needs(scope)}
    applied = None if plan is None else {(n.need_id, n.holder.casefold()) for n in plan.needs}
    return held, applied, [r.text for r in service.memories(scope)]


def right(c: Case, held: set, applied: set | None) -> bool:
    if not _fits(held, c.held):
        return False
    if c.plan is None:
        return True
    return applied is not None and _fits(applied, c.held if c.plan == SAME else c.plan)


# Known regression at the end of stop 24 (things28 x whose28): a person named with a time beside them ("my date
# tonight", "our guide tomorrow") is read as an object by person_or_thing's examples, so nobody holds the need.
# Strict: the day it is fixed, these pass and the marks must go.
_PERSON_WITH_A_TIME_MISREAD = {
    "My date tonight is vegetarian.",
    "Our guide tomorrow is deaf.",
    "Our tour guide on Friday is allergic to peanuts.",
    "My dinner date on Saturday keeps kosher.",
    "My driver tomorrow uses a wheelchair.",
}


@pytest.mark.parametrize(("name", "c"), CASES, ids=[f"{n}: {c.say[:50]}" for n, c in CASES])
def test_whose_need_end_to_end(
    service: ConciergeService, project: str, name: str, c: Case, request: pytest.FixtureRequest
) -> None:
    if c.say in _PERSON_WITH_A_TIME_MISREAD:
        request.applymarker(pytest.mark.xfail(strict=True, reason="a person with a time beside them read as an object"))
    held, applied, memories = run(service, project, CASES.index((name, c)), c)
    assert _fits(held, c.held), (held, memories)
    if c.plan is not None:
        assert applied is not None, "a plan was asked for"
        assert _fits(applied, c.held if c.plan == SAME else c.plan), applied
    if name == "a person said with more words":  # one memory, in the third person: never the user's verbatim words
        assert len(memories) == 1 and memories[0].startswith("User's"), memories


def test_a_companion_left_out_is_said_in_the_plan(service: ConciergeService, project: str) -> None:
    scope = service.scope("w8-note", project_id=project, run_id="s1")
    service.chat(scope, "My husband is vegetarian.")
    reply = service.chat(scope, "Lunch in Nice tomorrow for me and my sister.")
    assert reply.plan is not None and reply.plan.needs == []
    assert any("vegetarian" in note for note in reply.plan.notes), reply.plan.notes


def _need(need_id: str, holder: str) -> DetectedNeed:
    return DetectedNeed(need_id=need_id, kind="allergy", label=need_id, holder=holder, active=True, evidence="")


@pytest.mark.parametrize(
    ("said", "party", "kept"),
    [
        # the sister may be called Ana: a name is kept beside any relation listed, to be safe
        ("Lunch in Nice tomorrow for me and my sister", 2, {"user", "one of us", "Ana"}),
        ("Lunch in Nice tomorrow for me and my mother", 2, {"user", "one of us", "Ana", "mum"}),  # mum is a mother
        ("Lunch in Nice for me, my wife and our son", 3, {"user", "one of us", "Ana", "son", "wife"}),
        ("Lunch in Nice for me and Ana", 2, {"user", "one of us", "Ana", "son", "mum", "wife"}),  # Ana may be anyone
        ("Lunch in Nice for me and him", 2, {"user", "one of us", "Ana", "son", "mum", "wife"}),  # who "him" is: unsure
        ("Lunch in Nice for 4: me and my son", 4, {"user", "one of us", "Ana", "son", "mum", "wife"}),  # two unnamed
        ("Lunch in Nice for 2", 2, {"user", "one of us", "Ana", "son", "mum", "wife"}),  # nobody listed
        ("Lunch in Nice, just me", 1, {"user"}),
    ],
)
def test_a_party_listed_in_full_brings_only_the_companions_it_may_name(said: str, party: int, kept: set[str]) -> None:
    needs = [_need("fish", h) for h in ("user", "one of us", "Ana", "son", "mum", "wife")]
    request = TurnRequest(intent="dine", party_size=party)
    assert {n.holder for n in needs_of_those_coming(needs, request, said)} == kept
