"""Issue 24, round 4 (attack6 M2, L1-L3 and the remainder of M1; attack7 H1-H3, H5, H6): each class is many
phrasings, several people, said in a stored memory and then now; the need's fate is read on typed fields
(``plan.needs``, ``user_needs``, memory records), never on the wording of a reply.

- a budget with a decimal comma below one, or a limit said without "a night" for a stay, is read or refused in
  one line, never dropped in silence;
- a retraction said as an ending ("my peanut allergy is gone", "I stopped eating halal") by the holder takes the
  need back; the same words wished, asked, reported or said of another person keep it;
- a question without its mark (a tag, "do you reckon", "any way") stores nothing;
- a forget request names an attribute (name, home, job, a trip) and deletes that memory only, keeps what it
  excepts, and deletes nothing when refused or asked back;
- a stored fact is one clean sentence;
- "Tom isn't allergic any more" with two Toms changes nothing and asks which one;
- someone else's voice, a retraction called a lie or moved to another person, and an intolerance said of an
  allergy take nothing back.
"""

from __future__ import annotations

import json
import re

import pytest

from concierge.cli import main
from concierge.needs.current import may_supersede, plainly_taken_back
from concierge.needs.mood import asks_about_needs, without_questions
from concierge.offline.extraction import extract_facts
from concierge.offline.hearsay import clean_wording
from concierge.request import CatalogPlaces
from concierge.request.forget import read_forget_request
from concierge.scope import Scope
from concierge.service import ConciergeService
from tests.needs_held import held as _held
from tests.needs_held import users_needs as _needs
from tests.request_reading import parse_at, shipped_places


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return shipped_places()


def _memories(service: ConciergeService, scope: Scope) -> list[str]:
    return sorted(r.text for r in service.memories(scope))


# -- 1. budgets (attack6 M2) ----------------------------------------------------------------------------------------
STAY = "Book a hotel in Lyon for 2 nights from tomorrow "


@pytest.mark.parametrize(
    "said",
    [
        "under 0,80 € a night",
        "max 0,5 euros per night",
        "under €0,99",
        "under ,5 euros",
        "below 0,5€ per night",
        "with a budget of 0,60 euros a night",
        "up to .80 euros",
        "under 0.4 €",
    ],
)
def test_a_budget_below_one_euro_is_one_line_naming_it(places: CatalogPlaces, said: str) -> None:
    request = parse_at(places, STAY + said)
    assert request.budget_per_night_eur is None and len(request.problems) == 1
    assert "\n" not in request.problems[0] and "budget" in request.problems[0]


@pytest.mark.parametrize(
    ("said", "budget"),
    [
        ("under 1,5 euros", 1),  # attack6 M2: no budget and no problem before
        ("under 1,5 EUR", 1),
        ("max €90", 90),
        ("below 120,50 €", 120),
        ("budget: 90 euros", 90),
        ("less than 2 000,50 euros", 2000),
        ("under 150 euros a night", 150),
    ],
)
def test_a_limit_for_a_stay_is_the_most_a_night_may_cost(places: CatalogPlaces, said: str, budget: int) -> None:
    request = parse_at(places, STAY + said)
    assert (request.intent, request.budget_per_night_eur, request.problems) == ("stay", budget, ())


@pytest.mark.parametrize(
    "said", ["under 300 euros in total", "max 300 euros for the whole stay", "under 300 € altogether"]
)
def test_a_limit_said_of_the_whole_stay_asks_in_one_line(places: CatalogPlaces, said: str) -> None:
    request = parse_at(places, "Book a hotel in Lyon from tomorrow " + said)  # the nights not said: asked
    assert request.budget_per_night_eur is None and len(request.problems) == 1 and "?" in request.problems[0]


@pytest.mark.parametrize(
    "said", ["under 300 euros in total", "max 300 euros for the whole stay", "under 300 € altogether"]
)
def test_a_limit_said_of_the_whole_stay_is_shared_by_its_nights(places: CatalogPlaces, said: str) -> None:
    request = parse_at(places, STAY + said)  # 2 nights: 150 a night (attack12 M5)
    assert (request.budget_per_night_eur, request.problems) == (150, ())


