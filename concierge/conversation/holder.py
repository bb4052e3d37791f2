""" "no wait, that was my son": the user corrects whose need they just stated, in the same session.

Why: such a message was stored as a fact of its own ("That was User's son", "User meant their son") and the
need stayed with the user, so the draft named the wrong person (attack4 M5). Here a correction that names the
person moves the need stated in the user's previous message of this session to that person: the new holder's
fact is stored first, and only once it is current is the previous message's fact taken back (as "scratch that"
takes a mistake back: what it had replaced is current again). Safety: nothing older
than the previous message of this session is touched, nothing but a need stated there is moved, and when the
person is unclear (or the previous message stated no need, or several people) nothing is stored and we ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from concierge.needs import detect_needs
from concierge.needs.detect import USER

if TYPE_CHECKING:
    from concierge.memory.records import MemoryRecord
    from concierge.needs import DetectedNeed
    from concierge.scope import Scope
    from concierge.service import ConciergeService

_I = re.IGNORECASE
# What opens a correction of oneself: "no wait", "sorry", "oops, wrong person", "actually", "I mean".
_CUE = r"(?:no|nope|wait|sorry|oops|whoops|oh|hmm+|actually|my\s+bad|my\s+mistake|correction|wrong\s+person|i\s+mean)"
_CUES = rf"^\W*(?P<cues>(?:{_CUE}\b[\s,!.:;\u2013\u2014-]*)*)"
_NAME = r"(?-i:[A-Z][a-z][\w'-]*)"  # a name is capitalised, whatever the case of the rest
_PERSON = rf"(?P<person>(?:my|our)\s+[a-z][a-z-]*(?:\s+{_NAME})?|me|myself|{_NAME})"
_NOT_ME = r"(?P<not_me>\s*[,;]?\s*(?:and\s+)?not\s+(?:me|myself|mine)\b)?"
# The correction itself, after the cues: whom the previous message was about.
_SAYS_WHO = (
    r"(?P<verb>that\s+was|it\s+was|it'?s|it\s+is|that'?s|that\s+is|i\s+meant|i\s+was\s+talking\s+about|"
    r"(?:that\s+was|it\s+was|it'?s)\s+(?:about|for))\s+"
    rf"{_PERSON}{_NOT_ME}(?P<who>\s*,?\s+who(?:'s|\s+is|\s+has|\s+was)\b[^.!?]*)?\W*$"
)
_CORRECTION = re.compile(_CUES + _SAYS_WHO, _I)
# The need restated with its new holder, "not me" after it: "correction: my husband is the vegan, not me", "I meant my
# mother uses a wheelchair, not me" (attack5 L2). Only after a cue or "I meant": "My husband is vegan, not me" alone
# is a new fact, stored as said.
_RESTATED = re.compile(
    rf"^\W*(?P<cues>(?:{_CUE}\b[\s,!.:;\u2013\u2014-]*)*)(?P<meant>i\s+meant\s+(?:that\s+)?)?"
    rf"(?P<said>(?P<person>(?:my|our)\s+[a-z][a-z-]*(?:\s+{_NAME})?|{_NAME})\s+"
    r"(?:is|are|has|have|uses|needs|eats|keeps|can'?t|cannot|doesn'?t|does\s+not|avoids|was)\b[^,;.!?]*?)"
    r"(?P<not_me>\s*[,;]?\s*(?:and\s+)?not\s+(?:me|myself|mine)\b)\W*$",
    _I,
)
_NOT_ME_FIRST = re.compile(rf"^\W*(?:{_CUE}\b[\s,!.:;-]*)*not\s+me\s*[,;:-]+\s*{_PERSON}\W*$", _I)
# A correction that names nobody we can tell: "wrong person", "not me", "I meant someone else".
_UNCLEAR = re.compile(
    rf"^\W*(?:{_CUE}\b[\s,!.:;-]*)+(?:(?:that\s+was|it\s+was|it'?s|i\s+meant)\s+(?:someone|somebody)\s+else|"
    r"not\s+(?:me|for\s+me))\W*$"
    r"|^\W*(?:oops|sorry|no|wait)?[\s,!.]*wrong\s+person\W*$",
    _I,
)


def _plainly_a_person(found: re.Match[str]) -> bool:
    """Whether the correction is about a person: "my son" (a relation), "me", or a name said as a person ("it's Tom
    who is allergic", "Tom, not me", after "wrong person"); "actually it is Paris" corrects something else."""
    words = found.group("person").split()
    if words[0].lower() in {"my", "our"}:
        return is_relation(words[1])
    if words[0].lower() in {"me", "myself"}:
        return bool(found.group("cues").strip())
    cues = found.group("cues") or ""
    return bool(found.groupdict().get("who") or found.groupdict().get("not_me") or re.search("wrong", cues, _I))


@dataclass(frozen=True, slots=True)
class HolderCorrection:
    """A correction of whose need was just stated: ``person`` as said ("my son", "Tom", "me"), None if unclear."""

    person: str | None
    restated: str | None = None  # the need said again of ``person`` ("my husband is the vegan"): it must be the same


def read_holder_correction(message: str) -> HolderCorrection | None:
    """The correction ``message`` makes of whom the previous message was about, or None when it makes none."""
    said = " ".join(message.split())
    found = _CORRECTION.match(said)
    if found is not None and not (found.group("cues").strip() or found.group("verb").lower().startswith("i ")):
        found = None  # "That was my son" alone tells; "no wait, that was my son" / "I meant my son" corrects
    restated = _RESTATED.match(said)
    if (
        restated is not None
        and (restated.group("cues").strip() or restated.group("meant"))
        and _plainly_a_person(restated)
    ):
        return HolderCorrection(restated.group("person"), restated.group("said"))
    found = found or _NOT_ME_FIRST.match(said)
    if found is not None:
        return HolderCorrection(found.group("person")) if _plainly_a_person(found) else None
    return HolderCorrection(None) if _UNCLEAR.match(said) else None


def is_relation(word: str) -> bool:
    """A companion word of the needs lexicon ("son", "wife", "mother-in-law"): "my mistake" names nobody."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    return (word.lower(),) in lexicon_for(load_vocabulary()).cues["companions"]


def _subject(person: str) -> tuple[str, str]:
    """(holder as the needs detector gives it, subject of a stored fact) for a person as said:
    "my son" -> ("son", "User's son"), "my son Tom" -> ("Tom", "User's son Tom"), "Tom", "me" -> the user."""
    words = person.split()
    if words[0].lower() in {"me", "myself"}:
        return USER, "User"
    if words[0].lower() in {"my", "our"}:
        named = f" {words[2]}" if len(words) > 2 else ""
        return (words[2] if named else words[1].lower()), f"User's {words[1].lower()}{named}"
    return words[0], words[0]


# How a stored fact opens: "User's son Tom", "User's son", "User" (not "User's"), or a name.
_OPENING = re.compile(r"User's\s+[a-z][a-z-]*(?:\s+[A-Z][a-z][\w'-]*)?|User\b(?!')|[A-Z][a-z][\w'-]*")


def _said_of(fact: str, holder: str) -> str | None:
    """How ``fact`` names ``holder`` at its start ("User", "User's son", "User's son Tom", "Tom"), else None."""
    opening = _OPENING.match(fact)
    if opening is None:
        return None
    said = opening.group(0)
    named = said == "User" if holder == USER else holder.casefold() in said.casefold().split()[-1:]
    return said if named else None


@dataclass(frozen=True, slots=True)
class Moved:
    """The outcome: the answer, and the facts stored and removed (none when we asked)."""

    answer: str
    stored: tuple[str, ...] = ()
    removed: tuple[MemoryRecord, ...] = ()


def _ask(why: str) -> Moved:
    return Moved(f'{why} I changed nothing. Tell me whose need it is, for example "my son is allergic to peanuts".')


def _previous_needs(service: ConciergeService, scope: Scope) -> tuple[list[MemoryRecord], list[DetectedNeed]]:
    """The facts of the user's previous message in this session, and the active needs they state."""
    from concierge.memory.forgetting import latest_facts

    facts = latest_facts(service.memories(scope), scope.run_id) if scope.run_id else []
    facts = [r for r in facts if any(n.active for n in detect_needs(r.text))]
    return facts, [n for r in facts for n in detect_needs(r.text) if n.active]


def move_need(service: ConciergeService, scope: Scope, correction: HolderCorrection) -> Moved:
    """Move the needs of the previous message to the person named, the new fact first; or ask."""
    if correction.person is None:
        return _ask("Whose need is it, then?")
    facts, needs = _previous_needs(service, scope)
    holders = {n.holder for n in needs}
    if not needs or len(holders) != 1:
        return _ask("I cannot tell which need you mean: your last message in this session stated no single one.")
    restated = {n.need_id for n in detect_needs(correction.restated or "") if n.active}
    if restated and restated != {n.need_id for n in needs}:  # "my son is vegan, not me" after a peanut allergy
        return _ask("What you said now is not the need your last message stated.")
    holder, subject = _subject(correction.person)
    if holder.casefold() in {h.casefold() for h in holders}:
        return Moved(f"I already noted that need as {correction.person}'s; nothing changed.")
    (old,) = holders
    openings = [_said_of(r.text, old) for r in facts]
    if any(o is None for o in openings):
        return _ask("I cannot tell how to reword what you said for them.")
    moved = [subject + r.text[len(o or "") :] for r, o in zip(facts, openings, strict=True)]
    for fact in moved:
        service.remember(scope, fact, infer=False)
    held = {(n.need_id, n.holder.casefold()) for n in service.user_needs(scope)}
    if not all((n.need_id, holder.casefold()) in held for n in needs):
        return Moved(f"I could not note that for {correction.person}; I kept the need as it was.")
    # taken back as never said: what the fact had replaced (an earlier need of the user's) is current again
    removed = tuple(undone.deleted for r in facts if (undone := service.memory.retract(scope, r.id)).deleted)
    who = re.sub(r"^(?:my|our)\b", "your", correction.person, flags=_I)
    lines = [f"Corrected: that need is {who}'s, not as I noted it.", *(f"- {t}" for t in moved)]
    return Moved("\n".join(lines), stored=tuple(moved), removed=removed)


# The user says the need is not theirs: "..., not me", "not mine", "I'm not the vegetarian, my girlfriend is".
_NOT_THE_USER = re.compile(r"\bnot\s+(?:me|mine|myself)\b|\bi(?:'m|\s+am)\s+not\b", _I)


def moved_from_the_user(service: ConciergeService, scope: Scope, message: str) -> list[DetectedNeed]:
    """The user's own needs ``message`` says are someone else's ("actually it's my wife who's vegan, not me", "the
    peanut allergy is my son's, not mine") with "I'm vegan" remembered: the other person's needs as said, one
    person only, and only needs the user holds now; [] otherwise (attack12 M3)."""
    if not _NOT_THE_USER.search(message):
        return []
    said = [n for n in detect_needs(message) if n.active and n.holder != USER]
    if len({n.holder for n in said}) != 1:
        return []
    held = {n.need_id for n in service.user_needs(scope) if n.holder == USER}
    return [n for n in said if n.need_id in held]


def move_from_the_user(service: ConciergeService, scope: Scope, needs: list[DetectedNeed]) -> Moved:
    """A plain retraction by the holder, the user, and a statement of the other person's needs: the other
    person's facts first, then the user's "User is not vegan", which supersedes what the user had stated."""
    from dataclasses import replace

    from concierge.needs.sentences import compose_needs

    theirs = compose_needs(needs)
    taken_back = compose_needs([replace(n, holder=USER, active=False) for n in needs], negated=True)
    for fact in (*theirs, *taken_back):
        service.remember(scope, fact, infer=False)
    held = {(n.need_id, n.holder) for n in service.user_needs(scope)}
    if any((n.need_id, USER) in held or (n.need_id, n.holder) not in held for n in needs):
        return Moved("I could not move that need; tell me again whose it is.", stored=(*theirs, *taken_back))
    lines = ["Corrected: that need is not yours.", *(f"- {t}" for t in (*theirs, *taken_back))]
    return Moved("\n".join(lines), stored=(*theirs, *taken_back))


def correct_holder(service: ConciergeService, scope: Scope, message: str) -> Moved:
    """Whose need it is, corrected: the user's own need moved to the person named, else the previous message's
    need moved (``move_need``), else we ask."""
    if needs := moved_from_the_user(service, scope, message):
        return move_from_the_user(service, scope, needs)
    return move_need(service, scope, read_holder_correction(message) or HolderCorrection(None))


def with_remembered_holder(service: ConciergeService, scope: Scope, message: str) -> str:
    """``message`` with a "he" / "she" that names nobody said as the one remembered companion who holds the need it
    states ("his doctor hopes he'll be out of the wheelchair next year" with "my husband uses a wheelchair"
    remembered): the husband, never a second, generic companion that outlives his retraction (attack12 M2).
    Unchanged when the session named someone, or when none or several remembered people hold that need."""
    from concierge.needs.antecedent import in_place_of_pronoun
    from concierge.needs.detect import PRONOUN_ONLY, UNNAMED_COMPANION

    said = {n.need_id for n in detect_needs(message) if n.holder == PRONOUN_ONLY}
    if not said:
        return message
    others = {n.holder for n in service.user_needs(scope) if n.need_id in said}
    candidates = others - {USER, UNNAMED_COMPANION, PRONOUN_ONLY}
    if len(candidates) != 1 or others & {USER}:
        return message
    return in_place_of_pronoun(message, candidates.pop())


def corrects_holder(message: str) -> bool:
    """Whether ``message`` corrects whom the previous message was about (cheap: the rules only)."""
    return read_holder_correction(message) is not None


__all__ = [
    "HolderCorrection",
    "Moved",
    "correct_holder",
    "corrects_holder",
    "move_need",
    "moved_from_the_user",
    "read_holder_correction",
    "with_remembered_holder",
]
