"""Forget by chat: find the memories a "please forget ..." message points at, decide, and delete them.

Only ``ConciergeMemory``'s public ``search`` / ``list`` / ``delete`` / ``retract`` are used, always with the
caller's scope, so only that user's memories (long-term, plus the current session's) are ever candidates, and
a store that hides superseded versions from search and list hides them here too.

What goes with a memory: a targeted request ("forget that I'm vegan") and "that's no longer true" delete it
and the earlier versions it replaced (nothing hidden about it is kept, nothing older comes back); a
correction ("scratch that", "I misspoke") retracts the fact said last: it goes and the versions it had
replaced are current again ("I'm vegan now" taken back leaves "vegetarian").

How a memory is scored against what the user asked to forget (``target``):

- ``semantic``: the memory layer's search score for the target (cosine similarity, 0..1; 0 if not found);
- ``keyword``: the share of the target's content words found in the memory (same word, a shared stem of
  5+ letters such as "preference"/"prefers", a shared 4-letter word start such as "live"/"lives", or a
  typo at rapidfuzz ratio >= 85);
- ``needs``: when the target names needs (config/needs.yaml, read by ``concierge.needs``: "nuts" names
  peanuts and tree nuts, "peanuts" only peanuts), the share of named needs both agree on, for the same
  person ("my son's peanut allergy" never matches the user's own). A memory naming none of them is no match.

``score`` = (keyword + semantic) / 2, or 0.5 * needs + 0.25 * (keyword + semantic) when the target names
needs. A memory is a candidate when its score is at least ``MIN_SCORE`` and, without needs, its keyword
share is at least ``MIN_KEYWORD`` (2 of 3 words, not 1 of 2): a memory close in meaning that says none of
the words is never deleted. Identical texts (a session copy and the long-term fact) are one candidate and
are deleted together.

Decision (``decide``, pure): no candidate -> nothing is deleted; the best candidate is deleted only if
every other one scores at least ``MARGIN`` lower and, with needs, it names no need the user did not ask to
forget (forgetting "peanuts" never deletes "allergic to nuts", which also holds tree nuts), and a partial
need match (forgetting "nuts" when "peanuts" is stored) has no other candidate at all; otherwise the reply
lists the comparable candidates and asks which one, deleting nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from concierge.errors import InvalidInputError
from concierge.memory import forget_topics
from concierge.memory.records import MemoryRecord
from concierge.needs.current import another_kind, states_needs, told_apart
from concierge.request.same_word import MIN_STEM, same_word

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from concierge.memory.layer import ConciergeMemory
    from concierge.request.forget import ForgetRequest
    from concierge.scope import Scope

MIN_SCORE = 0.45
MIN_KEYWORD = 0.6  # more than half of the words: "I live in Paris" is not "User lives in Lisbon"
MARGIN = 0.15
MAX_ASKED = 5  # candidates listed when asking which one
SEARCH_TOP_K = 20
SAME_MESSAGE_SECONDS = 0.0  # the OSS store gives every fact of one message the same created_at
# Words for one attribute of the user, as lemmas: a forget request may name it with any of them.
_CONCEPTS: dict[str, frozenset[str]] = {
    "home": frozenset({"live", "move", "relocate", "settle", "base", "reside", "home", "address", "where"}),
    "name": frozenset({"name", "call", "called", "named", "surname", "nickname"}),
    "job": frozenset(
        {"job", "work", "career", "profession", "occupation", "employ", "employer", "employed", "workplace", "office"}
    ),
    "age": frozenset({"age", "old", "aged"}),
    "birthday": frozenset({"birthday", "born", "birth", "birthdate", "bday"}),
    "preference": frozenset({"preference", "prefer", "like", "love", "enjoy", "favourite", "favorite", "fan"}),
    # "remove the Berlin trip" finds "User is going to Berlin in May"
    "travel": frozenset({"trip", "travel", "go", "head", "visit", "holiday", "vacation", "fly", "journey", "tour"}),
}
# Words spaCy counts as stop words that name an attribute of the user all the same ("forget my name").
_ATTRIBUTE_WORDS = frozenset({"name", "call", "called", "where"})
# Words that only ask which attribute ("where I work", "how old I am"): dropped when the target names one otherwise.
_ASKING_WORDS = frozenset({"where", "old"})
_IGNORED_WORDS = frozenset(
    {"user", "users", "forget", "remember", "said", "told", "thing", "stuff", "bit", "fact", "info", "information",
     "details"}
)  # fmt: skip

Status = Literal["forgotten", "ask", "no_match", "no_recent_fact", "everything", "kept_need", "refused", "confirm"]
NeedKey = tuple[str, str | None]  # (need id, whose: "user", "son", ...; None when only the need is named)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One memory (or several with the same text) scored against the target."""

    records: tuple[MemoryRecord, ...]
    semantic: float
    keyword: float
    needs: float | None = None  # None when the target names no need
    covered: bool = True  # every need the memory names was asked to be forgotten
    nobody: bool = False  # the target names a need or food but nobody's ("forget about peanuts")

    @property
    def text(self) -> str:
        return self.records[0].text

    @property
    def score(self) -> float:
        if self.needs is None:
            return (self.keyword + self.semantic) / 2
        return 0.5 * self.needs + 0.25 * (self.keyword + self.semantic)

    @property
    def eligible(self) -> bool:
        if self.score < MIN_SCORE:
            return False
        if self.needs is None:
            return self.keyword >= MIN_KEYWORD
        return self.needs > 0


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do: delete ``chosen`` (status ``forgotten``), or ask among ``candidates``, or nothing."""

    status: Literal["forgotten", "ask", "no_match"]
    chosen: tuple[MemoryRecord, ...] = ()
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True, slots=True)
class Forgotten:
    """The outcome of one forget request, as the reply carries it (ids and texts of what was deleted)."""

    status: Status
    target: str  # what the user asked to forget, as read; "" for "that's no longer true" and "scratch that"
    deleted: tuple[MemoryRecord, ...] = ()
    candidates: tuple[MemoryRecord, ...] = ()  # when asking which one
    restored: tuple[MemoryRecord, ...] = ()  # after a correction: the versions the deleted fact had replaced

    def answer(self) -> str:
        """The reply: which memories were removed (quoted) and which are current again, or the question, or why
        nothing was."""
        asked = f'"{self.target}"' if self.target else "that"
        if self.status == "forgotten":
            lines = [f'- "{r.text}"' for r in self.deleted]
            again = [f'- "{r.text}"' for r in self.restored]
            return "\n".join(["Done. I no longer remember:", *lines, *(["I remember again:", *again] if again else [])])
        if self.status == "ask":
            lines = [f'{i}. "{r.text}"' for i, r in enumerate(self.candidates, 1)]
            return "\n".join(
                [
                    f"Several memories could match {asked}; nothing was deleted. Which one should I forget?",
                    *lines,
                    'Tell me again with its words, for example: forget that "' + self.candidates[0].text + '".',
                ]
            )
        if self.status == "no_recent_fact":
            return (
                "You have not told me any fact in this session, so I do not know which fact you mean; "
                'nothing was deleted. Say what to forget, for example "forget that I live in Paris".'
            )
        if self.status == "kept_need":  # "scratch that" after a need: a need goes only when named
            kept = [f'- "{r.text}"' for r in self.candidates]
            return "\n".join(
                [
                    "I keep a need until you name it, so nothing was deleted:",
                    *kept,
                    'To remove it, say which, for example "forget that I\'m allergic to peanuts", or that it changed '
                    '("I\'m not allergic to peanuts any more").',
                ]
            )
        if self.status == "confirm":  # "Forget my peanut allergy. Sike.": a need goes only when asked plainly
            said = self.candidates[0].text
            return (
                f'Do you mean I should forget "{said}"? Nothing was deleted: I forget a need only when that is all '
                "the message asks."
            )
        if self.status == "refused":  # "Forget my peanut allergy? Never.": taken back or mocked
            return "Understood: I keep what I remember; nothing was deleted."
        if self.status == "everything":
            kept = ", and what you asked me to keep stays" if self.target else ""
            return (
                f"I do not erase everything from a chat message; nothing was deleted{kept}. To erase all I remember "
                "about you, use the Forget button in the memory inspector or `concierge memory forget --user ID`."
            )
        return (
            f"No memory of yours matches {asked}, so nothing was deleted. "
            'Ask "what do you remember about me?" to see what I keep.'
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "target": self.target,
            "deleted": [{"id": r.id, "text": r.text} for r in self.deleted],
            "candidates": [{"id": r.id, "text": r.text} for r in self.candidates],
            "restored": [{"id": r.id, "text": r.text} for r in self.restored],
        }


# -- scoring --------------------------------------------------------------------------------------------------------
def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning (spaCy's English stop words and a few request words removed)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = re.findall(r"[^\W\d_]+", text.casefold())
    kept = (w for w in words if len(w) > 1 and (w not in STOP_WORDS or w in _ATTRIBUTE_WORDS))
    return list(dict.fromkeys(w for w in kept if w not in _IGNORED_WORDS))


def _concept(word: str) -> str:
    """The attribute a word names when several words name it: "live", "moved", "based" -> "home" (a long word
    misspelt too: "adress", "prefrence")."""
    from lemminflect import getLemma
    from rapidfuzz.distance import OSA

    lemmas = {word, getLemma(word, upos="VERB")[0], getLemma(word, upos="NOUN")[0]}
    named = next((name for name, said in _CONCEPTS.items() if lemmas & said), None)
    if named is None and len(word) >= MIN_STEM + 1:
        near = (n for n, said in _CONCEPTS.items() for w in said if len(w) > MIN_STEM and OSA.distance(word, w) <= 2)
        named = next(near, None)
    return named or word


def _named_attribute(word: str) -> str | None:
    """The attribute ``word`` names ("born" -> "birthday"), or None when it names none."""
    concept = _concept(word)
    return concept if concept in _CONCEPTS else None


def keyword_share(
    target_words: Sequence[str],
    memory_text: str,
    topic: frozenset[str] = frozenset(),
    off: frozenset[str] = frozenset(),
) -> float:
    """Share of the target's content words that the memory says too, or another word for the same attribute
    ("forget where I live" finds "User moved to Lyon"), or a word that only names ``topic``, the words of the topic
    both the target and the memory are of (``concierge.memory.forget_topics``); a word of ``off`` (naming the
    target's topic when the memory is of another: "living" in "what I do for a living" is not "User lives in
    Leeds") is said only as itself. 0 when the target has none."""
    if not target_words:
        return 0.0
    named = {_concept(t) for t in target_words if t not in _ASKING_WORDS} - set(target_words)
    if named:  # "where I work" names the job: "where" is only how it is asked
        target_words = [t for t in target_words if t not in _ASKING_WORDS]
    words = content_words(memory_text)
    concepts = {_concept(w) for w in words} | stated_attributes(memory_text)
    said = sum(
        t in words
        or (t not in off and (any(same_word(t, w) for w in (*words, *topic)) or _named_attribute(t) in concepts))
        for t in target_words
    )
    return said / len(target_words)


def named_attributes(memory_text: str) -> frozenset[str]:
    """The attributes a memory's words name ("User moved to Lyon": home; "User loves sushi": preference)."""
    return frozenset(a for w in content_words(memory_text) if (a := _named_attribute(w)) is not None)


_USER_WORDS = frozenset({"user", "i", "he", "she", "they", "we"})


@functools.lru_cache(maxsize=512)
def stated_attributes(memory_text: str) -> frozenset[str]:
    """The attributes a memory states without naming them, read on its parse: "User is Jake" (a proper name said
    of the user) states the name, "User is 34" the age, "User is a nurse" the job. A memory that states a need
    names no attribute this way ("User is a vegetarian" is never "my job")."""
    from concierge.needs.nlp import parse

    if states_needs(memory_text):
        return frozenset()
    found: set[str] = set()
    for token in parse([memory_text])[0]:
        head = token.head
        if token.dep_ not in ("attr", "acomp", "npadvmod") or head.lemma_ != "be":
            continue
        if any(c.dep_ == "nsubj" and c.lower_ in _USER_WORDS for c in head.children):
            found |= _attribute_said(token)
    return frozenset(found)


def _attribute_said(token: Token) -> set[str]:
    """What a word said of the user states: a name ("Jake"), an age ("34") or a job ("a nurse")."""
    if (token.pos_ == "PROPN" and token.ent_type_ not in ("NORP", "GPE", "LANGUAGE")) or (
        token.is_title and token.pos_ == "ADJ" and not token.ent_type_
    ):  # the small tagger reads "Jake" as ADJ
        return {"name"}
    if token.pos_ == "NUM" or token.like_num or any(c.like_num for c in token.children):
        return {"age"}
    if token.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children):
        return {"job"}
    return set()


