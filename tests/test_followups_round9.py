"""Issue 21 follow-ups and questions, round 9: five classes of what people say, each run end to end.

1. A meal change asked as a question ("can we do lunch instead?") changes the plan's meal.
2. A need said as a follow-up ("forgot to mention, my wife is vegan") is stored and applied to the session's plan.
3. A cancel said as news of what is done instead ("we'll cook at home instead") clears the plan; a taste said in
   like words ("I love cooking at home") keeps it.
4. An undo in other words ("put it back how it was") takes back the last edit of the plan.
5. A first message that judges a place, a day or an idea ("Is Rome safe at night?") is a place question: no booking
   draft, nothing stored, no plan; a question that asks for a venue or a booking still plans.

Every case runs the real chat turn in a session of its own (the ``service`` fixture's temp data dir) and asserts
typed fields: the reply's follow-up kind and fields, the session plan's meal, needs, date and party, a cleared plan,
the request's intent and the draft. The phrasings are new (none is an example of ``config/turn_kinds.yaml``).
"""

from __future__ import annotations

import uuid

import pytest

from concierge.conversation.state import SessionState
from concierge.needs import detect_needs
from concierge.reply import Reply
from concierge.scope import Scope
from concierge.service import ConciergeService

LYON_DINNER = "Dinner in Lyon on Friday for 2"
ROME_LUNCH = "Lunch in Rome tomorrow for 3"
LYON_HOTEL = "Book a hotel in Lyon for 2 nights from Friday for 2 adults"


def _scope(service: ConciergeService, project: str) -> Scope:
    return service.scope(f"u{uuid.uuid4().hex[:8]}", project_id=project, run_id="s1")


def _turns(service: ConciergeService, project: str, *messages: str) -> tuple[Scope, list[Reply], SessionState | None]:
    """Every reply of a session of its own, and its state after the last message."""
    scope = _scope(service, project)
    replies = [service.chat(scope, message) for message in messages]
    return scope, replies, service.session_state(scope)


# -- 1. a meal change asked as a question ---------------------------------------------------------------------------
MEAL_QUESTIONS = [
    (LYON_DINNER, "can we do lunch instead?", "lunch"),
    (LYON_DINNER, "what about breakfast instead?", "breakfast"),
    (LYON_DINNER, "could it be brunch?", "brunch"),
    (LYON_DINNER, "could we make it lunch?", "lunch"),
    (LYON_DINNER, "how about lunch?", "lunch"),
    (LYON_DINNER, "is lunch possible instead?", "lunch"),
    (LYON_DINNER, "would lunch work better?", "lunch"),
    (LYON_DINNER, "any chance of lunch instead?", "lunch"),
    (LYON_DINNER, "can we switch to brunch?", "brunch"),
    (LYON_DINNER, "maybe lunch instead?", "lunch"),
    (ROME_LUNCH, "can we do dinner instead?", "dinner"),
    (ROME_LUNCH, "what about dinner?", "dinner"),
    (ROME_LUNCH, "could it be a dinner instead?", "dinner"),
    (ROME_LUNCH, "shall we do breakfast instead?", "breakfast"),
    (ROME_LUNCH, "would dinner be possible?", "dinner"),
    (ROME_LUNCH, "could we go for dinner rather?", "dinner"),
    (ROME_LUNCH, "dinner instead, maybe?", "dinner"),
]


@pytest.mark.parametrize(("first", "message", "meal"), MEAL_QUESTIONS)
def test_a_meal_change_asked_as_a_question_changes_the_plans_meal(
    service: ConciergeService, project: str, first: str, message: str, meal: str
) -> None:
    _, (booked, reply), state = _turns(service, project, first, message)
    assert booked.request.meal != meal
    assert reply.follow_up is not None and reply.follow_up.kind == "change" and reply.follow_up.meal == meal
    assert state is not None and state.plan is not None and state.request is not None
    assert state.request.meal == meal and state.request.place == booked.request.place


