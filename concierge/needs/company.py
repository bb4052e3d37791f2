"""What may stand beside a plain retraction in the same message: a whitelist, sentence by sentence.

Why: a retraction takes a need back only when the message is the holder's plain word plus neutral company (issue 24;
attack8 H2/H3/H6/H7). Every other sentence of the message must be known to be neutral: a greeting or thanks ("Hi!",
"Great news!", "Please update my profile."), a courteous remark ("That's great news!"), or a booking and nothing
more ("Book dinner in Lyon tomorrow for 2."). Anything else, even what could bear the retraction out ("I had
satay yesterday!", "I'm Anna."), since the same shapes contradict it ("I had a reaction yesterday.", a name given by
someone else typing), jest ("I walk on water too.") or hedge it ("Make a note that this is only a test."), makes
the retraction not plain: nothing is taken back and the concierge asks "Do you mean ...?"
(``concierge.needs.current.unplain_question``); a plain yes takes it back. Unknown is never neutral (attack9 H1).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# A booking asked beside the retraction ("Book dinner in Lyon tomorrow for 2."): its verb opens the sentence.
_BOOKING = frozenset({"book", "reserve", "find", "plan"})
_ASKING = frozenset({"can", "could", "would", "will", "please", "you", "kindly"})
# Parts of a sentence that say more than the booking: a clause under it ("..., to test it"), a condition ("if",
# "until", "once"), a second verb joined to it.
_MORE = frozenset({"advcl", "ccomp", "xcomp", "parataxis", "conj", "mark", "csubj"})


def in_plain_company(anchor: Token) -> bool:
    """Every sentence of the message but the retraction's own is neutral company, whoever holds the need."""
    from concierge.needs.retraction import need_words

    words = need_words()
    return all(_neutral_sentence(s, words) for s in anchor.doc.sents if s != anchor.sent and _said(s))


def _said(sentence: Span) -> bool:
    return any(not (t.is_punct or t.is_space) for t in sentence)


def _neutral_sentence(sentence: Span, needs: frozenset[str]) -> bool:
    from concierge.needs.retraction import is_neutral

    words = [t for t in sentence if not (t.is_punct or t.is_space)]
    if is_neutral(" ".join(t.text for t in words if t.lower_ not in _ASKING)):
        return True  # "Thanks!", "Great news!", "Please update my profile.", "Can you update my profile?"
    named = any((t.lower_ in needs or t.lemma_.lower() in needs) and t.lower_ != "user" for t in words)
    return not named and (_booking(sentence, words) or _courteous_remark(words))


def _booking(sentence: Span, words: Sequence[Token]) -> bool:
    """ "Book dinner in Lyon tomorrow for 2.", "Can you find us a table in Rome?": a booking and nothing more (no
    clause under it, no condition, no word of saying, testing or joking: "Book it, to test it" is not company)."""
    from concierge.needs.retraction import UNSAYING

    lead = 0
    while lead < len(words) and words[lead].lower_ in _ASKING:
        lead += 1
    if lead == len(words) or words[lead].lower_ not in _BOOKING:
        return False  # the small parser may tag an opening "Book" as a noun: the word and its place decide
    return not any(t.dep_ in _MORE or t.lower_ in UNSAYING or (t.tag_ == "MD" and t.i > words[0].i) for t in sentence)


def _courteous_remark(words: Sequence[Token]) -> bool:
    """ "That's great news!", "This is wonderful.": a remark on what was said that is courtesy only."""
    from concierge.needs.retraction import is_neutral

    if not words or words[0].lower_ not in ("that", "this", "it", "that's", "what"):
        return False
    rest = " ".join(t.text for t in words[1:] if t.lower_ not in ("'s", "is", "was", "s", "a", "an", "such", "really"))
    return is_neutral(rest)


# Who a sentence says is writing: "I'm Anna", "This is Anna", "My name is Anna"; a stored "User is Bob".
_WRITER = frozenset({"i", "user", "this"})


def names_given(text: str) -> frozenset[str]:
    """The names the writer of ``text`` gives themself ("Hi, I'm Anna.", "My name is Bob", "Anna here"; as stored,
    "User is Bob", "User's name is Bob", "User is called Bob"), folded: a name said beside a retraction may be
    someone else typing on the account (attack9 H3)."""
    from concierge.needs.current import fold_name
    from concierge.needs.detect_names import full_name
    from concierge.needs.nlp import parse

    found = {fold_name(full_name(t)) for t in parse([text])[0] if t.pos_ == "PROPN" and _given(t)}
    return frozenset(found)


def _given(name: Token) -> bool:
    if name.dep_ == "ROOT":
        return any(c.lower_ == "here" for c in name.children)  # "Anna here."
    if name.dep_ not in ("attr", "oprd"):
        return False
    subject = next((c for c in name.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return False
    owner = next((c.lower_ for c in subject.children if c.dep_ == "poss"), None)
    return subject.lower_ in _WRITER or (subject.lower_ == "name" and owner in ("my", "user"))


__all__ = ["in_plain_company", "names_given"]
