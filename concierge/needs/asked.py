"""Needs a request asks for by describing what it wants: "halal dinner", "a vegan restaurant", "kosher lunch".

``detect_needs`` reads needs people state about someone ("I'm vegan", "my son is allergic to eggs") and, rightly,
not a diet word that describes a thing ("I love vegan food"). A request that describes the meal it wants is
different: every venue must serve it, whoever it is for. These needs apply to the request (and to the session
it opens); they are not stored as the user's own, because "a vegan restaurant" says nothing about who is vegan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from concierge.needs import nlp
from concierge.needs.described import describes_another_thing, stated_of_a_thing
from concierge.needs.detect import USER, DetectedNeed, detect_needs, normalise
from concierge.needs.lexicon import Lexicon, is_word, lexicon_for
from concierge.needs.vocabulary import NeedVocabulary, load_vocabulary

if TYPE_CHECKING:  # spaCy loads on first parse (nlp.pipeline, without torch), never at import
    from spacy.tokens import Doc, Token

_LIKES = frozenset({"love", "like", "enjoy", "prefer", "adore", "miss", "hate"})
_NEGATIONS = frozenset({"no", "not", "non", "without", "never"})
_WOULD = frozenset({"'d", "would", "d"})


def _liked(doc: Doc) -> bool:
    """ "I love vegan food" tells a taste; "I'd like a vegan restaurant" asks."""
    for tok in doc:
        if tok.lemma_.lower() in _LIKES and tok.pos_ == "VERB":
            before = doc[tok.i - 1].lower_ if tok.i > 0 else ""
            if before not in _WOULD:
                return True
    return False


def needs_asked(text: str, vocabulary: NeedVocabulary | None = None) -> list[DetectedNeed]:
    """The needs ``text`` asks of the venue by naming them (``says`` words, or a food then "free": "dairy-free";
    typos tolerated) that nobody in it states as their own: holder "user" (the party asking), active."""
    vocabulary = vocabulary or load_vocabulary()
    lexicon = lexicon_for(vocabulary)
    doc = nlp.parse([normalise(text or "")])[0]
    if _liked(doc):
        return []
    said = {n.need_id for n in detect_needs(text, vocabulary)}  # and what they replace: "vegetarian who eats fish"
    stated = said | {old for need_id in said for old in vocabulary.get(need_id).supersedes}
    words = [t for t in doc if is_word(t)]
    canonical = [lexicon.canonical(t) for t in words]
    found: dict[str, DetectedNeed] = {}
    for span in lexicon.find(canonical, lexicon.need_phrases):
        roles = lexicon.need_phrases[span.phrase]
        if span.start > 0 and canonical[span.start - 1] in _NEGATIONS:
            continue  # "no vegan options needed"
        free = span.end < len(canonical) and canonical[span.end] == "free"  # "a dairy-free lunch", "nut free"
        if _another_thing(words[span.start : span.end], roles, vocabulary, lexicon):
            continue  # "a blind wine-tasting dinner", "a vegan leather shop" (``described``)
        for need_id, role in roles:
            if role not in ("says", "foods" if free else "says") or need_id in stated or need_id in found:
                continue
            spec = vocabulary.get(need_id)
            evidence = doc[words[span.start].i : words[span.end - 1].i + 1].text
            found[need_id] = DetectedNeed(spec.id, spec.kind, spec.label, USER, True, evidence)
    return list(found.values())


def _another_thing(tokens: list[Token], roles: list, vocabulary: NeedVocabulary, lexicon: Lexicon) -> bool:
    sense = any(vocabulary.get(i).kind == "accessibility" for i, _ in roles)
    people = frozenset(p[0] for p in lexicon.cues["companions"] if len(p) == 1)
    return describes_another_thing(tokens, sense=sense, known=people) or stated_of_a_thing(tokens, people)


def with_needs_asked(needs: list[DetectedNeed], texts: Sequence[str]) -> list[DetectedNeed]:
    """``needs`` plus what ``texts`` (this session's requests) ask of the venue, unless someone's own statement
    of the same need already covers it for the party."""
    have = {(n.need_id, n.holder) for n in needs}
    extra = [n for t in texts for n in needs_asked(t) if (n.need_id, n.holder) not in have]
    return needs + list({n.need_id: n for n in extra}.values())


def needs_named(text: str, vocabulary: NeedVocabulary | None = None) -> list[DetectedNeed]:
    """Every need ``text`` names, whoever has it ("is it safe for someone with a nut allergy to eat in Porto?",
    "can a vegan find food in Athens?"): what a question about a place asks the catalog to meet. Holder "user"
    only so the catalog's filters apply; nothing here is stored as anyone's need."""
    vocabulary = vocabulary or load_vocabulary()
    lexicon = lexicon_for(vocabulary)
    doc = nlp.parse([normalise(text or "")])[0]
    canonical = [lexicon.canonical(t) for t in doc if is_word(t)]
    avoided = {span.start for span in lexicon.cue(canonical, "avoid_after")}  # "allergy", "intolerance"
    found = {n.need_id: dataclasses.replace(n, holder=USER) for n in detect_needs(text, vocabulary) if n.active}
    for span in lexicon.find(canonical, lexicon.need_phrases):
        if span.start > 0 and canonical[span.start - 1] in _NEGATIONS:
            continue
        for need_id, role in lexicon.need_phrases[span.phrase]:
            if role == "says" or span.end in avoided:  # "vegan"; "nut" only as "nut allergy"
                spec = vocabulary.get(need_id)
                found.setdefault(need_id, DetectedNeed(spec.id, spec.kind, spec.label, USER, True, text))
    return list(found.values())
