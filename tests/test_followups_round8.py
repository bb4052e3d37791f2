"""Issue 24 M4 and issue 21 follow-up misses (attack11, blind set 10): follow-up edits as a class.

A value said relative to the plan ("one fewer", "push it back a day", "back it up by an hour") is read as a field and a
signed delta and applied to the plan's party, date or time; "not X, Y" sets Y; "a different restaurant" is the next
option; a cancel said with its reason cancels; an edit-like message never cancels; "scratch that, keep it Friday"
undoes the last edit; a send said with a "not", asked about or put off never confirms (attack11 M2).

Reading tests run against a dinner (Lyon, Monday 7 December at 20:00 for 2) and a stay (Lyon from Friday 11 December
for 2), with phrasings not used before; service tests run the real turn in a session and assert the session plan's
typed fields (party, date, time, chosen venue, cleared plan, draft status), never the wording of a reply.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from concierge.catalog.loader import load_catalog
from concierge.conversation.followup import FollowUp
from concierge.conversation.state import SessionState
from concierge.offline.follow_up import PlanNow, read_follow_up
from concierge.offline.parse import parse_request
from concierge.offline.shift import read_party_delta, read_time_delta
from concierge.request import CatalogPlaces
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService

NOW = dt.datetime(2026, 12, 6, 10, 0)  # a Sunday
MONDAY, FRIDAY = dt.date(2026, 12, 7), dt.date(2026, 12, 11)
DINNER = PlanNow(
    party=2, date=MONDAY, time=dt.time(20, 0), kind="dine", place="Lyon", meal="dinner", draft_waiting=True
)
STAY = PlanNow(party=2, date=FRIDAY, kind="stay", place="Lyon", draft_waiting=True)
PLANS = {"dine": DINNER, "stay": STAY}
DAY, HOUR = 24 * 60, 60


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return CatalogPlaces(load_catalog(PROJECT_ROOT / "data" / "catalog"))


def _follow(places: CatalogPlaces, message: str, plan: PlanNow) -> FollowUp | None:
    request = parse_request(message, now=NOW, places=places)
    return read_follow_up(message, request=request, now=NOW, places=places, has_plan=True, plan=plan)


# -- the small parse: (field, signed delta) -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "people"),
    [
        ("one fewer", -1),
        ("two fewer", -2),
        ("take one off", -1),
        ("knock two off please", -2),
        ("drop one seat", -1),
        ("cancel a seat", -1),
        ("remove one chair", -1),
        ("minus one", -1),
        ("we lost one", -1),
        ("we're one short", -1),
        ("one person less", -1),
        ("cut it by one", -1),
        ("add another 2", 2),
        ("add another", 1),
        ("add one more seat", 1),
        ("plus two", 2),
        ("one extra guest", 1),
        ("an additional seat", 1),
        ("raise it by one", 1),
        ("we picked up one", 1),
    ],
)
def test_a_party_delta_is_read_with_its_sign(message: str, people: int) -> None:
    assert read_party_delta(message) == people
    assert read_time_delta(message) is None


@pytest.mark.parametrize(
    ("message", "minutes"),
    [
        ("push it back a day", DAY),
        ("a week later", 7 * DAY),
        ("delay it two days", 2 * DAY),
        ("postpone by a week", 7 * DAY),
        ("bring it forward a day", -DAY),
        ("move it up three days", -3 * DAY),
        ("same time next week", 7 * DAY),
        ("back it up by an hour", -HOUR),
        ("move it up an hour", -HOUR),
        ("push it back 45 minutes", 45),
        ("an hour and a half later", 90),
        ("half an hour sooner", -30),
        ("delay by 15 mins", 15),
    ],
)
def test_a_time_delta_is_read_with_its_sign(message: str, minutes: int) -> None:
    assert read_time_delta(message) == minutes
    assert read_party_delta(message) is None


@pytest.mark.parametrize(
    "message",
    ["one more thing", "a less crowded place", "an hour", "for 3 nights", "plus 2 nights", "we'll be an hour late"],
)
def test_no_delta_where_no_value_moves(message: str) -> None:
    assert read_party_delta(message) is None and read_time_delta(message) is None


# -- relative edits of the plan, dine and stay ---------------------------------------------------------------------
RELATIVE_PARTY = [
    ("drop one seat", -1),
    ("one fewer", -1),
    ("take one off", -1),
    ("we lost one", -1),
    ("knock one off", -1),
    ("one less please", -1),
    ("cancel one seat", -1),
    ("remove a seat", -1),
    ("add another 2", 2),
    ("add another one", 1),
    ("plus one", 1),
    ("an extra seat please", 1),
    ("make it one more", 1),
    ("increase it by two", 2),
]


@pytest.mark.parametrize("kind", ["dine", "stay"])
@pytest.mark.parametrize(("message", "people"), RELATIVE_PARTY)
def test_a_relative_party_edit_moves_the_plans_party(
    places: CatalogPlaces, kind: str, message: str, people: int
) -> None:
    plan = PLANS[kind]
    follow_up = _follow(places, message, plan)
    assert follow_up is not None and follow_up.kind == "change" and not follow_up.problems
    assert plan.party is not None and follow_up.party_size == plan.party + people
    assert follow_up.date is None and follow_up.time is None


@pytest.mark.parametrize("kind", ["dine", "stay"])
@pytest.mark.parametrize("message", ["two fewer", "take two off", "we lost two"])
def test_a_party_of_nobody_is_asked(places: CatalogPlaces, kind: str, message: str) -> None:
    follow_up = _follow(places, message, PLANS[kind])
    assert follow_up is not None and follow_up.problems and follow_up.party_size is None


@pytest.mark.parametrize("kind", ["dine", "stay"])
@pytest.mark.parametrize(("message", "party"), [("hmm, 3 then", 3), ("ok, 4 then", 4), ("fine, 5 of us then", 5)])
def test_a_number_settled_on_is_the_party(places: CatalogPlaces, kind: str, message: str, party: int) -> None:
    follow_up = _follow(places, message, PLANS[kind])
    assert follow_up is not None and follow_up.party_size == party and follow_up.time is None


RELATIVE_DATE = [
    ("push it back a day", 1),
    ("a week later", 7),
    ("push it back a week", 7),
    ("delay it by a day", 1),
    ("postpone it two days", 2),
    ("move it back 2 days", 2),
    ("one week later please", 7),
    ("same time next week", 7),
    ("day after", 1),
    ("shift it by a day", 1),
]


@pytest.mark.parametrize("kind", ["dine", "stay"])
@pytest.mark.parametrize(("message", "days"), RELATIVE_DATE)
def test_a_relative_date_edit_moves_the_plans_day(places: CatalogPlaces, kind: str, message: str, days: int) -> None:
    plan = PLANS[kind]
    follow_up = _follow(places, message, plan)
    assert follow_up is not None and follow_up.kind == "change" and not follow_up.problems
    assert plan.date is not None and follow_up.date == plan.date + dt.timedelta(days=days)
    assert follow_up.party_size is None and follow_up.nights is None  # "a week later" is no 7-night stay


@pytest.mark.parametrize(("message", "days"), [("bring it forward a day", -1), ("move it up two days", -2)])
def test_a_stay_moves_earlier(places: CatalogPlaces, message: str, days: int) -> None:
    follow_up = _follow(places, message, STAY)
    assert follow_up is not None and follow_up.date == FRIDAY + dt.timedelta(days=days)


def test_a_day_moved_into_the_past_is_asked(places: CatalogPlaces) -> None:
    follow_up = _follow(places, "a week earlier", STAY)
    assert follow_up is not None and follow_up.problems and follow_up.date is None


@pytest.mark.parametrize(
    ("message", "time"),
    [
        ("back it up by an hour", dt.time(19, 0)),
        ("move it up an hour", dt.time(19, 0)),
        ("push it back an hour", dt.time(21, 0)),
        ("delay it by 30 minutes", dt.time(20, 30)),
        ("an hour and a half later", dt.time(21, 30)),
        ("15 minutes earlier", dt.time(19, 45)),
        ("bring it forward by half an hour", dt.time(19, 30)),
        ("push it by an hour", dt.time(21, 0)),
    ],
)
def test_a_relative_time_edit_moves_the_plans_time(places: CatalogPlaces, message: str, time: dt.time) -> None:
    follow_up = _follow(places, message, DINNER)
    assert follow_up is not None and follow_up.kind == "change" and not follow_up.problems
    assert follow_up.time == time and follow_up.date is None and follow_up.party_size is None


# -- corrections "not X, Y" -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "message", "field", "value"),
    [
        ("dine", "not Monday, Tuesday", "date", dt.date(2026, 12, 8)),
        ("dine", "Tuesday, not Monday", "date", dt.date(2026, 12, 8)),
        ("dine", "no, not Monday - Wednesday", "date", dt.date(2026, 12, 9)),
        ("dine", "I meant Thursday not Monday", "date", dt.date(2026, 12, 10)),
        ("dine", "sorry, Wednesday rather than Monday", "date", dt.date(2026, 12, 9)),
        ("stay", "not Friday, Saturday", "date", dt.date(2026, 12, 12)),
        ("stay", "Saturday, not Friday", "date", dt.date(2026, 12, 12)),
        ("dine", "not 8, 9", "time", dt.time(21, 0)),
        ("dine", "not 8pm, 9pm", "time", dt.time(21, 0)),
        ("dine", "9pm, not 8", "time", dt.time(21, 0)),
        ("dine", "not two, three", "party_size", 3),
        ("dine", "not for 2, for 3", "party_size", 3),
        ("dine", "3 people, not 2", "party_size", 3),
        ("stay", "not 2 adults, 3", "party_size", 3),
        ("stay", "not two, four", "party_size", 4),
    ],
)
def test_not_x_y_sets_y(places: CatalogPlaces, kind: str, message: str, field: str, value: object) -> None:
    follow_up = _follow(places, message, PLANS[kind])
    assert follow_up is not None and follow_up.kind == "change" and not follow_up.problems
    assert follow_up.changes == {field: value}


# -- other option, cancel with a reason, an edit never cancels -------------------------------------------------------
OTHER_PLACE = ["can you find somewhere else?", "I'd rather go somewhere else", "any other place you'd recommend?"]


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        *[(kind, message) for kind in ("dine", "stay") for message in OTHER_PLACE],
        ("dine", "Could you suggest a different restaurant?"),
        ("dine", "show me another spot"),
        ("dine", "is there another restaurant?"),
        ("stay", "a different hotel please"),
        ("stay", "could you suggest another hotel?"),
    ],
)
def test_a_different_place_is_the_next_option(places: CatalogPlaces, kind: str, message: str) -> None:
    follow_up = _follow(places, message, PLANS[kind])
    assert follow_up is not None and follow_up.kind == "pick" and follow_up.pick_other
    assert not follow_up.changes and not follow_up.problems


@pytest.mark.parametrize("kind", ["dine", "stay"])
@pytest.mark.parametrize(
    "message",
    [
        "forget the booking, plans fell through",
        "drop the booking, something came up",
        "scrap the booking, we changed our minds",
        "cancel it, we're not going anymore",
        "call it off, my wife is sick",
        "ditch the reservation - the trip is off",
    ],
)
def test_a_cancel_with_its_reason_cancels(places: CatalogPlaces, kind: str, message: str) -> None:
    follow_up = _follow(places, message, PLANS[kind])
    assert follow_up is not None and follow_up.kind == "cancel" and not follow_up.unsure


@pytest.mark.parametrize("message", ["forget the booking, but keep the hotel", "drop the booking, book the other one"])
def test_a_cancel_with_more_than_a_reason_is_no_plain_cancel(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message, DINNER)
    assert follow_up is None or follow_up.kind != "cancel" or follow_up.unsure


@pytest.mark.parametrize("kind", ["dine", "stay"])
@pytest.mark.parametrize("message", ["drop one seat", "cancel one seat", "drop a person", "cancel a chair"])
def test_an_edit_like_message_never_cancels(places: CatalogPlaces, kind: str, message: str) -> None:
    follow_up = _follow(places, message, PLANS[kind])
    assert follow_up is not None and follow_up.kind == "change" and follow_up.party_size == 1


# -- a send held back, asked about or put off (attack11 M2) ----------------------------------------------------------
@pytest.mark.parametrize("kind", ["dine", "stay"])
@pytest.mark.parametrize(
    "message",
    [
        "please do not book it",
        "don't send it yet",
        "is it sent?",
        "did you book it?",
        "send it later, not now",
        "book it? hmm, let me think",
        "did you email them?",
        "should I send it?",
        "wait before sending",
        "maybe book it, not sure",
        "shall we send it?",
    ],
)
def test_a_send_held_back_never_confirms(places: CatalogPlaces, kind: str, message: str) -> None:
    follow_up = _follow(places, message, PLANS[kind])
    assert follow_up is not None and follow_up.kind != "confirm"


@pytest.mark.parametrize("message", ["book it", "yes, send it", "can you book it?", "go ahead and send it"])
def test_a_plain_send_still_confirms(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message, DINNER)
    assert follow_up is not None and follow_up.kind == "confirm"


# -- the real turn, in a session -------------------------------------------------------------------------------------
FIRST = {
    "dine": "Book dinner in Lyon tomorrow at 8pm for 2",
    "stay": "Book a hotel in Lyon for 2 nights from Friday for 2 adults",
}


def _session(service: ConciergeService, project: str, *messages: str) -> tuple[SessionState, SessionState]:
    """The session's state before and after the last message (a user of its own)."""
    scope = service.scope(f"u{uuid.uuid4().hex[:8]}", project_id=project, run_id="s1")
    for message in messages[:-1]:
        service.chat(scope, message)
    before = service.session_state(scope)
    service.chat(scope, messages[-1])
    after = service.session_state(scope)
    assert before is not None and before.plan is not None and after is not None
    return before, after


