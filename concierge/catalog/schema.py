"""The catalog's schema: one pydantic model per entry kind. ``data/catalog/schema.json`` is generated from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from concierge.venue_options import AccessFeature, DietaryOption

StayKind = Literal["hotel", "apartment", "house", "guesthouse"]
EntryId = Annotated[str, StringConstraints(pattern=r"^[a-z]-[a-z0-9-]+$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=600, strip_whitespace=True)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]+$")]


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: EntryId
    name: Text
    country: Text


class Restaurant(_Entry):
    city: Text
    neighborhood: Text
    cuisine: Text
    price_level: int = Field(ge=1, le=4, description="1 = cheap ... 4 = fine dining")
    dietary_options: tuple[DietaryOption, ...] = Field(description="needs the kitchen can reliably serve")
    allergen_notes: Text
    accessibility: tuple[AccessFeature, ...] = Field(description="access features the venue offers")
    signature_dishes: tuple[Text, ...] = Field(min_length=1)
    description: Text
    rating: float = Field(ge=0, le=5)
    reservation_email: Email
    opening_hours: Text

    @property
    def wheelchair_accessible(self) -> bool:
        """Step-free access (kept for callers written before ``accessibility``)."""
        return "step_free" in self.accessibility


class Stay(_Entry):
    city: Text
    neighborhood: Text
    kind: StayKind
    bedrooms: int = Field(ge=1, le=20)
    price_per_night_eur: int = Field(ge=1)
    amenities: tuple[Text, ...]
    accessibility: tuple[AccessFeature, ...] = Field(description="access features the stay offers")
    description: Text
    rating: float = Field(ge=0, le=5)
    contact_email: Email

    @property
    def step_free_access(self) -> bool:
        """Step-free access (kept for callers written before ``accessibility``)."""
        return "step_free" in self.accessibility


class Destination(_Entry):
    aliases: tuple[Text, ...] = Field(default=(), description="other names people use: local names, abbreviations")
    region: Text
    summary: Text
    highlights: tuple[Text, ...] = Field(min_length=1)
    neighborhoods: tuple[Text, ...]
    airports: tuple[Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")], ...] = Field(min_length=1)
    best_months: tuple[Literal["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], ...]
    climate: tuple[Annotated[int, Field(ge=-30, le=50)], ...] = Field(
        min_length=12, max_length=12, description="average daily high in °C for each month, January first"
    )


Climate = Literal["warm", "cool", "sunny"]  # what a vague wish asks for: "somewhere warm in December"


CATALOG_FILES: dict[str, type[_Entry]] = {
    "restaurants.json": Restaurant,
    "stays.json": Stay,
    "destinations.json": Destination,
}


def json_schema() -> dict[str, object]:
    """The JSON Schema of every catalog file, keyed by file name (what ``schema.json`` holds)."""
    return {name: {"type": "array", "items": model.model_json_schema()} for name, model in CATALOG_FILES.items()}


def write_json_schema(catalog_dir: Path) -> Path:
    """Rewrite ``<catalog_dir>/schema.json`` from the models (after adding an option or a field)."""
    path = catalog_dir / "schema.json"
    path.write_text(json.dumps(json_schema(), indent=1) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m concierge.catalog.schema [catalog folder]: default the shipped catalog
    import sys

    from concierge.shipped import shipped_dir

    print(write_json_schema(Path(sys.argv[1]) if len(sys.argv) > 1 else shipped_dir("catalog")))
