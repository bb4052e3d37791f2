"""The party size of a request, read from the people it lists, as a class (issue 21 "Party size"): "Family lunch in
Valencia on Saturday: me, my husband and our daughter" asked "How many people?" (the word "family" threw the list's
count away), "me n my bf" and "for me and my twin brothers" were not counted (the plan assumed two), "8 kids and 2
adults" was 8, "my in-laws and us two" 2, and "a hotel in Nice for me, 3 nights" assumed two people.

The phrasings here are new (none is the issue's sentence): lists with the user in them, texting, numbers in words,
plural relations (a pair counts two, a plural nobody numbered is asked), "for me", groups whose size no word says,
and explicit counts that win over any list. The typed request is asserted (``party_size``, and that an uncounted
party asks), through the request reader and end to end through ``ConciergeService.chat`` (the tests' own temporary
``CONCIERGE_DATA_DIR``, set by conftest). "Now" is Sunday 6 December 2026, 09:00.
"""

from __future__ import annotations

import pytest

from concierge.needs.holders_party import party_listed, people_listed
from concierge.request import CatalogPlaces, TurnRequest
from concierge.request.problems import uncounted_problem
from concierge.service import ConciergeService
from tests.request_reading import parse_at, shipped_places

NOW = "2026-12-06 09:00"  # a Sunday
ASK = None  # the party cannot be known from the words: the request asks how many


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    places = shipped_places()
    parse_at(places, "Book dinner in Lyon tomorrow for 2", NOW)  # spaCy and dateparser loaded outside freezegun
    return places


# -- the user and the people they list -----------------------------------------------------------------------------
LISTS = [
    ("Brunch in Lisbon on Sunday: me, my sister and her husband", 3),
    ("Lunch in Porto tomorrow for my mother, my aunt and me", 3),
    ("Book dinner in Madrid on Saturday for me, my girlfriend and her parents", 4),
    ("Table in Paris tomorrow evening for me, my son and my daughter", 3),
    ("Hotel in Nice from 2 January for 3 nights: me, my wife and the baby", 3),
    ("Dinner in Berlin on Thursday for my grandma, my grandpa and me", 3),
    ("Lunch in Milan tomorrow for me, Sam and Jo", 3),
    ("Dinner in Athens on Friday for Ana, Marco and me", 3),
    ("Breakfast in Vienna tomorrow: my husband, our two boys and I", 4),
    ("Dinner in Lyon on Saturday for me, my friend Sam and his wife", 3),
    ("Lunch in Seville on Tuesday for me and my cousin", 2),
    ("Book a table in Florence on Friday for my colleague and me", 2),
    ("Dinner in Naples on Saturday, it's me, my dad and my brother", 3),
    ("Dinner in Paris on Friday: me, my flatmate and her boyfriend", 3),
    ("Brunch in Madrid on Sunday for me, my bf and his sister", 3),
    ("Dinner in Vienna on Friday for my wife, our baby and I", 3),
    ("Dinner in Lyon tomorrow for me, my niece and my nephew", 3),
    ("Dinner in Seville tomorrow for me, my son and his two friends", 4),
    ("Lunch in Milan tomorrow for our two kids, my husband and me", 4),
    ("Dinner in Berlin on Friday for my husband, me and our 3 kids", 5),
    ("Family brunch in Porto on Sunday: me, my wife, our son and my mother", 4),
    ("Family dinner in Rome on Saturday for my parents, my brother and me", 4),
    ("Dinner in Lyon tomorrow with my wife and two friends", 4),  # the user comes too: counted beside the list
    ("Lunch in Nice tomorrow, me and my son, he is allergic to nuts", 2),
    ("Dinner in Rome on Friday for me and Marta, she's vegan", 2),
    ("We're coming to Porto with our three kids, a table tomorrow please", 5),
]

TEXTING = [
    ("me n my gf, lunch in Nice tmrw", 2),
    ("me & my mum, brunch in Porto on Saturday", 2),
    ("lunch in Rome tomorrow, me + my 2 kids", 3),
    ("me & my bff, dinner in Madrid on Friday", 2),
    ("dinner in Lisbon on Friday, me + 3 mates", 4),
    ("me + my partner + our toddler, lunch in Lisbon on Saturday", 3),
    ("me n my sis, lunch in Porto tomorrow", 2),
    ("dinner in Paris tmrw, me + my bro", 2),
    ("me n my hubby n our daughter, pizza in Naples on Friday", 3),
    ("dinner in Lyon fri: me, my bf + his mum", 3),
]