def need_agreement(target: frozenset[NeedKey], memory: frozenset[NeedKey]) -> tuple[float, bool]:
    """(share of the needs named by either that both name for compatible people, memory names only asked needs)."""
    target_ids = {i for i, _ in target}
    memory_ids = {i for i, _ in memory}
    shared = {
        i
        for i in target_ids & memory_ids
        if any(ht is None or hm is None or ht == hm for t, ht in target if t == i for m, hm in memory if m == i)
    }
    union = target_ids | memory_ids
    return (len(shared) / len(union) if union else 0.0), memory_ids <= shared


def named_in_own_words(target: str) -> tuple[frozenset[str], bool]:
    """(the needs ``target`` names in their own words, whether it names a food that only contains one): "my allergy
    to peanut butter" and "sesame oil" name no need; "my peanut allergy" names peanuts (``NeedSpec.own_words``)."""
    from concierge.needs import load_vocabulary, nlp
    from concierge.needs.lexicon import is_word, lexicon_for

    lexicon = lexicon_for(load_vocabulary())
    tokens = [t for t in nlp.parse([target])[0] if is_word(t)]
    named: set[str] = set()
    narrower = False
    for span in lexicon.find([lexicon.canonical(t) for t in tokens], lexicon.need_phrases):
        ids = {need for need, _ in lexicon.need_phrases[span.phrase]}
        own = set() if _modifies_a_food(tokens[span.end - 1]) else {n for n in ids if span.phrase in lexicon.own[n]}
        named |= own
        narrower |= not own
    return frozenset(named), narrower


