"""The README's "Customizing" recipes, each done the way the README says, on a copy of the template.

``apply_all(root)`` edits the files of a copy (never the checkout) exactly where the README's table says;
``observe()`` runs in a process whose code and config are that copy (``python -m tests.recipes``) and
prints what each recipe changed, as JSON; tests/test_recipes.py checks it.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

NEW_CATEGORY = "loyalty_programs"
NEW_NEED, NEW_OPTION = "garlic", "garlic_free"
NEW_CITY = "Ljubljana"
NEW_AGENT, NEW_AGENT_ROLE, NEW_TASK = "reviewer", "Plan reviewer", "review_task"
NEW_TOOL = "count_venues"
GARLIC_FREE_IN_LYON = ("r-lyon-02", "r-lyon-05")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: the recipe's anchor {old!r} is not there exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _load_json(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def _dump_json(path: Path, data: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def add_category(root: Path) -> None:
    """README: an entry in config/memory.yaml (name, description, examples)."""
    _edit(
        root / "config" / "memory.yaml",
        "\ncategories:\n",
        f"""
categories:
  - name: {NEW_CATEGORY}
    description: frequent flyer programmes, hotel loyalty programmes, membership tiers and member numbers
    examples:
      - I am a Marriott Bonvoy gold member
      - My frequent flyer programme is Flying Blue
      - I have Hilton Honors status
""",
    )
    _regenerate_seed(root)


# The signature dishes that contain the new allergen (dish_contents.json lists what each dish contains by need id).
GARLIC_DISHES = ("gambas al ajillo", "garlic knots", "tzatziki")
NEW_NEED_STATEMENTS = """  # -- garlic (the README's "a need" recipe) --
  - {text: "I'm allergic to garlic", needs: {user: [garlic]}}
  - {text: "User has a garlic allergy", needs: {user: [garlic]}}
  - {text: "No garlic for me please, I'm allergic", needs: {user: [garlic]}}
  - {text: "My son is allergic to garlic", needs: {son: [garlic]}}
"""


def add_need(root: Path) -> None:
    """README: an entry in config/needs.yaml and statements of it in data/needs/needs_set.yaml; a new catalog
    option in concierge/venue_options.py and the venues that offer it; a new allergen in dish_contents.json."""
    _edit(
        root / "config" / "needs.yaml",
        "  # -- accessibility ---",
        f"""  - id: {NEW_NEED}
    kind: allergy
    label: garlic allergy
    dietary: [{NEW_OPTION}]
    foods: [garlic, garlic powder, garlic oil]
  # -- accessibility ---""",
    )
    needs_set = root / "data" / "needs" / "needs_set.yaml"
    needs_set.write_text(needs_set.read_text(encoding="utf-8") + NEW_NEED_STATEMENTS, encoding="utf-8")
    _edit(root / "concierge" / "venue_options.py", '"mollusc_free",\n]', f'"mollusc_free",\n    "{NEW_OPTION}",\n]')
    _add_allergen_to_dishes(root / "data" / "catalog")
    restaurants = root / "data" / "catalog" / "restaurants.json"
    venues = _load_json(restaurants)
    for venue in _offering_the_new_option(venues):
        venue["dietary_options"].append(NEW_OPTION)
    _dump_json(restaurants, venues)
    _regenerate_schema(root)


def _add_allergen_to_dishes(catalog: Path) -> None:
    """The dishes that contain the new allergen say so in dish_contents.json and in their venues' notes."""
    import re

    contents = json.loads((catalog / "dish_contents.json").read_text(encoding="utf-8"))
    for dish in GARLIC_DISHES:
        contents["dishes"][dish].append(NEW_NEED)
    (catalog / "dish_contents.json").write_text(json.dumps(contents, ensure_ascii=False, indent=1) + "\n")
    venues = _load_json(catalog / "restaurants.json")
    for venue in venues:
        for dish in set(GARLIC_DISHES) & set(venue["signature_dishes"]):
            said = rf"\b{re.escape(dish)} \(([^)]*)\)"
            venue["allergen_notes"] = re.sub(said, rf"{dish} (\1, {NEW_NEED})", venue["allergen_notes"])
    _dump_json(catalog / "restaurants.json", venues)