@pytest.mark.parametrize(
    "message", ["Dinner in Rome tomorrow, 20-40 euros each", "A trip to Lisbon in May under 2000 euros"]
)
def test_a_limit_not_about_a_stay_is_no_problem(places: CatalogPlaces, message: str) -> None:
    assert parse_at(places, message).problems == ()


def test_the_cli_plans_no_hotel_above_a_decimal_comma_budget(project: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", STAY + "under 1,5 euros", "--user", "z", "--project", project, "--json"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert reply["request"]["budget_per_night_eur"] == 1
    chosen = (reply["plan"] or {}).get("chosen")
    assert chosen is None  # every hotel costs more than 1 euro a night: none is proposed


# -- 2. retractions said as an ending (attack6 L1) -------------------------------------------------------------------
ENDED = [
    ("I am allergic to peanuts", "My peanut allergy is gone", ("peanuts", "user")),
    ("I am allergic to peanuts", "My peanut allergy has gone away", ("peanuts", "user")),
    ("I am allergic to peanuts", "I'm cured of my peanut allergy", ("peanuts", "user")),
    ("I am allergic to peanuts", "My allergy to peanuts is gone", ("peanuts", "user")),
    ("I am allergic to peanuts", "My peanut allergy went away", ("peanuts", "user")),
    ("I am allergic to peanuts", "My peanut allergy is cured", ("peanuts", "user")),
    ("I am allergic to sesame", "My sesame allergy has disappeared", ("sesame", "user")),
    ("I am coeliac", "My coeliac disease is gone", ("gluten", "user")),
    ("My son is allergic to eggs", "My son's egg allergy is gone", ("eggs", "son")),
    ("My son is allergic to eggs", "My son is cured of his egg allergy", ("eggs", "son")),
    ("My daughter is allergic to milk", "My daughter's milk allergy has gone away", ("milk", "daughter")),
    ("My wife is coeliac", "My wife's coeliac disease has gone away", ("gluten", "wife")),
    ("I eat halal", "I've stopped eating halal", ("halal", "user")),
    ("I eat halal", "I stopped eating halal", ("halal", "user")),
    ("My son eats halal", "My son has stopped eating halal", ("halal", "son")),
    ("I keep kosher", "I no longer keep kosher", ("kosher", "user")),
    ("I keep kosher", "I've stopped keeping kosher", ("kosher", "user")),
    ("I am vegan", "I gave up being vegan", ("vegan", "user")),
    ("I am vegan", "I've given up being vegan", ("vegan", "user")),
    ("I am vegan", "I gave up veganism", ("vegan", "user")),
    ("My wife is vegan", "My wife gave up being vegan", ("vegan", "wife")),
]


@pytest.mark.parametrize(("stored", "said", "key"), ENDED, ids=[s for _, s, _ in ENDED])
def test_a_need_said_to_be_over_by_its_holder_is_taken_back(stored: str, said: str, key: tuple[str, str]) -> None:
    (old,) = extract_facts(stored, None)
    assert key in _held([old])
    assert (key[0], key[1] == "user") in plainly_taken_back([said])
    facts = extract_facts(said, None)
    assert any(may_supersede(f, old, said=[said]) for f in facts)
    assert key not in _held([old, *facts]) and key not in _held([old, said])


KEPT = [
    ("I am allergic to peanuts", "I wish my peanut allergy was gone"),
    ("I am allergic to peanuts", "If my peanut allergy were gone I'd eat satay"),
    ("I am allergic to peanuts", "My doctor says my peanut allergy is gone"),
    ("I am allergic to peanuts", "Maybe my peanut allergy is gone"),
    ("I am allergic to peanuts", "Is my peanut allergy gone"),
    ("I am allergic to peanuts", "My peanut allergy is gone, right?"),
    ("I am allergic to peanuts", "My peanut allergy isn't gone"),
    ("I am allergic to peanuts", "My friend's peanut allergy is gone"),
    ("I am allergic to peanuts", "My peanut allergy has mostly gone away"),
    ("I am allergic to peanuts", "My peanut allergy is gone in summer"),
    ("I am allergic to peanuts", "I hope I'll be cured of my peanut allergy"),
    ("My son is allergic to eggs", "My daughter's egg allergy is gone"),
    ("I keep kosher", "My husband no longer keeps kosher"),
    ("I am vegan", "My sister gave up being vegan"),
    ("I eat halal", "I wish I could stop eating halal"),
    ("I eat halal", "I stopped eating halal when I was in Paris"),
    ("I am vegan", "I'd give up being vegan if I could"),
    ("I am vegetarian", "I stopped eating meat"),
    ("I am coeliac", "I've stopped eating gluten"),
]


@pytest.mark.parametrize(("stored", "said"), KEPT, ids=[s for _, s in KEPT])
def test_an_ending_wished_asked_reported_or_of_another_person_keeps_the_need(stored: str, said: str) -> None:
    (old,) = extract_facts(stored, None)
    before = _held([old])
    facts = extract_facts(said, None)
    assert all(not may_supersede(f, old, said=[said]) for f in facts)
    assert before <= _held([old, *facts]) and before <= _held([old, said])


@pytest.mark.parametrize(
    ("stored", "said", "key"),
    [
        ("I am allergic to peanuts", "My peanut allergy is gone", ("peanuts", "user")),
        ("My son is allergic to eggs", "My son's egg allergy has gone away", ("eggs", "son")),
        ("I eat halal", "I've stopped eating halal", ("halal", "user")),
    ],
)
def test_an_ending_takes_the_need_out_of_the_plan_end_to_end(
    service: ConciergeService, project: str, stored: str, said: str, key: tuple[str, str]
) -> None:
    scope = service.scope("ended", project_id=project, run_id="e1")
    service.remember(scope, stored)
    assert key in _needs(service, scope)
    service.chat(scope, said)
    assert key not in _needs(service, scope)
    plan = service.chat(scope, "Book dinner in Lyon tomorrow for 2").plan
    assert plan is not None and key[0] not in {n.need_id for n in plan.needs}


# -- 3. questions without their mark (attack6 M1, rest) -------------------------------------------------------------
QUESTIONS = [
    "Any way I'm still vegan",
    "Any way my wife is still coeliac",
    "Do you reckon I'm allergic to celery",
    "Do you think I'm allergic to celery",
    "You reckon my son is allergic to eggs",
    "Reckon I'm still vegan",
    "D'you reckon my wife is still coeliac",
    "Would you say I'm allergic to peanuts",
    "Do you have me down as vegan",
    "My son isn't allergic to eggs anymore, is he",
    "I'm not allergic to peanuts anymore, am I",
    "I'm still allergic to peanuts, don't I",
    "I have a peanut allergy, don't I",
    "My wife uses a wheelchair, doesn't she",
    "My son is allergic to eggs, isn't that so",
    "Possibly I'm still allergic to shellfish, is that so",
    "I'm vegan, is that right",
    "Is it still true that I'm allergic to peanuts",
    "Is it true my son is allergic to eggs",
    "Is my peanut allergy gone",
    "Any record of me being allergic to peanuts",
    "Any news on whether I'm still allergic to eggs",
    "Any note that I'm allergic to sesame",
]
STATEMENTS = [
    "I'm allergic to peanuts",
    "I'm vegan, are you",
    "I'm allergic to peanuts, ok",
    "My wife is vegan, she is",
    "I'm allergic to eggs, he is too",
    "Any way you could book a vegan table in Lyon",
    "Do you think you could find a vegan place in Lyon tomorrow",
    "I think I'm allergic to celery",
    "Is there any vegan restaurant in Lyon",
]


@pytest.mark.parametrize("message", QUESTIONS)
def test_a_question_without_its_mark_tells_nothing(message: str) -> None:
    assert asks_about_needs(message) and without_questions(message) == ""  # what a chat turn stores of it


@pytest.mark.parametrize("message", STATEMENTS)
def test_a_statement_or_a_request_is_not_read_as_a_question(message: str) -> None:
    assert not asks_about_needs(message)


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        (None, "Do you reckon I'm allergic to celery"),
        (None, "Any way I'm still vegan"),
        ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, is he"),
        ("I am allergic to peanuts", "I'm not allergic to peanuts anymore, am I"),
        ("I am allergic to peanuts", "Is my peanut allergy gone"),
    ],
)
def test_a_question_without_its_mark_stores_nothing_end_to_end(
    service: ConciergeService, project: str, stored: str | None, message: str
) -> None:
    scope = service.scope("unmarked", project_id=project)
    if stored:
        service.remember(scope, stored)
    before, needs = _memories(service, scope), _needs(service, scope)
    reply = service.chat(scope, message)
    assert reply.memories_stored == [] and _memories(service, scope) == before and _needs(service, scope) == needs


