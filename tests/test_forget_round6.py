"""Forget by chat, round 6 (issue 24 item 4 with attack8 H4/H7; issue 21 loose forget requests).

Each class is many phrasings, several users and needs, with what the request points at stored before; read on
typed fields (which memories remain, the needs that hold, whether a question was asked), never on wording.

- a forget request deletes a need only when it is a plain request naming it, with neutral company at most; with
  a jest, a test, "not really", a hedge or someone else's word it deletes nothing and asks, and a plain "yes"
  next forgets it;
- "forget I said that" / "forget it" / "scratch that" right after a need never delete it;
- forget requests said loosely or with typos forget the memory they name (not a need: those are forgotten by a
  plain request as before); "I forgot to mention, I'm allergic to mustard" is no forget request;
- the memory forgotten is the one that states what the request names (a like is not an allergy, the user is not
  the son; several candidates: ask).
"""

from __future__ import annotations

import itertools

import pytest

from concierge.request.forget import normalized, read_forget_request
from concierge.request.neutral import only_neutral, without_neutral_end
from concierge.request.plain_forget import plainly_names
from concierge.request.same_word import same_word
from concierge.scope import Scope
from concierge.service import ConciergeService
from tests.needs_held import held as _held
from tests.needs_held import users_needs as _needs

# (stored statement, a plain forget request naming it, the memory the store keeps for it, (need, holder))
NEEDS = [
    ("I am allergic to peanuts", "Forget my peanut allergy", "User is allergic to peanuts", ("peanuts", "user")),
    ("I'm allergic to eggs", "Forget that I'm allergic to eggs", "User is allergic to eggs", ("eggs", "user")),
    ("My son is allergic to sesame", "forget my son's sesame allergy", "User's son is allergic to sesame",
     ("sesame", "son")),
    ("I keep kosher", "delete that I keep kosher", "User keeps kosher", ("kosher", "user")),
    ("My wife is vegan", "please remove that my wife is vegan", "User's wife is vegan", ("vegan", "wife")),
]  # fmt: skip
_IDS = [n[3][0] + "-" + n[3][1] for n in NEEDS]

# What turns a plain request into one that is not: jests, tests, "not really", hedges, someone else's word, another
# statement, a correction to something else. ``{}`` is the plain request.
QUALIFIED = [
    "{} (not really)",
    "{}. Sike.",
    "{}. Just testing.",
    "{}. I think.",
    "{}. I guess.",
    "{}. Maybe.",
    "{}. I suppose.",
    "{}. Probably.",
    "My husband says: {}",
    "{}... said nobody.",
    "{}, my brother keeps telling me to say",
    "{}; my mum insists.",
    "{}. April fools!",
    "{}. LOL.",
    "{} lol",
    "{}. testing 1 2 3",
    "{}. That's what a hacker would type.",
    "{}, I mean my seat preference",
    "{}. ha, gotcha",
    "{} 😂",
]
# Neutral company: greetings, thanks, courtesy.
NEUTRAL = [
    "{}",
    "Hi, {}",
    "Hello! {}. Thanks!",
    "Good morning. {}, please.",
    "{}, thank you so much",
    "{}. Cheers!",
    "ok, {}",
    "Hey there, {}. Many thanks!",
]


def _fresh(service: ConciergeService, project: str, name: str, *, session: bool = True) -> Scope:
    return service.scope(name, project_id=project, run_id=f"r-{name}" if session else None)


def _texts(service: ConciergeService, scope: Scope) -> set[str]:
    return {r.text for r in service.memories(scope)}


def _request(template: str, plain: str) -> str:
    return template.format(plain if template.startswith("{}") else plain[0].lower() + plain[1:])


# -- the rule, read on texts ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("template", "need"), list(itertools.product(QUALIFIED, NEEDS)), ids=lambda x: str(x)[:30])
def test_a_forget_request_with_other_content_does_not_name_a_need_plainly(template: str, need: tuple) -> None:
    _, plain, memory, _ = need
    assert plainly_names(plain, memory)
    assert not plainly_names(_request(template, plain), memory)