def _offering_the_new_option(venues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """In Lyon the two venues the recipe's test plans with; elsewhere each city's first venue whose dishes have no
    garlic (every need is served in most cities: tests/test_needs.py)."""
    chosen = [v for v in venues if v["id"] in GARLIC_FREE_IN_LYON]
    for city in dict.fromkeys(v["city"] for v in venues if v["city"] != "Lyon"):
        local = [v for v in venues if v["city"] == city and not set(GARLIC_DISHES) & set(v["signature_dishes"])]
        chosen += local[:1]
    return chosen


def _regenerate_schema(root: Path) -> None:
    """README: ``python -m concierge.catalog.schema`` rewrites data/catalog/schema.json (run in the copy)."""
    import subprocess

    subprocess.run([sys.executable, "-m", "concierge.catalog.schema"], cwd=root, check=True, env=_copy_env(root))


def _regenerate_seed(root: Path) -> None:
    """README: ``python -m concierge.offline.seed_vectors`` after editing the catalog or the memory categories, so
    a first run finds their vectors in the shipped seed (tests/test_catalog_index.py names any text missing)."""
    import subprocess

    subprocess.run([sys.executable, "-m", "concierge.offline.seed_vectors"], cwd=root, check=True, env=_copy_env(root))


def _copy_env(root: Path) -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(root)}


# The new venue's signature dishes and what they contain (none contradicts the free-from options it copies).
NEW_DISHES = {"štruklji": ["gluten", "milk", "eggs"], "ričet": ["gluten"], "kremšnita": ["gluten", "milk", "eggs"]}