def _fields(state: SessionState) -> tuple[int | None, dt.date | None, dt.time | None]:
    assert state.plan is not None and state.request is not None
    plan, request = state.plan, state.request
    return plan.party_size or request.party_size, plan.date or request.date, plan.time or request.time


@pytest.mark.parametrize("kind", ["dine", "stay"])
@pytest.mark.parametrize(
    ("message", "people", "days"), [("knock one off", -1, 0), ("add another 2", 2, 0), ("push it back a week", 0, 7)]
)
def test_a_relative_edit_moves_the_session_plan(
    service: ConciergeService, project: str, kind: str, message: str, people: int, days: int
) -> None:
    before, after = _session(service, project, FIRST[kind], message)
    (party, day, _), (party_after, day_after, _) = _fields(before), _fields(after)
    assert party is not None and day is not None
    assert (party_after, day_after) == (party + people, day + dt.timedelta(days=days))
    assert after.draft_status == "draft"  # an edit never readies or drops the draft


def test_back_it_up_by_an_hour_and_not_monday_tuesday(service: ConciergeService, project: str) -> None:
    _, backed = _session(service, project, FIRST["dine"], "back it up by an hour")
    assert _fields(backed)[2] == dt.time(19, 0)
    before, fixed = _session(service, project, FIRST["dine"], "not Monday, Tuesday")
    assert _fields(before)[1] == MONDAY and _fields(fixed)[1] == dt.date(2026, 12, 8)


