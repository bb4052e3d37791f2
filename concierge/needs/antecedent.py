"""Whom "he" / "she" means when a message names nobody: the companion the session named before.

"Lunch in Kyoto tomorrow for me and my colleague", then "btw he's vegetarian": read alone, the second message gives
the need to an unnamed companion. Read after the session's earlier messages, the detector's own reading of pronouns
(the last person named) finds the colleague; the message is then said with the person in place of the pronoun
("btw my colleague is vegetarian"), so what is stored and what the plan applies name the same person.
"""

from __future__ import annotations

from collections.abc import Sequence

from concierge.needs.detect import PRONOUN_ONLY, UNNAMED_COMPANION, USER, detect_needs
from concierge.needs.nlp import parse

_SUBJECT_FORMS = frozenset({"he", "she"})
_OBJECT_FORMS = frozenset({"him", "her"})
_POSSESSIVE_FORMS = frozenset({"his", "her"})


def with_antecedent(message: str, earlier: Sequence[str]) -> str:
    """``message`` with a "he" / "she" that names nobody replaced by the companion the latest of ``earlier`` names
    ("my colleague", or a name); unchanged when the message names its own person or nothing earlier names one."""
    if not any(n.holder == PRONOUN_ONLY for n in detect_needs(message)):
        return message
    for text in reversed([t for t in earlier if t.strip()]):
        person = _named_before(text, message)
        if person is not None:
            return in_place_of_pronoun(message, person)
    return message


def _named_before(text: str, message: str) -> str | None:
    """The companion ``message``'s pronoun means when read after ``text``, as the detector names them."""
    joined = f"{text.rstrip(' .!?')}. {message}"
    own = {n.holder for n in detect_needs(text)}
    found = [n.holder for n in detect_needs(joined) if n.holder not in own | {USER, PRONOUN_ONLY, UNNAMED_COMPANION}]
    return found[-1] if found else None


def in_place_of_pronoun(message: str, person: str) -> str:
    """The message with its first third-person pronoun said as ``person`` ("he's" -> "my colleague is")."""
    said = person if person[:1].isupper() else f"my {person}"
    doc = parse([message])[0]
    for token in doc:
        lower = token.lower_
        if lower in _POSSESSIVE_FORMS and token.tag_ == "PRP$":
            word = f"{said}'s"
        elif lower in _SUBJECT_FORMS | _OBJECT_FORMS:
            word = said
        else:
            continue
        rest = doc[token.i + 1 :].text if token.i + 1 < len(doc) else ""
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if after is not None and after.lower_ in ("'s", "’s") and lower in _SUBJECT_FORMS:  # noqa: RUF001
            perfect = after.i + 1 < len(doc) and doc[after.i + 1].tag_ == "VBN"  # "she's been": "has been"
            rest = ("has" if perfect else "is") + doc[after.i :].text[len(after.text) :]
            word += " "
        else:
            word += token.whitespace_
        start = message[: token.idx]
        if not start and said[:1].islower():
            word = word[0].upper() + word[1:]
        return start + word + rest
    return message
