"""The turn right after a plain retraction of a need: a jest, a test, someone else typing, or "I still am".

Why: "I'm not allergic to peanuts anymore." is plain, so the allergy goes; but when the very next message says it
was a joke ("Just kidding!", "Psych!"), a test, someone else ("That was my son typing."), or that the need still
holds ("Actually I still am.", "He still is.", "Nope, still allergic.", "Still do."), the retraction is taken back
and the need holds again, as "scratch that" does. A short reply we cannot read surely ("😂", "Bazinga.") keeps the
need on the safe side, and the answer says how to take it back plainly (``concierge.conversation.retraction_reply``
reads the whole class: restated, jested, someone else's, "keep it", or something else).

How: by example (the ``undo`` kind of ``config/turn_kinds.yaml``: jests, tests, other typists, which the reader takes
as taking the previous turn back, and ``concierge.conversation.undo`` then restores), plus a small parse of an
elliptical reaffirmation: "still" with a copula, an auxiliary or "do" and no new need, or "still <need word>",
whose subject names the holder of the need just taken back ("I" the user, "he" / "she" a companion, none: the same
person). A reaffirmation by someone else ("She still is." after the son's) brings nothing back.
Only the very next turn: the session keeps the retraction for one turn (``SessionState.retracted``), so a need
taken back two turns ago comes back only when the user names it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from concierge.conversation.state import Retracted

if TYPE_CHECKING:
    from concierge.memory.layer import ConciergeMemory
    from concierge.memory.records import MemoryRecord
    from concierge.scope import Scope

Reading = Literal["restore", "unclear", "other"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say the message before was a jest ("Psych!", "lol sike", "Yeah right. Still allergic.").
_JESTING = (
    r"(?:just\s+|only\s+)?(?:kidding|joking)|jk|psych|sike|gotcha|not\s+true|not\s+really|yeah\s+right|as\s+if"
    r"|not\s+a\s+chance|no\s+way|made\s+you\s+look|fooled\s+you|april\s+fool'?s?"
)
_JEST = re.compile(rf"^(?:{_JESTING})$", re.IGNORECASE)
# Interjections that may stand beside a reaffirmation ("Ha, no. Still allergic.", "Not true, he still is.").
_ASIDE = re.compile(
    r"^(?:actually|nope|no|nah|ha+|(?:ha){2,}h?|hehe|lol|lmao|rofl|xd|well|oh|wait|sorry|but|and|also|plus|btw"
    r"|by\s+the\s+way|of\s+course|correction"
    rf"|obviously|sadly|yes|yeah|yep|um+|hmm+|{_JESTING})$",
    re.IGNORECASE,
)
_REAFFIRMED = re.compile(
    r"^(?:(?P<subject>i|he|she|they|my\s+[\w-]+|[a-z][\w-]*)(?:\s*'(?:m|s|re)|\s+(?:am|is|are))?\s+)?still"
    r"(?:\s+(?:am|is|are|do|does|have|has|need|needs|use|uses|keep|keeps|can'?t|cannot|appl(?:y|ies)|holds?))?"
    r"(?:\s+(?P<rest>.*))?$",
    re.IGNORECASE,
)
# Words beside the need's own in "I'm still allergic to them", "still very much vegan".
_BESIDE = _words("to it them that those one a an the my his her actually though too really very much so lol haha btw")
_MALE = _words(
    "son husband brother father dad daddy papa grandfather grandpa granddad uncle nephew boyfriend fiance stepson"
    " stepfather stepdad grandson godfather father-in-law brother-in-law son-in-law boy"
)
_FEMALE = _words(
    "daughter wife sister mother mum mom mummy mommy mama grandmother grandma granny aunt niece girlfriend fiancee"
    " stepdaughter stepmother stepmom stepmum granddaughter godmother mother-in-law sister-in-law daughter-in-law"
    " girl"
)


def just_retracted(
    stored: Sequence[MemoryRecord], held: Collection[tuple[str, str]], replaced: Mapping[str, str] | None = None
) -> Retracted | None:
    """The need the facts ``stored`` this turn took back, when it no longer ``held`` (need id, holder folded): what
    a jest next brings back, with every stored fact that took a need back (they are what a jest retracts). A fact
    that superseded one stating a need took it back too ("I eat fish now" after "I'm vegan"): ``replaced`` maps a
    superseded memory's id to its text, and such a need comes first."""
    from concierge.needs.current import statements

    replaced = replaced or {}
    superseded = [(r, s.need) for r in stored for i in r.supersedes for s in statements(replaced.get(i, ""))]
    said = [(r, s.need) for r in stored for s in statements(r.text)]
    held = _with_absorbed(held)  # "I'm vegan now" after "I'm vegetarian" took nothing back: vegan keeps it
    gone = [
        (record, need)
        for record, need in [*((r, n) for r, n in superseded if n.active), *((r, n) for r, n in said if not n.active)]
        if (need.need_id, need.holder.casefold()) not in held
    ]
    if not gone:
        return None
    need = gone[0][1]
    ids = list(dict.fromkeys(record.id for record, _ in gone))
    return Retracted(need_id=need.need_id, holder=need.holder, label=need.label, memory_ids=ids)