def halal_and_kosher_of(restaurants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lyon's halal and kosher venues: every city serves both at breakfast, lunch and dinner, with dairy-free
    meals, as the shipped catalog does (tests/test_needs21_classes.py and tests/test_catalog.py check it)."""
    return [r for r in restaurants if r["city"] == "Lyon" and {"halal", "kosher"} & set(r["dietary_options"])]


def _in_the_new_city(venue: dict[str, Any], number: int) -> dict[str, Any]:
    """A copy of ``venue`` (same kitchen, dishes, options and hours) in the new city, with its own id and address."""
    slug = venue["name"].lower().replace(" ", "-")
    return {
        **venue,
        "id": f"r-ljubljana-{number:02d}",
        "name": f"{venue['name'].split()[0]} Ljubljana",
        "city": NEW_CITY,
        "country": "Slovenia",
        "neighborhood": "Trnovo",
        "description": f"{venue['cuisine']} restaurant in Trnovo, Ljubljana.",
        "reservation_email": f"table@{slug}-ljubljana.example",
    }


def add_city(root: Path) -> None:
    """README: an entry in data/catalog/destinations.json, then its venues in restaurants.json and stays.json, and
    what their signature dishes contain in dish_contents.json."""
    catalog = root / "data" / "catalog"
    destinations = _load_json(catalog / "destinations.json")
    destinations.append(
        {
            "id": "d-ljubljana",
            "name": NEW_CITY,
            "country": "Slovenia",
            "region": "Central Slovenia",
            "summary": "A green old town on the Ljubljanica river, below the castle hill.",
            "highlights": ["Ljubljana Castle", "Triple Bridge", "Central Market"],
            "neighborhoods": ["Old Town", "Trnovo"],
            "airports": ["LJU"],
            "best_months": ["May", "Jun", "Sep"],
            "climate": [3, 6, 11, 16, 21, 25, 27, 27, 22, 16, 9, 4],
        }
    )
    _dump_json(catalog / "destinations.json", destinations)
    restaurants = _load_json(catalog / "restaurants.json")
    template = next(r for r in restaurants if r["city"] == "Lyon")
    restaurants.append(
        {
            **template,
            "id": "r-ljubljana-01",
            "name": "Gostilna Pod Gradom",
            "city": NEW_CITY,
            "country": "Slovenia",
            "neighborhood": "Old Town",
            "cuisine": "Slovenian",
            "description": "Slovenian inn in the Old Town of Ljubljana: štruklji, ričet and kremšnita.",
            "signature_dishes": list(NEW_DISHES),
            # Every city serves the common needs (a vegan menu; a nut-free kitchen with step-free access), and
            # the notes name each signature dish's major allergens as dish_contents.json lists them.
            "dietary_options": [*template["dietary_options"], "vegan"],
            "accessibility": ["step_free"],
            "allergen_notes": "Nut-free kitchen: no peanuts or tree nuts are used. Gluten-free versions of most "
            "dishes, prepared separately. In the signature dishes: "
            + "; ".join(f"{dish} ({', '.join(inside)})" for dish, inside in NEW_DISHES.items())
            + ". Vegan menu every day.",
            "reservation_email": "table@gostilna-pod-gradom.example",
            "opening_hours": "12:00-23:00",
        }
    )
    restaurants += [_in_the_new_city(venue, n) for n, venue in enumerate(halal_and_kosher_of(restaurants), start=2)]
    _dump_json(catalog / "restaurants.json", restaurants)
    contents = json.loads((catalog / "dish_contents.json").read_text(encoding="utf-8"))
    contents["dishes"].update(NEW_DISHES)  # what each signature dish contains, for the allergen checks
    (catalog / "dish_contents.json").write_text(json.dumps(contents, ensure_ascii=False, indent=1) + "\n")
    stays = _load_json(catalog / "stays.json")
    stay = next(s for s in stays if s["city"] == "Lyon")
    stays.append(
        {
            **stay,
            "id": "s-ljubljana-01",
            "name": "Hotel Ljubljanica",
            "city": NEW_CITY,
            "country": "Slovenia",
            "neighborhood": "Trnovo",
            "description": "Hotel by the river in Trnovo, Ljubljana.",
            "contact_email": "stay@hotel-ljubljanica.example",
        }
    )
    _dump_json(catalog / "stays.json", stays)
    _regenerate_seed(root)


REVIEW_MODULE = '''"""The plan reviewer's answer (the README's "an agent whose output the user sees" recipe)."""

from pydantic import BaseModel, Field


class Review(BaseModel):
    """Whether the plan matches the request, and what does not."""

    matches_request: bool = True
    mismatches: list[str] = Field(default_factory=list)
'''


def add_agent(root: Path) -> None:
    """README: config/agents.yaml (the agent), config/tasks.yaml (its task, naming its output model) and one
    module with that model (concierge/crew/review.py)."""
    agents = root / "config" / "agents.yaml"
    agents.write_text(
        agents.read_text(encoding="utf-8")
        + f"""
{NEW_AGENT}:
  role: {NEW_AGENT_ROLE}
  goal: >
    Check {{user}}'s plan against the request before it is sent.
  backstory: >
    You read plans closely and list anything that does not match the request.
""",
        encoding="utf-8",
    )
    tasks = root / "config" / "tasks.yaml"
    tasks.write_text(
        tasks.read_text(encoding="utf-8")
        + f"""
{NEW_TASK}:
  description: >
    Request from {{user}}: {{request}}

    Read the plan and list what, if anything, does not match the request.
  expected_output: >
    A Review object.
  agent: {NEW_AGENT}
  output_model: concierge.crew.review:Review
  context:
    - plan_task
""",
        encoding="utf-8",
    )
    (root / "concierge" / "crew" / "review.py").write_text(REVIEW_MODULE, encoding="utf-8")


def add_tool(root: Path) -> None:
    """README: a module in concierge/crew/tools/ with a BaseTool subclass registered by name, and that name in
    the agent's ``tools:`` in config/agents.yaml."""
    tools = root / "concierge" / "crew" / "tools"
    (tools / "count.py").write_text(
        f'''"""How many venues the catalog has in a city (a recipe's example tool)."""

from __future__ import annotations

from crewai.tools import BaseTool
from pydantic import BaseModel, ConfigDict

from concierge.catalog.search import CatalogSearch
from concierge.crew.tools.registry import register
from concierge.crew.turn import TurnContext


class _CityArgs(BaseModel):
    city: str


class CountVenuesTool(BaseTool):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str = "{NEW_TOOL}"
    description: str = "How many restaurants and stays the catalog has in a city."
    args_schema: type[BaseModel] = _CityArgs
    catalog: CatalogSearch

    def _run(self, city: str) -> str:
        catalog = self.catalog.catalog
        restaurants = sum(r.city == city for r in catalog.restaurants)
        stays = sum(s.city == city for s in catalog.stays)
        return f"{{city}}: {{restaurants}} restaurants, {{stays}} stays"


@register("{NEW_TOOL}")
def count_venues(catalog: CatalogSearch, turn: TurnContext) -> BaseTool:
    return CountVenuesTool(catalog=catalog)
''',
        encoding="utf-8",
    )
    _edit(
        root / "config" / "agents.yaml",
        "  tools: [search_restaurants, search_stays, find_destinations]\n",
        f"  tools: [search_restaurants, search_stays, find_destinations, {NEW_TOOL}]\n",
    )


