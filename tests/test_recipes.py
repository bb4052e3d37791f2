"""The README's "Customizing" recipes work as written: each is done on a copy of the template (tests/recipes.py)
and the result is used through the service the way a user would (a chat turn, a stored memory, the tools)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from concierge.runtime_env import PROJECT_ROOT
from tests import recipes

pytestmark = pytest.mark.slow

# A quick part of the suite, run in the copy with every recipe applied: the tests that read the catalog, its seed
# vectors, the needs and their test set, the settings' registries and the crew's YAML, and the crew through a
# scripted model (CI runs these; ``python -m tests.recipes --full`` runs the whole suite in such a copy, README
# "Customizing").
SUITE_IN_THE_COPY = [
    "tests/test_catalog.py",
    "tests/test_catalog_index.py::test_a_new_data_dir_takes_the_shipped_catalog_vectors_from_the_seed",
    "tests/test_crew_config.py",
    "tests/test_guardrails.py",
    "tests/test_hours_climate.py",
    "tests/test_settings.py",
    "tests/test_public_surface.py",
    "tests/test_needs_enforced.py::test_the_phrasings_cover_the_whole_vocabulary",
    "tests/test_needs.py::test_catalog_options_are_consistent_with_dishes_and_notes",
    "tests/test_needs.py::test_every_venues_allergen_notes_agree_with_its_dishes",
    "tests/test_needs.py::test_every_need_in_the_vocabulary_has_phrasings_here",
    "tests/test_needs.py::test_the_set_covers_every_need_with_several_statements",
    "tests/test_needs.py::test_every_need_filters_the_catalog",
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A copy of the repository with every recipe applied, and the environment to run code from it."""
    root = recipes.recipes_copy(PROJECT_ROOT, tmp_path_factory.mktemp("template") / "concierge")
    env = {k: v for k, v in os.environ.items() if k not in ("MEM0_DIR", "CREWAI_STORAGE_DIR")}
    env |= {"PYTHONPATH": str(root), "CONCIERGE_DATA_DIR": str(tmp_path_factory.mktemp("recipes-state"))}
    return root, env


@pytest.fixture(scope="module")
def observed(template: tuple[Path, dict[str, str]]) -> dict[str, Any]:
    root, env = template
    result = subprocess.run(
        [sys.executable, "-m", "tests.recipes"], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("RECIPES "))
    return json.loads(line.removeprefix("RECIPES "))


def test_a_new_memory_category_is_assigned(observed: dict[str, Any]) -> None:
    assigned = observed["category"]
    assert assigned and any(recipes.NEW_CATEGORY in categories for categories in assigned), assigned


def test_a_new_need_is_detected_and_filters_the_catalog(observed: dict[str, Any]) -> None:
    need = observed["need"]
    assert recipes.NEW_NEED in need["needs"], need
    assert need["chosen"] in recipes.GARLIC_FREE_IN_LYON, need  # only the venues given the new option qualify


def test_a_new_city_is_planned_and_drafted(observed: dict[str, Any]) -> None:
    city = observed["city"]
    assert city["chosen_city"] == recipes.NEW_CITY and "table@gostilna-pod-gradom.example" in city["venue_emails"]
    assert city["to"] in city["venue_emails"], city  # the draft goes to one of the new city's venues


def test_a_new_agent_runs_its_task_in_the_turn(observed: dict[str, Any]) -> None:
    stages = observed["agent"]
    assert any(recipes.NEW_AGENT_ROLE in stage and "finished" in stage for stage in stages), stages


def test_a_new_agents_output_is_in_ask_json_under_its_task_name(observed: dict[str, Any]) -> None:
    asked = observed["ask_json"]
    assert asked["code"] == 0 and recipes.NEW_TASK in asked["tasks"], asked
    assert asked["review"] == {"matches_request": True, "mismatches": []}  # the offline model's empty Review


def test_a_new_tool_is_given_to_the_research_agent_and_runs(observed: dict[str, Any]) -> None:
    tool = observed["tool"]
    assert recipes.NEW_TOOL in tool["names"], tool
    shipped = json.loads((PROJECT_ROOT / "data" / "catalog" / "restaurants.json").read_text(encoding="utf-8"))
    venues = 1 + len(recipes.halal_and_kosher_of(shipped))
    assert tool["run"] == f"{recipes.NEW_CITY}: {venues} restaurants, 1 stays"  # the inn, Lyon's halal/kosher copied


def test_a_new_memory_backend_stores_recalls_apart_and_forgets(observed: dict[str, Any]) -> None:
    store = observed["backend"]
    assert store.get("backend") == recipes.NEW_BACKEND and "Chroma" in store["store"], store
    assert store["alice"] == ["User is allergic to peanuts"] and store["bob"] == ["User wants an apartment in Spain"]
    assert store["forgotten"] == 1 and store["alice_after"] == [] and store["files"], store


def test_the_suite_passes_in_the_copy_with_every_recipe_applied(template: tuple[Path, dict[str, str]]) -> None:
    root, env = template
    # one process: this test already runs on one of the suite's workers (pyproject addopts)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", *SUITE_IN_THE_COPY]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:]