_CONDITION_NOUNS = frozenset({"allergy", "allergies", "intolerance", "intolerances", "sensitivity", "diet", "thing"})
# Nouns that stand for a need when a need's word says which ("my dairy thing", "the nut stuff", "my gluten diet").
_VAGUE_NOUNS = _CONDITION_NOUNS | frozenset(
    {"things", "stuff", "business", "situation", "restriction", "restrictions", "issue", "issues", "problem",
     "problems", "requirement", "requirements", "need", "needs", "matter"}
)  # fmt: skip


def _modifies_a_food(word: Token) -> bool:
    """ "peanut oil allergy": the need's word names a kind of another thing ("oil"), not the need itself (read on
    the parse, and on the next word, where the small parser makes every noun a compound of the last)."""
    head, after = word.head, word.nbor(1) if word.i + 1 < len(word.doc) else None
    for other in (head, after):
        if other is not None and other.i > word.i and other.pos_ == "NOUN" and other.lower_ not in _VAGUE_NOUNS:
            return other is after or word.dep_ in ("compound", "amod", "nmod")
    return False


def need_keys(texts: Sequence[str], only: frozenset[str] | None = None) -> list[frozenset[NeedKey]]:
    """Per text, the needs it names: stated ones with whose they are, merely named foods with no person.

    With ``only``, whose need it is is read (a full parse) only in texts naming one of those needs."""
    from concierge.needs import detect_needs, load_vocabulary, nlp
    from concierge.needs.lexicon import is_word, lexicon_for

    lexicon = lexicon_for(load_vocabulary())
    keys = []
    for text, doc in zip(texts, nlp.parse(list(texts)), strict=True):
        words = [lexicon.canonical(t) for t in doc if is_word(t)]
        spans = lexicon.find(words, lexicon.need_phrases)
        named = {need for span in spans for need, _ in lexicon.need_phrases[span.phrase]}
        wanted = named if only is None else named & only
        read = detect_needs(text) if wanted else []
        stated = {(n.need_id, n.holder.casefold()) for n in read if n.need_id in named}
        said = {i for i, _ in stated}
        keys.append(frozenset(stated | {(i, None) for i in named - said}))
    return keys


