"""Issue 24, round 5 (attack7 H2, H7, M4, M5, L1-L3): each class is many phrasings, several people, said in a stored
memory and then now; read on typed fields (needs held, request fields, error type), never on a reply's wording.

- names that differ by case or accent are one name; a relation tells people apart, and a name alone that fits
  several people takes nothing back (asks);
- a plain retraction with neutral company (greetings, thanks, "please update") still takes the need back; the
  same with anything that could qualify it keeps it, and "yes" to the question then takes it back;
- a guess ("maybe", "might be", "not sure") states no need; a request keeps its need;
- a budget in another currency, a fractional party, a corrected count and a weekday that is not the date's are
  read or refused in one line;
- a duplicate need id, "in -2 days" for a dinner and an endpoint without its key are one line each.
"""

from __future__ import annotations

import pytest

from concierge.errors import ConfigError, ConfigFileError
from concierge.needs import active_needs, detect_needs
from concierge.needs.current import plainly_taken_back, unclear_people, which_person
from concierge.needs.vocabulary import parse_vocabulary
from concierge.offline.people import relations
from concierge.request import CatalogPlaces
from concierge.safe_yaml import load as load_yaml
from concierge.service import ConciergeService
from concierge.settings import load_settings
from concierge.shipped import shipped_dir
from tests.needs_held import held as _held
from tests.needs_held import users_needs as _needs
from tests.request_reading import parse_at, shipped_places


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return shipped_places()


# -- 1. holders told apart by relation, whatever the case or accents of their names (attack7 H7) -------------------
TWO_PEOPLE = [
    (
        ["My son Tom is allergic to peanuts", "My friend TOM is allergic to peanuts"],
        "Tom isn't allergic to peanuts anymore",
    ),
    (["My son Leo is allergic to fish", "My nephew LEO is allergic to fish"], "Leo isn't allergic to fish anymore"),
    (
        ["My son Tom is allergic to peanuts", "My nephew Tóm is allergic to peanuts"],
        "Tom isn't allergic to peanuts anymore",
    ),
    (["My friend Sam is coeliac", "My colleague SAM is coeliac"], "Sam isn't coeliac anymore"),
    (["My daughter Zoë is allergic to eggs", "My niece Zoe is allergic to eggs"], "ZOE isn't allergic to eggs anymore"),
]


@pytest.mark.parametrize(("stored", "said"), TWO_PEOPLE)
def test_a_name_alone_fitting_two_people_takes_nothing_back_and_asks(stored: list[str], said: str) -> None:
    before = sorted((n.need_id, n.holder) for n in active_needs(stored))
    assert len(before) == 2  # two people, whatever the case or accents of their names
    assert sorted((n.need_id, n.holder) for n in active_needs([*stored, said])) == before
    assert unclear_people(said, stored)  # the concierge asks which one
    assert which_person([said], lambda: stored) is not None


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("My daughter Zoe is allergic to eggs", "My niece Zoe isn't allergic to eggs anymore"),
        ("My daughter Zoe is allergic to eggs", "My niece Zoe isn't allergic to eggs"),
        ("My wife Ana is vegan", "My sister Ana isn't vegan anymore"),
        ("My son Max uses a wheelchair", "My nephew Max doesn't use a wheelchair anymore"),
        ("My husband Raj is coeliac", "My colleague RAJ isn't coeliac any more"),
    ],
)
def test_the_same_name_with_another_relation_is_another_person(stored: str, said: str) -> None:
    assert _held([stored, said]) == _held([stored]) != set()


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("My son Tom is allergic to peanuts", "My son Tom isn't allergic to peanuts anymore"),
        ("My son Leo is allergic to peanuts", "My son LEO isn't allergic to peanuts anymore"),
        ("My daughter Zoe is allergic to eggs", "My daughter Zoe isn't allergic to eggs anymore"),
        ("My son Tom is allergic to peanuts", "Tom isn't allergic to peanuts anymore"),
    ],
)
def test_the_same_person_still_takes_their_need_back(stored: str, said: str) -> None:
    assert _held([stored]) and not _held([stored, said])


@pytest.mark.parametrize(
    ("stored", "said", "kept"),
    [
        (["My friend Zoë is allergic to sesame"], "My friend Zoe isn't allergic to sesame anymore", True),
        (
            ["My friend Zoe is allergic to sesame", "My friend Zoë is allergic to sesame"],
            "Zoe isn't allergic to sesame",
            True,
        ),
        (["My friend Zoë is allergic to sesame"], "Zoe isn't allergic to sesame anymore", False),  # the only Zoe
    ],
)
def test_names_equal_but_for_accents_may_be_two_people(stored: list[str], said: str, kept: bool) -> None:
    before = sorted((n.need_id, n.holder) for n in active_needs(stored))
    after = sorted((n.need_id, n.holder) for n in active_needs([*stored, said]))
    assert (after == before) is kept


