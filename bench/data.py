"""Synthetic but realistic user facts for the benchmarks: varied templates, many users, known owners."""

from __future__ import annotations

import itertools
import random

CITIES = [
    "Lyon",
    "Paris",
    "Nice",
    "Madrid",
    "Seville",
    "Lisbon",
    "Porto",
    "Rome",
    "Florence",
    "Naples",
    "Tokyo",
    "Kyoto",
    "Osaka",
    "Berlin",
    "Athens",
    "London",
    "Amsterdam",
    "Granada",
    "Bologna",
    "Valencia",
]
FOODS = ["nuts", "peanuts", "shellfish", "gluten", "dairy", "eggs", "sesame", "soy", "fish", "mushrooms"]
DIETS = ["vegetarian", "vegan", "pescatarian", "halal", "kosher", "keto", "low-carb", "dairy-free"]
STAYS = [
    "a quiet hotel room",
    "an apartment with a kitchen",
    "a house with a garden",
    "a sea-view room",
    "a guesthouse in the old town",
    "a villa with a pool",
    "a loft near the station",
]
SEATS = ["a window seat", "an aisle seat", "a seat near the front", "extra legroom"]
COMPANIONS = ["their partner", "two kids", "their dog", "their parents", "a group of friends", "nobody"]
QUERIES = [
    "Which city does the user love?",
    "What can't the user eat?",
    "What kind of place does the user want to stay in?",
    "Which seat does the user prefer on flights?",
    "Who does the user travel with?",
    "What is the user's budget per night?",
    "Does the user follow a diet?",
]  # fmt: skip


def fact_templates() -> list[str]:
    facts = [f"User loves {c}" for c in CITIES]
    facts += [f"User is allergic to {f}" for f in FOODS]
    facts += [f"User is {d}" for d in DIETS]
    facts += [f"User wants to stay in {s} in {c}" for s, c in itertools.product(STAYS, CITIES)]
    facts += [f"User always books {s} on flights to {c}" for s, c in itertools.product(SEATS, CITIES)]
    facts += [f"User travels to {c} with {w}" for c, w in itertools.product(CITIES, COMPANIONS)]
    facts += [f"User's budget is about {n} euros a night" for n in range(60, 460, 10)]
    return facts


def distinct_facts(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct sentences (templates, then templates with a detail, until there are enough)."""
    rng = random.Random(seed)
    base = fact_templates()
    details = ["in spring", "in autumn", "for work", "on weekends", "every year", "since last year", "again soon"]
    out = list(dict.fromkeys(base))
    while len(out) < count:
        out.append(f"{rng.choice(base)} {rng.choice(details)} (#{len(out)})")
    return out[:count]