def _says_other_than_needs(target: str) -> bool:
    """ "forget that I love peanuts": a clause about a named food that states no need (a like, a habit)."""
    from concierge.needs.current import statements
    from concierge.needs.nlp import parse

    return not statements(target) and any(t.pos_ in ("VERB", "AUX") for t in parse([target])[0])


def _same_statement(target: str, memory: str) -> bool:
    """Every need both state is stated the same way (held or not, an avoidance or not): "forget that I eat
    peanuts" and "forget that I avoid peanuts" are not the allergy."""
    from concierge.needs.current import statements

    stated = statements(target)
    said = {s.need.need_id: s.need.active for s in stated}
    if stated and _avoidance(target) != _avoidance(memory):
        return False
    return all(said.get(s.need.need_id, s.need.active) == s.need.active for s in statements(memory))


_CONDITION_WORDS = frozenset(
    {"allergic", "allergy", "allergies", "allergen", "anaphylactic", "anaphylaxis", "epipen", "intolerant",
     "intolerance", "sensitive", "sensitivity"}
)  # fmt: skip


def _avoidance(text: str) -> bool:
    """The text states a need only as an avoidance ("I avoid peanuts", "User can't eat eggs"): no condition word
    ("allergic", "intolerance") and none of the need's own terms ("vegan", "coeliac", "wheelchair")."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import is_word, lexicon_for
    from concierge.needs.nlp import parse

    lexicon = lexicon_for(load_vocabulary())
    doc = parse([text])[0]
    if any(t.lower_ in _CONDITION_WORDS for t in doc):
        return False
    words = [lexicon.canonical(t) for t in doc if is_word(t)]
    says = {p for p, roles in lexicon.need_phrases.items() if any(role == "says" for _, role in roles)}
    return not lexicon.find(words, says)


def _agreement(
    target: str, target_needs: frozenset[NeedKey], memory: str, needs: frozenset[NeedKey]
) -> tuple[float, bool]:
    """``need_agreement``, less a memory that states a need when the target says something else of the food (a
    like is not an allergy) or states the need the other way."""
    from concierge.needs.current import statements

    stated = statements(memory)
    if stated and (_says_other_than_needs(target) or not _same_statement(target, memory)):
        return 0.0, False
    if any(s.need.active for s in stated) and _about_someone_else(target):
        return 0.0, False  # "forget that my neighbour is allergic": never the user's own need
    agreement, covered = need_agreement(target_needs, needs)
    if any(s.need.active for s in stated) and not _names_a_need(target):
        return agreement, False  # "peanut butter recipe", "gluten-free beer": a mention, not the need: ask
    return agreement, covered


def _about_someone_else(target: str) -> bool:
    """ "my neighbour is allergic": the statement's subject is a person the vocabulary does not know (the
    detector then reads the need as the user's)."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for
    from concierge.needs.nlp import parse

    companions = lexicon_for(load_vocabulary()).cues["companions"]
    return any(
        t.dep_ == "nsubj"
        and t.pos_ in ("NOUN", "PROPN")
        and any(c.dep_ == "poss" for c in t.children)
        and (t.lower_,) not in companions
        and (t.lemma_.lower(),) not in companions
        for t in parse([target])[0]
    )