def test_a_name_said_with_two_relations_in_any_case_is_given_neither() -> None:
    assert "Tom" not in relations(["User's son Tom is allergic to peanuts", "User's friend TOM is allergic to peanuts"])
    assert "Tom" not in relations(["User's son Tom is vegan", "User's nephew Tóm is vegan"])
    assert relations(["User's son Tom is vegan"]) == {"Tom": "son"}


def test_a_name_alone_fitting_two_people_changes_nothing_end_to_end(service: ConciergeService, project: str) -> None:
    scope = service.scope("two-toms", project_id=project)
    service.remember(scope, "My son Tom is allergic to peanuts")
    service.remember(scope, "My friend TOM is allergic to peanuts")
    before = _needs(service, scope)
    service.chat(scope, "Tom isn't allergic to peanuts anymore")
    assert _needs(service, scope) == before


# -- 2. plain with neutral company; anything else asks, and "yes" takes it back (attack7 H2) -------------------------
@pytest.mark.parametrize(
    ("said", "key"),
    [
        ("Good news: I'm not allergic to peanuts anymore!", ("peanuts", True)),
        ("I'm not allergic to peanuts anymore, thanks!", ("peanuts", True)),
        ("Hello there, I'm no longer allergic to peanuts. Thank you!", ("peanuts", True)),
        ("Hey, just so you know, I'm not allergic to peanuts any more.", ("peanuts", True)),
        ("Great news, I'm not allergic to peanuts anymore. Please update my records.", ("peanuts", True)),
        ("Good news: my son has outgrown his egg allergy.", ("eggs", False)),
        ("My son is no longer allergic to eggs, please update.", ("eggs", False)),
        ("Hi, I don't use a wheelchair anymore.", ("wheelchair", True)),
        ("Hi! I'm not vegan anymore. Cheers!", ("vegan", True)),
    ],
)
def test_a_plain_retraction_with_neutral_company_takes_the_need_back(said: str, key: tuple[str, bool]) -> None:
    assert key in plainly_taken_back([said])


@pytest.mark.parametrize(
    "said",
    [
        "Hi, I'm not allergic to peanuts anymore. Did that work?",
        "Good news: I'm not allergic to peanuts anymore. That was a test.",
        "Hi! I'm not allergic to peanuts anymore, is what my brother says",
        "Thanks! I'm not allergic to peanuts anymore. Not!",
        "Great, I'm not allergic to peanuts anymore, jk",
        "Hello, I'm not allergic to peanuts anymore, am I?",
        "Hi, I'm not allergic to peanuts anymore if the test is negative",
        "Great news: I'm not allergic to peanuts anymore, said my brother",
        "Hello! I'm not allergic to peanuts anymore. Sorry, I meant my brother.",
    ],
)
def test_neutral_company_does_not_excuse_what_qualifies_a_retraction(said: str) -> None:
    assert ("peanuts", True) not in plainly_taken_back([said])
    assert _held(["User is allergic to peanuts", said]) == {("peanuts", "user")}


@pytest.mark.parametrize(
    ("stored", "said", "key"),
    [
        ("I am allergic to peanuts", "I'm not allergic to peanuts anymore. Did that work?", ("peanuts", "user")),
        ("My son is allergic to eggs", "My son isn't allergic to eggs anymore. That was a test.", ("eggs", "son")),
    ],
)
def test_yes_to_the_question_takes_the_need_back(
    service: ConciergeService, project: str, stored: str, said: str, key: tuple[str, str]
) -> None:
    scope = service.scope(f"yes-{key[1]}", project_id=project, run_id=f"y-{key[1]}")
    service.remember(scope, stored)
    service.chat(scope, said)
    assert key in _needs(service, scope)  # not plain: kept, and asked
    service.chat(scope, "yes")
    assert key not in _needs(service, scope)


def test_no_to_the_question_keeps_the_need_and_no_plan_is_undone(service: ConciergeService, project: str) -> None:
    scope = service.scope("no-kept", project_id=project, run_id="no")
    service.remember(scope, "I am allergic to peanuts")
    service.chat(scope, "I'm not allergic to peanuts anymore, is what my brother says")
    reply = service.chat(scope, "no")
    assert ("peanuts", "user") in _needs(service, scope)
    assert reply.forgotten is None and reply.plan is None and reply.memories_stored == []


@pytest.mark.parametrize(
    "answer",
    ["It does apply", "it still does", "yes?", "Correct?", "Right?", "Yep?", "That's right?", "yes it does", "I don't"],
)
def test_only_a_plain_yes_answers_the_question(service: ConciergeService, project: str, answer: str) -> None:
    """attack8 H1: "It does apply" and a yes asked back ("yes?") are no yes: the need stays."""
    scope = service.scope("not-yes", project_id=project, run_id=f"ny-{abs(hash(answer))}")
    service.remember(scope, "I am allergic to peanuts")
    service.chat(scope, "I'm not allergic to peanuts anymore. Did that work?")
    service.chat(scope, answer)
    assert ("peanuts", "user") in _needs(service, scope)


