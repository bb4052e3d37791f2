"""Who a request names as the party: "for me and my sister", "me, my husband and our daughter", "me and Priya".

Why: a companion's remembered need was applied to every plan but a party of one, so "lunch for me and my sister"
kept to the husband's vegetarian diet (blind set 9). A party the user lists in full, with themself in it, says
who comes: a companion the list cannot be is not coming. The parse reads the list (the conjuncts of "me"), never a
pattern; anything the list does not tell plainly keeps every need (safe when unsure): a pronoun ("me and him"), a
count larger than the people named ("for 4: me and my wife"), a word that is no relation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from concierge.needs import nlp

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_SPEAKER = frozenset({"me", "myself", "i"})
_JOINS = frozenset({",", "and", "&", "plus", "+"})
# Words that may name the same person: a holder stored as "mum" is the "mother" a request names.
_SAME = (
    frozenset({"mum", "mom", "mother", "mam", "mama", "mummy", "mommy", "ma"}),
    frozenset({"dad", "father", "papa", "daddy", "pa"}),
    frozenset(
        {"husband", "hubby", "hubs", "wife", "wifey", "partner", "spouse", "boyfriend", "girlfriend", "bf", "gf",
         "fiance", "fiancé", "fiancee", "fiancée", "missus", "half"}
    ),
    frozenset({"son", "daughter", "kid", "child", "baby", "toddler", "one", "teen", "teenager", "boy", "girl"}),
    frozenset({"grandma", "grandmother", "granny", "nan", "nana"}),
    frozenset({"grandpa", "grandfather"}),
    frozenset({"friend", "mate", "buddy", "bestie", "pal"}),
    frozenset({"colleague", "coworker", "co-worker"}),
    frozenset({"parent", "parents", "mum", "dad", "mother", "father"}),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Party:
    """The companions a request lists beside the user: relation words ("sister") and names ("Priya")."""

    relations: frozenset[str]
    names: frozenset[str]

    @property
    def size(self) -> int:
        return 1 + len(self.relations) + len(self.names)

    def may_be(self, holder: str) -> bool:
        """Whether ``holder`` (a relation, "friend's mother", or a name) may be someone the list names. A name
        listed may be anyone's name, and a relation listed may be anyone called by a name."""
        words = holder.casefold().replace("-", " ").split()
        if not words:
            return True
        if holder[:1].isupper():  # a name: the same name, or a relation listed that may be theirs
            return bool(self.relations) or words[0] in {n.casefold() for n in self.names}
        if self.names:
            return True  # "me and Priya": Priya may be the friend
        last = _singular(words[-1])
        return any(last == r or any(last in same and r in same for same in _SAME) for r in self.relations)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and word != "in laws" else word


def _member(word: Token, companions: frozenset[tuple[str, ...]]) -> tuple[str, str] | None:
    """("relation", "sister") or ("name", "Priya") for one listed person; None when the list says no one plain."""
    if word.pos_ == "PROPN" and word.text[:1].isupper():
        return "name", word.text
    if word.pos_ == "NOUN" and (word.lemma_.lower(),) in companions:
        return "relation", _singular(word.lemma_.lower())
    return None


def party_listed(text: str) -> Party | None:
    """The companions ``text`` lists beside the user ("me, my husband and our daughter"), or None when it lists no
    party with the user in it, or one with a person it does not name plainly ("me and him", "me and 3 friends")."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    if not text.strip():
        return None
    companions = lexicon_for(load_vocabulary()).cues["companions"]
    doc = nlp.parse([text])[0]
    chunks = list(doc.noun_chunks)
    for at, chunk in enumerate(chunks):
        if chunk.root.norm_ not in _SPEAKER:
            continue
        listed = [c.root for c in _listed_with(chunks, at, companions) if c.root.norm_ not in _SPEAKER]
        members = [_member(w, companions) for w in listed if not _counted(w)]
        if not listed or len(members) != len(listed) or None in members:
            return None
        return Party(
            relations=frozenset(w for kind, w in members if kind == "relation"),  # type: ignore[misc]
            names=frozenset(w for kind, w in members if kind == "name"),  # type: ignore[misc]
        )
    return None


def _listed_with(chunks: list[Span], at: int, companions: frozenset[tuple[str, ...]]) -> list[Span]:
    """The noun phrases said in one list with ``chunks[at]``: joined to it by commas, "and", "&" or "plus" only. A
    name right after a relation is the same person ("my friend Sam"); before the user, the list starts at its first
    person ("on Friday, me and Sam": Friday is no one)."""
    found = [chunks[at]]
    for step in (-1, 1):
        i = at
        while 0 <= i + step < len(chunks):
            a, b = sorted((chunks[i], chunks[i + step]), key=lambda c: c.start)
            between = a.doc[a.end : b.start]
            if not all(t.norm_ in _JOINS for t in between):
                break
            i += step
            if step < 0 and _member(chunks[i].root, companions) is None:
                break
            if len(between) or chunks[i].root.pos_ != "PROPN":  # "my friend Sam": one person
                found.append(chunks[i])
    return found


def _counted(word: Token) -> bool:
    """ "me and 3 friends", "me and my two kids": more people than one word, not told apart."""
    return any(c.dep_ == "nummod" for c in word.children) or word.tag_ in ("NNS", "NNPS")


__all__ = ["Party", "party_listed"]
