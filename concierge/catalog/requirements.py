"""Needs as hard catalog filters: what a venue must offer, and why a venue that does not is excluded.

The needs come from ``concierge.needs`` (declared in config/needs.yaml, detected in what the user
said), so an allergy excludes venues in code whatever model wrote the tool call; a companion's need
constrains a shared table as much as the user's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from concierge.needs import DetectedNeed, NeedVocabulary, active_needs, load_vocabulary

ACCESS_NAMES = {
    "step_free": "step-free access",
    "hearing_loop": "hearing loop",
    "braille_large_print": "braille / large print",
}


@dataclass(frozen=True, slots=True)
class Requirement:
    """One active need as a filter: how it is named ("vegan (husband)") and the options it needs."""

    label: str
    dietary: frozenset[str]
    access: frozenset[str]


@dataclass(frozen=True, slots=True)
class Requirements:
    """Options every venue must offer (restaurants' ``dietary_options``; ``accessibility`` of every venue)."""

    dietary: frozenset[str] = frozenset()
    access: frozenset[str] = frozenset()
    needs: tuple[Requirement, ...] = ()

    @classmethod
    def from_needs(cls, needs: Iterable[DetectedNeed], vocabulary: NeedVocabulary | None = None) -> Requirements:
        """The filters of the active needs (inactive ones, "I used to be vegan", filter nothing)."""
        vocabulary = vocabulary or load_vocabulary()
        wanted: dict[str, Requirement] = {}
        for need in needs:
            if not need.active:
                continue
            spec = vocabulary.get(need.need_id)
            label = spec.label if need.holder == "user" else f"{spec.label} ({need.holder})"
            wanted.setdefault(label, Requirement(label, frozenset(spec.dietary), frozenset(spec.access)))
        found = tuple(wanted.values())
        return cls(frozenset(o for r in found for o in r.dietary), frozenset(o for r in found for o in r.access), found)

    def union(self, other: Requirements) -> Requirements:
        """Both sets of needs (a model may add needs to the user's own; it can never remove one)."""
        needs = tuple(dict.fromkeys((*self.needs, *other.needs)))
        return Requirements(self.dietary | other.dietary, self.access | other.access, needs)

    def __bool__(self) -> bool:
        return bool(self.dietary or self.access)

    def labels(self) -> list[str]:
        """Every need by name, as a plan or a draft should state it."""
        if self.needs:
            return [r.label for r in self.needs]
        return sorted(self.dietary) + [ACCESS_NAMES.get(a, a) for a in sorted(self.access)]

    def describe(self) -> str:
        """Every need with the filter it applies: "peanut allergy [peanut_free]; vegan (husband) [vegan]"."""
        if not self:
            return "none"
        if not self.needs:
            return "; ".join(self.labels())
        return "; ".join(f"{r.label} [{', '.join(sorted(r.dietary | r.access))}]" for r in self.needs)

    def unmet(self, dietary: frozenset[str] | None, access: frozenset[str]) -> list[str]:
        """Why a venue fails, one phrase per unmet need; ``dietary`` None for venues that serve no food (stays)."""
        reasons: list[str] = []
        needs = self.needs or (Requirement(o, frozenset({o}), frozenset()) for o in sorted(self.dietary))
        if dietary is not None:
            cannot = [r.label for r in needs if r.dietary and not r.dietary <= dietary]
            if cannot:
                reasons.append("cannot serve " + ", ".join(cannot))
        reasons += [f"no {ACCESS_NAMES.get(a, a)}" for a in sorted(self.access - access)]
        return reasons


def parse_requirements(text: str, vocabulary: NeedVocabulary | None = None) -> Requirements:
    """The needs stated in free text ("User is allergic to nuts; uses a wheelchair") as filters.

    A thin wrapper for callers that hold text: detection is ``concierge.needs.active_needs``.
    """
    vocabulary = vocabulary or load_vocabulary()
    return Requirements.from_needs(active_needs([text or ""], vocabulary), vocabulary)