# -- 4. forget requests (attack6 L2, attack7 H5) ---------------------------------------------------------------------
BASE = ["My name is Anna", "I live in Lyon", "I am allergic to peanuts", "I work as a nurse", "I love jazz"]


def _forget(service: ConciergeService, project: str, message: str) -> tuple[list[str], set[tuple[str, str]]]:
    scope = service.scope("forgets", project_id=project)
    for fact in BASE:
        service.remember(scope, fact)
    before = _memories(service, scope)
    service.chat(scope, message)
    return [m for m in before if m not in _memories(service, scope)], _needs(service, scope)


@pytest.mark.parametrize(
    ("message", "word"),
    [
        ("Please forget my name", "Anna"),
        ("forget what my name is", "Anna"),
        ("please forgt my name", "Anna"),
        ("pls forgt where i live", "Lyon"),
        ("frget my address", "Lyon"),
        ("forget what I told you about my job", "nurse"),
        ("forget about my job", "nurse"),
        ("forget my preferences, with the exception of my allergy", "jazz"),
        ("forget my likes, keeping my allergy", "jazz"),
    ],
)
def test_a_forget_request_by_attribute_deletes_that_memory_only(
    service: ConciergeService, project: str, message: str, word: str
) -> None:
    gone, needs = _forget(service, project, message)
    assert len(gone) == 1 and word in gone[0]
    assert ("peanuts", "user") in needs


