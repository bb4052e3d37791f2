"""The subpackages of `concierge/` import each other one way only: the import graph has no cycle.

Every import counts, a lazy one inside a function too (it couples two packages as much); only imports under
`if TYPE_CHECKING:` are left out, as they never run. The layers, lowest first; a package imports only
packages below it:

1. `needs` (the vocabulary; the option names it shares with the catalog are in `venue_options.py`)
2. `catalog` (venues, filters from needs)
3. `request` (the typed turn request), `memory` (stores; given its model by `llm.factory.extractor`)
4. `crew` (agents, tools, typed outputs), `answers`, `api`
5. `conversation` (session state, follow-ups, the `TurnReader` interface)
6. `offline` (the offline model plug-in)
7. `llm` (the model registry and composition root `factory.py`, the only importer of `offline`; `ModelReader`)
8. `turn`, `eval` (the turn flow and the evaluation)

Modules directly in `concierge/` are not layers: shared ones (`settings`, `errors`, `model_retry`,
`venue_options`, ...) and the entry points (`service`, `cli`, the composition root of the app).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import concierge

PACKAGE = Path(concierge.__file__).parent

Edges = dict[str, dict[str, set[str]]]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_modules(tree: ast.AST, package: tuple[str, ...]) -> list[str]:
    """Absolute module names of every import in `tree`, skipping `if TYPE_CHECKING:` bodies."""
    found: list[str] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                found.append(".".join([*base, *([node.module] if node.module else [])]))
            else:
                found.append(node.module or "")
        stack.extend(ast.iter_child_nodes(node))
    return found


def subpackage_edges() -> Edges:
    """source subpackage -> imported subpackage -> the files (relative to the package) that import it."""
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    edges: Edges = defaultdict(lambda: defaultdict(set))
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2:
            continue
        package = ("concierge", *parts[:-1])
        for module in _imported_modules(ast.parse(path.read_text(), str(path)), package):
            names = module.split(".")
            if len(names) > 1 and names[0] == "concierge" and names[1] in subpackages and names[1] != parts[0]:
                edges[parts[0]][names[1]].add("/".join(parts))
    return edges


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle as a closed path [a, b, ..., a], or [] when the graph is acyclic."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str]:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return []
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if cycle := visit(target):
                return cycle
        path.pop()
        done.add(node)
        return []

    for start in sorted(graph):
        if cycle := visit(start):
            return cycle
    return []


def test_the_subpackage_import_graph_has_no_cycle() -> None:
    edges = subpackage_edges()
    graph = {source: set(targets) for source, targets in edges.items()}
    assert sum(len(targets) for targets in graph.values()) > 5, "the scan found (almost) no imports: it is broken"
    cycle = find_cycle(graph)
    detail = "\n".join(f"  {a} -> {b}: {', '.join(sorted(edges[a][b]))}" for a, b in pairwise(cycle))
    assert not cycle, f"import cycle {' -> '.join(cycle)}:\n{detail}"


def test_the_cycle_finder_finds_a_cycle_and_accepts_a_chain() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_lazy_imports_count_and_type_checking_imports_do_not() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from concierge.crew import outputs\n"
        "def f():\n    from ..memory import layer\n"
    )
    assert set(_imported_modules(ast.parse(source), ("concierge", "llm"))) == {"typing", "concierge.memory"}