def _names_a_need(target: str) -> bool:
    """The target states a need, or names it ("my peanut allergy"), once the words that only describe another
    thing are left out: "wheelchair-friendly hotel", "gluten-free beer" name a hotel and a beer."""
    from concierge.needs.current import statements
    from concierge.needs.nlp import parse

    doc = parse([target])[0]
    described = {
        w.i
        for t in doc
        if t.dep_ == "amod" and t.head.pos_ in ("NOUN", "PROPN") and any(c.text == "-" for c in t.children)
        for w in t.subtree
    }
    return bool(statements(" ".join(t.text for t in doc if t.i not in described))) or _vaguely_named(doc)


def _vaguely_named(doc: Doc) -> bool:
    """ "my dairy thing", "the nut stuff": a vague noun whose modifier is a need's own word names that need."""
    from concierge.needs.retraction import need_words

    own = need_words()
    return any(
        t.lower_ in _VAGUE_NOUNS and any(c.dep_ in ("compound", "amod", "nmod") and c.lower_ in own for c in t.children)
        for t in doc
    )


def whose(text: str) -> str | None:
    """Whom a target or a memory is about: "user", a companion ("son" for "my son's allergy", "User's older
    daughter ..."), or None when it names nobody ("peanuts")."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for
    from concierge.needs.nlp import parse

    companions = lexicon_for(load_vocabulary()).cues["companions"]
    doc = parse([text])[0]
    for token in doc:
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        named = (token.lower_,) in companions or (token.lemma_.lower(),) in companions
        if named and owner is not None and owner.lower_ in ("my", "our", "user"):
            return token.lemma_.lower()
    if any(t.lower_ in ("i", "me", "my", "we", "us", "our", "user", "myself") for t in doc):
        return "user"
    return None


# What a forget request keeps: a preposition of exception ("except", "apart from", "save for"), or a verb of keeping
# after a comma or a conjunction ("but remember", ", though keep", ", save", "but not", "and don't delete").
_KEEP_VERB = r"(?:remember|keep|save|retain|leave|spare|preserve|hold\s+on\s+to|still\s+(?:remember|keep))"
_DONT = r"(?:don'?t|do\s+not|never)\s+(?:forget|delete|drop|touch|remove|erase|lose)"
_EXCEPT = re.compile(
    r"(?:[\s,;]+(?:except(?:\s+for)?|apart\s+from|aside\s+from|other\s+than|besides|excluding|save(?:\s+for)?|bar"
    r"|with\s+the\s+exception\s+of|keeping|retaining|leaving(?:\s+out)?|sparing|not\s+including)"
    rf"|\s*[,;]\s*(?:(?:but|though|although|yet|and|however|just|only)\s+)?(?:{_KEEP_VERB}|{_DONT}|not)"
    rf"|\s+(?:but|though|although|yet|however)\s*,?\s+(?:(?:do\s+|please\s+)?{_KEEP_VERB}|{_DONT}|not)"
    rf"|\s+and\s+(?:{_DONT}|(?:please\s+)?{_KEEP_VERB}))\s+(?P<kept>.+)$",
    re.IGNORECASE,
)


def split_exception(target: str) -> tuple[str, str | None]:
    """ "my son except his allergy" -> ("my son", "his allergy"): what to forget, and what the request keeps."""
    found = _EXCEPT.search(target)
    return (target[: found.start()].strip(), found.group("kept").strip()) if found else (target, None)


def _excepted(kept: str, memory: str) -> bool:
    """A memory a request's exception keeps: one that states a need (a need goes only when named, and "everything
    about my son but ..." names none), or that the exception's words name ("except his Lego")."""
    if states_needs(memory):
        return True
    words = content_words(kept)
    return bool(words) and keyword_share(words, memory) >= 0.5


