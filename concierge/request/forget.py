"""Read a "forget" request in chat: is the message one, what does it point at, and what else does it say.

Kinds of request (all anchored at the start of a sentence, so "don't forget I'm vegan" or "I forgot my
passport" are never read as one):

- a verb of forgetting and what to forget: "Please forget that I'm allergic to nuts", "delete what I
  said about my budget", "forget my seat preference", "remove the thing about Lyon", "stop remembering
  that I live in Paris" -> ``target`` is what is left after the connecting words ("my budget", "Lyon");
- the session's booking named as what to forget ("forget the booking", "never mind the reservation", "scrap the
  table") is no request here: it cancels the plan (``drops_the_plan``, read by ``concierge.offline.follow_up``);
- a correction of the fact said last: "scratch that", "forget that", "forget what I just said", "I
  misspoke", "undo that" -> ``correction`` (the fact the user stated most recently in this session was
  a mistake: it goes, and what it had replaced is current again); "forget it" means "never mind" and
  is not a request;
- the fact said last stopped being true: "that's no longer true", "not any more" -> ``stale`` (it goes
  with its earlier versions: nothing older comes back);
- everything: "forget everything about me" -> ``everything`` (answered, never executed from a chat
  line: erasing a user is the ``memory forget`` command / the UI's button);
- a forget request refused, asked back or mocked: "Forget my peanut allergy? Never.", "forget none of my
  allergies", "forget my allergy... no wait, don't", "You can forget it when pigs fly" -> ``refused``
  (attack7 H5: nothing is deleted, and the message is not stored as a fact either).

Text after the forget clause ("Forget my seat preference. I now prefer aisle seats") is ``remainder``:
the service stores it as a normal message; the forget clause itself is never stored.
Pure regular expressions: no model, no I/O.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Literal

from concierge.request.neutral import only_neutral, without_neutral_end

_I = re.IGNORECASE
_LEAD = r"(?:(?:ok(?:ay)?|actually|hey|oh|and|also|so|well|um+|hmm+|sorry|wait|no|hi|hello|concierge)\b[\s,!.-]*)*"
_POLITE = (
    r"(?:(?:please|pls|plz|kindly)\s+|(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?"
    r"|i\s*(?:want|need|would\s+like|'d\s+like)\s+(?:you\s+)?to\s+|you\s+(?:can|should|may)\s+"
    r"|go\s+ahead\s+and\s+|just\s+|i'?d\s+(?:rather|prefer(?:\s+it\s+if)?)\s+(?:you\s+)?)*"
)
_VERB = (
    r"(?:(?:clear|cross|wipe|strike)\s+out|get\s+rid\s+of|strike"
    r"|forget|f(?:or|ro|o|r)g(?:e|ee)?tt?(?=\s)|delete|remove|erase|unlearn|un-?remember|wipe|scrub|disregard|scratch"
    r"|take(?=\s.+\s(?:off|out\s+of)\s+(?:your\s+|my\s+)?(?:memory|profile|records?|notes|file|list)\W*$)"
    r"|(?:drop|clear)(?=\s+(?:the|that|this|these|those|my|what|it|all|any|everything)\b)"
    r"|(?:scrap|ditch|bin)(?=\s+(?:the\s+(?:thing|bit|part|fact|note|stuff|memory|info|detail)|what\s+i|that\s+i|my)\b)"
    r"|(?:stop|quit)\s+(?:remembering|storing|keeping)|no\s+longer\s+remember|(?:didn'?t|did\s+not)\s+(?:remember|keep|store)"
    r"|(?:don'?t|do\s+not|no\s+need\s+to)\s+(?:remember|keep|store))"
)
_FORGET = re.compile(rf"^\s*(?P<lead>{_LEAD}){_POLITE}{_VERB}\b(?!-)\s*(?P<target>.*)$", _I | re.DOTALL)
_STALE = re.compile(
    rf"^\s*{_LEAD}(?:(?:that|this|it)(?:'s|\s+is|\s+was)?\s*(?:not|n't|isn't)?\s*"
    r"(?:no\s+longer\s+(?:true|the\s+case|right|correct|valid|accurate|so)"
    r"|(?:true|the\s+case|right|correct|valid|accurate|so)\s+any\s*more"
    r"|(?:true|the\s+case|right|correct|valid|accurate)\s+now"
    r"|out\s+of\s+date|outdated|changed|old\s+news)"
    r"|(?:that|this|it)\s+(?:has\s+)?changed|not\s+any\s*more|no\s+longer)\b\W*$",
    _I,
)
# Connecting words between the verb and what to forget, stripped repeatedly from the front.
_CONNECTORS = re.compile(
    r"^(?:about|abt|regarding|on|of|that|the\s+fact\s+that|me\s+saying(?:\s+that)?|that\s+i\s+said"
    r"|what\s+(?:i|we)\s+(?:just\s+)?(?:said|told\s+you|mentioned|wrote|shared)(?:\s+you)?(?:\s+(?:about|regarding|on))?"
    r"|(?:the|that|this|my)\s+(?:thing|bit|part|stuff|note|memory|fact|info|information|detail|line|one)s?"
    r"(?:\s+(?:about|regarding|on|that|where|saying))?"
    r"|everything\s+(?:you\s+know\s+)?about|anything\s+about|all\s+about|(?:please|pls)|it\s+that|you\s+know\s+that"
    r"|what\s+you\s+know\s+about|you\s+remember\s+(?:that|about))\b[\s,:]*",
    _I,
)
_LATEST = re.compile(
    r"^(?:that|this|what\s+i\s+(?:just\s+)?(?:said|told\s+you|wrote)|the\s+last\s+(?:thing|fact|one|bit)"
    r"(?:\s+i\s+(?:said|told\s+you|mentioned))?|my\s+last\s+(?:message|fact|one)|that\s+last\s+(?:bit|one|part)"
    r"|what\s+i\s+said\s+(?:last|just\s+now|before))$",
    _I,
)
_CORRECTION = re.compile(
    rf"^\s*{_LEAD}(?:i\s+(?:misspoke|mis-?typed|made\s+a\s+(?:typo|mistake))|(?:that|this|it)\s+was\s+a\s+(?:typo|mistake)"
    r"|i\s+(?:said|typed|wrote)\s+(?:that|it)\s+by\s+mistake|undo\s+(?:that|this|the\s+last\s+(?:one|thing|fact)))\b\W*$",
    _I,
)
# The session's plan, named as a booking ("the booking", "the table", "our dinner reservation"): forgetting it cancels
# the plan (a follow-up), it names no memory.
_PLAN = (
    r"(?:the|that|this|my|our)\s+(?:(?:dinner|lunch|table|hotel|restaurant|room|whole)\s+)?"
    r"(?:plan|booking|reservation|table|request)s?"
)
_THE_PLAN = re.compile(rf"^{_PLAN}$", _I)
_DROPS_THE_PLAN = re.compile(
    rf"^\s*{_LEAD}(?:please\s+|just\s+)*(?:forget(?:\s+about)?|scrap|ditch|drop|bin|nix|axe|never\s*mind(?:\s+about)?)"
    rf"\s+{_PLAN}(?:[\s,]+(?:please|thanks|thank\s+you))?\W*$",
    _I,
)


def drops_the_plan(message: str) -> bool:
    """ "forget the booking", "never mind the reservation", "scrap the table": a cancel of the session's plan, which
    names no memory (with no plan, there is nothing to cancel)."""
    return bool(_DROPS_THE_PLAN.match(" ".join(message.split()).translate(_CURLY)))


_ONLY_LEAD = re.compile(rf"^\s*{_LEAD}$", _I)
_NEVER_MIND = re.compile(r"^(?:it|them|those|these|about\s+it|it\s+all)$", _I)
_EVERYTHING = re.compile(
    r"^(?:everything|all|all\s+of\s+it|me|about\s+me|all\s+about\s+me|everything\s+(?:you\s+know\s+)?about\s+me"
    r"|all\s+(?:my|of\s+my)\s+(?:data|memories|info(?:rmation)?|details)|my\s+(?:data|memories|profile|account)"
    r"|everything\s+(?:i(?:'ve|\s+have)\s+)?(?:said|told\s+you)|who\s+i\s+am)$",
    _I,
)
# Where the forget clause ends: the end of its sentence, or a comma/dash before a new first-person clause or
# an instruction ("Forget about the budget, book dinner in Lyon": the booking is read by the intent rules).
_CLAUSE_END = re.compile(
    r"[.!?;\n]+\s*|\s*(?:,|\s-\s|\s–\s)\s*(?:but\s+|and\s+|now\s+|since\s+|because\s+)?"  # noqa: RUF001
    r"(?=(?:i|i'm|im|i've|we|we're|my|our|it's|it\s+is|that's|actually|now|book|find|plan|get|reserve|show|recommend"
    r"|suggest|search)\b)",
    _I,
)
_TRAILING = re.compile(
    r"[\s,.;:!?'\"]+$|[\s,;]+(?:(?:and|please|pls|so|just)\s+)*"
    r"(?:forget|delete|remove|erase|drop|wipe|scrub|clear|scrap|bin|ditch|lose)\s+(?:it|that|this)\W*$"
    r"|\s+(?:please|pls|thanks?|thank\s+you|for\s+me|lol"
    r"|(?:from|off|out\s+of)\s+(?:your\s+|my\s+)?(?:memory|profile|records?|notes|file|list))\W*$",
    _I,
)
_CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})

ForgetKind = Literal["target", "correction", "stale", "everything", "refused"]


@dataclass(frozen=True, slots=True)
class ForgetRequest:
    """What one chat message asks to forget (see the module docstring)."""

    kind: ForgetKind
    target: str  # what to look for ("my budget", "I'm allergic to nuts"); empty unless ``kind == "target"``
    remainder: str  # the rest of the message, to be stored as usual ("" when nothing else was said)
    said: str = ""  # the whole message as read (chat spellings respelt): is a need named plainly in it?


def _sentences(text: str) -> tuple[str, str]:
    """The first clause and what follows it."""
    end = _CLAUSE_END.search(text)
    return (text, "") if end is None else (text[: end.start()], text[end.end() :])


def _strip(target: str) -> str:
    previous = None
    while previous != target:
        previous = target
        target = _CONNECTORS.sub("", target.strip(" \t,:\"'")).strip()
        target = _TRAILING.sub("", without_neutral_end(target)).strip()
    return target


# Chat spellings read as the words they stand for ("erase wat i told u about my job"), and the verbs of forgetting
# a typo away ("delet", "remvoe", "erasse"): one edit (a swap counts as one) on a word of five letters or more that
# is no English word (lemminflect's dictionary: "remote" and "forge" are words, "remvoe" is none).
_CHAT_WORDS = {"u": "you", "ur": "your", "wat": "what", "wot": "what", "abt": "about", "bout": "about"}
_CHAT_WORD = re.compile(rf"\b(?:{'|'.join(_CHAT_WORDS)})\b", _I)
_VERBS = ("forget", "delete", "remove", "erase")
_FIRST_WORD = re.compile(rf"^(?P<before>\s*{_LEAD}{_POLITE})(?P<word>[^\W\d_]{{5,}})\b", _I)


def normalized(message: str) -> str:
    """``message`` on one line, with straight quotes, chat spellings and a misspelt verb of forgetting respelt."""
    from lemminflect import getAllLemmas
    from rapidfuzz.distance import OSA

    text = " ".join((message or "").split()).translate(_CURLY)  # phones type curly quotes
    text = _CHAT_WORD.sub(lambda m: _CHAT_WORDS[m.group(0).casefold()], text)
    first = _FIRST_WORD.match(text)
    if first is None or getAllLemmas(word := first.group("word").casefold()):
        return text  # an English word is said as meant: "forgot", "remote", "forge", "deleted"
    verb = next((v for v in _VERBS if OSA.distance(word, v) <= 1), None)
    return text if verb is None else first.group("before") + verb + text[first.end() :]


# What takes a forget request back or mocks it: a refusal after it, an idiom of never, or nothing to forget.
_REFUSAL = re.compile(
    r"^\W*(?:never|no|nope|nah|not|don'?t|do\s+not|please\s+don'?t|no\s+way|wait|of\s+course\s+not|as\s+if"
    r"|yeah\s+right|not\s+a\s+chance|just\s+kidding|kidding|jk)\b",
    _I,
)
_NEVER = re.compile(
    r"\b(?:when\s+pigs\s+fly|over\s+my\s+dead\s+body|in\s+your\s+dreams|not\s+in\s+a\s+million\s+years"
    r"|when\s+hell\s+freezes\s+over|jk|j/k|just\s+kidding|kidding|joking|(?:i'?d|i\s+would)\s+never"
    r"|(?:he|she|they|my\s+\w+)\s+wants?\s+you\s+to)\b",
    _I,
)
_SHORT_REFUSAL = 5  # words: "Never.", "No way!", "Please don't.", "no wait, don't" ("No more nuts for me now" tells)
_NOTHING = re.compile(r"^(?:none|no|nothing|zero|not|neither)\b", _I)
_ASKED_BACK = re.compile(rf"^\s*{_LEAD}(?:{_VERB}|forgetting|deleting|erasing)\b[^?]*\?", _I)
_ANY_FORGET = re.compile(r"\b(?:forget(?:ting)?|delet(?:e|ing)|eras(?:e|ing)|remov(?:e|ing))\b", _I)


def refuses(text: str) -> bool:
    """A forget request taken back or mocked (see ``refused`` in the module docstring): a bare "Forget my peanut
    allergy?" asked back, one followed by a refusal ("Never.", "Please don't.", "no wait, don't"), an idiom of
    never ("when pigs fly"), or nothing named to forget ("forget none of my allergies")."""
    if not _ANY_FORGET.search(text):
        return False
    if _NEVER.search(text) or _ASKED_BACK.match(text):
        return True
    clause, remainder = _sentences(text)
    found = _FORGET.match(clause)
    if found is not None and _NOTHING.match(found.group("target").strip()):
        return True
    return bool(_REFUSAL.match(remainder)) and len(remainder.split()) <= _SHORT_REFUSAL


def read_forget_request(message: str) -> ForgetRequest | None:
    """The forget request in ``message``, or None when the message does not ask to forget anything."""
    text = normalized(message)
    asked = ForgetRequest("refused", "", "") if refuses(text) else _read(text)
    return None if asked is None else dataclasses.replace(asked, said=text)


def _read(text: str) -> ForgetRequest | None:
    clause, remainder = _sentences(text)
    while remainder and (_ONLY_LEAD.match(clause) or only_neutral(clause)):  # "Sorry, I misspoke", "Hi. Forget ..."
        clause, remainder = _sentences(remainder)
    if _STALE.match(clause):
        return ForgetRequest("stale", "", remainder.strip())
    if _CORRECTION.match(clause):
        return ForgetRequest("correction", "", remainder.strip())
    _, found = _greeted(clause)
    if found is None:
        return _forget_what_was_just_said(text)
    if _LATEST.match(_TRAILING.sub("", found.group("target")).strip()):
        return ForgetRequest("correction", "", remainder.strip())  # "forget that", "scratch that"
    target = _strip(found.group("target"))
    if not target or _NEVER_MIND.match(re.split(r"\s*[,;]\s*", target)[0]):
        return None  # "forget it" / "forget about it" means "never mind", not "delete something"
    if _LATEST.match(target):  # "forget what I just told you"
        return ForgetRequest("correction", "", remainder.strip())
    if _THE_PLAN.match(target):
        return None  # "forget the booking": the session's plan is cancelled (``drops_the_plan``)
    if _EVERYTHING.match(target):
        return ForgetRequest("everything", "", remainder.strip())
    target, reason = _without_reason(target)
    return ForgetRequest("target", target, " ".join(p for p in (reason, remainder.strip()) if p))


_PIECES = re.compile(r"\s*(?:[,;]|\s[\u2013\u2014-]\s)\s*")
_JOINED = re.compile(  # "..., and that I'm vegan" is more to forget; "..., that was a mistake" says why
    r"^(?:and|or|also|plus|as\s+well\s+as|that(?!\s+(?:was|is|'s|were|wasn't|isn't)\b)|what|where|how|who)\b", _I
)


def _without_reason(target: str) -> tuple[str, str]:
    """What to forget, and a reason said after it with a subject of its own ("Sam's fish allergy, he's left the
    company", "my soy allergy now, apparently I outgrew it", "the mustard one - that was a mistake"): the reason is
    no part of what a memory must state. A piece joined to the target ("..., and that I live in Paris") stays."""
    from concierge.needs.nlp import parse

    pieces = _PIECES.split(target)
    for i, piece in enumerate(pieces[1:], start=1):
        if _JOINED.match(piece):
            continue
        doc = parse([piece])[0]
        if any(t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ in ("VERB", "AUX") for t in doc):
            return _strip(", ".join(pieces[:i])), ", ".join(pieces[i:])
    return target, ""


def forget_clause(message: str) -> tuple[str, str, str] | None:
    """(the words before the verb, the rest of the verb's clause, what follows the clause) of a message that starts
    with a forget request once neutral sentences are skipped ("Hi. Forget my peanut allergy. Thanks!"), or None."""
    clause, rest = _sentences(normalized(message))
    while rest and only_neutral(clause):
        clause, rest = _sentences(rest)
    greeting, found = _greeted(clause)
    return None if found is None else (greeting + found.group("lead"), found.group("target"), rest)


def _greeted(clause: str) -> tuple[str, re.Match[str] | None]:
    """(the greeting before it, the forget request) of a clause that is one after neutral words at most ("Hey
    there, please forget ...", "Good evening! forget ...")."""
    words = clause.split(" ")
    for i in range(len(words)):
        greeting = " ".join(words[:i])
        if not only_neutral(greeting):
            break
        found = _FORGET.match(" ".join(words[i:]))
        if found is not None:
            return greeting, found
    return "", None


_LATER_CLAUSE = re.compile(r"\s*(?:[,;]|\s[-\u2013]\s)\s*")


def _forget_what_was_just_said(text: str) -> ForgetRequest | None:
    """ "I'm not vegan any more, please remove that": a later clause asks to forget what the first one names."""
    parts = _LATER_CLAUSE.split(text)
    for i in range(1, len(parts)):
        found = _FORGET.match(parts[i])
        said = _TRAILING.sub("", found.group("target")).strip() if found is not None else ""
        if found is not None and (not said or _LATEST.match(said)):
            target = _strip(", ".join(parts[:i]))
            return ForgetRequest("target", target, ", ".join(parts[i + 1 :]).strip()) if target else None
    return None