@pytest.mark.parametrize(
    "message",
    [
        "forget everything except my allergies",
        "forget it all bar the peanut allergy",
        "forget everything other than my peanut allergy",
        "forget everything about me, keeping my allergy",
        "forget everything yet keep my allergy",
        "Forget my peanut allergy? Never.",
        "forget none of my allergies",
        "Forget my allergy? No way!",
        "Would you forget my peanut allergy? Please don't.",
        "forget my peanut allergy... no wait, don't",
        "You can forget my peanut allergy when pigs fly",
        "Forgetting? Not my peanut allergy!",
        "Forget about the peanut allergy being mild, it's severe",
        "forget my peanut allergy (jk)",
        "Forget my peanut allergy. Just kidding!",
        "Forget my peanut allergy: that's what my brother wants you to do",
        "Forget my peanut allergy — I'd never say that",
    ],
)
def test_a_forget_all_with_an_exception_or_a_refused_forget_deletes_nothing(
    service: ConciergeService, project: str, message: str
) -> None:
    gone, needs = _forget(service, project, message)
    assert gone == [] and ("peanuts", "user") in needs


@pytest.mark.parametrize(
    "message",
    ["Forget my peanut allergy? Never.", "forget no allergies", "You can forget my peanut allergy when pigs fly"],
)
def test_a_refused_forget_is_read_as_such(message: str) -> None:
    request = read_forget_request(message)
    assert request is not None and request.kind == "refused"


# -- 5. clean wording (attack6 L3) ------------------------------------------------------------------------------------
_JUNK = re.compile(
    r"\b(\w+) \1\b|User's (?:their|his|her|my)\b|^My my\b|\b(?:Chance|Reckon)$|\bpossibly$", re.IGNORECASE
)


@pytest.mark.parametrize(
    "message",
    [
        "It isn't the case that I'm not allergic to peanuts",
        "Possibly I'm still allergic to shellfish",
        "I'm still allergic to shellfish possibly",
        "My my son Tom is allergic to peanuts",
        "I'm allergic to fish. Chance",
        "My son keeps saying he loves Lyon",
    ],
)
def test_a_stored_fact_is_one_clean_sentence(message: str) -> None:
    facts = extract_facts(message, None)
    assert facts and not [f for f in facts if _JUNK.search(f)]