# Verbs that only say a need is kept ("I eat halal", "my wife uses a wheelchair", "I keep kosher").
_KEEPING_A_NEED = frozenset(
    {"eat", "eats", "eating", "keep", "keeps", "use", "uses", "need", "needs", "follow", "follows", "avoid",
     "avoids", "drink", "drinks", "observe", "observes", "note", "diet"}
)  # fmt: skip


def _says_more_of_it(target: str, memory: str) -> bool:
    """The request says something of the need the memory does not ("forget about the peanut allergy being mild,
    it's severe", attack7 H5): words that are neither the need's nor a person's, missing from the memory."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for
    from concierge.needs.retraction import need_words

    companions = lexicon_for(load_vocabulary()).cues["companions"]
    own = need_words()
    said = [w for w in content_words(target) if w not in own and w.rstrip("s") not in own and w not in _KEEPING_A_NEED]
    extra = [w for w in said if (w,) not in companions]
    return bool(extra) and keyword_share(extra, memory) < 1


def score_candidates(target: str, records: Sequence[MemoryRecord], semantic: dict[str, float]) -> list[Candidate]:
    """Every record scored against ``target``, records with the same text merged (see the module docstring);
    none for a forget-all that names what to keep ("everything except my peanut allergy")."""
    if keeps_something(target):
        return []
    target, kept = split_exception(target)
    if kept is not None:  # "my son except his allergy": what it keeps, and every need, is no candidate
        records = [r for r in records if not _excepted(kept, r.text)]
    words = content_words(target)
    groups: dict[str, list[MemoryRecord]] = {}
    for record in records:
        groups.setdefault(" ".join(record.text.casefold().split()), []).append(record)
    own, narrower = named_in_own_words(target)
    (target_needs,) = need_keys([target])
    target_needs = frozenset(k for k in target_needs if k[0] in own)  # "peanut butter" names no need
    person = whose(target)
    if target_needs and person is None:  # "forget the peanut allergy": whose is not said
        target_needs = frozenset((need, None) for need, _ in target_needs)
    elif person is not None:  # "my peanut thing" states nothing but is the user's: never "User's son is ..."
        target_needs = frozenset((need, holder or person) for need, holder in target_needs)
    nobody = bool(target_needs) and all(holder is None for _, holder in target_needs)
    named_topic = None if target_needs else forget_topics.named_topic(target)
    texts = [g[0].text for g in groups.values()]
    no_needs: list[frozenset[NeedKey]] = [frozenset()] * len(texts)
    memory_needs = need_keys(texts, frozenset(i for i, _ in target_needs)) if target_needs else no_needs
    found = []
    for group, needs in zip(groups.values(), memory_needs, strict=True):
        best = max(semantic.get(r.id, 0.0) for r in group)
        text = group[0].text
        agreement, covered = _agreement(target, target_needs, text, needs) if target_needs else (None, True)
        if narrower and not target_needs and states_needs(text):
            agreement, covered = 0.0, False  # "forget my allergy to peanut butter" is not the peanut allergy
        if target_needs and (another_kind(target, text) or _says_more_of_it(target, text)):
            covered = False  # "forget that I'm lactose intolerant" with a milk allergy stored: ask, never delete
        if target_needs and told_apart(target, text):
            covered = False  # "forget my son's peanut allergy" with the foster son's stored: ask (attack9 H5)
        about = whose(text) if person else None
        topic, off = _topic_words(named_topic, text)
        mine = not about or about == person  # the user is not their son
        keyword = keyword_share(words, text, topic, off) if mine else 0.0
        found.append(Candidate(tuple(group), best, keyword, agreement, covered, nobody))
    return found


def _topic_words(named: str | None, memory: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the words of the topic the target names when ``memory`` states that topic too: "my travel dates" and "User
    is flying to Paris on the 12th"; the same words when ``memory`` surely states another topic), else none."""
    if named is None:
        return frozenset(), frozenset()
    stated = forget_topics.stated_topic(memory)
    words = forget_topics.topic_words(named)
    if stated == named:
        return words, frozenset()
    return frozenset(), words if stated is not None else frozenset()


