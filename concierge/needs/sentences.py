"""Needs worded as the facts memory keeps ("User is gluten-free", "User's son has a peanut allergy"): what the
offline extraction stores for a need said without a subject, and what a message pointing back ("My daughter too")
stores, whatever model reads the turn."""

from __future__ import annotations

from collections.abc import Mapping

from concierge.needs.detect import UNNAMED_COMPANION, USER, DetectedNeed


def is_name(holder: str) -> bool:
    """The needs detector gives a companion as said: a relation in lower case ("husband"), a name capitalised."""
    return holder[:1].isupper()


def subject(holder: str, known: Mapping[str, str]) -> str:
    """ "User", "User's husband", "User's husband Raj" (a name with a known relation), or the name alone."""
    if holder == USER:
        return "User"
    if holder == UNNAMED_COMPANION:
        return "Someone in User's party"
    if is_name(holder):
        return f"User's {known[holder]} {holder}" if holder in known else holder
    return f"User's {holder}"


def compose_needs(
    needs: list[DetectedNeed], known: Mapping[str, str] | None = None, negated: bool = False
) -> list[str]:
    """Active needs said without a subject ("coeliac here lol", "halal only", "no nuts pls, my son's
    anaphylactic"), one sentence per person, worded from the needs vocabulary's labels: "User is
    gluten-free", "User's son has a peanut allergy and has a tree nut allergy". [] when one is not active,
    unless ``negated``: then a need that does not hold is worded as such ("User is not kosher")."""
    import inflect

    if not needs or not (negated or all(n.active for n in needs)):
        return []
    article = inflect.engine()
    by_holder: dict[str, list[str]] = {}
    for need in needs:
        head = need.label.split(" (")[0]
        if head.endswith(("allergy", "sensitivity")):
            # "has no peanut allergy" reads as avoiding peanuts: a need, not its retraction
            part = f"has {article.a(head)}" if need.active else f"does not have {article.a(head)}"
        elif head.endswith("user"):
            part = f"is {article.a(head)}" if need.active else f"is not {article.a(head)}"
        else:
            part = f"is {head}" if need.active else f"is not {head}"
        by_holder.setdefault(need.holder, []).append(part)
    known = known or {}
    return [f"{subject(holder, known)} {' and '.join(dict.fromkeys(parts))}" for holder, parts in by_holder.items()]
