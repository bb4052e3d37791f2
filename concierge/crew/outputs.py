"""Typed task outputs (crewAI ``output_pydantic``): what research found, the plan, the draft.

Everything downstream (the reply, the UI, eval, the draft) reads these fields; nothing parses prose.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from concierge.request import Meal

OptionKind = Literal["restaurant", "stay", "destination"]


def counted(n: int, one: str, many: str) -> str:
    """ "1 night", "3 nights": a count with its noun, as plans, drafts and summaries say it. (inflect would
    spell any plural, but it takes ~1.5 s to import, and these nouns are few.)"""
    return f"{n} {one if n == 1 else many}"


def party_words(size: int) -> str:
    """ "1 person", "4 people"."""
    return counted(size, "person", "people")


PlanStatus = Literal["planned", "no_match", "not_covered", "suggestions"]


def _compact_schema(schema: dict[str, Any]) -> None:
    """The JSON schema a model is sent as structured output, without pydantic's titles and the classes'
    docstrings: they name nothing a model needs (``"title": "Need Id"``) and were a quarter of the Plan schema."""
    schema.pop("title", None)
    schema.pop("description", None)
    for field_schema in schema.get("properties", {}).values():
        field_schema.pop("title", None)


class _Typed(BaseModel):
    model_config = ConfigDict(extra="ignore", json_schema_extra=_compact_schema)


class NeedNote(_Typed):
    """One active need of the party, as the venue must hear it."""

    need_id: str
    label: str  # "peanut allergy", "vegan", "step-free access"
    holder: str = "user"  # "user", or the companion ("husband", "Tom")

    def phrase(self, user: str) -> str:
        """ "alice: vegan", "alice's husband: vegan", "Raj: vegan" (a named companion is not the user's "Raj"),
        "someone in alice's party: gluten-free" (one of the party nobody named: "one of us is coeliac")."""
        from concierge.needs.detect import UNNAMED_COMPANION

        if self.holder == "user":
            who = user
        elif self.holder == UNNAMED_COMPANION:
            who = f"someone in {user}'s party"
        elif self.holder[:1].isupper():
            who = self.holder
        else:
            who = f"{user}'s {self.holder}"
        return f"{who}: {self.label}"


class Option(_Typed):
    """One catalog entry a tool returned, with the facts a plan and a draft need."""

    id: str
    name: str
    kind: OptionKind
    city: str
    country: str
    contact: str | None = None  # reservation / booking e-mail
    summary: str = ""  # cuisine, or stay kind and bedrooms, or region
    price: str = ""  # "€€" or "EUR 140/night"
    opening_hours: str | None = None
    allergen_notes: str | None = None
    airports: list[str] = Field(default_factory=list)
    best_months: list[str] = Field(default_factory=list)
    booking_time: dt.time | None = None  # a time inside the hours for the requested meal


class Exclusion(_Typed):
    name: str
    reason: str


class SearchReport(_Typed):
    """What one research tool call returned (the tools answer with this, as JSON)."""

    tool: str
    place: str | None = None  # "Lyon, France"; None = the whole catalog
    needs_applied: list[NeedNote] = Field(default_factory=list)
    options: list[Option] = Field(default_factory=list)
    excluded: list[Exclusion] = Field(default_factory=list)
    problem: str | None = None  # why nothing could be searched ("we do not cover Oslo")


class Findings(_Typed):
    """The research task's output: every search it ran."""

    searches: list[SearchReport] = Field(default_factory=list)

    def options(self, kind: OptionKind | None = None) -> list[Option]:
        seen: dict[str, Option] = {}
        for search in self.searches:
            for option in search.options:
                if kind is None or option.kind == kind:
                    seen.setdefault(option.id, option)
        return list(seen.values())


class Plan(_Typed):
    """The planner's output, checked in code before anyone reads it (see ``concierge.crew.checks``)."""

    status: PlanStatus = "planned"
    chosen: Option | None = None
    backups: list[Option] = Field(default_factory=list)
    destination: Option | None = None
    suggestions: list[Option] = Field(default_factory=list)  # destinations for a vague wish
    date: dt.date | None = None
    time: dt.time | None = None
    meal: Meal | None = None
    party_size: int | None = None
    nights: int | None = None
    needs: list[NeedNote] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # relevant remembered preferences, practical notes
    reasons: list[str] = Field(default_factory=list)  # why the first choice
    assumed: list[str] = Field(default_factory=list)  # fields we chose because the user did not say
    problems: list[str] = Field(default_factory=list)  # unmet needs, impossible inputs, places we do not cover


class Draft(_Typed):
    """The outreach task's output: a message ready to send to the chosen venue or provider."""

    to: str = ""  # empty when there is nothing to send
    subject: str = ""
    body: str = ""

    def text(self) -> str:
        return f"To: {self.to}\nSubject: {self.subject}\n\n{self.body}"


# Output models by the name a task gives in config/tasks.yaml (``output_model: Plan``). A model of your own
# needs no entry here: name it by its import path, ``output_model: my_package.my_module:MyModel``.
OUTPUT_MODELS: dict[str, type[BaseModel]] = {"Findings": Findings, "Plan": Plan, "Draft": Draft}


def output_model(name: str) -> type[BaseModel]:
    """The pydantic model a task answers with: a registered name, or ``package.module:Class``."""
    if name in OUTPUT_MODELS:
        return OUTPUT_MODELS[name]
    module, _, attribute = name.partition(":")
    if not attribute:
        raise ValueError(f"unknown output model {name!r}: use one of {sorted(OUTPUT_MODELS)} or 'package.module:Class'")
    import importlib

    found = getattr(importlib.import_module(module), attribute, None)
    if not (isinstance(found, type) and issubclass(found, BaseModel)):
        raise ValueError(f"output model {name!r} is not a pydantic model class")
    OUTPUT_MODELS[name] = found
    return found