@pytest.mark.parametrize("kind", ["dine", "stay"])
def test_drop_one_seat_keeps_the_plan(service: ConciergeService, project: str, kind: str) -> None:
    _, after = _session(service, project, FIRST[kind], "drop one seat")
    assert after.request is not None and _fields(after)[0] == 1 and after.draft_status == "draft"


def test_a_different_restaurant_changes_the_chosen_venue(service: ConciergeService, project: str) -> None:
    before, after = _session(
        service, project, "Can you book lunch in Porto on Monday for 2?", "Could you suggest a different restaurant?"
    )
    assert before.plan is not None and after.plan is not None
    assert before.plan.chosen is not None and after.plan.chosen is not None
    assert after.plan.chosen.id != before.plan.chosen.id


@pytest.mark.parametrize("kind", ["dine", "stay"])
def test_forget_the_booking_with_a_reason_clears_the_plan(service: ConciergeService, project: str, kind: str) -> None:
    _, after = _session(service, project, FIRST[kind], "forget the booking, plans fell through")
    assert after.request is None and after.plan is None and after.draft_status == "cancelled"


@pytest.mark.parametrize("message", ["scratch that, keep it Friday", "forget that change"])
def test_scratch_that_keep_it_undoes_the_last_edit(service: ConciergeService, project: str, message: str) -> None:
    before, after = _session(service, project, "Dinner in Paris on Friday for 2", "make it Saturday", message)
    assert _fields(before)[1] == dt.date(2026, 12, 12)
    assert _fields(after)[1] == FRIDAY


