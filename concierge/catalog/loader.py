"""Load and validate the catalog: a broken file fails loudly with file, entry and field, never half-loaded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from concierge.catalog.schema import CATALOG_FILES, Destination, Restaurant, Stay, _Entry
from concierge.errors import ConciergeError


class CatalogError(ConciergeError):
    """The shipped (or configured) catalog is missing or invalid."""


@dataclass(frozen=True)
class Catalog:
    restaurants: tuple[Restaurant, ...]
    stays: tuple[Stay, ...]
    destinations: tuple[Destination, ...]

    def __len__(self) -> int:
        return len(self.restaurants) + len(self.stays) + len(self.destinations)

    def cities(self) -> dict[str, str]:
        """City name -> country, from the destinations every venue must belong to."""
        return {d.name: d.country for d in self.destinations}


def _read_text(path: Path) -> str:
    """The file as UTF-8 text, or a CatalogError naming it (missing, a folder, unreadable, not UTF-8)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CatalogError(
            f"catalog file {path} is missing; restore it or point CONCIERGE_CATALOG_DIR elsewhere"
        ) from exc
    except IsADirectoryError as exc:
        raise CatalogError(f"catalog file {path} is a folder, not a JSON file; restore the file") from exc
    except OSError as exc:
        raise CatalogError(f"catalog file {path} cannot be read ({exc.strerror}); restore it") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(
            f"{path}: line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8"
        ) from exc


def _load_file(path: Path, model: type[_Entry]) -> list[_Entry]:
    text = _read_text(path)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})") from exc
    except RecursionError as exc:  # the json module recurses once per nesting level
        raise CatalogError(f"{path}: JSON nested too deeply; entries are flat objects of short values") from exc
    if not isinstance(raw, list):
        raise CatalogError(f"{path}: expected a JSON array of entries, got {type(raw).__name__}")
    entries: list[_Entry] = []
    for index, item in enumerate(raw):
        try:
            entries.append(model.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "entry"
            ident = str(item.get("id", "?"))[:64] if isinstance(item, dict) else "?"
            raise CatalogError(f"{path}: entry {index} (id {ident}): {where}: {first['msg']}") from exc
    return entries


def load_catalog(directory: Path) -> Catalog:
    """Read and check every catalog file: schema, unique ids, and venues in known destination cities."""
    loaded = {name: _load_file(directory / name, model) for name, model in CATALOG_FILES.items()}
    catalog = Catalog(
        restaurants=tuple(loaded["restaurants.json"]),  # type: ignore[arg-type]
        stays=tuple(loaded["stays.json"]),  # type: ignore[arg-type]
        destinations=tuple(loaded["destinations.json"]),  # type: ignore[arg-type]
    )
    seen: set[str] = set()
    for entry in (*catalog.restaurants, *catalog.stays, *catalog.destinations):
        if entry.id in seen:
            raise CatalogError(f"{directory}: id {entry.id!r} is used twice; ids must be unique")
        seen.add(entry.id)
    cities = catalog.cities()
    for venue, file in [
        *((r, "restaurants.json") for r in catalog.restaurants),
        *((s, "stays.json") for s in catalog.stays),
    ]:
        if cities.get(venue.city) != venue.country:
            raise CatalogError(
                f"{directory / file}: {venue.id} is in {venue.city}, {venue.country}, which destinations.json does "
                "not list; add the destination or fix the city/country"
            )
    return catalog