NUMBERED = [
    ("me and my three sisters, lunch in Paris tomorrow", 4),
    ("Dinner in Rome on Friday for me, my wife and our four children", 6),
    ("Lunch in Porto tomorrow for my two nephews and me", 3),
    ("Dinner in Lyon tomorrow for me and my twin sisters", 3),
    ("Dinner in Nice on Friday for the twins, my wife and me", 4),
    ("Lunch in Madrid tomorrow for 6 kids and 3 adults", 9),
    ("Lunch in Paris tomorrow for five children and two adults", 7),
    ("Dinner in Milan on Saturday for 4 adults and 2 teenagers", 6),
    ("Breakfast in Vienna tomorrow for two kids and one adult", 3),
    ("dinner in Berlin on Friday, me and my 2 colleagues", 3),
    ("Dinner in Seville tomorrow for my parents, my in-laws and me", 5),
    ("Lunch in Athens on Sunday for my grandparents and me", 3),
    ("Dinner in Florence on Friday for the in-laws and us two", 4),
    ("Dinner in Porto on Saturday for my parents and us two", 4),
    ("Lunch in Nice tomorrow for me and the twins", 3),
    ("Lunch in Rome tomorrow for my folks and me", 3),
    ("Dinner in Lyon on Friday for me, my husband and our twin boys", 4),
    ("Lunch in Paris on Saturday for 3 kids and 2 adults", 5),
]

PLURALS_ASKED = [
    ("Dinner in Paris on Friday for me and my kids", ASK),
    ("Lunch in Madrid tomorrow for me, my wife and the kids", ASK),
    ("Dinner in Lyon tomorrow for my sisters and me", ASK),
    ("Lunch in Nice on Saturday for me and some friends", ASK),
    ("Dinner in Rome tomorrow for me and my colleagues", ASK),
    ("Brunch in Berlin on Sunday for me, my husband and our grandchildren", ASK),
    ("dinner in Lisbon tmrw, me n the girls", ASK),
    ("Dinner in Milan on Friday for me and my family", ASK),
    ("Lunch in Porto on Saturday for my cousins and me", ASK),
]

FOR_ME = [
    ("Could you book a hotel in Madrid for me, two nights from 10 January", 1),
    ("Find a hotel in Lisbon for me, 4 nights from 3 January", 1),
    ("Book a table in Paris tomorrow at 8pm for me", 1),
    ("Can you find a room in Rome for me, from 12 January for 2 nights", 1),
    ("Hotel in Seville for me, 3 nights from 8 January, something quiet", 1),
    ("Could you also get a table in Lyon for me, tomorrow at 8pm", 1),
    ("A table for me and Leo in Lyon tomorrow at 8", 2),
    ("Dinner in Nice on Friday for Priya and me", 2),
    ("Lunch in Porto tomorrow for me and Sofia", 2),
    ("Book a table in Berlin on Saturday for me and my plus-one", 2),
    ("Book lunch in Florence tomorrow for me, Tom and Ana", 3),
    ("A hotel in Vienna for me and my mum, 2 nights from 5 January", 2),
]

GROUPS_ASKED = [
    ("Book us a table in Rome on Friday", ASK),
    ("Family dinner in Lyon on Saturday", ASK),
    ("Dinner in Madrid on Friday with my team", ASK),
    ("We'd like lunch in Porto tomorrow", ASK),
    ("Family lunch in Nice on Sunday", ASK),
    ("A table in Paris tomorrow for the whole family", ASK),
    ("Lunch in Berlin on Friday for a few of us", ASK),
    ("Find us a hotel in Seville from 8 January for 3 nights", ASK),
    ("Dinner in Milan on Saturday with the whole gang", ASK),
]

