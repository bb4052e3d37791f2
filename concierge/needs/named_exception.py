"""An exception named inside a need: the need as said, less what the same person says they eat or are fine with.

- a word that names several needs loses the one an exception names: "allergic to shellfish but fine with mussels"
  is crustaceans only ("shellfish" names crustaceans and molluscs; mussels are molluscs), "allergic to nuts except
  peanuts" is tree nuts only;
- a need becomes the one that supersedes it and allows what is excepted (``allows`` in config/needs.yaml): "no meat
  for me, fish is fine" and "I don't eat meat but I do eat fish" are pescatarian, not vegetarian; "vegetarian, but I
  eat eggs" stays vegetarian (eggs are no exception pescatarian allows);
- a need said as a plain avoidance is part of a need that absorbs it ("I'm vegetarian, no fish either" is vegetarian;
  "..., and allergic to fish" keeps the allergy).

The reader records, per message, which (need, holder) pairs came from a word naming several needs, which were
excepted in the present (a food said fine or eaten) and which were said as a plain avoidance; this module applies
the three rules to what the message states.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concierge.needs.detect import DetectedNeed
    from concierge.needs.vocabulary import NeedVocabulary

Said = set[tuple[str, str]]  # (need id, holder as said, case-folded)
ANYONE = "*"  # an exception said with nobody named: of whoever holds the need it excepts


@dataclass
class HowSaid:
    """How the needs of one message were said, beside what they are (see the module doc)."""

    broad: dict[tuple[str, str], int] = field(default_factory=dict)  # from a word naming several ("shellfish": 2)
    excepted: Said = field(default_factory=set)  # a food of the need said fine or eaten now ("mussels are fine")
    narrowest: dict[tuple[str, str], int] = field(default_factory=dict)  # how many needs the exception's word names
    plain: Said = field(default_factory=set)  # a plain avoidance ("no fish"), not an allergy or a reaction

    def note(self, ids: tuple[str, ...], people: list[str], kind: str, active: bool, *, unsaid: bool) -> None:
        """Record one statement; ``unsaid``: its clause names nobody ("but peanuts are fine"), so an exception in it
        is of whoever holds the need it excepts ("My daughter is allergic to nuts, but peanuts are fine")."""
        pairs = {(i, p.casefold()) for i in ids for p in people}
        if active and len(ids) > 1:
            self.broad.update({pair: max(len(ids), self.broad.get(pair, 0)) for pair in pairs})
        if not active and (kind in ("fine", "consume") or kind.startswith("except-")):
            excepted = {(i, ANYONE) for i in ids} if unsaid else pairs
            self.excepted |= excepted
            self.narrowest.update({pair: min(len(ids), self.narrowest.get(pair, len(ids))) for pair in excepted})
        if active and kind in ("adjacent", "consume"):
            self.plain |= {(i, ANYONE) for i in ids} if unsaid else pairs  # "My husband is vegetarian, no fish either"


def with_exceptions(found: list[DetectedNeed], how: HowSaid, vocabulary: NeedVocabulary) -> list[DetectedNeed]:
    """``found`` after the exceptions ``how`` records (see the module doc)."""
    kept = [_instead(d, how, vocabulary) for d in found if not (d.active and _excepted(d, how))]
    active = {(d.need_id, d.holder.casefold()) for d in kept if d.active}
    return [d for d in kept if not (d.active and _absorbed(d, how, vocabulary, active))]


def _excepted(need: DetectedNeed, how: HowSaid) -> bool:
    """A need from a word naming several that an exception of the same person names with a narrower word
    ("shellfish ... but mussels"; "Seafood is fine, but keep the shellfish away from my son" excepts nothing)."""
    holder = need.holder.casefold()
    broad = how.broad.get((need.need_id, holder), 0)
    named = [how.narrowest[k] for k in ((need.need_id, holder), (need.need_id, ANYONE)) if k in how.narrowest]
    return any(n < broad for n in named)


def _instead(need: DetectedNeed, how: HowSaid, vocabulary: NeedVocabulary) -> DetectedNeed:
    """The need that supersedes ``need`` and allows what its holder excepted ("no meat, fish is fine": pescatarian)."""
    if not need.active:
        return need
    holder = need.holder.casefold()
    excepted = {n for n, h in how.excepted if h in (holder, ANYONE)}
    for spec in vocabulary.specs:
        if need.need_id in spec.supersedes and excepted & set(spec.allows):
            return dataclasses.replace(need, need_id=spec.id, kind=spec.kind, label=spec.label)
    return need


def _absorbed(need: DetectedNeed, how: HowSaid, vocabulary: NeedVocabulary, active: Said) -> bool:
    """A plain avoidance ("no fish either") that another need of the same person absorbs (vegetarian)."""
    holder = need.holder.casefold()
    if (need.need_id, holder) in how.plain:
        return any(h == holder and need.need_id in vocabulary.get(n).absorbs for n, h in active)
    return (need.need_id, ANYONE) in how.plain and any(need.need_id in vocabulary.get(n).absorbs for n, _ in active)