def _with_absorbed(held: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
    """The needs held, and those a held one covers (config/needs.yaml: a vegan diet keeps a vegetarian one)."""
    from concierge.needs import load_vocabulary

    vocabulary = load_vocabulary()
    known = vocabulary.ids()

    def covered(need: str) -> set[str]:
        return {*vocabulary.offered([need]), *vocabulary.get(need).supersedes} if need in known else {need}

    return {(c, holder) for need, holder in held for c in covered(need)}


def read_next(message: str, retracted: Retracted, intent: str = "statement") -> Reading:
    """What the turn right after the retraction (read by the rules as ``intent``) says of it: take it back (a jest,
    "I still am", someone else's, "keep it"; or "yes" to a question asked by an older version), nothing, or nothing
    clear ("Bazinga.": the need is kept on the safe side). See ``concierge.conversation.retraction_reply``."""
    from concierge.conversation.confirm import says_yes
    from concierge.conversation.retraction_reply import read_reply

    if retracted.asked:
        return "restore" if says_yes(message) else "other"
    if jests(message):
        return "restore"
    return read_reply(message, retracted, intent)


def _pieces(message: str) -> list[str]:
    text = " ".join(message.replace("\u2019", "'").split())
    return [p.strip() for p in re.split(r"[.,;:!?\u2026\u2013\u2014]+|\s+-+\s+", text) if p.strip()]


def _asides(piece: str) -> tuple[list[str], str]:
    """The asides the piece starts with, and the rest ("Actually he still is" -> ["Actually"], "he still is")."""
    words, found = piece.split(), []
    while words:
        size = next((n for n in (3, 2, 1) if _ASIDE.match(" ".join(words[:n]))), 0)
        if not size:
            break
        found.append(" ".join(words[:size]))
        words = words[size:]
    return found, " ".join(words)


def jests(message: str) -> bool:
    """The message is asides only, one of them a jest ("lol sike", "Yeah right.", "Kidding, kidding")."""
    read = [_asides(piece) for piece in _pieces(message)]
    return bool(read) and all(not rest for _, rest in read) and any(_JEST.match(a) for said, _ in read for a in said)


# Laughter and pauses, which say nothing of any turn: "lol", "haha", "wait", "hold on", "brb", "be right back".
_IDLE_WORD = (
    r"(?:lol|lmao|lmfao|rofl|(?:ha){2,}h?|(?:he){2,}|heh|xd|lulz|wait(?:\s+a\s+(?:sec|second|minute|moment))?"
    r"|hold\s+on|hang\s+on|one\s+sec(?:ond)?|just\s+a\s+sec(?:ond)?|brb|be\s+right\s+back|h+m+|u+m+|u+h+)"
)
_IDLE = re.compile(rf"^{_IDLE_WORD}(?:\s+{_IDLE_WORD})*$", re.IGNORECASE)


def idle(message: str) -> bool:
    """The message is laughter or a pause only ("lol", "lmao", "wait", "be right back", "haha!"): with nothing to
    take back in the session, small talk that stores, plans and cancels nothing."""
    words = " ".join(re.findall(r"[\w']+", message))
    return bool(words) and _IDLE.match(words) is not None


def reaffirmed_by(message: str, need_id: str) -> str | Literal[True] | None:
    """Who says need ``need_id`` still holds in an elliptical reaffirmation ("I", "he", "my son"), True when nobody
    is named ("Still do."), None when the message is no such reaffirmation (asides at most around it) or says
    words of another need ("Still allergic." after a wheelchair, "Still allergic to eggs" after peanuts)."""
    found: str | Literal[True] | None = None
    for _, piece in map(_asides, _pieces(message)):
        if not piece:
            continue
        match = _REAFFIRMED.match(piece)
        rest = (match.group("rest") or "").casefold().split() if match else []
        if match is None or found is not None or not set(rest) <= _own_words(need_id) | _BESIDE:
            return None
        found = match.group("subject") or True
    return found


_ALLERGIC = _words("allergic allergy intolerant intolerance sensitive sensitivity")


def _own_words(need_id: str) -> frozenset[str]:
    """The words that name need ``need_id`` (its id, label and own words; "allergic" for an allergy)."""
    from concierge.needs import load_vocabulary

    spec = load_vocabulary().get(need_id)
    phrases = [need_id, spec.label, *spec.own_words]
    words = frozenset(w for p in phrases for w in re.findall(r"[a-z]+", p.casefold()))
    return words | (_ALLERGIC if spec.kind == "allergy" else frozenset())


def _fits(subject: str, holder: str) -> bool:
    """The reaffirmation's subject can name the need's holder: "I" the user, "he" a son, "my son" the son."""
    said, held = subject.casefold(), holder.casefold()
    if said in ("it", "that", "this"):
        return True  # "It still applies": the need itself
    if said == "i" or held == "user":
        return said == "i" and held == "user"
    relation = held.split()[-1] if held.split() else held
    if said in ("he", "she", "they"):
        if holder[:1].isupper():
            return said != "they"  # a name: "he" or "she" may be them
        other = {"he": _FEMALE, "she": _MALE, "they": _MALE | _FEMALE}[said]
        return relation not in other
    if said.startswith("my "):
        return said.split()[-1] == relation
    return said in (held, relation)


def _whom(holder: str) -> str:
    return "you" if holder.casefold() == "user" else (holder if holder[:1].isupper() else f"your {holder}")


def restore(memory: ConciergeMemory, scope: Scope, retracted: Retracted, *, unclear: bool = False) -> str:
    """Take the retraction back: the memories that took the need back are retracted (what they replaced is current
    again), so the need holds as before; the answer says so, or asks for it plainly when it does not hold. After a
    reply we could not read (``unclear``) the answer says how to take the need back plainly."""
    from concierge.needs import active_needs

    for memory_id in retracted.memory_ids:
        memory.retract(scope, memory_id)
    records = sorted(memory.list(scope), key=lambda r: r.created_at or "")
    held = {(n.need_id, n.holder.casefold()) for n in active_needs([r.text for r in records])}
    whom = _whom(retracted.holder)
    if (retracted.need_id, retracted.holder.casefold()) in held and unclear:
        return (
            f"To be safe I keep to {retracted.label} for {whom}: I could not tell whether your last message meant "
            f'it was a joke. If it really no longer applies, say so plainly: "{retracted.label} no longer applies".'
        )
    if (retracted.need_id, retracted.holder.casefold()) in held:
        return f"Kept: {retracted.label} still applies to {whom}; I took your last message back."
    return f"I could not bring {retracted.label} back for {whom}; please tell me plainly that it still applies."