NEW_BACKEND = "chroma"


def add_backend(root: Path) -> None:
    """README: a module under concierge/memory/backends/ with its pydantic config, store ops and builder, and
    one REGISTRY line (its name, and the store's description). Chroma, through mem0's own chroma vector store,
    in the data dir."""
    backends = root / "concierge" / "memory" / "backends"
    (backends / f"{NEW_BACKEND}.py").write_text(CHROMA_MODULE, encoding="utf-8")
    _edit(
        backends / "__init__.py",
        '    "cloud": BackendSpec(f"{_HERE}.cloud:CloudStoreConfig", f"{_HERE}.cloud:build"),\n',
        '    "cloud": BackendSpec(f"{_HERE}.cloud:CloudStoreConfig", f"{_HERE}.cloud:build"),\n'
        f'    "{NEW_BACKEND}": BackendSpec(\n'
        f'        f"{{_HERE}}.{NEW_BACKEND}:ChromaStoreConfig",\n'
        f'        f"{{_HERE}}.{NEW_BACKEND}:build",\n'
        f'        "Chroma in {{data_dir}}/{NEW_BACKEND}",\n'
        "    ),\n",
    )


CHROMA_MODULE = '''"""Chroma through mem0, in a local folder (the README's "a memory backend" recipe)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from concierge.memory.dedupe import Row, fact_key, key_filters, listed_rows
from concierge.memory.versions import SUPERSEDED_BY, StoreOps

if TYPE_CHECKING:
    from concierge.memory.extractor import Extractor
    from concierge.settings import Settings


class ChromaStoreConfig(BaseModel):
    """Chroma in a local folder under the data dir; one client per process, calls serialised."""

    model_config = ConfigDict(frozen=True)
    path: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> ChromaStoreConfig:
        return cls(path=settings.data_dir / "chroma")

    def mem0_config(self, collection: str) -> tuple[str, dict[str, Any]]:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        # mem0 would build the client with chromadb's telemetry on: nothing leaves the machine.
        client = chromadb.PersistentClient(str(self.path), settings=ChromaSettings(anonymized_telemetry=False))
        return "chroma", {"collection_name": collection, "client": client}

    def release(self) -> None:
        return None


def current_only(filters: dict[str, Any]) -> dict[str, Any]:
    """Chroma's filters cannot ask "field absent": superseded rows are left out by the memory layer instead."""
    return filters


def insert_once(inner: Any, rows: list[Row]) -> list[str | None]:
    """Calls are serialised (one client): look the key up among current rows, insert what is missing."""
    stored: list[str | None] = []
    for row in rows:
        found = listed_rows(inner.list(filters=key_filters(fact_key(row.payload)), top_k=1_000))
        if any(SUPERSEDED_BY not in (r.payload or {}) for r in found):
            stored.append(None)
            continue
        row_id = str(uuid.uuid4())
        inner.insert(vectors=[row.vector], payloads=[row.payload], ids=[row_id])
        stored.append(row_id)
    return stored


def merge_payload(inner: Any, vector_id: str, user_id: str, fields: dict[str, Any]) -> bool:
    row = inner.get(vector_id=vector_id)
    payload = getattr(row, "payload", None) or {}
    if row is None or payload.get("user_id") != user_id or (SUPERSEDED_BY in fields and SUPERSEDED_BY in payload):
        return False
    inner.update(vector_id=vector_id, payload={**payload, **fields})
    return True


OPS = StoreOps(insert_once=insert_once, current_only=current_only, merge_payload=merge_payload)


def build(config: ChromaStoreConfig, settings: Settings, extractor: Extractor) -> Any:
    from concierge.memory.mem0_oss import Mem0OssBackend

    return Mem0OssBackend.from_settings(
        settings, extractor, vector_store=config.mem0_config, ops=OPS, serialize=True, setting=f"chroma {config.path}"
    )
'''


