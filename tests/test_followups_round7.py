"""Issue 21 follow-ups and issue 24 M4/M5 (attack9): a follow-up that edits, confirms, cancels, undoes or asks
about the session's plan is read and applied, never answered "Noted." and never cancels a plan it only asks about.

Reading tests need no database: each class is read in many phrasings against a plan (a dinner in Lyon at 20:00 for
2 with a draft waiting, or a stay). Service tests run the real turn on the offline model, for several users. All
assert typed fields (the follow-up's kind and values, the plan's party, date, time and needs, the draft's status),
never the wording of a reply.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from concierge.catalog.loader import load_catalog
from concierge.conversation.followup import FollowUp, resolve
from concierge.offline.follow_up import PlanNow, read_follow_up
from concierge.offline.parse import parse_request
from concierge.reply import Reply
from concierge.request import CatalogPlaces
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService

NOW = dt.datetime(2026, 12, 6, 10, 0)  # a Sunday
TOMORROW, EIGHT = dt.date(2026, 12, 7), dt.time(20, 0)
DINNER = PlanNow(party=2, date=TOMORROW, time=EIGHT, kind="dine", place="Lyon", meal="dinner", draft_waiting=True)
STAY = PlanNow(party=2, date=dt.date(2026, 12, 11), kind="stay", place="Lisbon", draft_waiting=True)
TRIP = PlanNow(party=2, date=dt.date(2027, 6, 1), kind="trip", place="Greece", month=6)  # "a week in June"


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return CatalogPlaces(load_catalog(PROJECT_ROOT / "data" / "catalog"))


def _follow(places: CatalogPlaces, message: str, plan: PlanNow = DINNER, *, has_plan: bool = True) -> FollowUp | None:
    request = parse_request(message, now=NOW, places=places)
    return read_follow_up(message, request=request, now=NOW, places=places, has_plan=has_plan, plan=plan)


# -- party edits ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("make it 4", 4),  # 16:00 is no dinner hour: a party
        ("change it to 4", 4),
        ("make it 3", 3),
        ("just me", 1),
        ("only me", 1),
        ("make it just me", 1),
        ("it's just me now", 1),
        ("actually just me", 1),
        ("make it for two plus my son", 3),
        ("we'll be 5 in the end", 5),
        ("make it a table for six", 6),
    ],
)
def test_a_party_edit_changes_the_party_and_nothing_else(places: CatalogPlaces, message: str, party: int) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.kind == "change" and not follow_up.problems
    assert follow_up.party_size == party and follow_up.time is None and follow_up.date is None


def test_book_it_for_me_is_no_party_of_one(places: CatalogPlaces) -> None:
    follow_up = _follow(places, "can you book it for me")
    assert follow_up is None or follow_up.party_size is None


# -- time edits -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "time"),
    [
        ("make it 9", dt.time(21, 0)),  # 21:00 is a dinner hour: the time
        ("make it 9pm", dt.time(21, 0)),
        ("at 9 instead", dt.time(21, 0)),
        ("make it 7:30", dt.time(19, 30)),
        ("an hour later", dt.time(21, 0)),
        ("push it to 9, no, 9:30", dt.time(21, 30)),
        ("can we do 19:45?", dt.time(19, 45)),
        ("half seven instead", dt.time(19, 30)),
    ],
)
def test_a_time_edit_changes_the_time_and_not_the_party(places: CatalogPlaces, message: str, time: dt.time) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.kind == "change" and not follow_up.problems
    assert follow_up.time == time and follow_up.party_size is None


# -- date edits -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "date"),
    [
        ("Saturday instead", dt.date(2026, 12, 12)),
        ("make it Tuesday", dt.date(2026, 12, 8)),
        ("move it to 9 December", dt.date(2026, 12, 9)),  # the 9 is the day's, no time and no party
        ("the 8th instead", dt.date(2026, 12, 8)),
        ("the day after", dt.date(2026, 12, 8)),
        ("push it to Friday", dt.date(2026, 12, 11)),
        ("on Wednesday instead", dt.date(2026, 12, 9)),
        ("can we do it a day later?", dt.date(2026, 12, 8)),
    ],
)
def test_a_date_edit_changes_the_date_only(places: CatalogPlaces, message: str, date: dt.date) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.kind == "change" and not follow_up.problems
    assert follow_up.date == date and follow_up.time is None and follow_up.party_size is None


@pytest.mark.parametrize(
    ("message", "date"),
    [
        ("make it the twelfth", dt.date(2026, 12, 12)),
        ("move it to December twelfth", dt.date(2026, 12, 12)),
        ("move it to 12-12", dt.date(2026, 12, 12)),
        ("make it 1930", None),
    ],
)
def test_a_change_the_readers_miss_is_read_or_asked_never_misread(
    places: CatalogPlaces, message: str, date: dt.date | None
) -> None:
    """Either the request readers read the new value, or the concierge asks; "12-12" is never lunch at noon."""
    follow_up = _follow(places, message)
    assert follow_up is not None
    assert follow_up.time != dt.time(12, 0) and follow_up.party_size is None
    read = date is not None and follow_up.date == date
    timed = date is None and follow_up.time == dt.time(19, 30)
    assert read or timed or (follow_up.problems and not follow_up.changes)


@pytest.mark.parametrize("message", ["let's move it to July", "can we do it in July instead?", "make it July"])
def test_a_trip_moves_to_the_month_said(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message, TRIP)
    assert follow_up is not None and follow_up.month == 7 and not follow_up.problems


def test_a_month_alone_for_a_dinner_on_a_day_asks_which_day(places: CatalogPlaces) -> None:
    follow_up = _follow(places, "move it to July")
    assert follow_up is not None and follow_up.problems and not follow_up.changes


# -- two values offered: asked, never guessed ----------------------------------------------------------------------
@pytest.mark.parametrize("message", ["make it 8 or 9pm", "Friday or Saturday instead", "lunch or dinner?"])
def test_two_values_for_one_field_are_asked_about(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.problems
    resolution = resolve(follow_up, None, message)
    assert resolution.action == "ask"


# -- budget edits ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "eur"),
    [
        ("make it under 150 euros a night", 150),
        ("under €120 per night instead", 120),
        ("keep it below 90 euros", 90),
        ("max €100 a night", 100),
        ("no more than 80 euros", 80),
        ("can we stay under 200 euros?", 200),
        ("budget of 110 euros per night", 110),
        ("at most 95 euros a night please", 95),
    ],
)
def test_a_stay_budget_edit_sets_the_most_a_night_may_cost(places: CatalogPlaces, message: str, eur: int) -> None:
    follow_up = _follow(places, message, STAY)
    assert follow_up is not None and follow_up.kind == "change" and not follow_up.problems
    assert follow_up.budget_per_night_eur == eur and follow_up.party_size is None


@pytest.mark.parametrize(
    ("message", "level"), [("make it fine dining", 4), ("mid-range please", 2), ("make it cheap and cheerful", 1)]
)
def test_a_dinner_budget_edit_sets_the_price_level(places: CatalogPlaces, message: str, level: int) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.budget_level == level and follow_up.party_size is None


@pytest.mark.parametrize(
    "message", ["make it under €80 per person", "under 60 euros a head", "keep it below 50 euros each"]
)
def test_a_sum_for_a_dinner_is_asked_back(places: CatalogPlaces, message: str) -> None:
    """Dinners are planned by price level: a sum a head is asked about, never dropped with "Noted."."""
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.problems and follow_up.budget_level is None


@pytest.mark.parametrize("message", ["hmm, is there anything less pricey?", "that's a bit pricey for us"])
def test_less_pricey_is_a_cheaper_pick_not_a_pricier_level(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.cheaper and follow_up.budget_level is None


# -- questions about the plan ---------------------------------------------------------------------------------------
PLAN_QUESTIONS = [
    "what's the plan?",
    "What is the plan?",
    "show me the plan",
    "remind me of the plan",
    "what did we plan?",
    "what have you booked?",
    "is the plan ok?",
    "plan?",
    "and the plan?",
    "what's my plan?",
    "status?",
    "what time is it booked for?",
    "how many people is it for?",
    "what's the restaurant?",
    "where are we eating?",
    "so where did we end up?",
]


@pytest.mark.parametrize("message", PLAN_QUESTIONS)
def test_a_question_about_the_plan_is_a_question_never_a_cancel(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.kind == "question" and not follow_up.changes


@pytest.mark.parametrize("message", ["cancel the plan", "scrap that plan", "never mind the booking", "call it off"])
def test_a_cancel_that_names_the_plan_still_cancels(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.kind == "cancel" and not follow_up.unsure


# -- unsure confirm or cancel ---------------------------------------------------------------------------------------
UNSURE = [
    "ok do the booking thing",
    "make the booking official",
    "kill the booking",
    "scrap the booking pls",
    "ok the booking",
    "let's get this reservation going",
    "the restaurant booking, go",
    "sort the booking out",
    "booking!",
]


@pytest.mark.parametrize("message", UNSURE)
def test_an_unsure_confirm_or_cancel_with_a_draft_waiting_is_asked(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.kind in ("confirm", "cancel") and follow_up.unsure


# -- the real turn, several users -------------------------------------------------------------------------------------
BOOK = "Book dinner in Lyon tomorrow at 8pm for 2"


def _chat(service: ConciergeService, project: str, user: str, *messages: str) -> list[Reply]:
    scope = service.scope(user, project_id=project, run_id="s1")
    return [service.chat(scope, message) for message in messages]


@pytest.mark.parametrize(
    ("user", "message"), [("ana", "what's the plan?"), ("ben", "how many people is it for?"), ("cy", "status?")]
)
def test_a_plan_question_answers_from_the_plan_and_keeps_it(
    service: ConciergeService, project: str, user: str, message: str
) -> None:
    booked, asked = _chat(service, project, user, BOOK, message)
    assert asked.follow_up is not None and asked.follow_up.kind == "question"
    assert asked.session is not None and asked.session.draft_status == "draft"
    assert asked.plan is not None and booked.plan is not None
    assert (asked.plan.party_size, asked.plan.date, asked.plan.time) == (2, booked.plan.date, dt.time(20, 0))
    assert asked.draft is None and not asked.memories_stored  # nothing sent, nothing stored
    other = _chat(service, project, f"{user}-other", message)[0]  # the same session id, another user
    assert other.plan is None and (other.session is None or other.session.request is None)


def test_a_plan_question_with_no_plan_says_there_is_none(service: ConciergeService, project: str) -> None:
    reply = _chat(service, project, f"u{uuid.uuid4().hex[:6]}", "what's the plan?")[0]
    assert reply.follow_up is not None and reply.follow_up.kind == "question"
    assert reply.plan is None and reply.draft is None


@pytest.mark.parametrize(("user", "message", "party"), [("dee", "make it 4", 4), ("eve", "it's just me now", 1)])
def test_a_party_edit_is_applied_and_stores_no_junk(
    service: ConciergeService, project: str, user: str, message: str, party: int
) -> None:
    _, edited = _chat(service, project, user, BOOK, message)
    assert edited.plan is not None and edited.plan.party_size == party and edited.plan.time == dt.time(20, 0)
    assert edited.session is not None and edited.session.draft_status == "draft"  # an edit never readies it
    assert not edited.memories_stored


def test_just_me_leaves_a_companions_need_out_and_keeps_the_users(service: ConciergeService, project: str) -> None:
    scope = service.scope("fay", project_id=project)
    service.remember(scope, "I am allergic to peanuts")
    asked = "Dinner in Lyon tomorrow at 8pm for my son and me, he can't eat eggs"
    first, edited = _chat(service, project, "fay", asked, "actually just me")
    assert first.plan is not None and {n.need_id for n in first.plan.needs} >= {"peanuts", "eggs"}
    assert edited.plan is not None and edited.plan.party_size == 1
    assert {(n.holder, n.need_id) for n in edited.plan.needs} == {("user", "peanuts")}


@pytest.mark.parametrize("user", ["gus", "hal"])
def test_an_unsure_confirm_asks_and_yes_then_sends(service: ConciergeService, project: str, user: str) -> None:
    _, asked, yes = _chat(service, project, user, BOOK, "make the booking official", "yes")
    assert asked.follow_up is not None and asked.follow_up.unsure
    assert asked.session is not None and asked.session.draft_status == "draft"  # asked, nothing sent
    assert yes.session is not None and yes.session.draft_status == "ready"


def test_undo_after_an_edit_is_an_undo_follow_up(service: ConciergeService, project: str) -> None:
    _, edited, undone = _chat(service, project, "ivy", BOOK, "make it 4 people", "undo that")
    assert edited.plan is not None and edited.plan.party_size == 4
    assert undone.follow_up is not None and undone.follow_up.kind == "undo"
    assert undone.plan is not None and undone.plan.party_size == 2


HELD_BACK = [
    "please do not book it",
    "don't send it yet",
    "is it sent?",
    "did you book it?",
    "has it been confirmed?",
    "hold off on booking",
    "wait, don't confirm the reservation",
    "was the booking sent?",
]


@pytest.mark.parametrize("message", HELD_BACK)
def test_sending_held_back_or_asked_about_is_never_a_confirm(places: CatalogPlaces, message: str) -> None:
    """attack11 M2: "please do not book it" marked the draft ready to send; it is answered from the plan instead."""
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.kind == "question"


@pytest.mark.parametrize("message", ["book it", "can you book it?", "yes, send it", "go ahead and send it"])
def test_a_plain_confirm_still_confirms(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.kind == "confirm"


@pytest.mark.parametrize(("user", "message"), [("dee", "please do not book it"), ("eli", "is it sent?")])
def test_a_held_back_send_leaves_the_draft_waiting(
    service: ConciergeService, project: str, user: str, message: str
) -> None:
    _, held = _chat(service, project, user, BOOK, message)
    assert held.session is not None and held.session.draft_status == "draft"


@pytest.mark.parametrize(
    ("user", "message", "kept"),
    [("fay", "I prefer early dinners, around 6.", "early"), ("gus", "I like a late lunch, about 2pm.", "lunch")],
)
def test_an_edit_said_with_no_plan_yet_is_kept_as_what_was_said(
    service: ConciergeService, project: str, user: str, message: str, kept: str
) -> None:
    """Set 10: with no plan in the session, a preference read like an edit stored nothing (a plan's edit is no fact;
    with no plan it is what the user said about themselves)."""
    (said,) = _chat(service, project, user, message)
    assert any(kept in m.text.lower() for m in said.memories_stored)
