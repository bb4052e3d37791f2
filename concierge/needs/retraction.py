"""A plain retraction, recognised positively: the one form of words that takes a stored need back.

A need is taken back only when its holder says plainly, of now, that it no longer holds: "I'm not allergic to
peanuts any more", "I'm no longer vegan", "I don't use a wheelchair anymore", "my son has outgrown his egg
allergy", "User eats fish now", "my wife says she's not vegan any more" (her own word). Everything else that
mentions the need keeps it: a degree ("not severely allergic"), a narrower scope ("not allergic to peanut
butter, just peanuts", "when they're cooked", "in Europe"), a tag question ("..., am I?"), reported speech or an
embedding clause ("I told the waiter I'm not ..."), a double negative ("It's not like I'm not ...", "I never
stopped being ..."), another person ("Tom's dog", "Anna's teacher", "my daughter's daughter", "we").

``verdict`` reads one need word (the anchor) on spaCy's parse:

- the predicate that carries it is the sentence's main clause (a clause after it, past a comma, with its own
  object may follow: "..., my doctor confirmed it"), or the holder's own word ("my wife says she's not");
- its subject is the holder: "I" / "User" for the user; the companion by relation or name, owned by "my" /
  "our" / "User's" only, for a companion (a pronoun stands for the companion the detector resolved);
- one negation on the predicate ("not", "n't", "no longer"), or a verb of change ("outgrow", "stop", "quit",
  "get over"), or none when the need is lifted by eating the food ("I eat fish now");
- every word between the predicate and the need is the need's own (the vocabulary's words), every other word
  on the way is a determiner, "any more", "now" or "again": no degree, no other preposition, no restriction;
- a statement of now: no question, no tag, no modal, no past (but for a change: "I outgrew it").

Two negations on the way to the need ("It's not like I'm not allergic", "I never stopped being allergic") and a
reminder ("Don't forget I'm allergic") state the need: ``affirmed``. Anything else is ``not_plain``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from concierge.needs.company import courteous, courteous_piece, eats_unconfirmed, in_plain_company, pieces

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Verdict = Literal["plain", "affirmed", "not_plain"]

_NEGATION_WORDS = frozenset({"not", "n't", "never", "no", "nobody", "nothing", "none", "neither", "nor", "without"})
_CHANGE = frozenset({"outgrow", "stop", "quit"})
_PARTICLE = {"give": "up", "grow": "out"}  # "gave up", "grew out of"
# Verbs that say a condition is over when it is their subject ("my peanut allergy is gone / has gone away /
# disappeared / is cured"), or when the person is ("I'm cured of my peanut allergy").
_ENDING = frozenset({"cure", "disappear", "vanish", "heal"})
# Nouns that name a need as a condition of its holder ("my peanut allergy", "his coeliac disease", "her diet").
CONDITIONS = frozenset(
    {"allergy", "intolerance", "sensitivity", "disease", "condition", "diet", "veganism", "vegetarianism",
     "pescetarianism", "pescatarianism", "coeliac", "celiac"}
)  # fmt: skip
# What is done while keeping a diet: stopping it ends the diet ("stopped eating halal", "stopped keeping kosher").
_KEEPING = frozenset({"eat", "keep", "be", "follow", "observe"})
_SPANS = frozenset({"year", "month", "week", "day", "decade"})
_EAT = frozenset({"eat", "drink", "have", "tolerate", "digest", "handle", "stomach", "order"})
_NOW = frozenset({"any", "more", "anymore", "longer", "now", "nowadays", "again", "no"})
_PRESENT_AUX = frozenset({"do", "does", "am", "is", "are", "'m", "'s", "'re", "have", "has", "'ve", "be"})
_MODAL_EAT = frozenset({"can", "ca"})  # "I can eat peanuts now": able, now
_HEADS = frozenset({"ccomp", "advcl", "relcl", "acl", "parataxis", "csubj", "csubjpass", "pcomp", "conj"})
_CLAUSES = frozenset({"ccomp", "parataxis", "conj"})
_HOLDER_USER = frozenset({"i", "user"})
_PRONOUNS = frozenset({"he", "she", "they"})
_OWNERS = frozenset({"my", "our", "user"})
_SAYING = frozenset({"say", "tell", "mention", "confirm"})
# Verbs that open a question when they come before their subject ("Am I ...", "Does my son ...").
_INVERTING = frozenset(
    {"am", "is", "are", "was", "were", "do", "does", "did", "have", "has", "can", "could", "will", "would", "should"}
)
_TAGS = frozenset({"right", "eh", "correct", "yeah", "yes", "no", "innit", "ok", "okay", "true", "huh", "yep"})
# Words that say how much or how often, known to the vocabulary or not ("strict vegan" is one of its phrases).
_DEGREE = frozenset(
    {"strict", "strictly", "severe", "severely", "very", "really", "fully", "completely", "totally", "entirely",
     "always", "deathly", "mildly", "slightly", "partly", "super", "extremely", "quite", "mostly",
     "properly", "proper", "full", "real", "true", "serious", "seriously", "that", "so", "too", "as", "only", "just"}
)  # fmt: skip
_FUNCTION = frozenset({"to", "of", "on", "a", "an", "the", "any", "my", "his", "her", "their", "its", "and", "or"})
_FILLERS = frozenset({"tbh", "btw", "fyi", "actually", "well", "oh", "ok", "okay", "yeah", "yes", "hey"})
# A trailing interjection that takes the statement back in jest ("Not!", "As if!", "Yeah, right.", "lol no"): made of
# these words only, with one of the denials among them.
_DENIALS = frozenset(
    {"not", "no", "nope", "nah", "never", "right", "if", "psych", "sike", "kidding", "joking", "jk", "dreams",
     "fools", "gotcha", "lies", "lie", "wish", "sarcasm"}
)  # fmt: skip
_INTERJECTION = _DENIALS | frozenset(
    {"lol", "lmao", "haha", "hahaha", "ha", "hah", "heh", "ok", "okay", "oh", "yeah", "yes", "just", "really",
     "totally", "as", "sure", "in", "your", "you", "dream", "on", "april", "i", "'m", "am", "got", "ya", "a", "lie",
     "that", "was", "s"}
)  # fmt: skip
# Words the parser may hang at the end of a retraction's clause; ``courteous`` judges what they say.
_COURTESY = frozenset(
    {"thanks", "thank", "you", "thx", "ty", "please", "pls", "great", "good", "news", "yay", "hooray", "woohoo",
     "finally", "awesome", "cool", "nice", "happy", "glad", "so", "very", "much", "a", "lot", "cheers", "ok",
     "okay", "brilliant", "wonderful", "excellent", "amazing", "fantastic", "god", "goodness", "update", "note",
     "my", "profile", "notes", "records", "record", "file", "it", "that", "this", "accordingly", "and", "for",
     "the", "info", "information", "just", "fyi", "btw", "to", "let", "know", "me", "well", "relief"}
)  # fmt: skip
# Words that take back what was just said: untrue, a test, a joke, a mistake, someone else meant.
_UNSAYING = frozenset(
    {"lie", "lies", "lied", "lying", "liar", "joke", "joking", "joked", "test", "testing", "checking", "seeing",
     "kidding", "pretend", "pretending", "fake", "prank", "trolling", "untrue", "false", "mean", "means", "meant",
     "wrong", "mistake", "talking", "oops", "whoops", "correction"}
)  # fmt: skip
UNSAYING = _UNSAYING
_ANAPHORA = frozenset({"that", "this", "it", "which", "what", "none", "nothing"})
_GENERIC = frozenset({"allergy", "allergic", "intolerance", "intolerant", "sensitivity", "sensitive", "diet", "user"})


def _is_negation(token: Token) -> bool:
    return token.dep_ == "neg" or token.lower_ in _NEGATION_WORDS


def _chain(anchor: Token) -> list[Token]:
    """The anchor and its heads up to the sentence's root."""
    chain = [anchor]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def _negations(chain: Sequence[Token]) -> int:
    """Negations on the way from the need to the root: "not", "never", "no longer", a verb of change, "no way";
    not past a clause of its own set apart ("My sister and I used to be allergic; she isn't anymore")."""
    cut = next((k for k, t in enumerate(chain) if t.dep_ in _CLAUSES and _apart(t) and _subject(t) is not None), None)
    chain = chain if cut is None else chain[: cut + 1]
    on_chain = {t.i for t in chain}
    count = sum(1 for t in chain[1:] if _changes(t))
    for token in chain:
        for child in token.children:
            if child.i in on_chain:
                continue
            if _is_negation(child) or _no_longer(child):
                count += 1
            elif child.dep_ in ("aux", "auxpass"):  # "I'm no longer gluten-free": the parser hangs it on "'m"
                count += sum(1 for c in child.children if _no_longer(c))
    return count


