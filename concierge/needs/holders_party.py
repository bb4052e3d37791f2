"""Who a request names as the party: "for me and my sister", "me, my husband and our daughter", "me and Priya".

Why: a companion's remembered need was applied to every plan but a party of one, so "lunch for me and my sister"
kept to the husband's vegetarian diet (blind set 9). A party the user lists in full, with themself in it, says
who comes: a companion the list cannot be is not coming. The parse reads the list (the conjuncts of "me"), never a
pattern; anything the list does not tell plainly keeps every need (safe when unsure): a pronoun ("me and him"), a
count larger than the people named ("for 4: me and my wife"), a word that is no relation.

The same reading counts the party (``people_listed``): "me, my wife and our three kids" is five, "the twins and I"
three, "my in-laws and us two" four, "8 kids and 2 adults" ten; a plural nobody numbered ("me and the kids") or a
group ("me and my family") cannot be counted, so the request asks rather than guesses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from concierge.needs import nlp
from concierge.needs.places import is_country
from concierge.number_words import NUMBER_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SPEAKER = frozenset({"me", "myself", "i"})
_US = frozenset({"us"})  # the speaker and others: "us two" is two, "us" alone is not counted
_JOINS = frozenset({",", "and", "&", "plus", "+", "n", "'n'", "an'", "with"})  # "me n my bf", "I with our kids"
# Plurals that say how many without a number: "my parents", "the twins", "the in-laws" are two.
_PAIRS = frozenset({"parents", "grandparents", "in-laws", "twins", "folks", "godparents"})
# A group whose size no word says: "me and my family" cannot be counted.
_GROUPS = frozenset({"family", "everyone", "everybody", "team", "group", "gang", "crew", "lot", "class", "office"})
# People counted in a head count who are no relation: "8 kids and 2 adults".
_HEADS = frozenset({("adult",), ("adults",), ("grown-up",), ("grown-ups",), ("infant",), ("infants",)})
# Relations said as in a text message, read as the word they stand for ("me n my sis": a sister).
_SHORT = {"bff": "friend", "sis": "sister", "bro": "brother", "bros": "brothers", "sissy": "sister"}
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


@dataclass(frozen=True, slots=True)
class Member:
    """One entry of a listed party: the speaker ("me", "us two"), a relation ("my 2 sisters") or a name ("Leo"),
    how many people it is (None: a plural nobody numbered, "the kids"), and where it was said."""

    kind: Literal["speaker", "relation", "name"]
    word: str
    count: int | None
    start: int  # character offsets of the words of the entry, its number included
    end: int
    numbered: bool = False  # its count was said as a number ("our three kids"), not known from the word


@dataclass(frozen=True, slots=True)
class Listing:
    """The people said in one list: with the user in it ("me and my wife"), or a head count in parts ("8 kids and
    2 adults", the user among them)."""

    members: tuple[Member, ...]

    @property
    def size(self) -> int | None:
        """How many people the list names; None when an entry cannot be counted ("me and the kids")."""
        counts = [m.count for m in self.members]
        return None if None in counts else sum(counts)  # type: ignore[arg-type]

    @property
    def with_speaker(self) -> bool:
        """Whether the user is in the list ("me and my wife"), not only among a head count ("8 kids and 2 adults")."""
        return any(m.kind == "speaker" for m in self.members)

    def covers(self, at: int) -> bool:
        """Whether the character at ``at`` is said inside an entry of the list (the "8" of "8 kids")."""
        return any(m.start <= at < m.end for m in self.members)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and word != "in laws" else word


def _number(word: Token) -> int | None:
    text = word.text.lower()
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text)


def _said_count(word: Token) -> Token | None:
    """The number said of ``word`` ("our three kids", "us two"), if any."""
    return next((c for c in word.children if c.dep_ == "nummod"), None)


def _key(chunk: Span) -> str:
    """The relation word of a chunk, its compound kept ("my in-laws": "in-laws"), a short form said in full."""
    first = next((t for t in chunk if t.dep_ in ("compound", "nmod") or t.i == chunk.root.i), chunk.root)
    key = chunk.doc[first.i : chunk.root.i + 1].text.lower()
    return _SHORT.get(key, key)


def _relation_count(chunk: Span) -> int | None:
    """How many people one relation names: its number, 2 for a pair ("my parents", "twin brothers"), 1 for one;
    None for a plural nobody numbered or a group ("the kids", "my family")."""
    root = chunk.root
    said = _said_count(root)
    if said is not None:
        return _number(said)
    key = _key(chunk)
    if key in _GROUPS or root.lemma_.lower() in _GROUPS:
        return None
    if key in _PAIRS or any(c.dep_ == "amod" and c.lower_ == "twin" for c in root.children):
        return 2
    return None if root.tag_ in ("NNS", "NNPS") else 1