@pytest.mark.parametrize("answer", ["yes", "Yes please", "it doesn't apply", "It no longer applies, thanks"])
def test_a_plain_yes_in_any_wording_takes_it_back(answer: str) -> None:
    from concierge.conversation.confirm import says_no, says_yes

    assert says_yes(answer) and not says_no(answer)


def test_the_question_holds_for_one_turn_only(service: ConciergeService, project: str) -> None:
    scope = service.scope("yes-late", project_id=project, run_id="late")
    service.remember(scope, "I am allergic to peanuts")
    service.chat(scope, "I'm not allergic to peanuts anymore. That was a test.")
    service.chat(scope, "I love Lyon")
    service.chat(scope, "yes")
    assert ("peanuts", "user") in _needs(service, scope)


# -- 3. a guess states no need (attack7 M4) ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "said",
    [
        "Maybe I'm allergic to sesame, should I get tested?",
        "I might be lactose intolerant, not sure",
        "could I be coeliac?",
        "Perhaps I'm allergic to sesame.",
        "I think I might be allergic to sesame",
        "My friend thinks I might be allergic to sesame",
        "Maybe my son is allergic to eggs, should we test?",
        "Possibly vegan soon, not sure",
        "I may be allergic to shellfish, getting tested next week",
        "I'm probably allergic to sesame",
        "I could have coeliac disease",
        "User is allergic to sesame maybe",
        "I'm no longer allergic to peanuts, I mean sesame.",
    ],
)
def test_a_guess_states_no_need(said: str) -> None:
    assert not [n for n in detect_needs(said) if n.active]


@pytest.mark.parametrize(
    ("said", "need"),
    [
        ("I'm allergic to sesame", "sesame"),
        ("My son is allergic to eggs", "eggs"),
        ("Could you find somewhere vegan?", "vegan"),
        ("Could I have a vegan menu?", "vegan"),
        ("I'm allergic to sesame, not sure about the restaurant", "sesame"),
        ("I can't have gluten", "gluten"),
    ],
)
def test_a_statement_or_a_request_still_states_its_need(said: str, need: str) -> None:
    assert need in {n.need_id for n in detect_needs(said) if n.active}


# -- 4. numbers and dates (attack7 M5, L2) ------------------------------------------------------------------------
NOW = "2026-12-06 10:00"


@pytest.mark.parametrize(
    "said",
    ["under $200 a night", "under £100 a night", "under 100 bucks a night", "under ¥20000 a night", "under 200 USD"],
)
def test_a_budget_in_another_currency_is_refused_naming_it(places: CatalogPlaces, said: str) -> None:
    request = parse_at(places, f"Book a hotel in Lyon for 2 nights from tomorrow {said}", NOW)
    assert request.budget_per_night_eur is None
    assert len(request.problems) == 1 and said.split()[1] in request.problems[0]


@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Book dinner in Lyon tomorrow for half a dozen", 6),
        ("Book dinner in Lyon tomorrow for a dozen people", 12),
        ("Book dinner in Lyon tomorrow for 10 people, no, 12", 12),
        ("Book dinner in Lyon tomorrow for 10, sorry, 12 people", 12),
        ("Book dinner in Lyon tomorrow for 4, actually make it 5", 5),
        ("Book dinner in Lyon tomorrow for 4 people, no smoking", 4),
    ],
)
def test_party_counts_in_words_or_corrected(places: CatalogPlaces, message: str, party: int) -> None:
    request = parse_at(places, message, NOW)
    assert request.party_size == party and request.problems == ()


@pytest.mark.parametrize("message", ["Book dinner in Lyon tomorrow for 2½", "Book dinner in Lyon in -2 days for 2"])
def test_a_fraction_of_a_person_or_a_negative_day_is_one_line(places: CatalogPlaces, message: str) -> None:
    request = parse_at(places, message, NOW)
    assert len(request.problems) == 1 and "\n" not in request.problems[0]
    assert "stay" not in request.problems[0].casefold()  # a dinner: never a stay's problem


@pytest.mark.parametrize(
    ("message", "clash"),
    [
        ("Book dinner in Lyon on Sunday 8 December 2026 for 2", True),
        ("Book dinner in Lyon on Fri December 12 for 2", True),
        ("Book dinner in Lyon on Tuesday 8 December 2026 for 2", False),
        ("Book dinner in Lyon on Sunday, the 13th of December for 2", False),
    ],
)
def test_a_weekday_that_is_not_the_dates_asks_which(places: CatalogPlaces, message: str, clash: bool) -> None:
    request = parse_at(places, message, NOW)
    assert request.date is not None and request.date.month == 12  # the calendar date is read, the weekday checked
    assert bool(request.problems) is clash


