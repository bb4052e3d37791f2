"""The offline model as a mem0 LLM provider: user message -> third-person facts, no network.

mem0 sends its extraction prompt; we read the "## New Messages" section, split the user's words
into clauses and keep what is worth remembering (``worth``): statements about the user or their
companions, in any tense. Questions, requests, greetings, thanks, moods and filler are dropped; a
greeting-like clause that is not a first-person statement is also checked against the policy's
excludes (small talk). Kept clauses are put in the third person with spaCy (``wording``), relative
time is anchored to the day said (``anchor``), and each fact names the existing memories (from the
prompt's "## Existing Memories" list) it supersedes (``supersede``), in mem0's JSON format. A name said alone
takes the relation those memories gave it ("Raj" -> "User's husband Raj", ``people``); a retraction said beside
the new value of the same thing is folded into the new value.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mem0.configs.llms.base import BaseLlmConfig
from mem0.llms.base import LLMBase

from concierge.memory.categories import CategoryClassifier
from concierge.memory.guarded_store import record_dropped
from concierge.memory.mem0_prompt import user_turns
from concierge.needs import DetectedNeed, detect_needs
from concierge.needs.current import said_plainly
from concierge.needs.detect import USER, normalise
from concierge.needs.mood import asks_about_needs
from concierge.needs.sentences import compose_needs, is_name
from concierge.needs.spelling import spelled_out
from concierge.offline.anchor import anchor_time
from concierge.offline.hearsay import without_junk
from concierge.offline.kinds import read_kind, said_in_passing
from concierge.offline.language import (
    is_one_off_request,
    is_question_or_request,
    mentions_user,
    split_clauses,
    split_sentences,
    tied_to_a_moment,
    with_speaker,
)
from concierge.offline.people import person_key, relations, resolve_names
from concierge.offline.supersede import corrects, decide_supersedes, replaces_retraction
from concierge.offline.telling import asks_for_something
from concierge.offline.wording import SUBORDINATORS, rewrite
from concierge.offline.worth import (
    SMALL_TALK,
    elliptical,
    first_person_subject,
    is_imperative,
    opens_with_subordinate_clause,
    passing_state,
    to_the_assistant,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

MEM0_PROVIDER_NAME = "concierge_offline"
_EXISTING = re.compile(r"## Existing Memories\n(?P<body>.*?)(?:\n\n## |\Z)", re.DOTALL)
_OBSERVED = re.compile(r"## Observation Date\n(?P<day>\d{4}-\d{2}-\d{2})")
NOT_ABOUT_THE_USER = "not about the user"
UNRESOLVED = "unresolved reference"


class OfflineExtractorConfig(BaseLlmConfig):
    def __init__(self, classifier: CategoryClassifier | None = None, **kwargs: Any) -> None:
        super().__init__(**{"model": "offline", **kwargs})
        self.classifier = classifier


def existing_memories(prompt: str) -> list[tuple[str, str]]:
    """(id, text) of the memories mem0 listed under "## Existing Memories" (its own short ids: "0", "1")."""
    match = _EXISTING.search(prompt)
    try:
        listed = json.loads(match.group("body")) if match else []
    except json.JSONDecodeError:
        return []
    if not isinstance(listed, list):
        return []
    return [
        (str(m["id"]), m["text"])
        for m in listed
        if isinstance(m, dict) and "id" in m and isinstance(m.get("text"), str)
    ]


def observation_date(prompt: str) -> datetime.date:
    """The day the messages were said (mem0's "## Observation Date"), else today."""
    match = _OBSERVED.search(prompt)
    if match:
        try:
            return datetime.date.fromisoformat(match.group("day"))
        except ValueError:
            pass
    return datetime.date.today()


def _span(doc: Doc, message: str, clause: str, cursor: int) -> tuple[Span, int]:
    """The clause's tokens in the parse of the whole message (so "those" can point back), and the new cursor."""
    start = message.find(clause, cursor)
    span = doc.char_span(start, start + len(clause), alignment_mode="expand") if start >= 0 else None
    if span is None or not len(span):
        from concierge.needs.nlp import parse

        return parse([clause])[0][:], cursor
    return span, start + len(clause)


def _read_clause(
    clause: str, span: Span, message: str, classifier: CategoryClassifier | None, said_on: datetime.date
) -> tuple[str | None, str | None]:
    """(fact, None); (None, reason) for a statement the policy drops; (None, None) for what the chat answers
    (questions, requests and their fragments)."""
    if _answered_by_chat(clause, span, message) or requested(clause, span):  # its need is kept by the sentence
        return None, None
    states_a_need = bool(detect_needs(clause))
    said = rewrite(span.doc, span.start, span.end)
    if not mentions_user(clause) and not said.text.startswith("User"):  # "he's ..." after "my husband": his fact
        return None, None if states_a_need else NOT_ABOUT_THE_USER  # a need is kept by its sentence (below)
    if not states_a_need:
        if not any(t.pos_ in ("VERB", "AUX") for t in span):  # "6 of us", "for me and my kids"
            return None, None
        if reason := _not_worth_keeping(clause, span, said.unresolved):
            return None, reason
    fact = anchor_time(said.text, said_on)
    if classifier is not None and not first_person_subject(span):  # only chit-chat can be small talk
        verdict = classifier.classify(fact)
        if not verdict.keep:
            return None, verdict.excluded or "excluded by policy"
    return fact, None


def _answered_by_chat(clause: str, span: Span, message: str) -> bool:
    """A question, a request or a fragment of one ("surprise me", "just pick one", "I'm not"), or a question about
    someone's need without its mark ("I wonder whether I'm still allergic"): the chat answers it."""
    asks = is_question_or_request(clause, message, subordinate=opens_with_subordinate_clause(span))
    if len(clause.split()) < 2 or asks or is_one_off_request(clause) or asks_about_needs(clause):
        return True
    if tied_to_a_moment(clause) and asks_for_something(clause):  # "I also need a hotel in Porto from Friday for 2"
        return True
    return is_imperative(span) or elliptical(span)


def requested(clause: str, span: Span) -> bool:
    """A clause that reads as a request by example and names a day, a time or a party, as a booking does ("we're 2
    for dinner in Barcelona tonight", "table for 3 in Lisbon tomorrow"): the chat answers it; it is no fact about
    anyone. A plan told ("I'm planning a trip to France", "I want to visit Atlantis next week") reads as a statement;
    a preference names no moment ("my budget is 150 euros a night"); someone doing something tells it ("I am hosting
    a dinner for eight next Thursday", "I lived in Tokyo for three years"): all are kept."""
    if not tied_to_a_moment(clause) or any(t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ == "VERB" for t in span):
        return False
    reading = read_kind(clause)
    return reading.sure and reading.group == "request"


def _not_worth_keeping(clause: str, span: Span, unresolved: str | None) -> str | None:
    """Why a statement that states no need is not kept: small talk, or a reference nothing resolves."""
    if passing_state(span) or to_the_assistant(span) or _in_passing(clause, span):
        return SMALL_TALK
    return f"{UNRESOLVED} ({unresolved!r})" if unresolved else None


def _in_passing(clause: str, span: Span) -> bool:
    """Small talk that names nothing ("I'm flexible", "that's fine I guess"); "I'm a morning person" names a thing."""
    return not any(t.pos_ in ("NOUN", "PROPN", "NUM") for t in span) and said_in_passing(clause)


def _need_keys(texts: list[str], known: Mapping[str, str]) -> set[tuple[str, str, bool]]:
    """(need, person, active) said in ``texts``; "husband" and "Raj" are one person when "husband Raj" was said."""
    return {key for text in texts for key in _keys(detect_needs(text), known)}


def _keys(needs: list[DetectedNeed], known: Mapping[str, str]) -> set[tuple[str, str, bool]]:
    return {(n.need_id, person_key(n.holder, known), n.active) for n in needs}


_CONTRASTS = frozenset({"not", "never", "rather", "instead"})


def _attached(clause: str, span: Span, previous: Span) -> bool:
    """A piece that belongs to the clause before: a verbless tail describing it ("..., aged 4 and 7"), a
    contrast ("..., not the aisle"), or the rest of a subject it opened ("my husband" + "I are going ..."
    is "my husband and I are going ...")."""
    first = next((t for t in span if not t.is_punct), None)
    if first is None:
        return False
    has_verb = any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBN" for t in span)
    if not has_verb and not mentions_user(clause) and first.tag_ in ("VBN", "CD", "DT"):
        return True
    if not has_verb and first.lower_ in _CONTRASTS:  # "I prefer the window seat, not the aisle"
        return True
    verbless_before = not any(t.pos_ in ("VERB", "AUX") for t in previous)
    if first.dep_ in ("poss", "det", "amod", "compound") and first.head.dep_ == "conj":
        first = first.head  # "Me" + "my husband are going ...": the conjunct is "husband"
    return verbless_before and first.dep_ == "conj" and previous.start <= first.head.i < previous.end


def _opens(previous: Span, span: Span) -> bool:
    """A piece said before the clause it modifies: a verbless adverbial ("These days, I'm based in Madrid"; "On
    Sundays, I hike") or a subordinate clause ("If I fly, I book the aisle"). It belongs to that clause, where
    the wording moves it to the end."""
    inside = {t.i for t in span}
    roots = [t for t in previous if t.head.i < previous.start or t.head.i >= previous.end]
    if not roots or any(t.head.i not in inside for t in roots):
        return False
    if previous[0].lower_ in SUBORDINATORS and all(t.dep_ == "advcl" for t in roots):
        return True
    if any(t.pos_ in ("VERB", "AUX", "INTJ", "PRON") or t.dep_ == "neg" for t in previous):  # "My husband, he"
        return False
    return all(t.dep_ in ("advmod", "npadvmod", "prep") and t.pos_ in ("ADV", "ADP", "SCONJ", "NOUN") for t in roots)


def _without_replaced_retractions(facts: list[str]) -> list[str]:
    """ "User is not vegetarian any more" beside "User eats fish now" (same person, same attribute): only the new
    value is kept, and it supersedes the old one; a retraction said alone stays. And a value corrected later in
    the same message ("I'm vegetarian. Correction: I'm vegan") keeps only the later one, as a later message would
    supersede it."""
    kept = [f for f in facts if not any(g is not f and replaces_retraction(f, g) for g in facts)]
    return [f for i, f in enumerate(kept) if not any(corrects(later, f) for later in kept[i + 1 :])]


def _names_someone(text: str, needs: list[DetectedNeed]) -> bool:
    """A third person's fact worded with their name ("Raj is vegan now"): its first word is a need's holder."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    return any(is_name(n.holder) and n.holder == first for n in needs)


def read_clauses(
    message: str,
    classifier: CategoryClassifier | None,
    said_on: datetime.date | None = None,
    people: Mapping[str, str] | None = None,
) -> tuple[list[str], list[tuple[str, str]]]:
    """Third-person facts about the user in ``message`` (in order, once each), and the statements dropped.

    Clause by clause; but when the clauses' rewrite loses a need the sentence states ("it has to be
    halal", "no nuts at all please, my son's anaphylactic"), the whole sentence is kept, in the third
    person if that still states every need, else as said: no need is dropped or changed on the way in.
    The needs are read in the whole message, so "he" in "For me and my husband. Only he is vegan" is the husband.
    A dropped statement comes as (clause as said, reason): ``small_talk`` (greetings, thanks, moods,
    filler), "not about the user", or an unresolved reference ("I'm obsessed with those").

    ``people`` maps names to the relation said with them before ("Raj" -> "husband", from mem0's existing
    memories): a name said alone is read as that companion. A named person is never the user.
    """
    from concierge.needs.nlp import parse

    said_on = said_on or datetime.date.today()
    message = spelled_out(normalise(message))  # as the detector reads it; "alergic" -> "allergic"
    known = {**(people or {}), **relations([message])}
    message = resolve_names(message, known)  # "Raj is vegan" -> "My husband Raj is vegan"
    doc = parse([message])[0]
    message_needs = detect_needs(message)
    facts: list[str] = []
    dropped: list[tuple[str, str]] = []
    cursor = 0
    for sentence in split_sentences(message):
        clauses, cursor = _sentence_clauses(doc, message, sentence, cursor)
        found = _clause_facts(clauses, message, classifier, said_on, dropped)
        needs = [n for n in message_needs if n.evidence in sentence or sentence in n.evidence]
        found = [f for f in found if not _loses_an_exception(f, needs, known)]
        found += _kept_needs(sentence, found, needs, known, said_on, clauses)
        facts += [f for f in found if f not in facts]
    # hearsay, a bare "said my brother", "you can't forget my allergy": never stored as garbled words
    facts, garbled = without_junk(facts, known, message_needs)
    dropped += garbled
    # a retraction is stored only when the user's own words take the need back plainly (needs.retraction)
    unplain = [f for f in facts if not said_plainly([message], f)]
    dropped += [(f, "not a plain retraction (a question, a joke, a degree, someone else)") for f in unplain]
    facts = [f for f in facts if f not in unplain]
    return _without_replaced_retractions(facts), list(dict.fromkeys(dropped))


def _loses_an_exception(fact: str, needs: list[DetectedNeed], known: Mapping[str, str]) -> bool:
    """A clause fact that drops the exception its sentence names ("User is allergic to nuts" from "I'm allergic to
    nuts but I can eat peanuts", tree nuts only): it states, for a person, a need the sentence does not beside one it
    does, or one a need the sentence states replaces. The sentence is then kept whole (``_kept_needs``)."""
    from concierge.needs.vocabulary import load_vocabulary

    said = {k for k in _keys(needs, known) if k[2]}
    stated = {k for k in _need_keys([fact], known) if k[2]}
    vocabulary = load_vocabulary()
    for need, person, _ in stated - said:
        kept = {n for n, p, _ in said if p == person}
        if kept & {n for n, p, _ in stated if p == person} or any(need in vocabulary.get(n).supersedes for n in kept):
            return True
    return False


def _sentence_clauses(doc: Doc, message: str, sentence: str, cursor: int) -> tuple[list[tuple[str, Span]], int]:
    """The sentence's clauses as said and as parsed in the message, a piece that belongs to its neighbour joined to
    it (``_attached``, ``_opens``); and the new cursor."""
    clauses: list[tuple[str, Span]] = []
    for clause in split_clauses(sentence):
        span, cursor = _span(doc, message, clause, cursor)
        previous = clauses[-1][1] if clauses else None
        if (
            previous is not None
            and previous.doc is span.doc
            and (_attached(clause, span, previous) or _opens(previous, span))
            and not requested(clauses[-1][0], previous)  # "Dinner in Rome tomorrow for 2, I am vegan": two clauses
            and not requested(clause, span)  # "allergic to peanuts, lunch in Paris tomorrow for 2": the need alone
        ):
            merged = previous.doc[previous.start : span.end]
            clauses[-1] = (message[merged.start_char : merged.end_char], merged)
            continue
        clauses.append((clause, span))
    return clauses, cursor


def _clause_facts(
    clauses: list[tuple[str, Span]],
    message: str,
    classifier: CategoryClassifier | None,
    said_on: datetime.date,
    dropped: list[tuple[str, str]],
) -> list[str]:
    """The facts the clauses state, one by one; what the policy drops is added to ``dropped``."""
    from concierge.needs.nlp import parse

    found: list[str] = []
    for said_as, said_span in clauses:
        clause, span = said_as, said_span
        asks = is_question_or_request(said_as, message)
        if not asks and (speaker := with_speaker(said_as)):  # "big fan of tapas": no "I", as chat goes
            clause, span = speaker, parse([speaker])[0][:]
        fact, reason = _read_clause(clause, span, message, classifier, said_on)
        if fact is not None:
            found.append(fact)
        elif reason is not None:
            dropped.append((said_as, reason))
    return found


def _one_per_person(clauses: list[tuple[str, Span]], needs: list[DetectedNeed], known: Mapping[str, str]) -> bool:
    """Whether a sentence's lost needs must be stored one sentence per person rather than as the whole sentence:
    it also asks for something ("Sara is vegan, dinner for 2 in Rome tonight"), or one of its clauses denies
    something of one person beside another's need ("I'm not vegan, only my husband is"; "My wife keeps kosher,
    I don't")."""
    if any(requested(c, span) for c, span in clauses):
        return True
    if len(clauses) < 2:
        return False
    denied = [c for c, span in clauses if any(t.dep_ == "neg" for t in span)]
    people = {person_key(n.holder, known) for n in needs}
    people |= {USER} if any(mentions_user(c) for c in denied) else set()
    return bool(denied) and len(people) > 1


def _kept_needs(
    sentence: str,
    found: list[str],
    needs: list[DetectedNeed],
    known: Mapping[str, str],
    said_on: datetime.date,
    clauses: list[tuple[str, Span]],
) -> list[str]:
    """What keeps every need of the sentence that the clause facts lost: the sentence in the third person, the
    lost needs composed from the vocabulary's labels, or the sentence as said; [] when none was lost.

    A stored fact is one clause about one person: when the sentence's ``clauses`` call for it (``_one_per_person``)
    the lost needs composed one sentence per person come first, so no request and no other person rides along."""
    from concierge.needs.nlp import parse

    said = _keys(needs, known)
    if not said - _need_keys(found, known):
        return []
    lost = [n for n in needs if _keys([n], known) - _need_keys(found, known)]
    rewritten = anchor_time(rewrite(parse([sentence])[0]).text.rstrip(".!"), said_on)
    whole = [[rewritten]] if rewritten.startswith("User") or _names_someone(rewritten, needs) else []
    one_per_person = _one_per_person(clauses, needs, known)
    composed = [c] if (c := compose_needs(lost, known, negated=one_per_person)) else []
    candidates = [*composed, *whole] if one_per_person else [*whole, *composed]
    return next((c for c in candidates if said <= _need_keys([*found, *c], known)), [sentence])


def extract_facts(
    message: str, classifier: CategoryClassifier | None, said_on: datetime.date | None = None
) -> list[str]:
    """Third-person facts about the user stated in ``message``, in order, without duplicates."""
    return read_clauses(message, classifier, said_on)[0]


class OfflineExtractionLLM(LLMBase):
    """Deterministic extraction: same input, same facts; sentences it has never seen work too."""

    config: OfflineExtractorConfig

    def generate_response(
        self,
        messages: list[dict[str, str]],
        response_format: Any = None,
        tools: Any = None,
        tool_choice: str = "auto",
        **kwargs: Any,
    ) -> str:
        prompt = next((m["content"] for m in reversed(messages) if m.get("role") == "user"), "")
        said_on = observation_date(prompt)
        existing = existing_memories(prompt)
        people = relations(text for _, text in existing)  # "User's husband Raj ..." -> {"Raj": "husband"}
        facts: list[str] = []
        for turn in user_turns(prompt):
            found, dropped = read_clauses(turn, self.config.classifier, said_on, people)
            facts += [f for f in found if f not in facts]
            for clause, reason in dropped:  # reported by the add, beside what the store itself refuses
                record_dropped(clause, reason)
        memory = [
            {
                "id": str(i),
                "text": fact,
                "attributed_to": "user",
                "linked_memory_ids": [],
                "supersedes": decide_supersedes(fact, existing),
            }
            for i, fact in enumerate(facts)
        ]
        return json.dumps({"memory": memory})


def register_with_mem0() -> None:
    from mem0.utils.factory import LlmFactory

    LlmFactory.register_provider(MEM0_PROVIDER_NAME, f"{__name__}.OfflineExtractionLLM", OfflineExtractorConfig)