def _entry(chunk: Span, companions: frozenset[tuple[str, ...]]) -> Member | None:
    """One listed person or group; None when the chunk names no one plainly ("him", "a guide")."""
    root = chunk.root
    said = _said_count(root)
    start = min(chunk.start_char, said.idx if said is not None else chunk.start_char)
    end = max(chunk.end_char, said.idx + len(said) if said is not None else chunk.end_char)
    numbered = said is not None
    if root.norm_ in _SPEAKER:
        return Member("speaker", root.norm_, 1, start, end)
    if root.norm_ in _US:
        return Member("speaker", root.norm_, _number(said) if said is not None else None, start, end, numbered)
    key = _key(chunk)
    said_as = {(root.lemma_.lower(),), tuple(key.replace("-", " ").split())}  # "in-laws": ("in", "laws")
    if root.pos_ in ("NOUN", "PROPN") and said_as & (companions | _HEADS):  # "my gf" is tagged a name
        relation = key if key in _PAIRS or key in _SHORT.values() else _singular(root.lemma_.lower())
        return Member("relation", relation, _relation_count(chunk), start, end, numbered)
    if root.pos_ == "PROPN" and root.text[:1].isupper() and not is_country(root.text):  # "..., possibly Spain?"
        return Member("name", root.text, 1 if root.tag_ == "NNP" else None, start, end)
    return None


def _no_one(chunk: Span, between: Span) -> bool:
    """A chunk after a bare comma that names no one ("me n my bf, dinner in Lyon") or starts a clause ("me and
    Marta, she's vegan"): the list ended before it."""
    root = chunk.root
    owned = any(c.dep_ == "poss" for c in root.children)
    clause = root.dep_ in ("nsubj", "nsubjpass")
    return [t.text for t in between] == [","] and (clause or (root.pos_ == "NOUN" and not owned))


def people_listed(text: str, dated: Callable[[int, int], bool] | None = None) -> Listing | None:
    """The people ``text`` lists with the user in it ("me, my husband and our daughter"), else a head count said in
    numbered parts ("for 8 kids and 2 adults"); None when it lists neither, or names someone it does not name
    plainly ("me and him"). ``dated(start, end)`` says which characters are a date, which is no one ("on Friday,
    me + 3 mates")."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    if not text.strip():
        return None
    companions = lexicon_for(load_vocabulary()).cues["companions"]
    chunks = [c for c in _pieces(nlp.parse([text])[0]) if not (dated and dated(c.start_char, c.end_char))]
    numbered: Listing | None = None
    for at, chunk in enumerate(chunks):
        root = chunk.root
        if root.norm_ not in _SPEAKER | _US and (numbered or _said_count(root) is None):
            continue
        entries = [_entry(c, companions) for c in _listed_with(chunks, at, companions)]
        if None in entries:
            if root.norm_ in _SPEAKER | _US:
                return None
            continue
        listing = Listing(tuple(sorted(entries, key=lambda m: m.start)))  # type: ignore[arg-type]
        if root.norm_ in _SPEAKER | _US:
            return listing
        if len(entries) > 1 and all(m.kind == "relation" and (m.numbered or m.count == 1) for m in listing.members):
            numbered = listing
    return numbered


def _pieces(doc: Doc) -> list[Span]:
    """The noun phrases of ``doc``, split at a comma the parse ran over ("me n my sis, lunch": "my sis", "lunch"),
    and a name joined to one that the parse left out of them ("for me and Marta, she's vegan")."""
    pieces = []
    for chunk in doc.noun_chunks:
        start = chunk.start
        for cut in [t.i for t in chunk if t.text == ","] + [chunk.end]:
            if cut > start:
                pieces.append(doc[start:cut])
            start = cut + 1
    chunked = {t.i for piece in pieces for t in piece}
    left_out = [doc[t.i : t.i + 1] for t in doc if t.pos_ == "PROPN" and t.dep_ == "conj" and t.i not in chunked]
    return sorted(pieces + left_out, key=lambda piece: piece.start)


def party_listed(text: str) -> Party | None:
    """The companions ``text`` lists beside the user ("me, my husband and our daughter"), or None when it lists no
    party with the user in it, or one with a person it does not name plainly ("me and him", "me and 3 friends")."""
    listing = people_listed(text)
    if listing is None:
        return None
    speaker = [m for m in listing.members if m.kind == "speaker"]
    listed = [m for m in listing.members if m.kind != "speaker"]
    plain = all(m.count == 1 and not m.numbered and m.word not in _GROUPS for m in listed)
    if [m.word for m in speaker] not in (["me"], ["myself"], ["i"]) or not listed or not plain:
        return None
    return Party(
        relations=frozenset(m.word for m in listed if m.kind == "relation"),
        names=frozenset(m.word for m in listed if m.kind == "name"),
    )


def _listed_with(chunks: list[Span], at: int, companions: frozenset[tuple[str, ...]]) -> list[Span]:
    """The noun phrases said in one list with ``chunks[at]``: joined to it by commas, "and", "&" or "plus" only. A
    name right after a relation is the same person ("my friend Sam"); before the user, the list starts at its first
    person ("on Friday, me and Sam": Friday is no one); after, it ends at a word after a comma that names no one."""
    found = [chunks[at]]
    for step in (-1, 1):
        i = at
        while 0 <= i + step < len(chunks):
            a, b = sorted((chunks[i], chunks[i + step]), key=lambda c: c.start)
            between = a.doc[a.end : b.start]
            if not all(t.norm_ in _JOINS or t.lower_ in _JOINS for t in between):
                break
            i += step
            if step < 0 and _entry(chunks[i], companions) is None:
                break
            if step > 0 and _entry(chunks[i], companions) is None and _no_one(chunks[i], between):
                break
            if len(between) or chunks[i].root.pos_ != "PROPN":  # "my friend Sam": one person
                found.append(chunks[i])
    return found


__all__ = ["Listing", "Member", "Party", "party_listed", "people_listed"]