@pytest.mark.parametrize(
    ("fact", "clean"),
    [
        ("User's their son Tom isn't allergic to peanuts anymore", "User's son Tom isn't allergic to peanuts anymore"),
        ("My my son Tom is vegan", "My son Tom is vegan"),
        ("User is still vegan Reckon", "User is still vegan"),
        ("User likes Bora Bora", "User likes Bora Bora"),
        ("User had had enough", "User had had enough"),
    ],
)
def test_clean_wording(fact: str, clean: str) -> None:
    assert clean_wording(fact) == clean


def test_a_speaker_tag_with_nothing_said_is_not_stored() -> None:
    assert extract_facts('"I\'m not allergic to peanuts anymore," my son keeps saying', None) == []


def test_a_name_resolved_twice_is_stored_once_end_to_end(service: ConciergeService, project: str) -> None:
    scope = service.scope("my-tom", project_id=project)
    service.remember(scope, "My son Tom is allergic to peanuts")
    reply = service.chat(scope, "My Tom isn't allergic to peanuts anymore")
    assert not [m.text for m in reply.memories_stored if _JUNK.search(m.text)]


# -- 6. an unclear person: nothing superseded, and the concierge asks --------------------------------------------------
@pytest.mark.parametrize(
    ("stored", "message"),
    [
        (["My son Tom is allergic to peanuts", "My husband Tom is allergic to peanuts"], "Tom isn't allergic anymore"),
        (["My son Tom is allergic to peanuts", "My husband Tom is allergic to peanuts"], "Tom is no longer allergic"),
        (["My son Tom is vegan", "My friend Tom is allergic to eggs"], "Tom isn't allergic any more"),
        (["I am allergic to peanuts", "I am allergic to sesame"], "I'm not allergic anymore"),
        (["My son is allergic to eggs", "My son is allergic to milk"], "My son's allergy is gone"),
    ],
)
def test_a_retraction_that_names_no_need_or_fits_several_people_changes_nothing_and_asks(
    service: ConciergeService, project: str, stored: list[str], message: str
) -> None:
    scope = service.scope("which", project_id=project, run_id="w1")
    for fact in stored:
        service.remember(scope, fact)
    before = _needs(service, scope)
    reply = service.chat(scope, message)
    assert _needs(service, scope) == before
    assert reply.answer.rstrip().endswith(".") and "?" in reply.answer  # a question, then what changed: nothing


# -- 7. attack7: another voice, a retraction unsaid, an intolerance for an allergy ------------------------------------
RETRACTION = "I'm not allergic to peanuts anymore"
NOT_THE_USERS = [
    f"{RETRACTION}, is what my brother says",
    f"Hi, it's Tom here, her husband. {RETRACTION}.",
    f'"{RETRACTION}," my son keeps saying',
    f"My sister here, using his phone. {RETRACTION}.",
    f"My son is typing now. {RETRACTION}.",
    f"Hey it's me, his wife. {RETRACTION}.",
    f"Hello, I'm his nurse. {RETRACTION}.",
    f"(Writing as my brother) {RETRACTION}.",
    f"{RETRACTION}, they tell me",
    f"This is Sam, his partner: {RETRACTION}",
    f"It's Ana, his wife, writing. {RETRACTION}.",
    f"Wife here. {RETRACTION}.",
    f"Tom here (husband). {RETRACTION}.",
    f"This is her husband. {RETRACTION}.",
    f"Hi, this is the babysitter. {RETRACTION}.",
]
UNSAID = [
    f"{RETRACTION}. {ending}"
    for ending in (
        "Ok that's a lie.",
        "That's what I'd say if I could.",
        "That was a test.",
        "Just checking you're paying attention.",
        "I lied.",
        "Did that work?",
        "Of course that's not true.",
        "That's what my brother would say.",
        "That's what I keep telling myself.",
        "Sorry, I meant my brother.",
        "Wait, wrong person, my brother isn't.",
        "I was talking about my dog.",
        "None of that is true.",
        "The previous sentence is false.",
        "That's what you want to hear, right?",
        "I meant to say my husband.",
        "Wrong profile, this is about my wife.",
        "Ugh autocorrect, I meant my son.",
        "That was about my brother, sorry.",
    )
] + ["I'm no longer allergic to peanuts, I mean sesame.", f"{RETRACTION} — oops, I meant tree nuts."]
STILL_PLAIN = [
    RETRACTION,
    f"{RETRACTION}. Thanks!",
    f"{RETRACTION}, my doctor confirmed it",
]
# What could bear a retraction out in a sentence of its own is not neutral company: the same shapes contradict it
# ("I had a reaction yesterday.") or come from someone else typing ("Hi, I'm Anna."): the concierge asks (attack9).
ASKED = [
    f"{RETRACTION}. I had satay yesterday!",
    f"Hi, I'm Anna. {RETRACTION}.",
    f"{RETRACTION}. I had a reaction yesterday.",
    f"{RETRACTION}. That's great news!",  # a remark may be sarcasm: asked since attack10 H2 (it passed before)
]