def _no_longer(token: Token) -> bool:
    return token.lower_ == "longer" and any(c.lower_ == "no" for c in token.children)


def _changes(token: Token) -> bool:
    """A verb that says a state ended: "outgrew", "grew out of", "stopped", "quit", "got over", "gave up", "used to",
    "is gone", "went away", "disappeared", "is cured"."""
    lemma, words = token.lemma_.lower(), {c.lower_ for c in token.children}
    if (
        lemma in _CHANGE
        or (lemma == "get" and "over" in words)
        or (lemma in ("give", "grow") and _PARTICLE[lemma] in words)
    ):
        return True
    if lemma in _ENDING or (lemma == "go" and (token.lower_ == "gone" or "away" in words)):
        return True
    if lemma == "be" and any(c.dep_ == "acomp" and c.lemma_.lower() in ("go", *_ENDING) for c in token.children):
        return True  # "My peanut allergy is gone." (with its full stop, spaCy makes "is" the root, "gone" its acomp)
    return token.lower_ == "used" and any(c.dep_ == "xcomp" for c in token.children)


def _for_a_time(token: Token) -> bool:
    """ "I was vegetarian for ten years": a state said of a span of time that is over."""
    return (
        token.dep_ == "prep"
        and token.lower_ == "for"
        and any(c.dep_ == "pobj" and c.lemma_.lower() in _SPANS for c in token.children)
    )


