"""Issue 21's needs classes, by mechanism: a diet said as an adjective finds a venue (the catalog covers every
city and meal), "he" / "she" said after the session named a companion is that companion, and a stored fact is one
clause about one person (a request beside a need is not stored; a name and a plan are). Typed fields only: the
detector's (need, holder, active), the plan's needs, what the stored facts state when read back."""

from __future__ import annotations

import pytest

from concierge.catalog.cuisine import suits_meal
from concierge.catalog.hours import serves
from concierge.catalog.loader import load_catalog
from concierge.needs import detect_needs
from concierge.needs.antecedent import with_antecedent
from concierge.needs.detect import PRONOUN_ONLY
from concierge.offline.extraction import read_clauses
from concierge.service import ConciergeService
from concierge.shipped import shipped_dir


def _said(text: str) -> set[tuple[str, str, bool]]:
    return {(n.need_id, n.holder.casefold(), n.active) for n in detect_needs(text)}


def _facts(text: str) -> list[str]:
    return read_clauses(text, None)[0]


def _stored(text: str) -> set[tuple[str, str, bool]]:
    """What the kept facts state when read back, as the plan reads memories."""
    return {key for fact in _facts(text) for key in _said(fact)}


# -- adjective needs: every city can serve them at lunch and dinner ---------------------------------------------------
@pytest.mark.parametrize("option", ["halal", "kosher", "vegan", "vegetarian", "gluten_free", "dairy_free"])
@pytest.mark.parametrize("meal", ["lunch", "dinner"])
def test_every_city_has_a_venue_for_each_diet_at_each_meal(option: str, meal: str) -> None:
    catalog = load_catalog(shipped_dir("catalog"))
    cities = {r.city for r in catalog.restaurants}
    served = {
        r.city
        for r in catalog.restaurants
        if option in r.dietary_options and serves(r.opening_hours, meal) and suits_meal(r.cuisine, meal)
    }
    assert cities - served == set()


def test_a_kosher_or_dairy_free_breakfast_is_found_in_every_city() -> None:
    catalog = load_catalog(shipped_dir("catalog"))
    for option in ("kosher", "dairy_free"):
        served = {
            r.city for r in catalog.restaurants if option in r.dietary_options and serves(r.opening_hours, "breakfast")
        }
        assert {r.city for r in catalog.restaurants} - served == set(), option


# -- whose need: "he" / "she" after the session named the companion --------------------------------------------------
@pytest.mark.parametrize(
    ("earlier", "message", "expected"),
    [
        (
            ["Lunch in Kyoto tomorrow for me and my colleague"],
            "btw he's vegetarian",
            {("vegetarian", "colleague", True)},
        ),
        (["Plan 5 days in Rome in October for me and my husband"], "he is vegan", {("vegan", "husband", True)}),
        (["Brunch in Lisbon with Sara on Sunday"], "she can't eat gluten", {("gluten", "sara", True)}),
        (["dinner for me and my mum in Paris tomorrow"], "oh and she's allergic to sesame", {("sesame", "mum", True)}),
        (
            ["a table for 2 in Porto on Friday, me and my dad", "I'm vegan"],
            "he has a shellfish allergy",
            {("crustaceans", "dad", True), ("molluscs", "dad", True)},
        ),
    ],
)
def test_a_pronoun_said_later_is_the_companion_named_before(
    earlier: list[str], message: str, expected: set[tuple[str, str, bool]]
) -> None:
    assert _said(message) <= {(n, PRONOUN_ONLY, a) for n, _, a in expected}  # alone: nobody named
    resolved = with_antecedent(message, earlier)
    assert _said(resolved) == expected
    assert _stored(resolved) == expected  # stored as theirs, never as the user's


@pytest.mark.parametrize(
    ("earlier", "message"),
    [
        ([], "he's vegan"),  # nobody named before: unchanged
        (["Lunch in Kyoto tomorrow for me and my colleague"], "I'm vegetarian"),  # the user's own
        (["Lunch in Kyoto tomorrow for me and my colleague"], "my son is vegan, he loves tofu"),  # named here
    ],
)
def test_a_message_that_names_its_own_person_is_left_as_said(earlier: list[str], message: str) -> None:
    assert with_antecedent(message, earlier) == message


def test_the_plan_applies_the_need_to_the_companion_the_session_named(service: ConciergeService, project: str) -> None:
    scope = service.scope("pronoun-later", project_id=project, run_id="s1")
    service.chat(scope, "Lunch in Kyoto tomorrow for me and my colleague")
    reply = service.chat(scope, "btw he's vegetarian")
    assert reply.plan is not None
    assert {(n.need_id, n.holder) for n in reply.plan.needs} == {("vegetarian", "colleague")}
    assert not any(n.holder == "user" for m in reply.memories_stored for n in detect_needs(m.text))


