"""What may stand beside a plain retraction in the same message: a whitelist, sentence by sentence.

Why: a retraction takes a need back only when the message is the holder's plain word plus neutral company (issue 24;
attack8 H2/H3/H6/H7). Every other sentence of the message must be known to be neutral: a greeting or thanks ("Hi!",
"Great news!", "Please update my profile."), a request to the concierge ("Book dinner in Lyon tomorrow for 2.",
"Can you update my profile?"), a name given ("Hi, I'm Anna."), the holder's own statement of something they do
("I had satay yesterday!", "I outgrew it last year.", "He eats eggs now."), or a statement of a need of its own
("I'm still allergic to sesame.", "My son is still vegan."), which is read for itself. Anything else: someone
else typing ("Passing the phone to my wife."), a jest ("Who am I fooling?"), a correction ("I mixed up with my
son."), a hedge ("I think.", "Maybe.") or what we cannot read, makes the retraction not plain: nothing is taken
back and the concierge asks (``concierge.needs.current.unplain_question``). Unknown is never neutral.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Requests to the concierge that say nothing of a need ("Book dinner ...", "Please update my profile").
_REQUESTS = frozenset(
    {"book", "reserve", "find", "plan", "update", "note", "record", "change", "add", "show", "suggest", "recommend",
     "search", "look", "get", "make", "check", "help", "give", "send", "list"}
)  # fmt: skip
_ASKING = frozenset({"can", "could", "would", "will", "please", "you", "kindly"})
# What a holder says they do, now or lately, that bears the retraction out ("I had satay yesterday!").
_DOINGS = frozenset(
    {"have", "eat", "drink", "try", "order", "love", "like", "enjoy", "outgrow", "cook", "taste", "tolerate",
     "go", "walk", "hear", "see", "feel", "get"}
)  # fmt: skip
# How a need of its own is stated ("I'm still allergic to sesame", "My son keeps kosher").
_STATING = frozenset({"be", "have", "keep", "follow", "use", "need", "eat", "observe"})
# An extra guard inside the whitelist: a statement that says who said, meant or mixed up what is not company.
_VOICES = frozenset(
    {"say", "tell", "type", "write", "text", "claim", "insist", "speak", "mean", "mix", "confuse", "think",
     "believe", "guess", "hope", "suppose", "reckon", "kid", "joke", "fool", "pretend", "forget", "ignore",
     "delete", "disregard", "sign", "grab", "pass", "hand", "doubt", "wish", "dream", "imagine"}
)  # fmt: skip
# Words that date an event ("yesterday", "last year", "again"): a statement of what happened, not a comment.
_TIMES = frozenset(
    {"yesterday", "today", "tonight", "now", "again", "ago", "last", "lately", "recently", "morning", "night",
     "week", "weekend", "month", "year"}
)  # fmt: skip
_CLAUSES = frozenset({"ccomp", "csubj", "advcl", "parataxis"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_USER_SUBJECTS = frozenset({"i", "user"})  # "User had satay yesterday": the memory layer's rewrite
_PRONOUNS = frozenset({"he", "she", "they"})


def in_plain_company(anchor: Token, holder: str) -> bool:
    """Every sentence of the message but the retraction's own is neutral company for ``holder``'s retraction."""
    from concierge.needs.retraction import need_words

    words = need_words()
    return all(_neutral_sentence(s, holder, words) for s in anchor.doc.sents if s != anchor.sent and _said(s))


def _said(sentence: Span) -> bool:
    return any(not (t.is_punct or t.is_space) for t in sentence)


def _neutral_sentence(sentence: Span, holder: str, needs: frozenset[str]) -> bool:
    from concierge.needs.retraction import is_neutral

    if is_neutral(sentence.text):
        return True  # "Thanks!", "Great news!", "Please update my profile."
    words = [t for t in sentence if not (t.is_punct or t.is_space)]
    named = any((t.lower_ in needs or t.lemma_.lower() in needs) and t.lower_ != "user" for t in words)
    return _request(words, named) or _courteous_remark(words) or _statement(sentence, holder, named)


def _request(words: Sequence[Token], named: bool) -> bool:
    """ "Book dinner in Lyon tomorrow for 2.", "Can you update my profile?", "Please note it.": an imperative or a
    polite question whose verb is a known request, naming no need (a request that names it is read on its own)."""
    if named or not words:
        return False
    lead = 0
    while lead < len(words) and words[lead].lower_ in _ASKING:
        lead += 1
    if lead == len(words):
        return False
    verb = words[lead]  # the small parser may tag an opening "Book" as a noun: the word and its place decide
    return verb.lower_ in _REQUESTS and not any(t.lemma_.lower() in _VOICES for t in words)


def _courteous_remark(words: Sequence[Token]) -> bool:
    """ "That's great news!", "This is wonderful.": a remark on what was said that is courtesy only."""
    from concierge.needs.retraction import is_neutral

    if not words or words[0].lower_ not in ("that", "this", "it", "that's", "what"):
        return False
    rest = " ".join(t.text for t in words[1:] if t.lower_ not in ("'s", "is", "was", "s", "a", "an", "such", "really"))
    return is_neutral(rest)


def _statement(sentence: Span, holder: str, named: bool) -> bool:
    """A statement of the holder's about what they do ("I had satay yesterday!"), a name given ("I'm Anna."), or,
    when it names a need, a statement of that need of its own ("I'm still allergic to sesame", read for itself)."""
    root = sentence.root
    if "?" in sentence.text or root.pos_ not in ("VERB", "AUX"):
        return False
    if any(t.tag_ == "MD" for t in sentence) or _others_voice(sentence):
        return False
    heads = [root, *(c for c in root.children if c.dep_ in ("aux", "auxpass"))]  # "I had satay": "I" on "had"
    subject = next((c for h in heads for c in h.children if c.dep_ in _SUBJECTS), None)
    if subject is None:
        return False
    if named:
        return root.lemma_.lower() in _STATING and _plain_subject(subject)
    if any(c.dep_ == "neg" for c in root.children) or not _holders_subject(subject, holder):
        return False
    return _a_name_given(root, subject) or (_a_doing(root) and not _mentions_another(sentence, holder))


def _a_doing(root: Token) -> bool:
    """ "I eat meat again", "I love jazz", "I had satay yesterday", "I outgrew it last year": a verb of doing, or
    an event said with its time, with nothing said under it; "have" only of the past or of now ("I have my doubts"
    is no doing), and no verb of saying, meaning or believing (``_others_voice`` has looked)."""
    lemma = root.lemma_.lower()
    if any(c.dep_ in _CLAUSES for c in root.children):
        return False
    timed = any(t.lower_ in _TIMES for t in root.subtree)
    if lemma == "have":
        return root.tag_ == "VBD" or timed
    return lemma in _DOINGS or timed


def _a_name_given(root: Token, subject: Token) -> bool:
    """ "I'm Anna.": the user gives their name, and nothing more."""
    if root.lemma_.lower() != "be" or subject.lower_ not in _USER_SUBJECTS:
        return False
    rest = [c for c in root.children if c.dep_ not in ("punct", "intj", "nsubj")]
    return len(rest) == 1 and rest[0].dep_ == "attr" and rest[0].pos_ == "PROPN" and len(list(rest[0].subtree)) == 1


def _holders_subject(subject: Token, holder: str) -> bool:
    if len(list(subject.subtree)) != 1:
        return False
    if holder.casefold() == "user":
        return subject.lower_ in _USER_SUBJECTS
    return subject.lower_ in _PRONOUNS or subject.lower_ in holder.casefold().split()


def _plain_subject(subject: Token) -> bool:
    """A person said plainly: "I", "my son", "Tom", "she", never "that" or "the test"."""
    return subject.lower_ in _USER_SUBJECTS | _PRONOUNS or subject.pos_ in ("PROPN", "NOUN")


def _others_voice(sentence: Span) -> bool:
    """A verb of saying, typing, meaning or mixing up anywhere in it ("That's what my son typed", "I mixed up")."""
    from concierge.needs.retraction import UNSAYING

    return any(t.lemma_.lower() in _VOICES or t.lower_ in UNSAYING for t in sentence)


def _mentions_another(sentence: Span, holder: str) -> bool:
    """Someone other than the holder is in it ("I had satay with my son" is fine to ask about)."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    companions = lexicon_for(load_vocabulary()).cues["companions"]
    own = set(holder.casefold().split())
    return any(
        ((t.lower_,) in companions or t.pos_ == "PROPN" or (t.lower_ in _PRONOUNS and holder.casefold() == "user"))
        and t.lower_ not in own
        for t in sentence
    )


__all__ = ["in_plain_company"]
