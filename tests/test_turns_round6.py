"""Issue 21, round 6: follow-ups read in many phrasings (typos, bare numbers, polite and terse confirmations), a
request for a place we do not cover kept (party, day, needs) so a follow-up can move it, and a party of one said by
the user applies no companion's need while the user's own always apply.

Reading tests need no database; the service tests run the real turn on the offline model. They assert typed
fields (the follow-up's kind and values, the plan's status, party and needs), never the wording of a reply.
"""

from __future__ import annotations

import datetime as dt

import pytest

from concierge.catalog.loader import load_catalog
from concierge.conversation.followup import FollowUp
from concierge.crew.who_comes import needs_of_those_coming, not_coming_note
from concierge.needs import DetectedNeed
from concierge.offline.follow_up import PlanNow, read_follow_up
from concierge.offline.parse import parse_request
from concierge.reply import Reply
from concierge.request import CatalogPlaces, TurnRequest
from concierge.request.spelling import corrected
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService

NOW = dt.datetime(2026, 12, 6, 10, 0)  # a Sunday
DINNER = PlanNow(party=2, date=dt.date(2026, 12, 7), time=dt.time(20, 0), kind="dine", place="Lyon")
LUNCH = PlanNow(party=2, date=dt.date(2026, 12, 7), time=dt.time(13, 0), kind="dine", place="Porto")
BREAKFAST = PlanNow(party=2, date=dt.date(2026, 12, 7), time=dt.time(8, 0), kind="dine", place="Nice")


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return CatalogPlaces(load_catalog(PROJECT_ROOT / "data" / "catalog"))


def _follow(places: CatalogPlaces, message: str, plan: PlanNow = DINNER) -> FollowUp | None:
    request = parse_request(message, now=NOW, places=places)
    return read_follow_up(message, request=request, now=NOW, places=places, has_plan=True, plan=plan)