# -- worth storing: one clause about one person ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("I'm not vegan, only my husband is", {("vegan", "husband", True)}),
        ("Sara is vegan, dinner for 2 in Rome tonight", {("vegan", "sara", True)}),
        ("we're 2 for dinner in Barcelona tonight, my partner's coeliac", {("gluten", "partner", True)}),
        ("My wife keeps kosher, I don't. Can you book us dinner in New York on Thursday?", {("kosher", "wife", True)}),
        (
            "Table for 4 in Lisbon on Saturday, my mother can't have nuts",
            {("peanuts", "mother", True), ("tree_nuts", "mother", True)},
        ),
    ],
)
def test_a_stored_fact_is_one_clause_about_one_person(message: str, expected: set[tuple[str, str, bool]]) -> None:
    facts = _facts(message)
    assert {k for k in _stored(message) if k[2]} == expected
    for fact in facts:  # no request rides along, and each fact is about one person
        assert not any(w in fact.lower() for w in ("dinner", "table for", "book")), fact
        assert len({n.holder for n in detect_needs(fact)}) <= 1, fact


@pytest.mark.parametrize(
    "message",
    ["we're 2 for dinner in Barcelona tonight", "Table for 3 in Lisbon tomorrow night", "dinner for 2 in Rome tonight"],
)
def test_a_request_is_not_stored_as_a_fact(message: str) -> None:
    assert _facts(message) == []


@pytest.mark.parametrize(
    ("message", "word"),
    [
        ("I am Fake User", "Fake User"),
        ("I want to visit Atlantis next week", "Atlantis"),
        ("I'm planning a trip to France", "France"),
        ("Me and my husband are going to Rome in May", "husband"),
    ],
)
def test_a_name_or_a_plan_is_stored(message: str, word: str) -> None:
    facts = _facts(message)
    assert len(facts) == 1 and word in facts[0] and facts[0].startswith("User")


def test_both_people_of_a_plan_said_together_are_kept() -> None:
    assert _facts("me and my wife love Lisbon") == ["User and User's wife love Lisbon"]


@pytest.mark.parametrize("message", ["I'm flexible", "I really don't get along either", "ok whatever"])
def test_junk_is_not_stored(message: str) -> None:
    assert _facts(message) == []


@pytest.mark.parametrize(
    ("message", "holder"),
    [("my partner's coeliac", "partner"), ("Plan 4 days in Kyoto for me and my wife. She's vegan", "wife")],
)
def test_a_contracted_is_after_a_person_is_stored_as_is(message: str, holder: str) -> None:
    facts = _facts(message)
    assert any(f.startswith(f"User's {holder} is ") for f in facts), facts


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("my wife is coeliac dinner in Madrid on Friday for 2", {("gluten", "wife", True)}),
        ("I'm lactose intolerant lunch in Paris tomorrow", {("milk", "user", True)}),
        ("my son is gluten-free lunch for 3 in Lyon on Sunday", {("gluten", "son", True)}),
    ],
)
def test_a_need_typed_straight_before_a_request_is_read_and_stored_alone(
    message: str, expected: set[tuple[str, str, bool]]
) -> None:
    """No comma between the need and the request: the need is still read, and the fact stored is the need alone."""
    assert _said(message) == expected
    facts = _facts(message)
    assert len(facts) == 1 and _said(facts[0]) == expected
    assert not any(w in facts[0].lower() for w in ("dinner", "lunch", "tomorrow", "friday", "sunday")), facts


def test_a_word_after_be_that_is_no_need_is_left_as_said() -> None:
    from concierge.needs.detect import normalise

    assert normalise("the restaurant is great dinner tomorrow") == "the restaurant is great dinner tomorrow"


# -- a meal that opens a sentence is no person ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Brunch is vegan for me", {("vegan", "user", True)}),
        (
            "Sushi with Ken tomorrow, he has a shellfish allergy",
            {("crustaceans", "ken", True), ("molluscs", "ken", True)},
        ),
        ("Tapas with Ines on Friday, she is vegan", {("vegan", "ines", True)}),
        ("Ken is vegan", {("vegan", "ken", True)}),
        ("Raj is vegan now", {("vegan", "raj", True)}),
    ],
)
def test_a_meal_opening_a_sentence_is_not_taken_for_a_name(message: str, expected: set[tuple[str, str, bool]]) -> None:
    assert _said(message) == expected


def test_a_pronoun_after_a_meal_is_not_the_meal() -> None:
    assert {holder for _, holder, _ in _said("Ramen for two, she is vegan")} == {PRONOUN_ONLY}


def test_a_need_of_someone_nobody_named_is_said_as_someone_in_the_party() -> None:
    from concierge.crew.outputs import NeedNote
    from concierge.needs.detect import UNNAMED_COMPANION

    note = NeedNote(need_id="gluten", label="gluten-free", holder=UNNAMED_COMPANION)
    assert note.phrase("m1") == "someone in m1's party: gluten-free"
    assert NeedNote(need_id="vegan", label="vegan", holder="husband").phrase("m1") == "m1's husband: vegan"