@pytest.mark.parametrize("said", NOT_THE_USERS + UNSAID + ASKED)
def test_someone_elses_voice_or_a_retraction_unsaid_keeps_the_need(said: str) -> None:
    assert ("peanuts", True) not in plainly_taken_back([said])
    facts = extract_facts(said, None)
    assert ("peanuts", "user") in _held(["User is allergic to peanuts", *facts])
    assert ("peanuts", "user") in _held(["User is allergic to peanuts", said])


@pytest.mark.parametrize("said", STILL_PLAIN)
def test_a_plain_retraction_with_a_kind_ending_still_takes_the_need_back(said: str) -> None:
    assert ("peanuts", True) in plainly_taken_back([said])
    assert ("peanuts", "user") not in _held(["User is allergic to peanuts", said])


@pytest.mark.parametrize(
    ("stored", "said", "kept"),
    [
        ("I'm allergic to milk", "I'm not lactose intolerant", True),
        ("I'm allergic to milk", "I'm no longer lactose intolerant", True),
        ("I'm lactose intolerant", "I'm not allergic to milk any more", True),
        ("I'm lactose intolerant", "I'm not lactose intolerant any more", False),
        ("I'm allergic to milk", "I'm not allergic to milk any more", False),
        ("I'm allergic to milk", "I'm not intolerant to dairy anymore", True),
        ("I'm allergic to fish", "I'm not intolerant to fish", True),
    ],
)
def test_an_intolerance_never_takes_back_an_allergy(stored: str, said: str, kept: bool) -> None:
    (old,) = extract_facts(stored, None)
    need = next(iter(_held([old])))
    assert (need in _held([old, said])) is kept
    assert (need in _held([old, *extract_facts(said, None)])) is kept


@pytest.mark.parametrize(
    ("stored", "said", "kept"),
    [
        ("I am coeliac", "I'm not gluten sensitive", True),
        ("I am coeliac", "I'm not coeliac any more", False),
        ("I am deaf", "I'm not hard of hearing", True),
        ("I am deaf", "I'm not deaf any more", False),
    ],
)
def test_a_milder_condition_never_takes_back_a_need(stored: str, said: str, kept: bool) -> None:
    (old,) = extract_facts(stored, None)
    need = next(iter(_held([old])))
    assert (need in _held([old, said])) is kept


def test_someone_elses_voice_keeps_the_need_in_the_plan_end_to_end(service: ConciergeService, project: str) -> None:
    scope = service.scope("voice", project_id=project, run_id="v1")
    service.remember(scope, "I am allergic to peanuts")
    service.chat(scope, f"{RETRACTION}, is what my brother says")
    service.chat(scope, f"{RETRACTION}. Ok that's a lie.")
    service.chat(scope, "Forget my peanut allergy? Never.")
    plan = service.chat(scope, "Book dinner in Lyon tomorrow for 2").plan
    assert plan is not None and ("peanuts", "user") in {(n.need_id, n.holder) for n in plan.needs}
