"""Whether a need statement is asserted by its speaker: the mood of the clause that carries it, read on the parse.

A need is only ever taken back by a plain statement ("I'm not allergic to peanuts any more", "my son has
outgrown his egg allergy"). The same words embedded under another verb or mood say nothing about now:

- a wish or a hypothetical: "I wish I wasn't allergic", "If I weren't allergic I'd eat satay", "I might not be";
- reported speech or belief: "my doctor said I'm not", "people think I'm not", "I think I'm not any more"
  ("User says they are no longer vegan", the memory layer's rewrite of the user's own words, stays plain);
- a question, a test or a game: "Am I still allergic?", "getting tested to see if I'm still allergic",
  "let's pretend I'm not";
- denial of a negation: "It's not true that I'm not allergic" states the allergy.

``reading`` walks from the need's words up the dependency tree and returns what the clause is; ``settle``
applies it to what the detector read: an unasserted retraction is dropped (a stated need is kept, the safe
side), a denied retraction becomes the need.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from concierge.needs.detect import DetectedNeed

Reading = Literal["asserted", "unasserted", "denied"]

# Verbs whose complement is not asserted by the speaker (lemmas).
_OPAQUE = frozenset(
    {
        "wish", "hope", "pretend", "imagine", "suppose", "assume", "dream", "pray", "wonder", "doubt", "think",
        "believe", "reckon", "guess", "feel", "fear", "worry", "suspect", "seem", "appear", "claim", "test",
        "check", "see", "ask", "find", "know", "hear", "let", "want", "like", "love", "prefer", "would", "bet",
        "joke", "kid", "say", "tell", "mention", "insist", "argue", "report", "write", "state", "confirm",
        "suggest", "deny", "mean", "sound", "look", "try", "hate",
    }
)  # fmt: skip
# Verbs of saying: transparent when the holder-speaker themself says it plainly ("User says ..."), opaque otherwise.
_SAYING = frozenset({"say", "tell", "mention", "confirm", "state", "write", "report"})
_SPEAKER = frozenset({"i", "we", "user"})
_SELF = frozenset({"he", "she", "they"})  # "my wife says she's ...": the holder's own word
_HEDGE_WORDS = frozenset({"supposedly", "apparently", "allegedly", "maybe", "perhaps", "probably", "possibly"})
# The same, as written (a fallback where the parse is wrong): verbs, conditionals and hedges.
_SAYING_FORMS = frozenset({"say", "says", "said", "tell", "tells", "told", "mention", "mentions", "mentioned"})
_OPAQUE_FORMS = frozenset(
    {
        "wish", "wishes", "wished", "pretend", "pretends", "pretending", "imagine", "imagines", "suppose", "supposing",
        "think", "thinks", "thought", "believe", "believes", "believed", "claim", "claims", "claimed", "doubt",
        "doubts", "wonder", "wonders", "wondering", "hope", "hopes", "hoped", "reckon", "reckons", "guess", "assume",
        "assumes", "if", "whether", "unless", "test", "tested", "testing", "maybe", "perhaps", "probably", "might",
        "would", "could", "'d", "apparently", "supposedly", "dream", "dreams", "dreamt", "dreamed", "imagined",
        "pretended", "hear", "heard", "seem", "seems", "seemed", "reckoned", "guessed", "assumed", "wondered", "feel",
        "felt",
    }
)  # fmt: skip
_CONDITIONAL_MARKS = frozenset({"if", "whether", "unless", "once", "til", "till", "until", "lest"})
_HEDGES = frozenset({"would", "could", "might", "may", "should", "'d", "must"})
_TRUTH = frozenset({"true", "right", "correct", "case", "so", "accurate"})
_FALSEHOOD = frozenset({"false", "lie", "wrong", "untrue", "nonsense", "myth", "rumour", "rumor"})
_EMBEDDING = frozenset({"ccomp", "xcomp", "advcl", "csubj", "csubjpass", "relcl", "acl", "pcomp", "oprd"})


def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in token.children)


def _subject(token: Token) -> str | None:
    subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject.lower_ if subject is not None else None


def _opaque_verb(head: Token, complement: Token) -> bool:
    """A verb that does not assert ``complement``. Plain all the same: the user's own word ("User says ..."), a
    person's word about themself ("my wife says she's not vegan any more"), and a verb after the clause with its
    own object ("I'm not allergic to eggs, my doctor confirmed it"; "..., I wish I were")."""
    lemma = head.lemma_.lower()
    if lemma not in _OPAQUE:
        return False
    own_object = any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i != complement.i for c in head.children)
    if head.i > complement.i and own_object:
        return False
    if lemma not in _SAYING or _negated(head):
        return True
    said_by = _subject(head)
    return not (said_by in _SPEAKER or _subject(complement) in _SELF or said_by == _subject(complement))


def _truth_judgement(head: Token) -> bool | None:
    """ "It's (not) true that ...": True when the complement is affirmed, False when denied, None otherwise."""
    words = {c.lower_ for c in head.children if c.dep_ in ("acomp", "attr", "dobj")} | {head.lower_}
    denied = _negated(head)
    if words & _FALSEHOOD:
        return denied
    if words & _TRUTH:
        return not denied
    return None


def _clause_reading(verb: Token) -> Reading:
    """The mood of one clause head, from its own marks and modals (no look at what embeds it)."""
    children = list(verb.children)
    if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS for c in children):
        return "unasserted"
    if any(c.dep_ == "aux" and c.lower_ in _HEDGES for c in children) or verb.lower_ in _HEDGES:
        return "unasserted"
    if verb.tag_ == "VBD" and verb.lower_ == "were" and _subject(verb) in ("i", "he", "she", "it"):
        return "unasserted"  # "If I weren't", "I wish she were": the subjunctive
    return "asserted"


def _said_before(anchor: Token) -> bool:
    """The words before ``anchor`` in its part of the sentence (after the last comma or semicolon) embed it: the
    small parser misreads some ("User's mum claims User is not vegan": claims/NOUN), the words are still there."""
    doc, start = anchor.doc, anchor.sent.start
    for i in range(anchor.i - 1, start - 1, -1):
        if doc[i].text in (",", ";", ":", "—"):
            start = i + 1
            break
    end = next((t.i for t in doc[anchor.i : anchor.sent.end] if t.text in (",", ";", ":", "—")), anchor.sent.end)
    if any(t.lower_ in _HEDGE_WORDS for t in doc[start:end]):
        return True  # "User is not allergic to peanuts supposedly": a hedge anywhere in the clause
    words = [t.lower_ for t in doc[start : anchor.i]]
    for i, word in enumerate(words):
        again = i > 0 and words[max(0, i - 3) : i] == words[i + 1 : i + 1 + min(3, i)]  # "User's wife says User's wife"
        own = (i > 0 and words[i - 1] in _SPEAKER) or (i + 1 < len(words) and words[i + 1] in _SELF) or again
        if word in _SAYING_FORMS and own and "never" not in words[max(0, i - 2) : i]:
            continue  # "User says they are no longer vegan", "my wife says she's not": the holder's own word
        if word in _OPAQUE_FORMS or word in _SAYING_FORMS:
            return True
    return False


def reading(anchor: Token) -> Reading:
    """How the clause holding ``anchor`` (a need's word) is said: asserted, unasserted, or denied."""
    sentence = anchor.sent
    if any(t.text.endswith("?") for t in sentence[-2:]):
        return "unasserted"  # a question asks; it never states nor takes back
    if _said_before(anchor):
        return "unasserted"
    denials = 0
    token = anchor
    while True:
        head = token.head
        clause_head = token.pos_ in ("VERB", "AUX") or token.dep_ in ("ROOT", *_EMBEDDING)
        if clause_head and _clause_reading(token) == "unasserted":
            return "unasserted"
        if head.i == token.i:
            break
        verbal = head.pos_ in ("VERB", "AUX") or token.dep_ in _EMBEDDING  # "my mum think ...": think/NOUN
        if token.dep_ not in ("nsubj", "nsubjpass") and verbal and _opaque_verb(head, token):
            return "unasserted"  # under "wish", "said", ... by any arc but its subject (the parser errs on arcs)
        if token.dep_ in _EMBEDDING or (token.dep_ == "conj" and head.dep_ in _EMBEDDING):
            judged = _truth_judgement(head)
            if judged is False:
                denials += 1
        token = head
    return "denied" if denials % 2 else "asserted"


def strongest(readings: Iterable[Reading]) -> Reading:
    """Several anchors in one clause: any unasserted one makes the clause unasserted, then a denial."""
    found = set(readings)
    for mood in ("unasserted", "denied"):
        if mood in found:
            return mood  # type: ignore[return-value]
    return "asserted"


# Marks that a message is not meant as a statement about now: a dream, a joke, a test.
_NOT_SERIOUS = frozenset(
    {"dream", "dreams", "dreamt", "dreamed", "dreaming", "jk", "kidding", "joking", "hypothetically"}
)  # fmt: skip
_NOT_SERIOUS_PHRASES = ("yeah right", "test message", "just a test", "this is a test")
_NOBODY = frozenset({"nobody", "noone", "none"})
_BUT_ME = re.compile(r"\b(?:except|but|apart from|besides|other than|save)\s+(?:for\s+)?me\b", re.IGNORECASE)


def not_meant(text: str) -> bool:
    """A message marked as a dream, a joke or a test ("lol jk", "just kidding", "yeah right", "in my dreams")."""
    lowered = text.lower()
    words = set(re.findall(r"[a-z']+", lowered))
    return bool(words & _NOT_SERIOUS) or any(p in lowered for p in _NOT_SERIOUS_PHRASES)


def plain_retraction(anchor: Token, holder: str, needs: frozenset[str] = frozenset()) -> Reading:
    """A retraction takes a need back only when it is plain (``concierge.needs.retraction``): "asserted" when it
    is, "denied" when the words state the need (a double negative, a reminder), else "unasserted"."""
    from concierge.needs.retraction import verdict

    found = verdict(anchor, holder, needs)
    if found == "not_plain" and (plain := _read_without_courtesy(anchor)) is not None:
        found = verdict(plain, holder, needs)  # "Good news: I'm not allergic to peanuts any more, thanks!"
    if found == "not_plain" and (plain := _read_without_confirmation(anchor, holder, needs)) is not None:
        found = verdict(plain, holder, needs)  # "I've stopped being vegetarian, I eat meat again now."
    return {"plain": "asserted", "affirmed": "denied", "not_plain": "unasserted"}[found]  # type: ignore[return-value]


def _read_without_courtesy(anchor: Token) -> Token | None:
    """The same need word in the message read without its neutral pieces (``without_courtesy``: greetings,
    thanks, "please update"), or None when there are none: the retraction is judged on what is left."""
    from concierge.needs.nlp import parse
    from concierge.needs.retraction import without_courtesy

    text = anchor.doc.text
    plain = without_courtesy(text)
    if plain == text:
        return None
    nth = sum(1 for t in anchor.doc[: anchor.i] if t.lower_ == anchor.lower_)
    same = [t for t in parse([plain])[0] if t.lower_ == anchor.lower_]
    return same[nth] if nth < len(same) else None


def _drops(piece: str, holder: str, needs: frozenset[str]) -> bool:
    from concierge.needs.company import confirms, supports

    return confirms(piece, holder, needs) or supports(piece, holder, needs)


def _read_without_confirmation(anchor: Token, holder: str, needs: frozenset[str]) -> Token | None:
    """The retraction read without the pieces that only confirm it (``concierge.needs.company.confirms``: "I eat
    meat again now", "he eats omelettes now"), that give a reason for it (``supports``: "the tests came back fine")
    or are courtesy, or None when no piece confirms or nothing else is
    left: ``anchor`` in what is left, or, when ``anchor`` is in a confirming piece, the first word of ``needs``."""
    from concierge.needs.company import confirms, courteous_piece, piece_matches, supports
    from concierge.needs.nlp import parse
    from concierge.needs.retraction import need_word

    kept, at, confirmed = "", None, False
    found = list(piece_matches(anchor.doc.text))
    for piece, after in zip(found, [*found[1:], None], strict=True):
        text = piece.group()
        own = piece.start() <= anchor.idx < piece.end()
        if confirms(text, holder, needs) or (not own and supports(text, holder, needs)):
            confirmed = True
        elif not courteous_piece(text):
            kept += " " if kept else ""
            if own:  # where the anchor is in what is kept
                at = len(kept) + anchor.idx - piece.start() - (len(text) - len(text.lstrip()))
            dropped = after is not None and _drops(after.group(), holder, needs)  # "... free — turns out ...": no mark
            kept += text.strip().rstrip("\u2013\u2014 ") if dropped else text.strip()
    if not confirmed or not kept:
        return None
    doc = parse([kept])[0]
    if at is None:
        return next((t for t in doc if need_word(t, needs)), None)
    return next((t for t in doc if t.idx == at and t.lower_ == anchor.lower_), None)


def _nobody_but(found: Sequence[DetectedNeed], anchors: Sequence[Token]) -> list[DetectedNeed]:
    """ "Nobody in my family is allergic to peanuts except me": nobody holds it, but the user ("except me");
    never a need of "family"."""
    if not anchors:
        return list(found)
    root = anchors[0].sent.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    nobody = subject is not None and (
        subject.lower_ in _NOBODY or (subject.lower_ == "one" and any(c.lower_ == "no" for c in subject.children))
    )
    if not nobody:
        return list(found)
    if not _BUT_ME.search(anchors[0].sent.text):
        return []
    mine = {n.need_id: replace(n, holder="user", active=True) for n in found}
    return list(mine.values())


def settle(found: Sequence[DetectedNeed], anchors: Sequence[Token]) -> list[DetectedNeed]:
    """What a clause states after its mood: an unasserted retraction says nothing, a denied one states the need;
    a stated need is kept whatever the mood ("could you find somewhere vegan?" is a need), but a question about a
    person states nothing at all ("Is my son still allergic to eggs", ``asked``). A retraction must also be
    plain (``plain_retraction``)."""
    if not found or not anchors:
        return list(found)
    if any(asked(a) for a in anchors):
        return []
    if any(guessed(a) for a in anchors):
        found = [n for n in found if not n.active]  # "Maybe I'm allergic to sesame": a guess states no need
    found = _over(found, anchors)
    found = _nobody_but(found, anchors)
    mood = strongest(reading(a) for a in anchors)
    if mood != "denied" and any(not n.active for n in found):
        taken = frozenset(n.need_id for n in found if not n.active)
        plain = strongest(plain_retraction(a, n.holder, taken) for a in anchors for n in found if not n.active)
        if plain == "denied":
            return _apply(found, plain)  # a reminder or a double negative states the need
        if plain != "asserted":
            found = _apply(found, plain)
    return _apply(found, mood)


# A guess about a person's state: "maybe", "might", "not sure" (attack7 M4). A request keeps its need ("Could you
# find somewhere vegan?": its subject is the concierge, its verb no state).
_GUESS_WORDS = frozenset({"maybe", "perhaps", "possibly", "probably", "presumably", "potentially", "likely"})
_GUESS_MODALS = frozenset({"might", "may", "could"})  # not "must": "it must be halal" is a need
_STATES = frozenset({"be", "have"})
_UNSURE = frozenset({"unsure", "uncertain"})
_SURE = frozenset({"sure", "certain", "positive"})


def guessed(anchor: Token) -> bool:
    """The clause of ``anchor`` (a need's word) guesses at a person's state rather than telling it: "Maybe I'm
    allergic to sesame", "I might be lactose intolerant", "I'm probably coeliac", "not sure about peanuts",
    "User means sesame" (a correction that names a need, not a statement of it), "Possibly vegan soon". Nothing is
    stated then: a need is stored when its holder says it, not when they wonder about it."""
    if _corrected_to(anchor):
        return True
    chain = [anchor]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    for token in chain:
        words = {c.lower_ for c in token.children} | {token.lower_}
        if words & _GUESS_WORDS or token.lower_ in _UNSURE:
            return True
        if token.lemma_.lower() in _SURE and _negated(token):
            return True  # "not sure about peanuts"
        if token.lemma_.lower() == "mean" and _subject(token) in _SPEAKER:
            return True  # "I'm no longer allergic to peanuts, I mean sesame": which need is unclear
        if token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in _STATES:
            modal = any(c.dep_ == "aux" and c.lower_ in _GUESS_MODALS for c in token.children)
            return modal and _a_person(_subject_of(token)) and _a_state(token, chain)
    return False


def _corrected_to(anchor: Token) -> bool:
    """ "..., I mean sesame": the need named right after "I mean" in its part of the sentence (the parser may hang it
    elsewhere) corrects what was said; which need the user means is asked, none is stated."""
    doc, start = anchor.doc, anchor.sent.start
    piece = next((i + 1 for i in range(anchor.i - 1, start - 1, -1) if doc[i].text in (",", ";", ":", "-")), start)
    words = [t.lower_ for t in doc[piece : anchor.i]]
    return any(w in ("mean", "meant", "means") and i > 0 and words[i - 1] in _SPEAKER for i, w in enumerate(words))


def _a_state(verb: Token, chain: Sequence[Token]) -> bool:
    """ "be allergic", "have a peanut allergy": the person's condition, not a thing asked for ("Could I have a vegan
    menu?" is a request)."""
    from concierge.needs.retraction import CONDITIONS

    return verb.lemma_.lower() == "be" or any(t.lemma_.lower() in CONDITIONS for t in chain)


def _over(found: Sequence[DetectedNeed], anchors: Sequence[Token]) -> list[DetectedNeed]:
    """ "My peanut allergy is gone", "I've stopped eating halal", "I gave up veganism": the detector reads the need
    named; the clause says it is over (``concierge.needs.retraction.ends``), so it is a retraction of those needs,
    which must then be plain like any other (attack6 L1)."""
    from concierge.needs.retraction import ends

    ended: set[str] = set()
    for anchor in anchors:
        named = _named_by(anchor)
        if named and ends(anchor, any(role == "says" for _, role in named)):
            ended |= {need for need, _ in named}
    return [replace(n, active=False) if n.active and n.need_id in ended else n for n in found]


def _named_by(anchor: Token) -> set[tuple[str, str]]:
    """(need id, role) of the need phrases in the noun phrase of ``anchor`` ("my peanut allergy", "halal")."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import is_word, lexicon_for

    lexicon = lexicon_for(load_vocabulary())
    noun = anchor.head if anchor.dep_ in ("compound", "amod", "nmod") else anchor
    words = [lexicon.canonical(t) for t in noun.subtree if is_word(t)]
    return {pair for span in lexicon.find(words, lexicon.need_phrases) for pair in lexicon.need_phrases[span.phrase]}


def _apply(found: Sequence[DetectedNeed], mood: Reading) -> list[DetectedNeed]:
    if mood == "asserted":
        return list(found)
    if mood == "denied":
        return [replace(n, active=True) if not n.active else n for n in found if not n.active]
    return [n for n in found if n.active]


_ASKING_AUX = frozenset({"be", "do", "have"})
# Verbs under which "whether" / "if" opens a question ("tell me whether", "I wonder if", "check if", "let me know if").
_ASKING_VERBS = frozenset(
    {"ask", "wonder", "tell", "know", "check", "see", "find", "confirm", "remind", "show", "verify", "look",
     "figure", "learn", "clarify", "remember", "recall", "say", "sure", "curious", "unsure", "question", "doubt",
     "idea", "clue", "wondering", "guess", "test", "determine", "assess", "screen", "evaluate", "examine"}
)  # fmt: skip
_WHETHER = frozenset({"whether", "if"})
_ADDRESSED = frozenset({"me", "us", "you", "him", "her", "them"})
_PERSONS = frozenset({"i", "we", "he", "she", "user", "me"})
_INVERTING = frozenset({"am", "is", "are", "was", "were", "do", "does", "did", "have", "has", "had"})
_OWNERS = frozenset({"my", "our", "user", "'s", "older", "younger", "little", "eldest", "youngest", "other"})
_MODALS = frozenset({"would", "could", "might", "should", "can", "may", "must", "will", "shall"})
_NOT = frozenset({"n't", "not"})
_PLACES = frozenset({"GPE", "LOC", "ORG", "FAC", "NORP"})
_NOT_ASKED = frozenset({"you", "u", "there", "they"})


def _names_a_need(doc: Doc) -> bool:
    """The text names a need or a food of one, whatever it says of it (the vocabulary's phrases)."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import is_word, lexicon_for

    lexicon = lexicon_for(load_vocabulary())
    return bool(lexicon.find([lexicon.canonical(t) for t in doc if is_word(t)], lexicon.need_phrases))


def _asks_of_someone(sentence: Span) -> bool:
    """ "Am I still allergic?", "Didn't I tell you ...?", "Isn't it true that I'm ...?", "Why am I not ...?": a
    question put to the concierge about a person (not "Can you find ...?", whose subject is "you")."""
    from concierge.needs.retraction import tagged

    words = [t for t in sentence if not t.is_punct]
    if not words or tagged(sentence):
        return bool(words)  # "I'm not allergic to peanuts, am I?"
    if any(t.lemma_.lower() == "forget" for t in words) and "?" in sentence.text:
        return True  # "If I asked you to forget my peanut allergy, would you?": asked, not told
    if words[0].lower_ == "why" and len(words) > 1:
        words = words[1:]  # "Why am I not allergic to peanuts anymore?"
    first, root = words[0], sentence.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if not (first.pos_ == "AUX" and first.lemma_.lower() in _ASKING_AUX and subject is not None):
        return False
    if subject.lower_ == "it":  # "Isn't it true that ...", not "Is it vegan?"
        return any(c.lower_ in _TRUTH for c in root.children)
    return subject.i > first.i and subject.lower_ not in _NOT_ASKED


def _a_person(token: Token | None) -> bool:
    """ "I", "he", "my son", "User's wife", "Tom": someone who may hold a need (not "you", "it", "the hotel")."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    if token is None:
        return False
    if token.lower_ in _PERSONS or (token.pos_ == "PROPN" and token.ent_type_ not in _PLACES):
        return True
    companions = lexicon_for(load_vocabulary()).cues["companions"]
    return (token.lower_,) in companions or (token.lemma_.lower(),) in companions


def _subject_of(verb: Token) -> Token | None:
    heads = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]
    return next((c for h in heads for c in h.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _inverted_about_someone(sentence: Span) -> bool:
    """ "Is my son still allergic to eggs", "Do I have a peanut allergy or not", "Isn't my son allergic", "Quick
    question, am I allergic to fish": a yes/no question about a person, its verb ("be", "do", "have") before its
    subject, with or without its mark; a modal ("Would I still be allergic", "Should my husband still avoid gluten")
    asks only of a state ("be" or "still"), so "Could my wife and I get a vegan table" stays a request."""
    words = _after_lead_in([t for t in sentence if not t.is_punct or t.text == ","])
    if not words or words[0].lower_ not in _INVERTING | _MODALS:
        return False
    rest = [t for t in words[1:] if t.lower_ not in _NOT]
    for at, token in enumerate(rest[:4]):  # read on the words: the small parser often errs without the mark
        if _a_condition(token) and words[0].lower_ in _INVERTING:
            return True  # "Is my peanut allergy gone", "Is my son's coeliac disease still there"
        if _a_person(token):
            return words[0].lower_ in _INVERTING or _of_a_state(rest[at + 1 : at + 4])
        if token.dep_ not in ("poss", "det", "amod", "compound", "nummod") and token.lower_ not in _OWNERS:
            return False
    return False


def _a_condition(token: Token) -> bool:
    """ "my peanut allergy", "his coeliac disease": a need as its holder's condition, owned by someone."""
    from concierge.needs.retraction import CONDITIONS

    before = {t.lower_ for t in token.doc[max(token.i - 4, 0) : token.i]}
    return token.lemma_.lower() in CONDITIONS and bool(before & (_OWNERS | {"his", "her", "their"}))


def _after_lead_in(words: list[Token]) -> list[Token]:
    """The words after a lead-in without a verb but one of asking ("Quick question, ...", "Hey, ...", "Just
    wondering, ..."), commas dropped."""
    comma = next((i for i, t in enumerate(words[:5]) if t.text == ","), None)
    verbs = [t for t in words[:comma] if t.pos_ in ("VERB", "AUX")] if comma is not None else []
    if comma is not None and all(t.lemma_.lower() in _ASKING_VERBS for t in verbs):  # "Just wondering, ..."
        words = words[comma + 1 :]
    return [t for t in words if t.text != ","]


def _of_a_state(words: Sequence[Token]) -> bool:
    """ "still ...", "be allergic": a state asked about (not "be able to get a table", a request)."""
    able = any(t.lower_ in ("able", "allowed") for t in words)
    return any(t.lower_ == "still" for t in words) or (not able and any(t.lemma_.lower() == "be" for t in words))


def _embedded_question(anchor: Token) -> bool:
    """ "Tell me whether I'm still allergic", "I wonder if I'm vegan", "Can you check if my daughter is vegan", "let
    me know if my son is still allergic": a clause opened by "whether" / "if" under a verb of asking or knowing,
    about a person."""
    token = anchor
    while token.head.i != token.i:
        mark = next((c for c in token.children if c.dep_ == "mark" and c.lower_ in _WHETHER), None)
        if mark is not None and _a_person(_subject_of(token)) and _asking_before(token.head, mark):
            return True
        token = token.head
    return False


def _asking_before(head: Token, mark: Token) -> bool:
    """ "whether" / "if" comes under a verb of asking or knowing: its head, or the word said right before it (past
    "me" / "you"; the small parser hangs "if" of "let me know if" on "let")."""
    if head.lemma_.lower() in _ASKING_VERBS:
        return True
    before = next((t for t in reversed(mark.doc[mark.sent.start : mark.i]) if t.lower_ not in _ADDRESSED), None)
    return before is not None and before.lemma_.lower() in _ASKING_VERBS


def asked(anchor: Token) -> bool:
    """The clause of ``anchor`` (a need's word) asks whether a person holds a need, "?" or not: it states nothing,
    neither the need nor its retraction."""
    return _asked_whole(anchor.sent) or _embedded_question(anchor)


def _asked_whole(sentence: Span) -> bool:
    """The sentence as a whole asks about a person's need, with or without its mark (see ``_asks_unmarked``)."""
    return (
        _inverted_about_someone(sentence)
        or _by_chance(sentence)
        or _tag_question(sentence)
        or _asks_an_opinion(sentence)
        or _asks_if_true(sentence)
    )


def asks_about_needs(text: str) -> bool:
    """ "Am I still allergic to peanuts?", "Is my son allergic to eggs?", "Isn't it true I'm not allergic to
    peanuts?", "Why am I not allergic any more?": a question about someone's need, even with a false premise. It
    states nothing (nothing is stored) and is answered from memory. A request put as a question ("Can you find
    somewhere vegan?") is not one: its verb is a modal and its subject "you"."""
    from concierge.needs.detect import normalise
    from concierge.needs.nlp import parse

    doc = parse([normalise(text)])[0]
    if not _names_a_need(doc):
        return False
    marked = "?" in text and any(_asks_of_someone(sentence) for sentence in doc.sents)
    return marked or any(_asks_unmarked(sentence) for sentence in doc.sents)


def _asks_unmarked(sentence: Span) -> bool:
    """A sentence that asks about someone's need without its mark: a yes/no question about a person ("Is my son
    still allergic to eggs"), a statement with a tag question ("I'm not allergic any more, am I"), the concierge's
    opinion asked ("Do you reckon I'm allergic to celery") or an embedded question ("tell me whether I'm still
    allergic to peanuts")."""
    return _asked_whole(sentence) or any(_embedded_question(t) for t in sentence)


# The second word of a tag question ("..., is he", "..., don't I", "..., isn't that so"): whom it asks of.
_TAG_SUBJECTS = frozenset({"i", "he", "she", "it", "they", "we", "user"})
_TAG_THAT = frozenset({"so", "right", "true", "correct", "it"})


def _tag_question(sentence: Span) -> bool:
    """A statement ending in a tag question: an auxiliary before its pronoun after the last comma ("..., is he",
    "..., am I", "..., isn't it", "..., don't I", "..., is that so"). An echo ("My wife is vegan, she is") puts the
    pronoun first and tells; "..., are you" asks of the concierge, not of the person."""
    commas = [t.i for t in sentence if t.text == ","]
    tail = [t.lower_ for t in sentence if not t.is_punct and commas and t.i > commas[-1]]
    tail = [w for w in tail if w not in _NOT]
    if not 2 <= len(tail) <= 3 or tail[0] not in _INVERTING | _MODALS | {"ai", "wo", "ca"}:
        return False
    if len(tail) == 2:
        return tail[1] in _TAG_SUBJECTS
    return tail[1] == "that" and tail[2] in _TAG_THAT


# Verbs that ask the concierge's view ("Do you reckon I'm ...", "You think my son is ...", "Reckon I'm still vegan").
_OPINION = frozenset({"reckon", "think", "believe", "suppose", "say", "figure", "guess", "have"})
_YOU = frozenset({"you", "ya", "u", "d'you", "dyou", "d'ya"})
_ASKING_LEAD = frozenset({"do", "did", "does", "would", "'d", "d'", "d"}) | _YOU
_LISTED = frozenset({"down", "as", "listed", "noted", "on", "marked"})


def _asks_an_opinion(sentence: Span) -> bool:
    """ "Do you reckon I'm allergic to celery", "You think my son is still allergic", "Reckon I'm still vegan",
    "Would you say I'm vegan", "Do you have me down as vegan": the concierge's view asked of a person's state
    (not "Do you think you could find a vegan place", which asks of the concierge)."""
    words = [t for t in sentence if not t.is_punct]
    at = 0
    while at < len(words) and words[at].lower_ in _ASKING_LEAD:
        at += 1
    if at >= len(words) or words[at].lemma_.lower() not in _OPINION:
        return False
    you = any(t.lower_ in _YOU for t in words[:at])
    if words[at].lemma_.lower() == "have":
        rest = words[at + 1 : at + 4]
        return you and bool(rest) and _a_person(rest[0]) and any(t.lower_ in _LISTED for t in rest[1:])
    if at and not you:
        return False  # "I think I'm allergic": the user's own view, read by ``reading``
    rest = [t for t in words[at + 1 :] if t.lower_ not in ("that", "so")]
    return _person_then_state(rest)


def _person_then_state(rest: Sequence[Token]) -> bool:
    """The words open with a person (past their owners: "my son", "User's wife") in a state ("is", "still")."""
    for at, token in enumerate(rest[:4]):
        if _a_person(token):
            return _of_a_state(rest[at + 1 : at + 4]) or token.lower_ in ("me", "i")
        if token.dep_ not in ("poss", "det", "amod", "compound", "case") and token.lower_ not in _OWNERS:
            return False
    return False


def _asks_if_true(sentence: Span) -> bool:
    """ "Is it still true that I'm allergic to peanuts", "Is it the case my son is vegan": whether something is
    true, asked without its mark."""
    words = [t.lower_ for t in sentence if not t.is_punct]
    return len(words) > 3 and words[0] in _INVERTING and words[1] == "it" and bool(set(words[2:5]) & _TRUTH)


# Lead-ins that ask how likely something is ("Any chance ...", "Is there a chance ...", "What are the odds ...").
_CHANCE = frozenset({"chance", "chances", "possibility", "odds", "likelihood"})
# "Any way I'm still vegan", "Any record of me being allergic", "Any news on whether I'm still allergic": asked after
# "any", of a person's state.
_ANY_OF = frozenset({"way", "record", "records", "news", "note", "notes", "word", "sign", "mention", "info", "update"})
_CHANCE_LEAD = frozenset({"is", "there", "any", "a", "some", "what", "are", "the", "that", "'s"})


_LINKS = frozenset({"that", "of", "whether", "if", "on", "about"})


def _by_chance(sentence: Span) -> bool:
    """ "Any chance my son is still allergic to eggs", "Is there any chance I'm vegan", "What are the odds I'm
    still allergic": asks of a person's need, with or without its mark (not "Any chance you could book ...", a
    request to the concierge)."""
    words = [t for t in sentence if not t.is_punct]
    at = next((i for i, t in enumerate(words[:5]) if t.lower_ in _CHANCE), None)
    if at is None:
        anything = len(words) > 2 and words[0].lower_ == "any" and words[1].lower_ in _ANY_OF
        return anything and _person_then_state([t for t in words[2:] if t.lower_ not in _LINKS])
    if any(t.lower_ not in _CHANCE_LEAD for t in words[:at]):
        return False
    rest = [t for t in words[at + 1 :] if t.lower_ not in _LINKS]
    for token in rest[:3]:
        if _a_person(token):
            return True
        if token.dep_ not in ("poss", "det", "amod", "compound") and token.lower_ not in _OWNERS:
            return False
    return False


def without_questions(text: str) -> str:
    """The message less its questions: what it tells ("Am I still allergic to peanuts? I'm vegan now" tells only
    the diet). A question never becomes a memory."""
    from concierge.needs.current import plainly_taken_back
    from concierge.needs.nlp import parse

    doc = parse([text])[0]
    told = [s for s in doc.sents if not any(t.text.endswith("?") for t in s[-2:])]
    told = [s for s in told if not (_names_a_need(s.as_doc()) and _asks_unmarked(s))]
    # a retraction the whole message does not make plainly ("I'm not allergic any more. Dream on, right?"): the
    # question undercuts it, so it is not told either
    plain = plainly_taken_back([text])
    return " ".join(s.text for s in told if plainly_taken_back([s.text]) <= plain).strip()
