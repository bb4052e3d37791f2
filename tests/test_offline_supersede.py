"""The offline supersession decision: which listed facts a new fact replaces, over many phrasings."""

import pytest

from concierge.offline.supersede import decide_supersedes

EXISTING = [
    ("0", "User is vegetarian"),
    ("1", "User lives in Paris"),
    ("2", "User prefers window seats"),
    ("3", "User's husband Tom is vegan"),
    ("4", "User is allergic to peanuts"),
    ("5", "User's budget is 150 euros a night"),
    ("6", "User loves sushi"),
    ("7", "User's daughter lives in Berlin"),
    ("8", "User loves Lyon"),
    ("9", "User's name is Sam"),
]


@pytest.mark.parametrize(
    ("new_fact", "replaced"),
    [
        # diet
        ("User is not vegetarian any more", "0"),
        ("User is no longer vegetarian", "0"),
        ("User eats fish now", "0"),
        ("User eats meat again", "0"),
        ("User is vegan now", "0"),
        ("User is pescatarian now", "0"),
        ("User used to be vegetarian", "0"),
        ("User gave up being vegetarian", "0"),
        # home
        ("User moved to Lyon", "1"),
        ("User moved to Lyon last month", "1"),
        ("User lives in Lyon now", "1"),
        ("User relocated to New York last year", "1"),
        ("User is now based in Madrid", "1"),
        # seat
        ("User prefers aisle seats now", "2"),
        ("User prefers an aisle seat", "2"),
        ("User hates window seats now", "2"),
        ("User no longer wants a window seat", "2"),
        ("User likes middle seats", "2"),
        # a named companion's need
        ("User's husband is no longer vegan", "3"),
        ("Tom eats meat again", "3"),
        ("User's husband Tom is vegetarian now", "3"),
        # allergy lifted
        ("User is no longer allergic to peanuts", "4"),
        ("User can eat peanuts again", "4"),
        # budget
        ("User's budget is 300 euros a night", "5"),
        ("User's budget is now 90 euros", "5"),
        # a like flipped
        ("User no longer likes sushi", "6"),
        ("User doesn't like sushi anymore", "6"),
        # another companion's home
        ("User's daughter moved to Munich", "7"),
        # name
        ("User's name is Samantha", "9"),
    ],
)
def test_a_change_replaces_exactly_the_old_value(new_fact: str, replaced: str) -> None:
    assert decide_supersedes(new_fact, EXISTING) == [replaced]


@pytest.mark.parametrize(
    "new_fact",
    [
        "User is vegetarian",  # the same fact again
        "User is strictly vegetarian",
        "User is allergic to shellfish",  # a second allergy adds
        "User loves Rome",  # another city the user loves
        "User prefers window seats",
        "User's budget is 150 euros a night now",
        "User's husband loves hiking",
        "User's son is vegan",  # someone else's diet
        "User's son moved to Lyon",  # someone else's home
        "User travels with two children aged 4 and 7",
        "User loves sushi and ramen",
        "User works as a nurse",
    ],
)
def test_an_addition_replaces_nothing(new_fact: str) -> None:
    assert decide_supersedes(new_fact, EXISTING) == []


def test_only_ids_from_the_list_and_nothing_for_an_empty_list() -> None:
    assert decide_supersedes("User moved to Lyon", []) == []
    assert decide_supersedes("", EXISTING) == []
    found = decide_supersedes("User is vegan now and lives in Lyon", EXISTING)
    assert set(found) == {"0", "1"}
    assert set(found) <= {memory_id for memory_id, _ in EXISTING}


def test_the_users_own_diet_is_not_a_companions() -> None:
    existing = [("a", "User's wife is vegetarian"), ("b", "User is vegan")]
    assert decide_supersedes("User eats meat now", existing) == ["b"]
    assert decide_supersedes("User's wife eats fish now", existing) == ["a"]


def test_eating_fish_keeps_a_pescatarian_diet() -> None:
    assert decide_supersedes("User eats fish now", [("p", "User is pescatarian")]) == []