RECIPES = {
    "category": add_category,
    "need": add_need,
    "city": add_city,
    "agent": add_agent,
    "tool": add_tool,
    "backend": add_backend,
}


def apply_all(root: Path) -> None:
    for recipe in RECIPES.values():
        recipe(root)


def observe() -> dict[str, Any]:
    """What the recipes changed, seen through the service as a user sees it (run inside the copy)."""
    from concierge.service import ConciergeService

    service = ConciergeService.from_settings()
    try:
        seen: dict[str, Any] = {}
        stored = service.remember(service.scope("carol"), "I am a Hilton Honors diamond member").stored
        seen["category"] = [list(r.categories) for r in stored]

        stages: list[str] = []
        reply = service.chat(
            service.scope("dave"),
            "I'm allergic to garlic. Plan a dinner in Lyon tomorrow for two",
            progress=stages.append,
        )
        plan = reply.plan
        seen["need"] = {
            "chosen": plan.chosen.id if plan and plan.chosen else None,
            "needs": [n.need_id for n in plan.needs] if plan else [],
        }
        seen["agent"] = stages

        reply = service.chat(service.scope("erin"), f"Plan a dinner in {NEW_CITY} tomorrow evening for two")
        plan = reply.plan
        seen["city"] = {
            "chosen_city": plan.chosen.city if plan and plan.chosen else None,
            "to": reply.draft.to if reply.draft else None,
            "venue_emails": sorted(r.reservation_email for r in service.catalog().restaurants if r.city == NEW_CITY),
        }

        seen["tool"] = _observe_tool(service)
    finally:
        service.close()
    seen["ask_json"] = _observe_ask_json()
    seen["backend"] = _observe_backend()
    return seen


def _observe_tool(service: Any) -> dict[str, Any]:
    """The research agent's tools as the crew builds them from agents.yaml, and the new one run."""
    import datetime as dt

    from concierge.crew.crew import ConciergeCrew
    from concierge.crew.memory import ScopedCrewMemory
    from concierge.crew.turn import TurnContext
    from concierge.offline.parse import parse_request

    catalog, llm = service.crew_parts()
    now = dt.datetime.now()
    request = parse_request("How many venues in Lyon?", now=now, places=service.places())
    turn = TurnContext(user="erin", request=request, now=now, places=service.places(), read_needs=list)
    memory = ScopedCrewMemory.bind(service.memory, service.scope("erin"))
    crew = ConciergeCrew(llm, catalog, memory, turn, service.settings.config_dir)
    tools = {tool.name: tool for tool in crew.research().tools}  # type: ignore[attr-defined]
    return {"names": sorted(tools), "run": tools[NEW_TOOL].run(city=NEW_CITY) if NEW_TOOL in tools else None}


def _observe_ask_json() -> dict[str, Any]:
    """What ``concierge ask --json`` prints for a dinner: the new agent's output under its task's name."""
    import contextlib
    import io

    from concierge.cli import main

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["ask", "--user", "frank", "--json", "Plan a dinner in Lyon tomorrow for two"])
    outputs = json.loads(printed.getvalue())["outputs"] if code == 0 else {}
    return {"code": code, "tasks": sorted(outputs), "review": outputs.get(NEW_TASK)}