def decide(candidates: Sequence[Candidate]) -> Decision:
    """Pure: delete the one clear best match, ask when several are comparable or it says more, else nothing."""
    ranked = sorted((c for c in candidates if c.eligible), key=lambda c: c.score, reverse=True)
    if not ranked:
        return Decision("no_match")
    best, rivals = ranked[0], [c for c in ranked[1:] if c.score > ranked[0].score - MARGIN]
    partial = best.needs is not None and best.needs < 1  # "my nut allergy" with only peanuts stored: which?
    if best.needs is not None and (partial or best.nobody):
        rivals = ranked[1:]  # "nuts" with "peanuts" and "tree nuts" stored, "peanuts" said of two people: ask
    if rivals or not best.covered or partial:
        return Decision("ask", candidates=tuple([best, *rivals][:MAX_ASKED]))
    return Decision("forgotten", chosen=best.records, candidates=(best,))


# -- the request ----------------------------------------------------------------------------------------------------
def _when(record: MemoryRecord) -> datetime | None:
    try:
        return datetime.fromisoformat(record.created_at) if record.created_at else None
    except ValueError:
        return None


def latest_facts(records: Sequence[MemoryRecord], run_id: str | None) -> list[MemoryRecord]:
    """The long-term facts the user stated in their newest message of session ``run_id`` (agents' session
    notes are not the user's statements)."""
    said = [(w, r) for r in records if run_id and r.run_id is None and r.source_run_id == run_id and (w := _when(r))]
    if not said:
        return []
    newest = max(w for w, _ in said)
    return [r for w, r in sorted(said, key=lambda p: p[0]) if (newest - w).total_seconds() <= SAME_MESSAGE_SECONDS]


def _earlier_versions(memory: ConciergeMemory, scope: Scope, memory_id: str) -> list[MemoryRecord]:
    """The superseded versions a memory replaced (its history before it); none for a memory without history."""
    try:
        chain = memory.history(scope, memory_id)
    except InvalidInputError:
        return []
    return [v for v in chain if v.id != memory_id and not v.is_current]