@pytest.mark.parametrize(("template", "need"), list(itertools.product(NEUTRAL, NEEDS)), ids=lambda x: str(x)[:30])
def test_neutral_company_keeps_a_forget_request_plain(template: str, need: tuple) -> None:
    _, plain, memory, _ = need
    assert plainly_names(_request(template, plain), memory)


@pytest.mark.parametrize(
    ("said", "memory"),
    [
        ("forget my peanut allergy. I'm allergic to peanuts.", "User is allergic to peanuts"),  # said again after
        ("forget that I'm not allergic to peanuts", "User is allergic to peanuts"),
        ("I'm allergic to peanuts", "User is allergic to peanuts"),  # no request at all
    ],
)
def test_a_request_that_says_more_or_else_is_not_plain(said: str, memory: str) -> None:
    assert not plainly_names(said, memory)


@pytest.mark.parametrize(
    ("text", "neutral"),
    [("Thanks!", True), ("hi there,", True), ("Good morning.", True), ("thank you so much", True), ("", True),
     ("Sike.", False), ("I think.", False), ("not really", False), ("lol", False), ("Thanks?", False),
     ("(thanks)", False), ("Just testing.", False), ("my wife insists", False)],
)  # fmt: skip
def test_neutral_company_is_a_whitelist(text: str, neutral: bool) -> None:
    assert only_neutral(text) is neutral


def test_thanks_at_the_end_of_what_to_forget_is_not_part_of_it() -> None:
    assert without_neutral_end("my son's sesame allergy, cheers") == "my son's sesame allergy,"
    assert without_neutral_end("that I'm allergic to it") == "that I'm allergic to it"
    assert without_neutral_end("my seat preference thank you") == "my seat preference"


# -- the rule, end to end: nothing deleted, a question asked, "yes" next forgets ---------------------------------
@pytest.mark.parametrize("need", NEEDS, ids=_IDS)
@pytest.mark.parametrize("template", QUALIFIED[::2])
def test_a_qualified_forget_request_keeps_the_need_and_asks(
    service: ConciergeService, project: str, need: tuple, template: str
) -> None:
    stated, plain, _, key = need
    scope = _fresh(service, project, f"q{QUALIFIED.index(template)}-{key[0]}")
    service.remember(scope, stated)
    before = _texts(service, scope)
    reply = service.chat(scope, _request(template, plain))
    assert key in _needs(service, scope)
    assert before <= _texts(service, scope)
    assert reply.forgotten is None or not reply.forgotten.deleted


@pytest.mark.parametrize("need", NEEDS, ids=_IDS)
@pytest.mark.parametrize("template", QUALIFIED[1::4])
def test_the_question_is_kept_in_the_session_and_a_plain_yes_forgets(
    service: ConciergeService, project: str, need: tuple, template: str
) -> None:
    stated, plain, _, key = need
    scope = _fresh(service, project, f"y{QUALIFIED.index(template)}-{key[0]}")
    service.remember(scope, stated)
    asked = service.chat(scope, _request(template, plain))
    assert asked.forgotten is not None and asked.forgotten.status == "confirm"
    assert asked.session is not None and asked.session.asked_retraction is not None
    assert (asked.session.asked_retraction.need_id, asked.session.asked_retraction.holder) == key
    assert asked.memories_stored == []  # the qualifying words are no fact
    service.chat(scope, "yes")
    assert key not in _needs(service, scope)


@pytest.mark.parametrize("answer", ["no", "keep it", "lol", "yes?", "I love Lyon"])
def test_anything_but_a_plain_yes_keeps_the_need(service: ConciergeService, project: str, answer: str) -> None:
    scope = _fresh(service, project, f"n-{abs(hash(answer))}")
    service.remember(scope, "I am allergic to peanuts")
    service.chat(scope, "Forget my peanut allergy. Just testing.")
    service.chat(scope, answer)
    service.chat(scope, "yes")  # too late: the question held for one turn
    assert ("peanuts", "user") in _needs(service, scope)