def _observe_backend() -> dict[str, Any]:
    """The new store chosen by name: two users' memories stored, recalled apart and forgotten, on disk there."""
    import os

    from concierge.errors import ConfigError
    from concierge.service import ConciergeService

    os.environ["CONCIERGE_MEMORY_BACKEND"] = NEW_BACKEND
    try:
        service = ConciergeService.from_settings()
    except ConfigError as exc:
        return {"error": str(exc)}
    try:
        alice, bob = service.scope("alice"), service.scope("bob")
        service.remember(alice, "I am allergic to peanuts")
        service.remember(bob, "I want an apartment in Spain")
        return {
            "backend": service.settings.backend,
            "store": service.settings.describe()["store"],
            "alice": [r.text for r in service.recall(alice, "what can she eat?")],
            "bob": [r.text for r in service.memories(bob)],
            "forgotten": service.forget(alice),
            "alice_after": [r.text for r in service.memories(alice)],
            "files": sorted(p.name for p in (service.settings.data_dir / NEW_BACKEND).iterdir()),
        }
    finally:
        service.close()


NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "state", "__pycache__", "build", "dist", "*.egg-info", ".*cache")
APPLIED = ".recipes-applied"  # written in a copy once every recipe is done (a half-made copy is never reused)


def recipes_copy(source: Path, root: Path) -> Path:
    """``root``: a copy of the repository at ``source`` with every recipe applied (made once, then reused)."""
    if (root / APPLIED).exists():
        return root
    if root.exists() and any(root.iterdir()):  # never written over: it may be someone's work
        raise SystemExit(f"{root} is not empty and not a recipes copy: give --copy a new folder")
    shutil.copytree(source, root, symlinks=True, ignore=NOT_SOURCE, dirs_exist_ok=True)
    apply_all(root)
    (root / APPLIED).write_text("every recipe of tests/recipes.py\n", encoding="utf-8")
    return root


# The whole suite but this one: it applies the recipes to a copy of its own (done already here).
FULL_SUITE = ["tests", "--ignore=tests/test_recipes.py"]


def run_suite(root: Path, pytest_args: list[str]) -> dict[str, Any]:
    """Run pytest in the copy (its code, config and data) and count its results from pytest's JUnit report."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="recipes-suite-") as folder:
        report = Path(folder) / "junit.xml"
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"]
        subprocess.run([*command, *(pytest_args or FULL_SUITE)], cwd=root, env=_copy_env(root), check=False)
        return suite_totals(report) if report.exists() else {"error": "pytest wrote no report (see its output)"}


def suite_totals(report: Path) -> dict[str, Any]:
    """passed / failed / errors / skipped, and the ids of the tests that did not pass, from a JUnit XML report."""
    from xml.etree import ElementTree

    totals: dict[str, Any] = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0, "not_passed": []}
    for case in ElementTree.parse(report).iter("testcase"):
        outcome = next((c.tag for c in case if c.tag in ("failure", "error", "skipped")), "passed")
        key = {"failure": "failed", "error": "errors"}.get(outcome, outcome)
        totals[key] += 1
        if key in ("failed", "errors"):
            totals["not_passed"].append(f"{case.get('classname')}::{case.get('name')}")
    return totals


def main(argv: list[str]) -> int:
    """``python -m tests.recipes``: what the recipes changed (run inside a copy, as JSON); ``apply DIR``: apply
    them to a copy; ``--full [--copy DIR] [pytest args]``: the suite in a recipes-applied copy, JSON totals."""
    import argparse

    if argv[:1] == ["apply"]:
        apply_all(Path(argv[1]))
        return 0
    parser = argparse.ArgumentParser(prog="python -m tests.recipes")
    parser.add_argument("--full", action="store_true", help="run the suite in a copy with every recipe applied")
    parser.add_argument("--copy", type=Path, help="the copy's folder (made once, reused by later runs)")
    args, pytest_args = parser.parse_known_args(argv)
    if not args.full:
        print("RECIPES " + json.dumps(observe(), default=str))
        return 0
    import tempfile

    from concierge.runtime_env import PROJECT_ROOT

    root = recipes_copy(PROJECT_ROOT, args.copy or Path(tempfile.mkdtemp(prefix="recipes-copy-")) / "concierge")
    totals = run_suite(root, pytest_args)
    print("RECIPES-SUITE " + json.dumps({"copy": str(root), **totals}))
    return 0 if totals.get("passed") and not (totals.get("failed") or totals.get("errors")) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
