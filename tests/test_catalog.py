"""The shipped catalog: schema, validation errors that name file/entry/field, requirement parsing, ranked search."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from concierge.catalog.loader import CatalogError, load_catalog
from concierge.catalog.requirements import parse_requirements
from concierge.catalog.schema import json_schema
from concierge.catalog.search import CatalogSearch, Place
from concierge.runtime_env import PROJECT_ROOT

CATALOG_DIR = PROJECT_ROOT / "data" / "catalog"


@pytest.fixture(scope="module")
def search(tmp_path_factory: pytest.TempPathFactory) -> CatalogSearch:
    # embeddings cached in the session's temp folder: shared by every module that builds a search
    return CatalogSearch(load_catalog(CATALOG_DIR), tmp_path_factory.getbasetemp() / "catalog-cache")


def test_shipped_catalog_is_large_valid_and_covers_the_countries() -> None:
    catalog = load_catalog(CATALOG_DIR)
    assert len(catalog) >= 300
    countries = {d.country for d in catalog.destinations}
    assert {"France", "Spain", "Italy", "Portugal", "Japan"} <= countries and len(countries) >= 8
    for city in catalog.cities():  # every city can serve the common needs
        local = [r for r in catalog.restaurants if r.city == city]
        nut_free = [r for r in local if {"peanut_free", "tree_nut_free"} <= set(r.dietary_options)]
        assert any(r.wheelchair_accessible for r in nut_free), city
        assert any("vegan" in r.dietary_options for r in local), city
    kinds = {s.kind for s in catalog.stays if s.country == "France"}
    assert {"house", "apartment", "hotel"} <= kinds


@pytest.mark.parametrize("need", ["halal", "kosher"])
@pytest.mark.parametrize("meal", ["breakfast", "lunch", "dinner"])
def test_every_city_serves_halal_and_kosher_at_every_meal(need: str, meal: str) -> None:
    """A religious rule is kept at breakfast too ("Halal breakfast spot in Athens tomorrow"): never "no venue"."""
    from concierge.catalog.hours import serves

    catalog = load_catalog(CATALOG_DIR)
    for city in catalog.cities():
        local = [r for r in catalog.restaurants if r.city == city and need in r.dietary_options]
        assert any(serves(r.opening_hours, meal) for r in local), (city, need, meal)


@pytest.mark.parametrize(("options", "meal"), [({"sesame_free", "soy_free"}, "lunch"), ({"egg_free"}, "breakfast")])
def test_every_city_serves_common_allergies_at_a_meal(options: set[str], meal: str) -> None:
    """Allergies said together ("allergic to sesame and soy, lunch in Osaka", "egg-free breakfast in Tokyo") still
    find a table in every city."""
    from concierge.catalog.hours import serves

    catalog = load_catalog(CATALOG_DIR)
    for city in catalog.cities():
        free = [r for r in catalog.restaurants if r.city == city and options <= set(r.dietary_options)]
        assert any(serves(r.opening_hours, meal) for r in free), city


def test_schema_file_matches_the_models() -> None:
    assert json.loads((CATALOG_DIR / "schema.json").read_text()) == json.loads(json.dumps(json_schema()))


@pytest.fixture
def broken_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, copy)
    return copy


def _edit(path: Path, change: callable) -> None:  # type: ignore[valid-type]
    rows = json.loads(path.read_text())
    change(rows)
    path.write_text(json.dumps(rows, indent=1))


def test_bad_field_names_file_entry_and_field(broken_copy: Path) -> None:
    _edit(broken_copy / "restaurants.json", lambda rows: rows[3].update(dietary_options=["peanut_free", "paleo"]))
    with pytest.raises(CatalogError, match=r"restaurants\.json: entry 3 \(id r-paris-04\): dietary_options\.1"):
        load_catalog(broken_copy)


def test_unknown_key_is_rejected(broken_copy: Path) -> None:
    _edit(broken_copy / "stays.json", lambda rows: rows[0].update(stars=5))
    with pytest.raises(CatalogError, match=r"stays\.json: entry 0 .*stars: Extra inputs are not permitted"):
        load_catalog(broken_copy)


def test_broken_json_names_the_line(broken_copy: Path) -> None:
    path = broken_copy / "destinations.json"
    path.write_text(path.read_text().replace('"Paris"', '"Paris",,', 1))
    with pytest.raises(CatalogError, match=r"destinations\.json: line \d+, column \d+: not valid JSON"):
        load_catalog(broken_copy)


def test_duplicate_ids_and_unknown_cities_are_rejected(broken_copy: Path) -> None:
    _edit(broken_copy / "stays.json", lambda rows: rows[1].update(id=rows[0]["id"]))
    with pytest.raises(CatalogError, match="is used twice"):
        load_catalog(broken_copy)
    shutil.copy(CATALOG_DIR / "stays.json", broken_copy / "stays.json")
    _edit(broken_copy / "restaurants.json", lambda rows: rows[0].update(city="Atlantis"))
    with pytest.raises(CatalogError, match=r"Atlantis.*destinations\.json does not list"):
        load_catalog(broken_copy)


@pytest.mark.parametrize(
    ("text", "dietary", "access"),
    [
        ("User is allergic to nuts", {"peanut_free", "tree_nut_free"}, set()),
        ("User has a severe peanut allergy; User uses a wheelchair", {"peanut_free"}, {"step_free"}),
        ("User loves pistachio gelato", set(), set()),  # a like is not a need
        ("User is not vegetarian", set(), set()),
        ("User is vegan", {"vegan"}, set()),
        ("User has coeliac disease and is lactose intolerant", {"gluten_free", "dairy_free"}, set()),
        ("User avoids shellfish", {"crustacean_free", "mollusc_free"}, set()),
        ("User eats halal food", {"halal"}, set()),
        ("User is deaf and her husband is partially sighted", set(), {"hearing_loop", "braille_large_print"}),
    ],
)
def test_requirements_from_free_text(text: str, dietary: set[str], access: set[str]) -> None:
    needs = parse_requirements(text)
    assert set(needs.dietary) == dietary and set(needs.access) == access


def test_a_nut_allergy_excludes_every_venue_that_cannot_serve_it(search: CatalogSearch) -> None:
    lyon = Place("Lyon", "France")
    result = search.restaurants("dinner", lyon, parse_requirements("allergic to nuts"), limit=10)
    nut_free = {"peanut_free", "tree_nut_free"}
    assert result.ranked and all(nut_free <= set(r.entry.dietary_options) for r in result.ranked)
    assert all(r.entry.city == "Lyon" for r in result.ranked)
    assert result.excluded and all(not nut_free <= set(e.dietary_options) for e, _ in result.excluded)
    assert len(result.ranked) + len(result.excluded) == result.considered


def test_ranking_follows_the_request_text(search: CatalogSearch) -> None:
    tokyo = Place("Tokyo", "Japan")
    top = search.restaurants("a bowl of ramen noodles", tokyo, parse_requirements(""), limit=3).ranked[0].entry
    assert top.cuisine == "Ramen"
    villa = search.stays("a big house with a garden", Place(None, "France"), parse_requirements(""))
    assert villa.ranked[0].entry.kind == "house"