def test_without_a_session_nothing_is_asked_to_keep_and_nothing_deleted(
    service: ConciergeService, project: str
) -> None:
    scope = _fresh(service, project, "no-session", session=False)
    service.remember(scope, "I am allergic to peanuts")
    reply = service.chat(scope, "Forget my peanut allergy. Sike.")
    assert reply.forgotten is not None and reply.forgotten.status == "confirm" and not reply.forgotten.deleted
    assert ("peanuts", "user") in _needs(service, scope)


@pytest.mark.parametrize("need", NEEDS, ids=_IDS)
@pytest.mark.parametrize("template", NEUTRAL[::2])
def test_a_plain_forget_request_with_neutral_company_forgets_the_need(
    service: ConciergeService, project: str, need: tuple, template: str
) -> None:
    stated, plain, _, key = need
    scope = _fresh(service, project, f"p{NEUTRAL.index(template)}-{key[0]}")
    service.remember(scope, stated)
    service.remember(scope, "I prefer window seats")
    reply = service.chat(scope, _request(template, plain))
    assert key not in _needs(service, scope)
    assert reply.forgotten is not None and len(reply.forgotten.deleted) == 1
    assert "User prefers window seats" in _texts(service, scope)


# -- "forget I said that" right after a need ----------------------------------------------------------------------
UNNAMED = ["Forget I said that.", "forget it", "scratch that", "forget what I just said", "never mind, forget that",
           "forget about it", "strike that", "Forget that."]  # fmt: skip


@pytest.mark.parametrize("said", UNNAMED)
@pytest.mark.parametrize("stated", ["I'm allergic to peanuts", "My son is allergic to eggs", "I'm vegan"])
def test_forgetting_what_was_just_said_never_deletes_a_need(
    service: ConciergeService, project: str, said: str, stated: str
) -> None:
    scope = _fresh(service, project, f"u{abs(hash((said, stated)))}")
    service.chat(scope, stated)
    before = _needs(service, scope)
    assert before
    service.chat(scope, said)
    assert _needs(service, scope) == before


# -- loose and misspelt forget requests (not needs) -------------------------------------------------------------
LOOSE = [
    ("I live at 12 Rue Cler in Paris", "foget my adress"),
    ("I love oysters", "pls forgt that i love oysters"),
    ("I love tapas", "forgett that i love tapas pls"),
    ("I hate coriander", "could you remove the bit about me hating coriander?"),
    ("I prefer window seats", "wipe my seat preference from your memory"),
    ("I prefer window seats", "Please erase the note about window seats"),
    ("I live at 4 Baker Street in London", "don't keep the thing about my address"),
    ("I like jazz", "strike the part where I said I like jazz"),
    ("I prefer aisle seats", "delet my seat prefrence"),
    ("I hate mushrooms", "can u get rid of the mushroom thing"),
    ("I work as a nurse", "erase wat i told u about my job"),
    ("I love tapas", "take the tapas thing off my profile"),
    ("My favourite city is Rome", "remvoe my favourite city"),
    ("I live in Leeds", "u can forgt where i live"),
    ("I prefer window seats", "clear out my window seat preference"),
    ("I love oysters", "could u pls delete the oyster stuff"),
]


@pytest.mark.parametrize(("stated", "said"), LOOSE)
def test_a_loose_forget_request_forgets_what_it_names_and_nothing_else(
    service: ConciergeService, project: str, stated: str, said: str
) -> None:
    scope = _fresh(service, project, f"l{abs(hash((stated, said)))}")
    service.remember(scope, stated)
    service.remember(scope, "I am allergic to peanuts")
    other = _texts(service, scope)
    reply = service.chat(scope, said)
    assert reply.request.intent == "forget"
    assert reply.forgotten is not None and len(reply.forgotten.deleted) == 1
    assert _texts(service, scope) == other - {reply.forgotten.deleted[0].text}
    assert reply.forgotten.deleted[0].text != "User is allergic to peanuts"
    assert reply.memories_stored == []
    assert ("peanuts", "user") in _needs(service, scope)


@pytest.mark.parametrize(
    ("said", "verb"),
    [("delet my seat prefrence", "delete"), ("remvoe my favourite city", "remove"), ("eraze my address", "erase"),
     ("pls forgt that", "forget"), ("foget my adress", "forget"), ("Please delte the note", "delete")],
)  # fmt: skip
def test_a_misspelt_verb_of_forgetting_is_respelt(said: str, verb: str) -> None:
    assert verb in normalized(said).split()