# -- 5. configuration in one line (attack7 L1, L3) ------------------------------------------------------------------
def test_a_duplicate_need_id_is_one_short_line_naming_it() -> None:
    path = shipped_dir("config") / "needs.yaml"
    raw = load_yaml(path.read_text(encoding="utf-8"))
    peanuts = next(n for n in raw["needs"] if n["id"] == "peanuts")
    raw["needs"].append(peanuts)
    with pytest.raises(ConfigFileError) as failure:
        parse_vocabulary(raw, path)
    line = str(failure.value)
    assert "\n" not in line and len(line) < 300 and "peanuts" in line and "needs.yaml" in line


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("OPENAI_BASE_URL", "http://127.0.0.1:9/v1"),
        ("CONCIERGE_DB_CONNECT_TIMEOUT", "-1"),
        ("CONCIERGE_DB_CONNECT_TIMEOUT", "nan"),
        ("CONCIERGE_LLM_TIMEOUT_SECONDS", "nan"),
        ("CONCIERGE_LLM_TIMEOUT_SECONDS", "-1"),
    ],
)
def test_a_setting_that_would_be_ignored_is_refused(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as failure:
        load_settings()
    assert "\n" not in str(failure.value)


# -- attack8 H7: a hedge in a sentence of its own ----------------------------------------------------------------
@pytest.mark.parametrize("hedge", ["I think.", "I guess.", "I believe.", "I reckon.", "I suppose.", "I hope.",
                                   "Fingers crossed.", "I guess so.", "We'll see."])  # fmt: skip
@pytest.mark.parametrize(
    ("stored", "retraction", "key"),
    [
        ("I am allergic to peanuts", "I'm not allergic to peanuts anymore.", ("peanuts", "user")),
        ("My son is allergic to eggs", "My son isn't allergic to eggs anymore.", ("eggs", "son")),
        ("I keep kosher", "I don't keep kosher anymore.", ("kosher", "user")),
    ],
)
def test_a_hedge_after_a_retraction_keeps_the_need(
    stored: str, retraction: str, key: tuple[str, str], hedge: str
) -> None:
    assert _held([stored, f"{retraction} {hedge}"]) == {key}


@pytest.mark.parametrize("ending", ["Thanks!", "Great news!"])
def test_a_courtesy_after_a_retraction_still_lets_it_through(ending: str) -> None:
    assert _held(["I am allergic to peanuts", f"I'm not allergic to peanuts anymore. {ending}"]) == set()


@pytest.mark.parametrize(
    "ending",
    [
        "I had satay yesterday!",
        "I outgrew it last year.",
        "I had a reaction yesterday.",
        "Make a note that this is only a test.",
        "Change nothing until I confirm.",
        "I walk on water too.",
        "I use an EpiPen when I eat peanuts.",
        "Book dinner in Lyon tomorrow for 2 somewhere with satay, to test it.",
        "Book dinner in Lyon tomorrow for 2.",  # attack10 H1: a booking beside a retraction asks (it passed before)
    ],
)
def test_any_other_sentence_after_a_retraction_keeps_the_need_and_asks(ending: str) -> None:
    """attack9 H1: a statement, an event or a request with more in it is not neutral company, whatever its shape."""
    said = f"I'm not allergic to peanuts anymore. {ending}"
    assert _held(["I am allergic to peanuts", said]) == {("peanuts", "user")}


# -- attack8 H5: a relation with "-in-law" / "half-" and a titled name are people of their own --------------------
@pytest.mark.parametrize(
    ("stored", "said", "key"),
    [
        ("My mother-in-law keeps kosher", "My mother doesn't keep kosher anymore", ("kosher", "mother-in-law")),
        ("My father-in-law is allergic to fish", "My father isn't allergic to fish anymore", ("fish", "father-in-law")),
        ("My sister-in-law is vegan", "My sister isn't vegan anymore", ("vegan", "sister-in-law")),
        ("Mr. Lee is allergic to fish", "Mrs. Lee isn't allergic to fish anymore", ("fish", "lee")),
        ("Prof. Kim is vegan", "Mrs. Kim isn't vegan anymore", ("vegan", "kim")),
        ("Dr Patel is allergic to eggs", "Ms Patel isn't allergic to eggs anymore", ("eggs", "patel")),
    ],
)
def test_another_relation_or_title_takes_nothing_back(stored: str, said: str, key: tuple[str, str]) -> None:
    assert key in _held([stored, said])


def test_the_same_titled_name_still_takes_its_own_need_back() -> None:
    assert _held(["Mr. Lee is allergic to fish", "Mr. Lee isn't allergic to fish anymore"]) == set()