# -- 2. a need said as a follow-up: stored and applied ----------------------------------------------------------------
NEEDS_SAID_LATE = [
    (LYON_DINNER, "oh I should've said, I'm gluten free", "gluten"),
    (LYON_DINNER, "forgot to mention, my wife is vegan", "vegan"),
    (LYON_DINNER, "btw I use a wheelchair", "wheelchair"),
    (LYON_DINNER, "oh and I'm allergic to peanuts", "peanuts"),
    (LYON_DINNER, "one thing I forgot: my husband can't eat shellfish", "crustaceans"),
    (LYON_DINNER, "by the way, I'm coeliac", "gluten"),
    (LYON_DINNER, "also worth knowing: I eat kosher", "kosher"),
    (LYON_DINNER, "oh wait, my partner is pescatarian", "pescatarian"),
    (ROME_LUNCH, "oh, forgot to say, my son has a nut allergy", "tree_nuts"),
    (ROME_LUNCH, "I meant to tell you, I keep halal", "halal"),
    (ROME_LUNCH, "sorry, should have said my mum uses a wheelchair", "wheelchair"),
    (ROME_LUNCH, "just remembered, I'm lactose intolerant", "milk"),
    (ROME_LUNCH, "oh and my friend is vegan", "vegan"),
    (LYON_HOTEL, "btw I use a wheelchair", "wheelchair"),
    (LYON_HOTEL, "forgot to mention, we need step-free access", "wheelchair"),
    (LYON_HOTEL, "I should have told you, my dad can't manage stairs", "wheelchair"),
]


@pytest.mark.parametrize(("first", "message", "need"), NEEDS_SAID_LATE)
def test_a_need_said_as_a_follow_up_is_stored_and_applied_to_the_plan(
    service: ConciergeService, project: str, first: str, message: str, need: str
) -> None:
    _, (booked, reply), state = _turns(service, project, first, message)
    assert booked.plan is not None and need not in {n.need_id for n in booked.plan.needs}
    assert reply.follow_up is not None and reply.follow_up.kind == "add_need"
    stored = {n.need_id for record in reply.memories_stored for n in detect_needs(record.text) if n.active}
    assert need in stored
    assert state is not None and state.plan is not None and need in {n.need_id for n in state.plan.needs}


# -- 3. a cancel said as news of what is done instead ----------------------------------------------------------------
CANCELS_AS_NEWS = [
    (LYON_DINNER, "never mind, we're eating at home after all"),
    (LYON_DINNER, "we'll cook at home instead"),
    (LYON_DINNER, "change of plans, we're staying in"),
    (LYON_DINNER, "actually we're just going to stay home"),
    (LYON_DINNER, "we're just going to make something at home"),
    (LYON_DINNER, "my husband decided to cook, so we'll stay in"),
    (ROME_LUNCH, "turns out we're having a picnic instead"),
    (ROME_LUNCH, "we're going to order takeaway instead"),
    (ROME_LUNCH, "we don't need it anymore, friends invited us over"),
    (ROME_LUNCH, "plans changed, we won't be going out"),
    (ROME_LUNCH, "we've changed our minds, staying in"),
    (LYON_DINNER, "the trip got cancelled so we won't need it"),
    (LYON_HOTEL, "the trip got cancelled so we won't need it"),
    (LYON_HOTEL, "change of plans, we're staying in"),
    (LYON_DINNER, "oh well, we'll just cook for ourselves"),
]


@pytest.mark.parametrize(("first", "message"), CANCELS_AS_NEWS)
def test_a_cancel_said_as_news_clears_the_plan(
    service: ConciergeService, project: str, first: str, message: str
) -> None:
    _, (booked, reply), state = _turns(service, project, first, message)
    assert booked.plan is not None
    assert reply.follow_up is not None and reply.follow_up.kind == "cancel" and not reply.follow_up.unsure
    assert reply.draft is None
    assert state is not None and state.plan is None and state.request is None and state.draft_status == "cancelled"


@pytest.mark.parametrize(
    "message", ["I love cooking at home", "we eat at home most nights", "my wife is cooking on Saturday"]
)
def test_a_taste_or_news_in_like_words_keeps_the_plan(service: ConciergeService, project: str, message: str) -> None:
    _, (booked, reply), state = _turns(service, project, LYON_DINNER, message)
    assert reply.follow_up is None or reply.follow_up.kind != "cancel"
    assert state is not None and state.plan is not None and state.draft_status == "draft"
    assert state.request is not None and state.request.place == booked.request.place


# -- 4. an undo of the last edit, in other words ---------------------------------------------------------------------
UNDO_WORDS = [
    "actually put it back how it was",
    "go back to what it was before",
    "revert that",
    "undo that change",
    "change it back",
    "switch it back please",
    "no, the way it was before was better",
    "let's go back to the original",
    "restore the previous version",
    "on second thought, leave it as it was",
    "put it back",
    "revert to the previous one",
    "actually, back to how it was",
    "can you undo the last change?",
    "roll that back",
    "I liked it better before, change it back",
]


