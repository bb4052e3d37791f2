"""Who a name is: the relation the user gave a companion ("my husband Raj"), read from what was said before.

A name said alone ("Raj is vegan now") is resolved to the relation an earlier statement gave it ("User's
husband Raj is vegetarian" in mem0's existing memories, or "my husband Raj" earlier in the message), so the
new fact reads "User's husband Raj is vegan now" and names the same person as the one it replaces. A name
with no known relation stays a name: "Raj is vegan now" (never "User is ..." and never "User's Raj").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping

_PAIR = re.compile(
    r"\b(?:User's|[Mm]y|[Oo]ur)\s+(?P<relation>[a-z][a-z-]*(?:\s+in\s+law)?)\s+(?P<name>[A-Z][a-z][\w'-]*)\b"
)


# A relation given after the name: "Anna Smith, my colleague, is ...", "Tom, our neighbour,"; without the closing
# comma only at the start of a sentence, "Tom, my colleague is ..." or "Tom my colleague likes sushi" (never "on
# Saturday, my mother can't ..." nor "I told Anna my colleague is ...": a day, or two people).
_VERB_NEXT = r"(?=\s+(?:is|isn't|was|has|hasn't|does|doesn't|can't|cannot|eats|loves|likes|hates|needs|uses|avoids)\b)"
_OPENS = r"(?:^|(?<=[.!?]\s))"
_APPOSITION = re.compile(
    r"\b(?P<name>[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z][\w'-]*)?)\s*,\s*(?:[Mm]y|[Oo]ur)\s+"
    r"(?P<relation>[a-z][a-z-]*(?:\s+in\s+law)?)\s*,"
    rf"|{_OPENS}(?P<open>[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z][\w'-]*)?)\s*,?\s+(?:[Mm]y|[Oo]ur)\s+"
    rf"(?P<open_relation>[a-z][a-z-]*(?:\s+in\s+law)?){_VERB_NEXT}"
)
# Capitalised words that open a clause and are no one: days, months, "Tonight", "In" ("In Lisbon, my ...").
_NO_ONE = frozenset(
    w.casefold() for w in (*calendar.day_name, *calendar.day_abbr, *calendar.month_name[1:], *calendar.month_abbr[1:])
) | {
    *("today", "tonight", "tomorrow", "yesterday", "also", "btw", "oh", "ok", "okay", "so", "and", "but", "then"),
    *("in", "on", "at", "for", "from", "after", "before", "since", "when", "if", "as", "yes", "no", "well", "hi"),
}
# Just after a name: a description of its own ("Anna, our neighbour, ..."), even one that is no companion word.
_DESCRIBED_AFTER = re.compile(r"(?:\s+[A-Z][a-z][\w'-]*)?\s*[,(\u2013\u2014-]\s*(?:[Mm]y|[Oo]ur|[Tt]he)\s+[a-z]")
# Just before a name: a relation already given to it ("my colleague Anna"), which no other relation may replace,
# or a word saying it is another person of that name ("the other Sam").
_RELATION_BEFORE = re.compile(
    r"\b(?:User's|[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir)\s+[a-z][a-z-]*\s+$"
    r"|\b(?:[Oo]ther|[Aa]nother|[Dd]ifferent)\s+$"  # "the other Sam", "another Sam": someone else of that name
)


def is_relation(word: str) -> bool:
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    companions = lexicon_for(load_vocabulary()).cues["companions"]
    return tuple(word.lower().replace("-", " ").split()) in companions or (word.lower(),) in companions


def relations(texts: Iterable[str]) -> dict[str, str]:
    """Name -> relation said with it ("User's husband Raj", "my son Tom", "Anna Smith, my colleague,"). A name said
    with several relations ("my son Tom", "my friend Tom") is several people: it is left out, so "Tom" alone is
    never given one of them on a guess."""
    texts = list(texts)
    found: dict[str, set[str]] = {}
    for text in texts:
        pairs = [(m.group("name"), m.group("relation")) for m in _PAIR.finditer(text)]
        pairs += [_named(m) for m in _APPOSITION.finditer(text) if _is_apposition(m)]
        for name, relation in pairs:
            if is_relation(relation):
                found.setdefault(name, set()).add(relation.casefold())
    # "my son Tom" and "my friend TOM" (or "my nephew Tóm"): names that differ only by case or accent may be the
    # same name, so "Tom" alone is given neither relation (attack7 H7)
    alike: dict[str, set[str]] = {}
    for name, said in found.items():
        alike.setdefault(fold_name(name), set()).update(said)
    for text in texts:
        for match in _ANY_CASE_PAIR.finditer(text):
            if is_relation(match.group("relation")):
                alike.setdefault(fold_name(match.group("name")), set()).add(match.group("relation").casefold())
    return {name: next(iter(said)) for name, said in found.items() if len(alike[fold_name(name)]) == 1}


# The same, with the name in any case or with accents ("my friend TOM", "my nephew Tóm"): only to find names that a
# relation given elsewhere might be confused with.
_ANY_CASE_PAIR = re.compile(
    r"\b(?:User's|[Mm]y|[Oo]ur)\s+(?P<relation>[a-z][a-z-]*(?:\s+in\s+law)?)\s+(?P<name>[A-Z][^\W\d_][\w'-]*)\b"
)


def fold_name(name: str) -> str:
    from concierge.needs.current import bare_name

    return bare_name(name)  # "Tom" and "Tóm" may be one name: neither is given a relation on a guess


def _named(match: re.Match[str]) -> tuple[str, str]:
    """(first name, relation) of an apposition: "Anna Smith, my colleague," -> ("Anna", "colleague")."""
    name = match.group("name") or match.group("open")
    return name.split()[0], match.group("relation") or match.group("open_relation")


def _is_apposition(match: re.Match[str]) -> bool:
    """A person named, then their relation: not a day ("Saturday, my mother ...") nor a word that opens a clause."""
    first, relation = _named(match)
    return first.casefold() not in _NO_ONE and is_relation(relation)


def _opens(said: str, start: int) -> bool:
    return start == 0 or re.search(r"[.!?]\s*$", said[:start]) is not None


def fronted_appositions(message: str) -> str:
    """ "Anna Smith, my colleague, is not allergic" -> "My colleague Anna Smith is not allergic": the relation
    before the name, as the readers of holders expect it (never read as a known "daughter Anna")."""

    def _front(match: re.Match[str]) -> str:
        if not _is_apposition(match):
            return match.group(0)
        _first, relation = _named(match)
        mine = "My" if _opens(message, match.start()) else "my"
        name = match.group("name") or match.group("open")
        return f"{mine} {relation} {name}" + (" " * (match.group(0)[-1] != ","))

    return _APPOSITION.sub(_front, message).replace("  ", " ")


def resolve_names(message: str, known: Mapping[str, str]) -> str:
    """``message`` with each known name said alone given its relation: "Raj is vegan" -> "My husband Raj is vegan".

    A name the message gives a relation of its own ("my colleague Anna", "Anna Smith, my colleague,") is another
    person than a known "daughter Anna": it keeps the relation it was given.
    """
    message = fronted_appositions(message)
    for name, relation in known.items():
        alone = re.compile(rf"\b{re.escape(name)}\b")

        def _with_relation(match: re.Match[str], relation: str = relation, said: str = message) -> str:
            if _RELATION_BEFORE.search(said[: match.start()]) or _DESCRIBED_AFTER.match(said, match.end()):
                return match.group(0)  # "my colleague Anna", "Anna, our neighbour,": described here
            if _qualified_here(said, match.start()):
                return match.group(0)  # "Little Tom": maybe the friend Tom, maybe another Tom (attack9 H2)
            return f"{'My' if _opens(said, match.start()) else 'my'} {relation} {match.group(0)}"

        message = alone.sub(_with_relation, message)
    return message


def _qualified_here(said: str, start: int) -> bool:
    """The name at ``start`` is said with a word that may tell it from the known one ("Little Tom", "old Tom")."""
    from concierge.needs.nlp import parse
    from concierge.needs.qualifiers import qualifier

    name = next((t for t in parse([said])[0] if t.idx == start), None)
    return name is not None and any(qualifier(c) is not None for c in name.children)


def person_key(holder: str, known: Mapping[str, str]) -> str:
    """One key per person: a relation with exactly one known name is that name ("husband" and "Raj" are one)."""
    names = [name for name, relation in known.items() if relation.casefold() == holder.casefold()]
    return (names[0] if len(names) == 1 else holder).casefold()
