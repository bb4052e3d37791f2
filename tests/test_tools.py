"""The research tools through CrewAI's own tool interface (``BaseTool.run``), on the shipped catalog.

No database: the catalog is loaded directly and the turn's needs come from a fixed list of texts, the
way the service reads them from a user's scope.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from concierge.catalog.loader import load_catalog
from concierge.catalog.search import CatalogSearch
from concierge.crew.tools import research_tools
from concierge.crew.turn import TurnContext
from concierge.needs import active_needs
from concierge.offline.parse import parse_request
from concierge.request import CatalogPlaces
from concierge.runtime_env import PROJECT_ROOT
from tests.catalog_facts import uncovered

NOW = dt.datetime(2026, 11, 25, 10, 0)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> CatalogSearch:
    return CatalogSearch(load_catalog(PROJECT_ROOT / "data" / "catalog"), tmp_path_factory.mktemp("cache"))


def _tools(catalog: CatalogSearch, message: str, remembered: tuple[str, ...] = ()) -> dict[str, Any]:
    places = CatalogPlaces(catalog.catalog)
    turn = TurnContext(
        user="alice",
        request=parse_request(message, now=NOW, places=places),
        now=NOW,
        places=places,
        read_needs=lambda: active_needs([*remembered, message]),
    )
    return {t.name: t for t in research_tools(catalog, turn)} | {"turn": turn}


def _run(tool: Any, **arguments: Any) -> dict[str, Any]:
    return json.loads(tool.run(**arguments))


def test_stored_needs_are_applied_although_the_model_passes_none(catalog: CatalogSearch) -> None:
    tools = _tools(catalog, "Dinner in Lyon tomorrow", remembered=("User is allergic to sesame", "User is vegan"))
    out = _run(tools["search_restaurants"], query="dinner", location="Lyon")  # no requirements argument
    venues = {r.id: r for r in catalog.catalog.restaurants}
    assert out["options"] and {n["need_id"] for n in out["needs_applied"]} == {"sesame", "vegan"}
    for option in out["options"]:
        assert venues[option["id"]].city == "Lyon"
        assert {"sesame_free", "vegan"} <= set(venues[option["id"]].dietary_options)
    assert any("sesame_free" in e["reason"] or "vegan" in e["reason"] for e in out["excluded"])
    assert tools["turn"].qualifying_ids() == {o["id"] for o in out["options"]}


def test_a_model_can_add_a_need_but_not_remove_one(catalog: CatalogSearch) -> None:
    tools = _tools(catalog, "Dinner in Madrid", remembered=("User is coeliac",))
    out = _run(tools["search_restaurants"], query="dinner", location="Madrid", requirements="also no peanuts")
    venues = {r.id: r for r in catalog.catalog.restaurants}
    assert out["options"]
    assert all({"gluten_free", "peanut_free"} <= set(venues[o["id"]].dietary_options) for o in out["options"])


def test_closed_for_the_meal_or_the_time_is_excluded_with_the_reason(catalog: CatalogSearch) -> None:
    tools = _tools(catalog, "Brunch in Paris on Sunday at 11am")
    out = _run(tools["search_restaurants"], query="brunch", location="Paris", meal="brunch", time="11:00")
    venues = {r.id: r for r in catalog.catalog.restaurants}
    assert out["options"] and any("brunch" in e["reason"] or "11:00" in e["reason"] for e in out["excluded"])
    for option in out["options"]:
        assert option["booking_time"] == "11:00:00", venues[option["id"]].opening_hours


def test_stay_search_honours_kind_and_step_free_access_from_the_profile(catalog: CatalogSearch) -> None:
    tools = _tools(catalog, "An apartment in Spain", remembered=("User uses a wheelchair",))
    out = _run(tools["search_stays"], query="quiet", location="Spain", kind="apartment")
    stays = {s.id: s for s in catalog.catalog.stays}
    assert out["options"]
    assert all(stays[o["id"]].country == "Spain" for o in out["options"])
    # The kind asked for ranks first; other kinds follow as options (issue 21: "a hotel" is not a hard filter).
    kinds = [stays[o["id"]].kind == "apartment" for o in out["options"]]
    assert kinds[0] and kinds == sorted(kinds, reverse=True)
    assert all("step_free" in stays[o["id"]].accessibility for o in out["options"])


def test_a_place_outside_the_catalog_is_declined_with_the_nearest_covered(catalog: CatalogSearch) -> None:
    city = uncovered("Oslo", "Reykjavik", "Nairobi", "Lima")
    tools = _tools(catalog, f"Dinner in {city}")
    out = _run(tools["search_restaurants"], query="dinner", location=city)
    assert out.get("options", []) == [] and city in out["problem"]


def test_bad_arguments_are_answered_not_raised(catalog: CatalogSearch) -> None:
    tools = _tools(catalog, "Dinner in Lyon")
    out = _run(tools["search_restaurants"], query="dinner", location="Lyon", party_size=500)
    assert out.get("options", []) == [] and "500" in out["problem"]


def test_destinations_rank_by_the_request_and_climate(catalog: CatalogSearch) -> None:
    tools = _tools(catalog, "temples and gardens in Japan")
    out = _run(tools["find_destinations"], query="temples and gardens, kaiseki dinners", location="Japan")
    assert out["options"][0]["id"] == "d-kyoto"
    anywhere = _tools(catalog, "somewhere with beaches")
    warm = _run(anywhere["find_destinations"], query="beach", climate="warm", month=12, max_results=5)
    climate = {d.id: d.climate for d in catalog.catalog.destinations}
    assert any(climate[o["id"]][11] >= 20 for o in warm["options"])
    # Too few warm in a month: the warmest of the rest fill the list, each said to be the nearest (issue 21).
    february = _run(anywhere["find_destinations"], query="beach", climate="warm", month=2, max_results=3)
    assert len(warm["options"]) == 5 and len(february["options"]) == 3
    for month, found in ((12, warm), (2, february)):
        for option in found["options"]:
            nearest = option["summary"].startswith("Nearest to warm in ")
            assert (climate[option["id"]][month - 1] >= 20) != nearest