@pytest.mark.parametrize("message", ["book it? hmm, let me think", "should I send it?", "wait before sending"])
def test_a_send_put_off_leaves_the_draft_waiting(service: ConciergeService, project: str, message: str) -> None:
    _, after = _session(service, project, FIRST["dine"], message)
    assert after.draft_status == "draft"


# -- consent is plain (attack12 H1): a send beside a "no", a joke, a question or a condition is asked back -------------
@pytest.mark.parametrize("kind", ["dine", "stay"])
@pytest.mark.parametrize(
    "message",
    [
        "send it? no.",
        "Send it? Nah.",
        "confirm? no",
        "book it - just kidding",
        "send it!!! jk",
        "send it, lol no",
        "book it? nope",
        "send it if my wife agrees",
        "send it once I've checked my diary",
        "go ahead, unless it's raining",
        "book it haha not really",
        "ok send it... or maybe not",
    ],
)
def test_a_send_beside_anything_but_consent_is_asked_never_sent(places: CatalogPlaces, kind: str, message: str) -> None:
    follow_up = _follow(places, message, PLANS[kind])
    assert follow_up is None or follow_up.kind != "confirm" or follow_up.unsure


@pytest.mark.parametrize(
    "message",
    ["fine, send it", "yes, send it please, thanks!", "great, book it 👍", "sounds good, book it", "perfect, go ahead"],
)
def test_consent_with_courtesy_still_sends(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message, DINNER)
    assert follow_up is not None and follow_up.kind == "confirm" and not follow_up.unsure
