"""Who a name is: the relation the user gave a companion ("my husband Raj"), read from what was said before.

A name said alone ("Raj is vegan now") is resolved to the relation an earlier statement gave it ("User's
husband Raj is vegetarian" in mem0's existing memories, or "my husband Raj" earlier in the message), so the
new fact reads "User's husband Raj is vegan now" and names the same person as the one it replaces. A name
with no known relation stays a name: "Raj is vegan now" (never "User is ..." and never "User's Raj").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_PAIR = re.compile(
    r"\b(?:User's|[Mm]y|[Oo]ur)\s+(?P<relation>[a-z][a-z-]*(?:\s+in\s+law)?)\s+(?P<name>[A-Z][a-z][\w'-]*)\b"
)


def _is_relation(word: str) -> bool:
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    companions = lexicon_for(load_vocabulary()).cues["companions"]
    return tuple(word.lower().replace("-", " ").split()) in companions or (word.lower(),) in companions


def relations(texts: Iterable[str]) -> dict[str, str]:
    """Name -> relation said with it ("User's husband Raj", "my son Tom"), the latest statement winning."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _PAIR.finditer(text):
            if _is_relation(match.group("relation")):
                found[match.group("name")] = match.group("relation")
    return found


def resolve_names(message: str, known: Mapping[str, str]) -> str:
    """``message`` with each known name said alone given its relation: "Raj is vegan" -> "My husband Raj is vegan"."""
    for name, relation in known.items():
        alone = re.compile(rf"(?<!{re.escape(relation)} )\b{re.escape(name)}\b")

        def _with_relation(match: re.Match[str], relation: str = relation, said: str = message) -> str:
            start = match.start()
            opens = start == 0 or re.search(r"[.!?]\s*$", said[:start]) is not None
            return f"{'My' if opens else 'my'} {relation} {match.group(0)}"

        message = alone.sub(_with_relation, message)
    return message


def person_key(holder: str, known: Mapping[str, str]) -> str:
    """One key per person: a relation with exactly one known name is that name ("husband" and "Raj" are one)."""
    names = [name for name, relation in known.items() if relation.casefold() == holder.casefold()]
    return (names[0] if len(names) == 1 else holder).casefold()


def is_name(holder: str) -> bool:
    """The needs detector gives a companion as said: a relation in lower case ("husband"), a name capitalised."""
    return holder[:1].isupper()