# -- reading follow-ups ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        "anything a bit cheeper?",  # a comparative misspelt: respelt before it is read
        "a chepaer place maybe",
        "somewhere cheaper would be good",
        "is there something less costly",
        "too dear for us, anything cheaper?",
    ],
)
def test_a_cheaper_option_is_asked_in_any_spelling(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.cheaper and not follow_up.pricier


@pytest.mark.parametrize(
    "message", ["we'd rather go somewhere fancier", "anything a little posher?", "something a bit more upscale"]
)
def test_a_pricier_option_is_asked(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.pricier and not follow_up.cheaper


@pytest.mark.parametrize(
    ("message", "plan", "time"),
    [
        ("make it 8", DINNER, dt.time(20, 0)),
        ("7 instead", DINNER, dt.time(19, 0)),
        ("can we do 9 instead?", DINNER, dt.time(21, 0)),
        ("could we do 8:30 instead?", DINNER, dt.time(20, 30)),
        ("make it 9", BREAKFAST, dt.time(9, 0)),  # the half of the day of the plan's own time
        ("1 would suit us better", LUNCH, dt.time(13, 0)),
    ],
)
def test_a_bare_hour_changes_the_time_in_the_plans_half_of_the_day(
    places: CatalogPlaces, message: str, plan: PlanNow, time: dt.time
) -> None:
    follow_up = _follow(places, message, plan)
    assert follow_up is not None and follow_up.kind == "change"
    assert follow_up.time == time and follow_up.party_size is None


@pytest.mark.parametrize(
    ("message", "date"), [("move it to 9 December", dt.date(2026, 12, 9)), ("the 8th instead", dt.date(2026, 12, 8))]
)
def test_a_number_that_names_a_day_changes_the_day_not_the_time(
    places: CatalogPlaces, message: str, date: dt.date
) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.date == date and follow_up.time is None


@pytest.mark.parametrize(("message", "party"), [("make it 6 people", 6), ("for 5 instead", 5)])
def test_a_number_of_people_stays_the_party_not_a_time(places: CatalogPlaces, message: str, party: int) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.party_size == party and follow_up.time is None


@pytest.mark.parametrize(
    "message",
    [
        "go on then, send the booking",
        "yes, send the reservation request please",
        "go ahead and send the booking request",
        "yep, confirm the reservation",
        "sounds great, please book",
        "ok, reserve it",
        "that works, book it please",
    ],
)
def test_confirmations_confirm_and_never_cancel(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.kind == "confirm"


@pytest.mark.parametrize(
    "message", ["cancle it", "please call it all off", "never mind, scrap it", "we won't need it after all"]
)
def test_cancellations_cancel(places: CatalogPlaces, message: str) -> None:
    follow_up = _follow(places, message)
    assert follow_up is not None and follow_up.kind == "cancel"


@pytest.mark.parametrize(
    ("message", "plan", "city"),
    [
        ("not Lyon after all, Marseille instead", DINNER, "Marseille"),
        ("hmm, Lyon doesn't appeal, what about Bordeaux?", DINNER, "Bordeaux"),
        ("instead of Porto, could we do Lisbon?", LUNCH, "Lisbon"),
        ("OK, then Nice", DINNER, "Nice"),
    ],
)
def test_the_place_moved_to_is_not_the_plans_own(places: CatalogPlaces, message: str, plan: PlanNow, city: str) -> None:
    follow_up = _follow(places, message, plan)
    assert follow_up is not None and follow_up.place is not None and follow_up.place.city == city


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("somewhere cheeper please", "somewhere cheaper please"),
        ("a pricer place", "a pricier place"),
        ("I want it earler", "I want it earlier"),
        ("a deeper pool", "a deeper pool"),  # an English word is never respelt
        ("the birds cheep", "the birds cheep"),
    ],
)
def test_misspelt_follow_up_words_are_respelt_and_english_words_kept(said: str, meant: str) -> None:
    assert corrected(said) == meant


# -- whose needs apply ----------------------------------------------------------------------------------------------
def _need(need_id: str, holder: str) -> DetectedNeed:
    return DetectedNeed(need_id=need_id, kind="allergy", label=need_id, holder=holder, active=True, evidence="")


@pytest.mark.parametrize(
    ("party", "kept"),
    [
        (1, {("peanuts", "user")}),
        (2, {("peanuts", "user"), ("fish", "Ana"), ("vegan", "wife")}),
        (None, {("peanuts", "user"), ("fish", "Ana"), ("vegan", "wife")}),  # not said: everyone's, to be safe
    ],
)
def test_a_party_of_one_keeps_only_the_users_own_needs(party: int | None, kept: set[tuple[str, str]]) -> None:
    needs = [_need("peanuts", "user"), _need("fish", "Ana"), _need("vegan", "wife")]
    request = TurnRequest(intent="dine", party_size=party)
    assert {(n.need_id, n.holder) for n in needs_of_those_coming(needs, request)} == kept


@pytest.mark.parametrize(
    ("party", "holders", "noted"),
    [(1, ["user", "Ana"], True), (1, ["user"], False), (2, ["user", "Ana"], False), (None, ["Ana"], False)],
)
def test_a_party_of_one_says_which_companions_needs_it_left_out(
    party: int | None, holders: list[str], noted: bool
) -> None:
    needs = [_need("fish", holder) for holder in holders]
    note = not_coming_note(lambda: needs, TurnRequest(intent="dine", party_size=party), "ulla")
    assert (note is not None) == noted


# -- the turn, end to end ------------------------------------------------------------------------------------------
def _chat(service: ConciergeService, project: str, user: str, *messages: str) -> list[Reply]:
    scope = service.scope(user, project_id=project, run_id="s1")
    return [service.chat(scope, message) for message in messages]


def _needs(reply: Reply) -> set[tuple[str, str]]:
    assert reply.plan is not None
    return {(n.need_id, n.holder) for n in reply.plan.needs}


@pytest.mark.parametrize(
    ("user", "message", "party", "needs"),
    [
        ("nadia", "halal dinner in Munich on Friday for 3", 3, {("halal", "user")}),
        ("oskar", "I'm coeliac, lunch in Vienna tomorrow for 2", 2, {("gluten", "user")}),
        ("priya", "Could you book a vegan table in Prague tomorrow evening, just me?", 1, {("vegan", "user")}),
    ],
)
def test_a_place_we_do_not_cover_keeps_what_was_asked(
    service: ConciergeService, project: str, user: str, message: str, party: int, needs: set[tuple[str, str]]
) -> None:
    (reply,) = _chat(service, project, user, message)
    assert reply.request.place is not None and not reply.request.place.in_catalog
    assert reply.plan is not None and reply.plan.status == "not_covered" and reply.plan.chosen is None
    assert reply.draft is None and reply.plan.party_size == party and _needs(reply) == needs
    assert reply.session is not None and reply.session.request is not None
    assert reply.session.request.place == reply.request.place


def test_a_need_stated_as_the_users_with_an_uncovered_place_is_stored(service: ConciergeService, project: str) -> None:
    (reply,) = _chat(service, project, "quentin", "I'm allergic to sesame, dinner in Munich tomorrow for 2")
    assert reply.plan is not None and ("sesame", "user") in _needs(reply)
    assert any("sesame" in m.text for m in reply.memories_stored)


@pytest.mark.parametrize(
    ("user", "first", "then", "city", "need"),
    [
        ("rosa", "halal dinner in Munich on Friday for 3", "what about Berlin then?", "Berlin", "halal"),
        ("sven", "kosher lunch in Vienna tomorrow for 2", "OK, then Milan", "Milan", "kosher"),
    ],
)
def test_a_follow_up_moves_an_uncovered_request_to_a_covered_place_with_its_needs(
    service: ConciergeService, project: str, user: str, first: str, then: str, city: str, need: str
) -> None:
    declined, moved = _chat(service, project, user, first, then)
    assert declined.plan is not None and declined.plan.status == "not_covered"
    assert moved.follow_up is not None and moved.follow_up.place is not None and moved.follow_up.place.city == city
    assert moved.plan is not None and moved.plan.chosen is not None and moved.plan.chosen.city == city
    assert moved.plan.party_size == declined.plan.party_size and moved.plan.date == declined.plan.date
    assert (need, "user") in _needs(moved)


def test_a_confirmation_after_an_uncovered_place_is_a_follow_up_that_sends_nothing(
    service: ConciergeService, project: str
) -> None:
    _, confirmed = _chat(
        service, project, "tariq", "Lunch in Munich on Sunday for 2", "yes please, go ahead and book it"
    )
    assert confirmed.follow_up is not None and confirmed.follow_up.kind == "confirm"
    assert confirmed.draft is None


@pytest.mark.parametrize(
    ("user", "history", "say", "kept"),
    [
        ("ulla", "My colleague Ana is allergic to fish", "Lunch in Marseille tomorrow, only me", set()),
        ("viktor", "My son is allergic to tree nuts", "solo dinner in Nice tomorrow", set()),
        ("wen", "My wife is vegan and I'm allergic to peanuts", "table for one in Lyon tomorrow at 8", {"peanuts"}),
        ("xavi", "My husband can't eat gluten", "dinner in Bordeaux tomorrow by myself", set()),
    ],
)
def test_a_party_of_one_applies_no_companions_need_and_every_need_of_the_user(
    service: ConciergeService, project: str, user: str, history: str, say: str, kept: set[str]
) -> None:
    _, reply = _chat(service, project, user, history, say)
    assert reply.plan is not None and reply.plan.chosen is not None and reply.plan.party_size == 1
    assert _needs(reply) == {(need, "user") for need in kept}


def test_a_companions_need_comes_back_when_the_party_grows(service: ConciergeService, project: str) -> None:
    _, alone, together = _chat(
        service, project, "yara", "My colleague Ana is allergic to fish", "Lunch in Marseille tomorrow, just me",
        "actually make it for 2, Ana is joining",
    )  # fmt: skip
    assert alone.plan is not None and _needs(alone) == set()
    assert together.plan is not None and together.plan.party_size == 2 and ("fish", "Ana") in _needs(together)


def test_moving_a_plan_made_to_an_uncovered_place_keeps_the_plan(service: ConciergeService, project: str) -> None:
    planned, declined = _chat(service, project, "zoe", "Dinner in Porto tomorrow for 2", "could we do Munich instead?")
    assert planned.plan is not None and planned.plan.chosen is not None
    assert declined.follow_up is not None and declined.draft is None
    assert declined.session is not None and declined.session.plan is not None
    assert declined.session.plan.chosen == planned.plan.chosen