_ALL = re.compile(
    r"^\s*(?:(?:about|of)\s+)?(?:everything|all|anything|every\s+\w+|it\s+all|the\s+lot|me|all\s+of\s+it)\b",
    re.IGNORECASE,
)
_KEEPING = re.compile(
    r"\b(?:except|but|apart\s+from|aside\s+from|other\s+than|besides|save|bar|keep|keeping|not|excluding|yet"
    r"|exception|retain(?:ing)?|spar(?:e|ing))\b",
    re.IGNORECASE,
)


def keeps_something(target: str) -> bool:
    """ "everything except my peanut allergy", "all but my allergy": a forget-all that names what to keep. Read as
    a whole, never as a request to forget the thing named after "except"."""
    return bool(_ALL.search(target) and _KEEPING.search(target))


def forget_by_chat(memory: ConciergeMemory, scope: Scope, request: ForgetRequest) -> Forgotten:
    """Carry out one forget request for the user of ``scope`` (and their current session), and say what happened."""
    if request.kind == "refused":
        return Forgotten("refused", "")
    if request.kind == "everything" or (request.kind == "target" and keeps_something(request.target)):
        return Forgotten("everything", request.target)  # nothing is erased from chat; the inspector erases all
    if request.kind in ("correction", "stale"):
        outcome = _recent(memory, scope, request.kind)
        if isinstance(outcome, Forgotten):
            return outcome
        decision = outcome
    else:
        decision = _searched(memory, scope, request.target)
        if decision.status == "forgotten" and not _plainly_asked(request.said, decision.chosen):
            return Forgotten("confirm", request.target, candidates=decision.chosen)
    return _carry_out(memory, scope, request.target, decision)


def _plainly_asked(message: str, chosen: Sequence[MemoryRecord]) -> bool:
    """A memory that states a need goes only when the message is a plain request naming it, with neutral company
    at most (``concierge.request.plain_forget``); any other memory goes as asked."""
    from concierge.request.plain_forget import plainly_names

    return all(not states_needs(r.text) or plainly_names(message, r.text) for r in chosen)


def _recent(memory: ConciergeMemory, scope: Scope, kind: str) -> Decision | Forgotten:
    """ "scratch that" (a correction: retracted, what it replaced current again) or "that's no longer true" (the
    facts of the user's newest message go): what the user said last in this session."""
    latest = latest_facts(memory.list(scope), scope.run_id)
    if not latest:
        return Forgotten("no_recent_fact", "")
    if len(latest) > 1:
        return Forgotten("ask", "", candidates=tuple(latest))
    if kind == "correction":  # a mistake: what it had replaced is current again
        (said,) = latest
        undone = memory.retract(scope, said.id)
        deleted = (undone.deleted,) if undone.deleted else ()
        return Forgotten("forgotten" if deleted else "no_match", "", deleted=deleted, restored=undone.restored)
    return Decision("forgotten", chosen=tuple(latest))


def _searched(memory: ConciergeMemory, scope: Scope, target: str) -> Decision:
    """The decision on every memory of the user (listed, plus what search finds) scored against ``target``."""
    found = memory.search(scope, target, top_k=SEARCH_TOP_K)
    semantic = {r.id: r.score for r in found if r.score is not None}
    listed = {r.id: r for r in memory.list(scope)}
    listed.update({r.id: r for r in found if r.id not in listed})
    return decide(score_candidates(target, list(listed.values()), semantic))


def _carry_out(memory: ConciergeMemory, scope: Scope, target: str, decision: Decision) -> Forgotten:
    """Delete what was chosen and the versions it replaced, or say which candidates to choose from."""
    if decision.status == "forgotten":
        earlier = [v for r in decision.chosen for v in _earlier_versions(memory, scope, r.id)]
        deleted = tuple(r for r in decision.chosen if memory.delete(scope, r.id))
        for version in earlier if deleted else ():  # no hidden version left pointing at a deleted memory
            memory.delete(scope, version.id)
        return Forgotten("forgotten" if deleted else "no_match", target, deleted=deleted)
    if decision.status == "ask":
        return Forgotten("ask", target, candidates=tuple(c.records[0] for c in decision.candidates))
    return Forgotten("no_match", target)
