"""A wish presupposes its opposite: "I wish I wasn't allergic to peanuts" says the user IS allergic.

The mood reader (``concierge.needs.mood``) makes a wish take nothing back, which keeps a stored allergy; but a new
user's only words about it are then lost, and the plan misses it (attack7 M6). A wish or an "if only" over a need
said not to hold states that need; a wish to hold one ("I wish I were vegan") states none.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacy.tokens import Token

    from concierge.needs.detect import DetectedNeed

_NEGATIONS = frozenset({"not", "n't", "never", "no"})
_COUNTERFACTUAL = frozenset({"was", "were", "wasn't", "weren't", "had", "did", "could", "would"})


def _wished(anchor: Token) -> bool:
    """The need's word sits in a counterfactual under "wish" or after "if only" ("I wish I weren't", "If only my
    son wasn't allergic", "User wishes they weren't")."""
    for head in (anchor, *anchor.ancestors):
        if head.lemma_.lower() == "wish" and head.pos_ == "VERB" and head.i < anchor.i:  # not "..., I wish I were"
            return True
        if head.lower_ in _COUNTERFACTUAL or head.lemma_.lower() == "be":
            before = [t.lower_ for t in head.doc[max(0, head.i - 4) : head.i]]
            if "if" in before and "only" in before:
                return True
    return False


def wished_needs(
    found: Sequence[DetectedNeed], anchors: Sequence[Token], words: Sequence[Token]
) -> list[DetectedNeed] | None:
    """What a wished clause (its ``words``) states: the needs it wishes away, as holding. None when the clause is
    no wish or negates nothing of its own ("I'm not allergic to eggs, I wish I were": the mood reader decides)."""
    negated = any(t.dep_ == "neg" or t.lower_ in _NEGATIONS for t in words)
    if not found or not anchors or not negated or not any(_wished(a) for a in anchors):
        return None
    return [replace(n, active=True) for n in found if not n.active]
