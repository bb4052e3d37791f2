"""The turn right after a plain retraction of a need, read as a class: does it take the retraction back?

Why: "I'm not allergic to peanuts anymore." is plain, so the allergy goes; but the very next message may doubt it,
joke about it or contradict it in endless ways ("That was a prank.", "Correction: I'm still allergic.", "Oh wait,
that's my sister, not me.", "Peanuts would still kill me.", "oh no, don't remove that"). A list of phrases always
misses the next one, and a need wrongly left gone is the harm this project guards against. So the turn is read
against the retraction it follows, in this order:

0. It says someone other than the holder is "the one" the retraction is true of ("My partner's the one who isn't
   allergic.") -> restore; the holder ("I'm the one who isn't allergic.") -> the retraction stands.
1. It says the need still holds, of its holder (beside a booking too: "Book dinner in Lyon tomorrow for 2, I'm still
   allergic by the way", which is then planned with the need, ``concierge.turn.flow``): "still" with the need's own
   words, a pronoun or an ellipsis ("still am", "he still is", "eggs still make him ill"), or the need detector
   finding it active again -> restore. Said of
   another person ("She still is." after the son's) or of another need ("Still allergic." after a wheelchair) ->
   the retraction stands (the message is an ordinary statement).
2. By example (``config/retraction_replies.yaml``, nearest neighbours over MiniLM vectors like the kinds of turn):
   a jest, a test or a slip, "it still holds", someone else's need or someone else typing, "keep it / put it back"
   -> restore; more of the same ("great, I can eat satay now"), a courtesy ("thanks"), a request, a question or a
   fact about something else -> the retraction stands.
3. Anything else short and unclear right after a retraction ("Bazinga.", "lol", "😂": no fact said, no sure reading)
   -> the safe side: the need is kept, and the answer says so and how to take it back plainly.

Only the very next turn of the same session reads this (``SessionState.retracted``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from concierge.conversation.state import Retracted
    from concierge.kinds import KindReading, TurnKinds

Reading = Literal["restore", "unclear", "other"]

REPLIES_FILE = "retraction_replies.yaml"
RESTORING = frozenset({"jest", "still", "someone_else", "keep"})
_FLOOR = 0.3  # a restoring kind ahead of every other counts from here (the file's min_score is for "sure")
_SHORT = 4  # words: "Bazinga.", "lol ok": a reply this short that reads as nothing sure is unclear
BOOKINGS = ("dine", "stay", "trip")
_ASKING = (*BOOKINGS, "memory_question", "needs_question", "place_question", "forget")
_STILL = re.compile(r"\bstill\b", re.IGNORECASE)
# "I'm still not allergic", "still fine": the retraction said again (but "still not able to eat them" is the need)
_NOT_AFTER_STILL = re.compile(
    r"\bstill\s+(?:(?:not|never)\b(?!\s+(?:able|allowed))|no\s+longer|fine|ok(?:ay)?|free|cured)\b", re.IGNORECASE
)
# "it's gone", "no longer", "outgrew it": the retraction said again; "he hasn't outgrown it": the need holds
_AGAIN = re.compile(r"\b(?:anymore|any\s+more|no\s+longer|outgr[eo]w\w*|cured|gone|over\s+it)\b", re.IGNORECASE)
_NOT_AGAIN = re.compile(r"(?:\bnot|n't|\bnever)\s+(?:\w+\s+){0,2}?(?:outgr[eo]w\w*|cured|gone|over\s+it)\b", re.I)
_PERSON = re.compile(r"\b(?:my\s+[a-z-]+|i|i'm|me|he|him|he's|his|she|her|she's)\b", re.IGNORECASE)


def read_reply(message: str, retracted: Retracted, intent: str) -> Reading:
    """Whether ``message`` (read by the rules as ``intent``) takes back the retraction of the turn before. A booking
    may say it beside the request ("Book dinner in Lyon tomorrow for 2, I'm still allergic by the way"): the need
    comes back and the request is planned with it (``concierge.turn.flow``)."""
    asks = intent in _ASKING or message.rstrip().endswith("?")  # "Am I still allergic?" is answered, not taken
    said = the_one(message, retracted)  # "My partner's the one who isn't allergic.": it was about someone else
    if said is None and not (asks and intent not in BOOKINGS):
        said = still_holds(message, retracted)
    if said is not None:
        return "restore" if said else "other"
    if _names_someone(message):
        return "other"
    if not re.search(r"\w", message):
        return "unclear"  # "😂", "?!": no words to read by example
    readings = _readings(message)
    if any(r.sure if asks else _restores(r) for r in readings if r.kind in RESTORING):
        return "restore"
    if asks or any(r.kind not in RESTORING and _ahead(r) for r in readings):
        return "other"
    return "unclear" if len(message.split()) <= _SHORT and not _tells_something(message) else "other"


def takes_back_by_example(message: str) -> bool:
    """The message reads by example as taking the previous turn back ("undo the forget", "actually, remember it"):
    after a forget request, what it deleted comes back."""
    return any(_restores(r) for r in _readings(message))


def _readings(message: str) -> list[KindReading]:
    """The whole message's reading, then each clause's ("Couldn't resist. Still allergic.")."""
    return [replies().read(message), *replies().read_pieces(message)]


def _restores(reading: KindReading) -> bool:
    """A restoring kind sure of itself, or ahead of every other kind above the floor."""
    return reading.kind in RESTORING and _ahead(reading)


def _ahead(reading: KindReading) -> bool:
    """The kind is sure, or ahead of every other above the floor ("Noted, thanks." a courtesy, "Trolling." a jest)."""
    return reading.sure or (reading.score >= _FLOOR and reading.margin > 0)


def still_holds(message: str, retracted: Retracted) -> bool | None:
    """True when a clause says the need still holds of its holder, False when one says it of another person or
    says another need, None when no clause says either."""
    from concierge.conversation.jest import _asides, _pieces

    found: bool | None = None
    for _, piece in map(_asides, _pieces(message)):
        said = _holds_in(piece, retracted)
        if said is False:
            return False
        found = found or said
    return found


def _holds_in(piece: str, retracted: Retracted) -> bool | None:
    from concierge.conversation.jest import _fits, reaffirmed_by
    from concierge.needs.current import statements

    if not piece:
        return None
    elliptic = reaffirmed_by(piece, retracted.need_id)
    if elliptic is not None:
        return elliptic is True or _fits(_subject(elliptic), retracted.holder)
    stated = [s.need for s in statements(piece) if s.need.active]
    if any(n.need_id != retracted.need_id for n in stated):
        return False  # another need ("I'm still vegan" after peanuts): an ordinary statement
    restated = _restates(piece, retracted, bool(stated))
    if restated is not True:
        return restated
    person = _PERSON.search(piece)
    return person is None or _fits(_subject(person.group(0)), retracted.holder)


def _restates(piece: str, retracted: Retracted, stated: bool) -> bool | None:
    """The piece says the need again in its own words or with "still" (True), says the retraction again or names
    another need (False), or says nothing of it (None)."""
    from concierge.conversation.jest import _own_words

    words = set(re.findall(r"[a-z]+", piece.casefold()))
    still = _STILL.search(piece) is not None
    if still and (_NOT_AFTER_STILL.search(piece) or words & _other_needs_words(retracted.need_id)):
        return False  # the retraction said again, or another need: an ordinary statement
    mine = {"them", "it", "those", "chair"} | _own_words(retracted.need_id)
    if not still and not stated and words & mine and _AGAIN.search(piece) and not _NOT_AGAIN.search(piece):
        return False  # "Yes, really, it's gone.", "Indeed, I'm not allergic anymore." ("that's no longer true": no)
    if not stated and not (still and words & mine) and not _NOT_AGAIN.search(piece):
        return None
    return True


# "My partner's the one who isn't allergic.", "my wife is the one that's not vegan any more": a cleft that puts the
# retraction on someone; when that someone is not the holder, the retraction was about them.
_THE_ONE = re.compile(
    r"^(?P<who>(?:my|his|her|our)\s+[a-z-]+|he|she|i|[A-Z][a-z]+)(?:\s*'[sm]|\s+is|\s+am|\s+was)\s+the\s+one\s+(?:who|that)\b"
    r"(?P<rest>.+)$",
    re.IGNORECASE,
)
_TAKEN_BACK = re.compile(rf"(?:\bnot\b|n't\b|\bnever\b|{_AGAIN.pattern})", re.IGNORECASE)


def the_one(message: str, retracted: Retracted) -> bool | None:
    """A clause says who is the one the retraction is true of, in the need's words or none of another need's: True
    for someone other than the holder ("My partner's the one who isn't allergic.", "Tom is the one that's not vegan
    any more"), False for the holder ("I'm the one who isn't allergic": said again), None when no clause says it."""
    from concierge.conversation.jest import _asides, _fits, _pieces

    for _, piece in map(_asides, _pieces(message)):
        match = _THE_ONE.match(piece)
        if match is None or not _TAKEN_BACK.search(match.group("rest")):
            continue
        if set(re.findall(r"[a-z]+", match.group("rest").casefold())) & _other_needs_words(retracted.need_id):
            return False  # "My partner's the one who isn't vegan" after peanuts: about something else
        return not _fits(_subject(match.group("who")), retracted.holder)
    return None


def beside_restatement(message: str, retracted: Retracted) -> str:
    """The clauses of ``message`` that do not say the need still holds ("Book dinner in Lyon tomorrow for 2, I'm
    still allergic by the way" -> "Book dinner in Lyon tomorrow for 2"): what is left to store once it came back."""
    from concierge.conversation.jest import _asides, _pieces

    return ". ".join(p for p in _pieces(message) if not _holds_in(_asides(p)[1], retracted))


def _subject(said: str) -> str:
    """The subject ``_fits`` reads for a person word of a clause ("me" -> "i", "his" -> "he")."""
    word = said.casefold()
    if word in ("my boy", "my lad", "my girl"):
        return "she" if word.endswith("girl") else "he"
    if word.startswith("my "):
        return word
    return {"me": "i", "i'm": "i", "him": "he", "his": "he", "he's": "he", "her": "she", "she's": "she"}.get(word, word)


def _names_someone(message: str) -> bool:
    """ "I'm Anna", "This is Tom": a name given is for ``concierge.conversation.holder``, never unclear."""
    return bool(re.search(r"\b(?i:i'm|i\s+am|this\s+is|it's)\s+[A-Z][a-z]+", message))


def _tells_something(message: str) -> bool:
    """A fact said of the user or theirs ("I love steak now."): an ordinary statement, never an unclear reply."""
    from concierge.worth import states_a_fact

    return states_a_fact(message)


@cache
def _other_needs_words(need_id: str) -> frozenset[str]:
    """The words that name other needs than ``need_id`` (their ids and labels; "allergic" when it is no allergy)."""
    from concierge.conversation.jest import _ALLERGIC, _own_words
    from concierge.needs import load_vocabulary

    vocabulary = load_vocabulary()
    words: set[str] = set()
    for other in vocabulary.ids():
        spec = vocabulary.get(other)
        words |= set(re.findall(r"[a-z]{4,}", f"{other} {spec.label}".casefold()))
        words |= _ALLERGIC if spec.kind == "allergy" else set()
    return frozenset(words - _own_words(need_id) - {"allergy", "free", "access", "diet"})


def replies() -> TurnKinds:
    """The examples of ``config/retraction_replies.yaml`` (the configured folder's, else the shipped one)."""
    from concierge.kinds import turn_kinds
    from concierge.needs.vocabulary import default_config_dir
    from concierge.shipped import shipped_dir

    folder = default_config_dir()
    return turn_kinds(folder if (folder / REPLIES_FILE).is_file() else shipped_dir("config"), None, REPLIES_FILE)
