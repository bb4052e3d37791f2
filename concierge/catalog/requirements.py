"""Turn what a traveller said about their needs ("allergic to nuts", "uses a wheelchair") into hard filters.

The research tools receive needs as free text (from memories or a real LLM) and apply them here,
so an allergy excludes venues in code, whatever model wrote the tool call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from concierge.catalog.schema import DietaryOption

_AVOID = (
    r"(allerg|intoleran|avoid|can'?t eat|cannot eat|doesn'?t eat|does not eat|don'?t eat|"
    r"\bno\b|free\b|without|sensitiv|coeliac|celiac)"
)
_NEGATED = re.compile(r"\b(not|no longer|isn'?t|never was)\s+(a\s+)?(strict\s+)?$")

# (option, words naming it, needs an avoidance cue in the same clause)
_DIETARY_RULES: tuple[tuple[DietaryOption, str, bool], ...] = (
    ("nut_free", r"\b(nuts?|peanuts?|tree ?nuts?|almonds?|hazelnuts?|cashews?|pistachios?|walnuts?|pecans?)\b", True),
    ("gluten_free", r"\b(gluten|wheat|coeliac|celiac)\b", True),
    ("dairy_free", r"\b(dairy|lactose|milk)\b", True),
    ("shellfish_free", r"\b(shellfish|crustaceans?|prawns?|shrimps?|lobster|crab|mussels|oysters)\b", True),
    ("vegan", r"\b(vegan|plant[- ]based)\b", False),
    ("vegetarian", r"\b(vegetarian|veggie|doesn'?t eat meat|does not eat meat|no meat)\b", False),
    ("halal", r"\bhalal\b", False),
    ("kosher", r"\bkosher\b", False),
)
_STEP_FREE = re.compile(r"\b(wheelchair|step[- ]free|mobility|no stairs|can'?t (do|climb) stairs|walker|crutches)\b")


@dataclass(frozen=True, slots=True)
class Requirements:
    dietary: frozenset[DietaryOption] = frozenset()
    step_free: bool = False

    def describe(self) -> str:
        needs = sorted(self.dietary) + (["step_free_access"] if self.step_free else [])
        return ", ".join(needs) if needs else "none"


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[;.\n]|\bbut\b", text.lower()) if c.strip()]


def parse_requirements(text: str) -> Requirements:
    """Hard needs stated in ``text``; likes ("loves pistachio gelato") are not needs."""
    dietary: set[DietaryOption] = set()
    step_free = False
    for clause in _clauses(text or ""):
        for option, words, needs_cue in _DIETARY_RULES:
            match = re.search(words, clause)
            if not match or (needs_cue and not re.search(_AVOID, clause)):
                continue
            if _NEGATED.search(clause[: match.start()]):
                continue
            dietary.add(option)
        step_free = step_free or bool(_STEP_FREE.search(clause))
    if "vegan" in dietary:
        dietary.add("vegetarian")
    return Requirements(frozenset(dietary), step_free)