EXPLICIT_WINS = [
    ("Family dinner for 6 in Lyon on Saturday", 6),
    ("Family lunch in Nice on Sunday for eight", 8),
    ("Dinner in Rome on Friday with my team, table for 12", 12),
    ("Book us a table for 4 in Paris tomorrow", 4),
    ("Lunch in Madrid tomorrow for 4: me, my wife and our son", 4),
    ("Dinner in Porto on Friday for me and the kids, 5 people in total", 5),
    ("We are 5, dinner in Berlin on Saturday", 5),
    ("Table for six in Milan on Friday, the whole family", 6),
    ("There will be seven of us, lunch in Athens tomorrow", 7),
    ("Dinner in Lyon tomorrow for 3: me and my two kids", 3),
    ("Lunch in Nice tomorrow for 2 adults and 2 kids", 4),
    ("Family dinner in Seville on Friday, a table for ten", 10),
]

CASES = [*LISTS, *TEXTING, *NUMBERED, *PLURALS_ASKED, *FOR_ME, *GROUPS_ASKED, *EXPLICIT_WINS]


def _party_read(request: TurnRequest) -> int | None:
    """The party the request reads, ASK when it asks how many (a party it cannot count is never assumed)."""
    if request.party_size is None:
        assert uncounted_problem() in request.problems, request.problems
    return request.party_size


@pytest.mark.parametrize(("message", "party"), CASES)
def test_the_party_is_read_from_the_people_listed(places: CatalogPlaces, message: str, party: int | None) -> None:
    request = parse_at(places, message, NOW)
    assert request.intent in {"dine", "stay", "trip"}
    assert _party_read(request) == party


def test_there_are_eighty_new_phrasings() -> None:
    assert len(set(CASES)) == len(CASES) >= 80


# -- one reader of a listed party: the counts and the companions come from the same parse --------------------------
@pytest.mark.parametrize(
    ("said", "size", "relations", "names"),
    [
        ("Lunch in Nice for me, my husband and our daughter", 3, {"husband", "daughter"}, set()),
        ("me n my bf, dinner in Lyon", 2, {"bf"}, set()),
        ("A table in Lyon for Priya and me", 2, set(), {"Priya"}),
    ],
)
def test_the_listed_party_is_counted_and_named_by_one_reader(
    said: str, size: int, relations: set[str], names: set[str]
) -> None:
    listing, party = people_listed(said), party_listed(said)
    assert listing is not None and party is not None
    assert listing.size == party.size == size
    assert (set(party.relations), set(party.names)) == (relations, names)


@pytest.mark.parametrize(
    ("said", "size"),
    [
        ("Lunch for me and my twin brothers", 3),
        ("Lunch for me and my kids", None),
        ("Lunch for me and my family", None),
    ],
)
def test_a_list_that_is_no_single_people_leaves_every_need_kept(said: str, size: int | None) -> None:
    """A pair or a plural is counted (or asked), but names no one person: the needs of the party are all kept."""
    listing = people_listed(said)
    assert listing is not None and listing.size == size
    assert party_listed(said) is None


# -- end to end: the plan's party is the one listed; a group of unknown size asks ----------------------------------
@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Family lunch in Lyon on Saturday: me, my wife and our son", 3),
        ("me n my gf, dinner in Paris tmrw", 2),
        ("Dinner in Lyon tomorrow for my in-laws and us two", 4),
        ("Lunch in Paris tomorrow for 4 kids and 2 adults", 6),
    ],
)
def test_the_plan_is_for_the_party_listed(service: ConciergeService, project: str, message: str, party: int) -> None:
    reply = service.chat(service.scope("lister", project_id=project, run_id="s1"), message)
    assert reply.request.party_size == party
    assert reply.plan is not None and reply.plan.party_size == party


def test_a_hotel_for_me_is_for_one(service: ConciergeService, project: str) -> None:
    reply = service.chat(
        service.scope("solo", project_id=project, run_id="s1"),
        "Could you find a hotel in Nice for me, 3 nights from 2 January",
    )
    assert (reply.request.party_size, reply.request.nights) == (1, 3)
    assert reply.plan is not None and reply.plan.party_size == 1


@pytest.mark.parametrize(
    "message", ["Family dinner in Lyon on Saturday", "Dinner in Paris tomorrow for me and my kids"]
)
def test_a_party_of_unknown_size_is_asked(service: ConciergeService, project: str, message: str) -> None:
    reply = service.chat(service.scope("asker", project_id=project, run_id="s1"), message)
    assert reply.request.party_size is None
    assert uncounted_problem() in reply.request.problems
    assert reply.draft is None or not reply.draft.to