def _day_and_party(state: SessionState | None) -> tuple[object, object]:
    assert state is not None and state.plan is not None and state.request is not None
    return state.plan.date or state.request.date, state.plan.party_size or state.request.party_size


@pytest.mark.parametrize("message", UNDO_WORDS)
def test_an_undo_in_other_words_takes_back_a_moved_day(service: ConciergeService, project: str, message: str) -> None:
    scope = _scope(service, project)
    service.chat(scope, "Dinner in Paris on Friday for 2")
    friday = _day_and_party(service.session_state(scope))
    service.chat(scope, "make it Saturday")
    saturday = _day_and_party(service.session_state(scope))
    reply = service.chat(scope, message)
    assert saturday != friday
    assert reply.follow_up is not None and reply.follow_up.kind == "undo"
    assert _day_and_party(service.session_state(scope)) == friday


@pytest.mark.parametrize("message", UNDO_WORDS[10:])
def test_an_undo_in_other_words_takes_back_a_new_party(service: ConciergeService, project: str, message: str) -> None:
    scope = _scope(service, project)
    service.chat(scope, ROME_LUNCH)
    three = _day_and_party(service.session_state(scope))
    service.chat(scope, "make it for 5")
    assert _day_and_party(service.session_state(scope))[1] == 5
    service.chat(scope, message)
    assert _day_and_party(service.session_state(scope)) == three


# -- 5. a first message that judges a place, a day or an idea --------------------------------------------------------
PLACE_QUESTIONS = [
    "Also — what's the best area to stay in Barcelona?",
    "Is Christmas Day a bad day to try eating out in Rome?",
    "Is it a good idea to visit Lisbon in January?",
    "How long is the train from Paris to Lyon?",
    "Which neighbourhood is nicest to stay in Lisbon?",
    "Is Paris crowded in August?",
    "Is it worth going to Porto in winter?",
    "What's the best time of year to visit Seville?",
    "Are restaurants in Madrid open on Sunday evenings?",
    "Is New Year's Eve a good night to eat out in Paris?",
    "How far is Versailles from Paris?",
    "Is Rome safe at night?",
    "Is it too hot to visit Seville in July?",
    "Is Lyon a good city for food lovers?",
    "What's the best neighbourhood for nightlife in Berlin?",
    "Should we go to Florence or Venice in March?",
    "Is Valentine's Day a silly night to go out for dinner in Paris?",
]


@pytest.mark.parametrize("message", PLACE_QUESTIONS)
def test_a_question_about_a_place_books_and_stores_nothing(
    service: ConciergeService, project: str, message: str
) -> None:
    _, (reply,), state = _turns(service, project, message)
    assert reply.request.intent == "place_question"
    assert reply.draft is None and reply.plan is None and not reply.memories_stored
    assert state is None or state.plan is None


@pytest.mark.parametrize(
    "message",
    [
        "Is Friday at 8pm fine for dinner in Rome for 2?",
        "Is it ok to book dinner in Rome for 4 tomorrow at 8pm?",
        "Dinner in Rome tomorrow for 2. Is Rome safe at night?",
    ],
)
def test_a_question_that_asks_for_a_table_still_plans_one(
    service: ConciergeService, project: str, message: str
) -> None:
    _, (reply,), state = _turns(service, project, message)
    assert reply.request.intent == "dine" and reply.draft is not None
    assert state is not None and state.plan is not None


@pytest.mark.parametrize(
    ("first", "message"),
    [(LYON_DINNER, "no need, we'll eat at the hotel"), (LYON_HOTEL, "change of plans, my cousin is putting us up")],
)
def test_a_cancel_read_unsure_keeps_the_plan_until_cancel_is_said(
    service: ConciergeService, project: str, first: str, message: str
) -> None:
    scope, (_, unsure), state = _turns(service, project, first, message)
    assert unsure.follow_up is not None and unsure.follow_up.kind == "cancel" and unsure.follow_up.unsure
    assert state is not None and state.plan is not None and state.draft_status == "draft"  # asked, nothing dropped
    service.chat(scope, "cancel")
    dropped = service.session_state(scope)
    assert dropped is not None and dropped.plan is None and dropped.draft_status == "cancelled"
