"""The research tools through CrewAI's own tool interface (``BaseTool.run``), on the shipped catalog."""

from __future__ import annotations

import re

import pytest

from concierge.catalog.search import CatalogSearch
from concierge.service import ConciergeService
from concierge.tools import research_tools


@pytest.fixture(scope="module")
def tools(service: ConciergeService) -> dict[str, object]:
    catalog: CatalogSearch = service.crew_parts()[0]
    return {t.name: t for t in research_tools(catalog)}


def _ids(text: str) -> list[str]:
    return re.findall(r"\[([a-z]-[a-z0-9-]+)\]", text)


def test_restaurant_search_applies_needs_and_lists_exclusions(tools: dict, service: ConciergeService) -> None:
    out = tools["search_restaurants"].run(query="dinner", location="Lyon", requirements="User is allergic to nuts")
    catalog = {r.id: r for r in service.crew_parts()[0].catalog.restaurants}
    shown = _ids(out)
    nut_free = {"peanut_free", "tree_nut_free"}
    assert shown and all(catalog[i].city == "Lyon" and nut_free <= set(catalog[i].dietary_options) for i in shown)
    assert "hard needs applied: peanut allergy [peanut_free]; tree nut allergy [tree_nut_free]" in out
    assert "Excluded: " in out and "cannot serve peanut allergy" in out


def test_stay_search_honours_kind_and_step_free_access(tools: dict, service: ConciergeService) -> None:
    out = tools["search_stays"].run(query="quiet", location="Spain", requirements="uses a wheelchair", kind="apartment")
    stays = {s.id: s for s in service.crew_parts()[0].catalog.stays}
    shown = _ids(out)
    assert all(stays[i].country == "Spain" and stays[i].kind == "apartment" for i in shown)
    assert all(stays[i].step_free_access for i in shown)


def test_unknown_place_is_answered_with_the_known_ones(tools: dict) -> None:
    out = tools["find_destinations"].run(query="beach", location="Atlantis")
    assert out.startswith("No catalog city or country matches 'Atlantis'") and "Lisbon" in out


def test_destinations_rank_by_the_request(tools: dict) -> None:
    out = tools["find_destinations"].run(query="temples and gardens, kaiseki dinners", location="Japan")
    assert _ids(out)[0] == "d-kyoto"