def _reminder(sentence: Span, anchor: Token) -> bool:
    """ "Don't forget I'm allergic", "never forget my peanut allergy": a reminder states the need."""
    return any(
        t.lemma_.lower() == "forget" and t.i < anchor.i and any(_is_negation(c) for c in t.children) for t in sentence
    )


def _asks(sentence: Span) -> bool:
    """A question, or a statement with a tag ("..., am I", "..., right", "..., don't you")."""
    return any("?" in t.text for t in sentence) or tagged(sentence) or inverted(sentence)


def inverted(sentence: Span) -> bool:
    """A question said without its mark: the verb before its subject ("Am I no longer allergic to peanuts",
    "is my son no longer allergic to eggs", "Do I no longer use a wheelchair")."""
    words = [t for t in sentence if not t.is_punct]
    if not words or words[0].lower_ not in _INVERTING:
        return False
    subject = next((t for t in sentence if t.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    return subject is not None and subject.i > words[0].i


def tagged(sentence: Span) -> bool:
    """A statement with a tag question after its last comma: "..., am I", "..., right", "..., don't you"."""
    commas = [t.i for t in sentence if t.text == ","]
    tail = [t for t in sentence if not t.is_punct and commas and t.i > commas[-1]]
    if not 1 <= len(tail) <= 3:
        return False
    nominal = tail[-1].pos_ in ("PRON", "PROPN") or tail[-1].lower_ == "user"  # "..., is User" (a rewrite)
    return tail[0].lower_ in _TAGS or (tail[0].pos_ == "AUX" and nominal)


def _subject(predicate: Token) -> Token | None:
    """The predicate's subject, or its auxiliary's (the small parser hangs "I" on "'m" in "I'm not vegetarian")."""
    heads = [predicate, *(c for c in predicate.children if c.dep_ in ("aux", "auxpass"))]
    return next((c for h in heads for c in h.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def is_holder(subject: Token | None, holder: str) -> bool:
    """The subject names the holder, owned by the user if by anyone ("my son", "User's son Tom", "Tom", "she"), or
    is the holder's condition ("my peanut allergy", "my son's egg allergy", "User's coeliac disease")."""
    if subject is None:
        return False
    if subject.lemma_.lower() in CONDITIONS or subject.lower_ in CONDITIONS:
        return _owned_by(subject, holder)
    said = holder.casefold()
    if said == "user":
        return subject.lower_ in _HOLDER_USER and len(list(subject.subtree)) == 1
    if subject.lower_ in _PRONOUNS:
        return True
    names = {subject.lower_, subject.lemma_.lower()} | {
        c.lower_ for c in subject.children if c.dep_ in ("appos", "compound")
    }
    if not names & set(said.split()):
        return False
    for token in subject.subtree:
        if token.dep_ in ("prep", "relcl", "acl", "conj", "cc"):
            return False  # "the boy next to my son", "my son and his friend"
        if token.dep_ == "poss" and token.lower_ not in _OWNERS and f"{token.lower_}'s" not in said.split():
            return False  # "Tom's dog", "Anna's sister", "my daughter's daughter" (unless the holder is "Ana's mother")
    return True


def _owned_by(condition: Token, holder: str) -> bool:
    """ "my peanut allergy" is the user's, "my son's egg allergy" the son's: the condition's one possessor is the
    holder ("my" / "User" for the user, a relation or name owned by the user for a companion)."""
    owner = next((c for c in condition.children if c.dep_ == "poss"), None)
    if owner is None or any(_qualifies(c) for c in condition.children):
        return False
    user = holder.casefold() == "user"
    if owner.lower_ in _OWNERS | {"his", "her", "their"}:
        return user == (owner.lower_ in _OWNERS)  # "his" stands for the companion the detector resolved
    inner = next((c for c in owner.children if c.dep_ == "poss"), None)
    if inner is not None and inner.lower_ not in _OWNERS:
        return False  # "my friend's son's allergy"
    named = {owner.lower_, owner.lemma_.lower()} | {c.lower_ for c in owner.children if c.dep_ in ("compound", "appos")}
    return bool(named & set(holder.casefold().split()))


def _qualifies(child: Token) -> bool:
    """A word after the condition that says whose or which it is ("the allergy of my friend", "that I had"); "to
    peanuts" only names the need ("my allergy to peanuts")."""
    if child.dep_ == "prep":
        return child.lower_ != "to"
    return child.dep_ in ("relcl", "acl", "conj")


def ends(anchor: Token, says_the_need: bool) -> bool:
    """The clause of ``anchor`` (a need's word) says the need is over, in a form the detector reads as stating it:
    its condition is the subject of a verb of ending ("my peanut allergy is gone", "... has gone away", "my coeliac
    disease disappeared"), or the need's own word (``says_the_need``: "halal", not a food like "meat") is what a
    verb of stopping stops ("I've stopped eating halal", "I gave up veganism", "I stopped keeping kosher").
    Whether that is a plain retraction is ``verdict``'s to say."""
    chain = _chain(anchor)
    verb = next((t for t in chain if _changes(t)), None)
    if verb is None:
        return False
    between = chain[: chain.index(verb)]
    subject = next((t for t in between if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None:
        return subject.lemma_.lower() in CONDITIONS or subject.lower_ in CONDITIONS
    if not says_the_need or verb.lemma_.lower() in _ENDING or verb.lemma_.lower() == "go":
        return False
    return all(t.lemma_.lower() in _KEEPING | CONDITIONS or t.dep_ == "prep" for t in between[1:])


def _main(chain: Sequence[Token]) -> tuple[Token, Token] | None:
    """(predicate, the token whose subject is the holder): the first clause head on the chain, when it is the
    sentence's main clause, or under the holder's own word ("my wife says she's not"), or before a clause that
    comes after it with its own object ("I'm not allergic, my doctor confirmed it")."""
    predicate = next(t for t in chain if t.dep_ == "ROOT" or (t.dep_ in _HEADS and t.pos_ in ("VERB", "AUX")))
    if predicate.dep_ == "ROOT":
        return predicate, predicate
    head = predicate.head
    if predicate.dep_ not in ("ccomp", "parataxis") or head.dep_ != "ROOT":
        return None
    between = predicate.doc[predicate.i : head.i]
    own = any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i != predicate.i for c in head.children)
    if head.i > predicate.i and own and any(t.text in (",", ";") for t in between):
        return predicate, predicate  # a second clause after the retraction, about something else
    return (predicate, head) if _own_word(head, predicate) else None


def _own_word(head: Token, predicate: Token) -> bool:
    """ "my wife says she's not vegan any more", "User says they are no longer vegan": the holder's own word,
    said now and to nobody in particular ("I told the waiter I'm not ..." is a story, not a retraction)."""
    subject = _subject(predicate)
    if head.lemma_.lower() not in _SAYING or head.i > predicate.i or head.tag_ not in ("VBZ", "VBP"):
        return False
    speaker = _subject(head)
    again = speaker is not None and subject is not None and _words(subject) == _words(speaker)
    if subject is None or not (subject.lower_ in _PRONOUNS | _HOLDER_USER or again):
        return False  # "User's wife says User's wife is not vegan any more": the memory layer's own rewrite
    return all(c.dep_ in ("nsubj", "punct") or c.i == predicate.i or c.lower_ in _NOW for c in head.children)


def _words(token: Token) -> str:
    return " ".join(t.lower_ for t in token.subtree)


def _plain_words(predicate: Token, subject: Token | None, needs: frozenset[str] = frozenset()) -> bool:
    """Every word of the clause is accounted for: the subject, auxiliaries, the negation, "any more" / "now",
    determiners, "to" / "of", and the need's own words ("allergic", "peanut", "step-free access"). Anything else
    scopes or qualifies it ("severely", "just", "when", "in Europe", "according to", "strict"), and the clause is
    not plain. A clause after a comma with no subordinator ("..., my doctor confirmed it") is its own."""
    own = {t.i for t in subject.subtree} if subject is not None else set()
    for child in predicate.children:
        if child.dep_ in _CLAUSES and _own_clause(child):
            own |= {t.i for t in child.subtree}
    spans = any(_for_a_time(t) for t in predicate.subtree)
    changed = _changes(predicate)
    return all(
        t.i in own or t.i == predicate.i or _accounted(t, spans, changed, needs)
        for t in predicate.subtree
        if not t.is_space
    )


def _accounted(token: Token, spans: bool, changed: bool, needs: frozenset[str]) -> bool:
    """One word of a plain retraction's clause (see ``_plain_words``)."""
    word = token.lower_
    if word in _DEGREE:
        return False
    if token.is_punct:
        return token.text in (",", ".", "!", "-", ";")
    if (word, token.head.lower_) == ("after", "all") or (word, [c.lower_ for c in token.children]) == (
        "all",
        ["after"],
    ):
        return True  # "I'm not lactose intolerant after all": it never held
    if word == "free" and any(need_word(c, needs) for c in (*token.children, token.head)):
        return True  # "I'm not gluten-free any more"
    if token.dep_ == "cc":
        return word in ("and", "but")  # joining a clause of its own ("... but I eat everything now")
    if token.dep_ == "poss":
        return word in _OWNERS | {"his", "her", "their"}
    if _is_negation(token) or word in _NOW | _FUNCTION | _FILLERS or token.dep_ in ("aux", "auxpass"):
        return True  # the auxiliaries' tense and mood are read by ``_now``
    if spans and (word == "for" or token.like_num or token.lemma_.lower() in _SPANS):
        return True  # "for ten years"
    return (changed and _says_the_change(token)) or need_word(token, needs)


def _says_the_change(token: Token) -> bool:
    """A word of the verb of change: "gave up being", "got over", "grew out of", "stopped eating", "stopped
    keeping", "has gone away", "is gone", "is cured"."""
    if token.lower_ in ("up", "over", "away", "out") or token.lemma_.lower() in _EAT | _KEEPING:
        return True
    return token.dep_ == "acomp" and token.lemma_.lower() in ("go", *_ENDING)


@functools.lru_cache(maxsize=256)
def _need_words(needs: frozenset[str] = frozenset()) -> frozenset[str]:
    """The content words of the needs' own words ("peanut", "groundnut", "step", "access", "coeliac"), never of a
    food that only contains one ("butter" of "peanut butter", "oil" of "sesame oil", "whites" of "egg whites"):
    "I'm not allergic to peanut butter any more" says nothing of peanuts (``NeedSpec.own_words``)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from concierge.needs import load_vocabulary

    specs = [s for s in load_vocabulary().specs if not needs or s.id in needs]
    phrases = {p for spec in specs for p in spec.own_words}
    words = {w for phrase in phrases for w in phrase.replace("-", " ").split()}
    return frozenset(w for w in words if w not in STOP_WORDS) | _GENERIC


def need_words() -> frozenset[str]:
    """The content words of every need's own words ("peanut", "coeliac", "wheelchair", "allergy")."""
    return _need_words()


def need_word(token: Token, needs: frozenset[str]) -> bool:
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    words = _need_words(needs)
    canonical = lexicon_for(load_vocabulary()).canonical(token)
    return token.lower_ in words or canonical in words or token.lemma_.lower() in words


def _own_clause(clause: Token) -> bool:
    """A clause of its own beside the retraction, set apart by a comma or with its own subject ("..., my doctor
    confirmed it", "I used to be vegan but I eat everything now"), and no subordinator ("when", "if")."""
    if any(c.dep_ == "mark" for c in clause.children):
        return False
    return _apart(clause) or any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)


def _apart(clause: Token) -> bool:
    """A clause a comma sets apart from its head ("I'm not vegetarian any more, I eat fish now")."""
    tokens = sorted(t.i for t in clause.subtree)
    low, high = sorted((clause.head.i, tokens[0] - 1 if clause.head.i < tokens[0] else tokens[-1] + 1))
    return any(t.text in (",", ";") for t in clause.doc[max(low, 0) : high + 1])


def _now(predicate: Token, form: str) -> bool:
    """Present (or a change, which holds from then on), and no modal but "can" of eating."""
    auxes = [c for c in predicate.children if c.dep_ in ("aux", "auxpass")]
    for aux in auxes:
        if form == "eat" and (aux.lower_ in _MODAL_EAT or aux.lemma_.lower() in _EAT):
            continue  # "User can eat gluten again" (the small parser hangs "eat" on "gluten")
        if aux.lemma_.lower() not in _PRESENT_AUX and aux.lower_ not in _PRESENT_AUX:
            return False
        if aux.tag_ == "VBD":
            return False  # "I didn't", "I was"
    past = predicate.tag_ == "VBD" or predicate.lower_ in ("was", "were")
    return not past or form == "change"


def _form(chain: Sequence[Token], predicate: Token, negations: int) -> str | None:
    """Which plain form the predicate takes: a negation, a change, eating the food; None when none."""
    if any(c.lower_ == "never" for t in chain for c in t.children):
        return None
    if _changes(predicate):
        return "change" if negations == 1 else None
    if negations == 1:
        return "negation"
    eats = [predicate, *(c for c in predicate.children if c.dep_ == "aux")]
    if negations == 0 and any(t.lemma_.lower() in _EAT for t in eats):
        return "eat"
    over = any(_for_a_time(c) for t in chain for c in t.children)
    return "change" if negations == 0 and over and predicate.lower_ in ("was", "were") else None


def verdict(anchor: Token, holder: str, needs: frozenset[str] = frozenset()) -> Verdict:
    """Whether the clause of ``anchor`` (a need's word the detector read as taken back) takes ``needs`` (ids; all
    when empty) back plainly: in their own words, not a food that contains one."""
    from concierge.needs.mood import not_meant

    sentence = anchor.sent
    chain = _chain(anchor)
    negations = _negations(chain)
    if _reminder(sentence, anchor) or negations >= 2:
        return "affirmed"
    if not_meant(anchor.doc.text) or marked(anchor.doc) or _asks(sentence) or another_voice(anchor.doc, holder):
        return "not_plain"
    main = _main(chain)
    if main is None:
        return "not_plain"
    predicate, speaker = main
    if undercut(predicate) or not in_plain_company(anchor) or eats_unconfirmed(anchor, holder, needs):
        return "not_plain"
    if _believed_beside(predicate):
        return "not_plain"
    form = _form(chain, predicate, negations)
    plain = (
        form is not None
        and (is_holder(_subject(speaker), holder) or _elliptical(speaker, holder))
        and _now(predicate, form)
        and _plain_words(predicate, _subject(speaker) if speaker is predicate else _subject(predicate), needs)
    )
    return "plain" if plain else "not_plain"


# The marks a plain message is written with: a bracket, an ellipsis, an emoji, a lone dash, "?!", "‽", ";)" may
# hedge or take back what it says ("... anymore (I think).", "... anymore. (?)", "... anymore — I think —"): asked.
_MARKS = re.compile(r"[^\w\s'\u2019,.!?:;-]|_|\.\.|(?<!\w)-|-(?!\w)")
# Words of laughter or jest anywhere in the message: "lol", "haha", "jk".
_JEST = frozenset({"lol", "lmao", "lmfao", "rofl", "haha", "hahaha", "hehe", "heh", "jk", "xd", "wink", "lulz"})


def marked(doc: Doc) -> bool:
    """The message carries a mark or a word that may hedge, doubt or joke: a bracket, an ellipsis, an emoji, an
    interrobang, a lone dash, "lol" (attack10 H3/H4). A plain retraction is written in words and plain marks."""
    return _MARKS.search(doc.text) is not None or any(t.lower_ in _JEST for t in doc)


def without_courtesy(text: str) -> str:
    """``text`` less its pieces of courtesy (``concierge.needs.company.COURTESY``: "Hi,", "Thanks!", "Good news:",
    "please update my profile"). What is left is read as it is; anything in it that could qualify a retraction (a
    joke, a question, another speaker) is still there, so only courtesy of the closed set is ever dropped."""
    kept = [p for p in pieces(text) if not courteous_piece(p)]
    return " ".join(p.strip() for p in kept) if kept else text


_VOICE = frozenset({"say", "tell", "type", "write", "text", "claim", "insist", "speak", "reckon"})
_FIRST = frozenset({"i", "we", "user", "you"})
_OTHERS_THINGS = frozenset({"phone", "account", "nurse", "carer", "caregiver", "assistant", "behalf", "laptop"})


def another_voice(doc: Doc, holder: str) -> bool:
    """The message says that someone other than the holder speaks or types it (attack7 H1): "..., is what my
    brother says", "..., they tell me", "my son keeps saying", "My son is typing now", "(Writing as my brother)",
    "it's Tom here, her husband", "Hey it's me, his wife", "using his phone". The words are then not the holder's
    own, so they take nothing back (the holder's own word, "my wife says she's not vegan", stays plain)."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    companions = lexicon_for(load_vocabulary()).cues["companions"]
    return any(
        _voiced_by_another(token, holder)
        or (holder.casefold() == "user" and _of_the_account_holder(token, companions))
        or (token.lower_ == "here" and token.i > 0 and _a_speaker(doc[token.i - 1], companions))  # "Tom here"
        or _introduced(token, companions)
        for token in doc
    )


def _voiced_by_another(token: Token, holder: str) -> bool:
    """A verb of saying or typing whose speaker is not the holder, or said "as" / "for" someone."""
    if token.lemma_.lower() not in _VOICE:
        return False
    speaker = _subject(token) or (_subject(token.head) if token.dep_ == "xcomp" else None)
    if speaker is None:
        return any(c.lower_ in ("as", "for", "on") for c in token.children)  # "writing as my brother"
    return speaker.lower_ not in _FIRST and not _names_holder(speaker, holder)


def _of_the_account_holder(token: Token, companions: object) -> bool:
    """ "his wife", "her husband", "using his phone": said by someone of the account holder's."""
    if token.lower_ not in ("his", "her", "their") or token.dep_ != "poss":
        return False
    return (token.head.lower_,) in companions or token.head.lower_ in _OTHERS_THINGS  # type: ignore[operator]


_ROLES = frozenset({"babysitter", "nanny", "nurse", "carer", "caregiver", "assistant", "secretary", "doctor"})


def _introduced(token: Token, companions: object) -> bool:
    """ "This is the babysitter", "It's his nurse": someone introduces themself as a person other than the user."""
    if token.dep_ != "attr" or token.head.lemma_ != "be" or token.pos_ != "NOUN":
        return False
    subject = _subject(token.head)
    person = (token.lower_,) in companions or token.lower_ in _ROLES  # type: ignore[operator]
    return subject is not None and subject.lower_ in ("this", "it") and person


def _a_speaker(token: Token, companions: object) -> bool:
    return token.pos_ == "PROPN" or (token.lower_,) in companions  # type: ignore[operator]


def _names_holder(speaker: Token, holder: str) -> bool:
    """The speaker is the holder ("my wife says she's not vegan", "User's wife says ...")."""
    said = set(holder.casefold().split())
    if speaker.lower_ in _PRONOUNS:
        return said != {"user"}  # "she says she's not": the companion; "they tell me I'm not": not the user
    return bool({speaker.lower_, speaker.lemma_.lower()} & said)


def _believed_beside(predicate: Token) -> bool:
    """A clause of its own beside the retraction weighs it with a verb of belief ("..., but I don't believe him",
    "..., I doubt it", "..., my wife thinks so"): whoever believes what, it is no plain word; the concierge asks."""
    return any(c.dep_ in _CLAUSES and c.lemma_.lower() in _BELIEF and c.i > predicate.i for c in predicate.children)


def undercut(predicate: Token) -> bool:
    """A retraction not said plainly because of what follows it in its sentence: "... any more lol no", "..., if
    only!", "... , yeah right". The sentences after it are ``concierge.needs.company``'s to judge. The words after
    the clause must be courtesy ("..., thanks!") or a clause of its own with its subject; any other fragment, or
    interjections with a denial among them, may be irony: an unknown ending keeps the need (the concierge asks)."""
    doc = predicate.doc
    clause = sorted(predicate.subtree, key=lambda t: t.i)
    while len(clause) > 1 and (clause[-1].is_punct or clause[-1].lower_ in _INTERJECTION | _COURTESY):
        clause.pop()  # "... anymore lol": the parser hangs the ending on the predicate; read it as an ending
    end = clause[-1].i
    # "she's not ..." with "anymore" hung on "says": "anymore" is the clause's own
    run = [t for t in doc[end + 1 : predicate.sent.end] if not (t.is_punct or t.is_space or t.lower_ in _NOW)]
    return bool(run) and not _supportive(run)


def _supportive(run: Sequence[Token]) -> bool:
    """Courtesy only, or a clause with its own subject that is not an interjection of denial (the parser may take
    "Nope" in "Nope, still am." for a subject), that does not call the retraction untrue, a test or a mistake ("I
    lied.", "That was a test.", "Sorry, I meant my brother.", attack7 H2/H3), and that does not comment on it
    ("That's what I'd say if I could.", "Did that work?"): a comment on what was just said is courtesy or nothing."""
    words = {t.lower_ for t in run}
    if words <= _INTERJECTION and words & _DENIALS:
        return False
    if courteous(" ".join(t.text for t in run)):
        return True  # "..., thanks!", "..., please update my profile"
    if words & _UNSAYING or any(t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in _ANAPHORA for t in run):
        return False  # "That was a test.", "that's a lie", "that's just great": a remark on it is not courtesy
    if _hedge(run):
        return False
    return any(
        t.dep_ in ("nsubj", "nsubjpass")
        and t.head in run
        and t.head.pos_ in ("VERB", "AUX")
        and t.pos_ != "INTJ"
        and t.lower_ not in _DENIALS
        for t in run
    )


# Verbs of belief: "I think.", "I guess so.", "I hope." after a retraction hedge it (attack8 H7).
_BELIEF = frozenset(
    {"think", "guess", "believe", "reckon", "suppose", "hope", "assume", "imagine", "doubt", "bet", "pray", "wonder"}
)
BELIEF = _BELIEF
_BARE = frozenset({"nsubj", "nsubjpass", "ROOT", "aux", "auxpass", "neg", "advmod", "intj", "punct"})


def _hedge(run: Sequence[Token]) -> bool:
    """A verb of belief, or a subject and a verb that say nothing more ("Fingers crossed.", "We'll see."): a comment
    on the retraction, not a statement of its own (which has an object, a complement, a place or a time)."""
    if any(t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in _BELIEF for t in run):
        return True
    return all(t.dep_ in _BARE for t in run)


def _elliptical(predicate: Token, holder: str) -> bool:
    """Chat that leaves the speaker out ("not veggie anymore lol"): the user's own words, when no verb could
    make it an order ("don't eat peanuts")."""
    ordered = predicate.pos_ in ("VERB", "AUX") and predicate.tag_ == "VB"  # "don't eat peanuts", "be vegan"
    return holder.casefold() == "user" and _subject(predicate) is None and not ordered
