"""What may stand beside a plain retraction in the same message: courtesy of a closed, small set, and nothing else.

Why: a retraction takes a need back only when the message is the holder's plain word plus company whose effect on
it is certainly nil (issue 24; attack8-10). Losing a need is the harm, asking once more is not, so the company is a
closed set of whole phrases, not of words: a greeting ("Hi!", "Hello there,"), thanks ("Thanks!", "Thank you so
much."), "please" and a request to note it ("Please update my profile."), "good news" or "just so you know". Words
that can be sarcasm ("Great. Just great.", "Thanks a lot, God.", "Well, well, well."), any other request, a booking
included ("Book dinner in Lyon tomorrow for 2, just for fun.", "Find me the nearest ER."), a sentence of marks only
("(?)", "...?", ";)") and anything unknown make the retraction not plain: nothing is taken back, a booking still
plans with the need, and the concierge asks "Do you mean ...?" (``concierge.needs.current.unplain_question``); a
plain yes takes it back.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

_HELLO = ("hi", "hello", "hey", "hiya", "howdy", "greetings", "good morning", "good afternoon", "good evening")
_THANKS = (
    "thanks", "thank you", "thanks so much", "thank you so much", "thank you very much", "many thanks", "thx", "ty",
    "cheers",
)  # fmt: skip
_TO = ("", " there", " concierge", " everyone")
_NOTE = ("update my profile", "update my records", "update my notes", "update my file", "update", "note that")
_ASK = ("please ", "can you ", "could you ", "")
# The closed set: every phrase a piece of courtesy may be, word for word.
COURTESY = frozenset(
    {f"{h}{t}" for h in (*_HELLO, *_THANKS) for t in _TO}
    | {f"{a}{n}" for a in _ASK for n in _NOTE}
    | {"please", "good news", "great news", "just so you know", "fyi", "heads up", "quick update"}
)
# A piece: a run of words and the marks that close it; only these marks may close a piece of courtesy.
_PIECE = re.compile(r"[^,;:.!?]+[,;:.!?]*")
_CLOSING = re.compile(r"[,;:!]*\.?!*")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


def courteous_piece(piece: str) -> bool:
    """One piece of a message is courtesy: one phrase of ``COURTESY`` and ",", ".", "!", ":" or ";" at most ("Hi!",
    "Thank you.", "Cheers!!"); "Great.", "Thanks a lot, God.", "Thanks..." , "Hi :)" are not."""
    words = _WORD.findall(piece.casefold())
    rest = _WORD.sub(" ", piece).strip()
    if words[:1] in (["can"], ["could"]) and rest.endswith("?"):
        rest = rest[:-1]  # "Can you update my profile?"
    return " ".join(words) in COURTESY and _CLOSING.fullmatch(rest.replace(" ", "")) is not None


def pieces(text: str) -> list[str]:
    """The pieces of ``text``: runs of words and the marks that close them ("Hi,", " thanks!")."""
    return _PIECE.findall(text)


def courteous(text: str) -> bool:
    """Every piece of ``text`` is courtesy (``courteous_piece``); an empty text, or one opening with a mark, is not."""
    found = pieces(text.strip())
    return bool(found) and "".join(found) == text.strip() and all(courteous_piece(p) for p in found)


def in_plain_company(anchor: Token) -> bool:
    """Every sentence of the message but the retraction's own is courtesy, whoever holds the need: a booking, a
    request, a remark, a sentence of marks only ("(?)", "‽", "🤔") is not."""
    return all(courteous(s.text) for s in anchor.doc.sents if s != anchor.sent and s.text.strip())


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


__all__ = ["COURTESY", "courteous", "courteous_piece", "in_plain_company", "names_given", "pieces"]
