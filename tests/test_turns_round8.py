"""Issue 21, round 8: filler and texting shorthand are small talk (nothing stored, nothing planned); an evening out
named by its food or by going out is a dinner; a subjectless "need a hotel" beside travel news asks for that stay;
news of something done ("Just booked our flights!") or usual ("I often book team dinners") asks for nothing.
Checked on many phrasings through the request reader and the real chat turn, by typed fields only."""

from __future__ import annotations

import datetime
import itertools

import pytest
from freezegun import freeze_time

from concierge.catalog.loader import load_catalog
from concierge.offline.parse import parse_request, read_meal
from concierge.request import CatalogPlaces, TurnRequest
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService

SUNDAY = "2026-12-06 10:00"
_users = itertools.count()

FILLER = [
    "brb",
    "g2g",
    "hmm let me think about it",
    "ok one sec",
    "gimme a minute",
    "sorry, typo",
    "let me have a think",
    "oops typo, never mind",
    "hold on a moment",
]
EVENING_OUT = [
    "A curry night in Lyon on Saturday for 6",
    "pizza night in Rome tomorrow, table for 4",
    "Book a night out in Paris on Friday for 3",
    "date night in Lisbon on Thursday, just the two of us",
    "tapas night in Madrid for 5 on the 12th",
]
NEED_A_STAY = [
    "Deaf, travelling alone, need a hotel in Paris for 3 nights from the 12th",
    "flying to Lisbon on friday, need somewhere to stay for 2 nights",
    "my daughter is allergic to nuts, we fly to Madrid on the 20th, need a hotel for 4 nights for the 3 of us",
    "vegan, visiting Rome next week, need an apartment for 5 nights from Monday",
]
DONE_OR_USUAL = [
    "Just booked our flights to Lisbon for March, can't wait!",
    "We got back from Rome last night, amazing holiday",
    "We got back from Madrid on Friday - brilliant trip, the tapas were unreal.",
    "Booked a hotel in Rome for the 12th, 3 nights. so happy",
    "Reserved a table at a trattoria in Florence for Friday, all sorted",
    "I often book business dinners in Milan for my team",
    "We usually stay at a hotel near the station in Lyon",
    "My husband always books our anniversary dinner in Paris",
    "We might want a table in Madrid sometime in spring, no rush, just a heads up",
]
ASKED_BESIDE_NEWS = [
    "We landed in Lisbon, dinner for 2 tonight",
    "I just landed in Paris and need dinner for 2 tonight",
    "We arrived in Rome yesterday, lunch tomorrow for 3 please",
    "We got in late yesterday, looking for breakfast in Rome tomorrow for 2",
    "I usually eat late, can you book dinner in Madrid at 10pm tomorrow for 2?",
]
NOT_FILLER = ["I am vegan", "I love sushi", "my wife is allergic to sesame", "I live in Lyon", "I have two kids"]


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return CatalogPlaces(load_catalog(PROJECT_ROOT / "data" / "catalog"))


def _parse(places: CatalogPlaces, message: str) -> TurnRequest:
    with freeze_time(SUNDAY):
        return parse_request(message, now=datetime.datetime.now(), places=places)


@pytest.mark.parametrize("message", FILLER)
def test_filler_is_small_talk_that_stores_and_plans_nothing(
    service: ConciergeService, project: str, message: str
) -> None:
    reply = service.chat(service.scope(f"r8-{next(_users)}", project_id=project, run_id="pane"), message)
    assert reply.request.intent == "chit_chat"
    assert not reply.memories_stored and reply.plan is None and reply.draft is None and reply.follow_up is None


@pytest.mark.parametrize("message", NOT_FILLER)
def test_a_fact_is_never_taken_for_filler(service: ConciergeService, project: str, message: str) -> None:
    reply = service.chat(service.scope(f"r8-{next(_users)}", project_id=project, run_id="pane"), message)
    assert reply.request.intent == "statement" and reply.memories_stored


@pytest.mark.parametrize("message", EVENING_OUT)
def test_an_evening_out_is_a_dinner(places: CatalogPlaces, message: str) -> None:
    request = _parse(places, message)
    assert request.intent == "dine" and read_meal(message) == "dinner"


@pytest.mark.parametrize("message", ["a hotel in Rome for 2 nights from friday", "hotel in Lyon for a night"])
def test_nights_still_mean_a_stay(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "stay"


@pytest.mark.parametrize("message", NEED_A_STAY)
def test_a_subjectless_need_for_a_stay_asks_for_the_stay(places: CatalogPlaces, message: str) -> None:
    request = _parse(places, message)
    assert request.intent == "stay" and request.nights is not None


@pytest.mark.parametrize("message", DONE_OR_USUAL)
def test_news_of_something_done_or_usual_is_a_statement(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "statement"


@pytest.mark.parametrize("message", ASKED_BESIDE_NEWS)
def test_a_request_beside_news_of_something_done_is_still_a_request(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "dine"


MISSPELT_WORLD_CITIES = [
    ("dinner in Viena tomorrow for 2", "Austria"),
    ("egg allergy, brekkie in Sydny tomorrow for 3", "Australia"),
    ("lunch in Istanbull on Friday for 3", "Turkey"),
    ("a table in Brussles on Saturday, 2 of us", "Belgium"),
    ("dinner in Edinbrugh on Saturday for 3", "United Kingdom"),
]


@pytest.mark.parametrize(("message", "country"), MISSPELT_WORLD_CITIES)
def test_a_misspelt_big_city_outside_the_catalog_is_read_and_not_covered(
    places: CatalogPlaces, message: str, country: str
) -> None:
    place = _parse(places, message).place
    assert place is not None and place.country == country and not place.in_catalog


@pytest.mark.parametrize(
    ("message", "city"), [("lunch in Pariss tomorrow for 2", "Paris"), ("dinner in Lisbn", "Lisbon")]
)
def test_a_misspelt_catalog_city_still_wins(places: CatalogPlaces, message: str, city: str) -> None:
    place = _parse(places, message).place
    assert place is not None and place.city == city and place.in_catalog


FORGET_WITH_A_REASON = [
    ("I'm allergic to soy", "you can forget my soy allergy now, apparently I outgrew it", "soy"),
    ("My colleague Sam is allergic to fish", "forget Sam's fish allergy, he's left the company", "fish"),
    ("I'm allergic to mustard", "please forget the mustard allergy - that was a mistake", "mustard"),
    ("I'm allergic to sesame", "delete my sesame allergy, my doctor cleared me", "sesame"),
]


@pytest.mark.parametrize(("told", "message", "need"), FORGET_WITH_A_REASON)
def test_a_forget_request_with_a_reason_asks_about_what_it_names_and_yes_forgets_it(
    service: ConciergeService, project: str, told: str, message: str, need: str
) -> None:
    scope = service.scope(f"r8-{next(_users)}", project_id=project, run_id="pane")
    service.remember(scope, told)
    reply = service.chat(scope, message)
    forgotten = reply.forgotten
    assert forgotten is not None and forgotten.status == "confirm" and not forgotten.deleted  # a need: asked first
    assert [m.text for m in forgotten.candidates] == [m.text for m in service.memories(scope)]  # what it names
    assert need in {n.need_id for n in service.user_needs(scope)}
    service.chat(scope, "yes")
    assert need not in {n.need_id for n in service.user_needs(scope)}