@pytest.mark.parametrize(
    "said",
    ["I forgot to mention, I'm allergic to mustard", "I forgot my passport in Lyon once", "Removed my bags already",
     "Don't forget I'm vegan", "Deleted scenes are the best part", "I keep forgetting to tell you I'm coeliac",
     "Remote villages in Portugal, any ideas?", "Forge a plan for Lisbon"],
)  # fmt: skip
def test_telling_about_forgetting_is_no_forget_request(said: str) -> None:
    assert read_forget_request(said) is None


@pytest.mark.parametrize(
    ("said", "key"),
    [
        ("I forgot to mention, I'm allergic to mustard", ("mustard", "user")),
        ("Oh I forgot to say, I'm allergic to sesame", ("sesame", "user")),
        ("I keep forgetting to tell you I'm allergic to eggs", ("eggs", "user")),
        ("I forgot, my daughter is vegan", ("vegan", "daughter")),
    ],
)
def test_i_forgot_to_mention_a_need_stores_it(
    service: ConciergeService, project: str, said: str, key: tuple[str, str]
) -> None:
    scope = _fresh(service, project, f"f{abs(hash(said))}")
    reply = service.chat(scope, said)
    assert reply.forgotten is None
    assert key in _needs(service, scope)


@pytest.mark.parametrize(
    ("stated", "said"),
    [
        ("I love opera", "Please don't forget that I love opera"),
        ("I love oysters", "Remember I love oysters, don't forget"),
        ("I am allergic to peanuts", "never forget my peanut allergy"),
        ("I live in Leeds", "Do not delete my address"),
    ],
)
def test_asking_to_keep_a_memory_never_deletes_it(
    service: ConciergeService, project: str, stated: str, said: str
) -> None:
    scope = _fresh(service, project, f"k{abs(hash(said))}")
    service.remember(scope, stated)
    before, needs = _texts(service, scope), _needs(service, scope)
    reply = service.chat(scope, said)
    assert reply.forgotten is None or not reply.forgotten.deleted
    assert before <= _texts(service, scope) and needs <= _needs(service, scope)


@pytest.mark.parametrize(("a", "b"), [("hating", "hates"), ("lived", "lives"), ("prefrence", "preference")])
def test_one_word_said_two_ways_is_the_same_word(a: str, b: str) -> None:
    assert same_word(a, b)


# -- the memory forgotten is the one that states what was named -------------------------------------------------
@pytest.mark.parametrize(
    ("stored", "said", "gone"),
    [
        (["My son is allergic to peanuts"], "forget that I love peanuts", None),  # a like is not an allergy
        (["My son is allergic to peanuts"], "forget my peanut allergy", None),  # the user is not the son
        (["My daughter is vegan"], "forget that I'm vegan", None),
        (["I love peanuts", "My wife is allergic to peanuts"], "forget that I love peanuts", "User loves peanuts"),
        (["I'm allergic to peanuts", "My son is allergic to peanuts"], "forget about peanuts", None),  # which: ask
        (["I love oysters"], "forget my oyster allergy", None),
        (["I live in Lyon", "My sister lives in Paris"], "forget where my sister lives",
         "User's sister lives in Paris"),
        (["I'm allergic to eggs", "My son is allergic to eggs"], "forgt my son's egg allergy",
         "User's son is allergic to eggs"),
    ],
)  # fmt: skip
def test_the_memory_forgotten_is_the_one_named(
    service: ConciergeService, project: str, stored: list[str], said: str, gone: str | None
) -> None:
    scope = _fresh(service, project, f"m{abs(hash((tuple(stored), said)))}")
    for text in stored:
        service.remember(scope, text)
    before, needs = _texts(service, scope), _needs(service, scope)
    service.chat(scope, said)
    after = _texts(service, scope)
    assert after == (before - {gone} if gone else before)
    if gone is None:
        assert _needs(service, scope) == needs
    assert _held(list(after)) == _needs(service, scope)
